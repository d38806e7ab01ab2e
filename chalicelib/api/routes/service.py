"""Health, the API's own description and the collective's rules."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib import bootstrap
from chalicelib.api.errors import json_response
from chalicelib.api.framework import ENDPOINTS, Call, endpoint
from chalicelib.api.lazy import models

bp = Blueprint(__name__)
_document: dict[str, Any] | None = None


@endpoint(bp, "/health", "GET", access="public", response="Health", summary="Liveness")
def health(call: Call) -> models.Health:
    return models.Health(
        status="ok", stage=call.services.config.stage, time=call.services.clock.now()
    )


@bp.route("/openapi.json", methods=["GET"])
def openapi() -> Any:
    global _document
    if _document is None:
        from chalicelib.api.openapi import document, with_policy  # builds every model

        _document = with_policy(document(ENDPOINTS), bootstrap.services().policy)
    return json_response(200, _document)


@endpoint(
    bp,
    "/policy",
    "GET",
    access="public",
    response="PolicyOut",
    summary="The collective's rules: admission, fees and their caps per tier, coins",
)
def policy(call: Call) -> models.PolicyOut:
    p = call.services.policy
    return models.PolicyOut(
        admission_min_years_experience=p.admission_min_years_experience,
        registration_fee_cents=p.registration_fee_cents,
        quarterly_dues_cents=p.quarterly_dues_cents,
        fee_percent=p.fee_percent,
        fee_cap_cents_by_tier=dict(p.fee_cap_cents_by_tier),
        referrer_share_percent=p.referrer_share_percent,
        publicity_coins_min=p.publicity_coins_min,
        publicity_coins_max=p.publicity_coins_max,
        publicity_coins_suggested=p.publicity_coins_suggested,
    )
