"""Health and the API's own description."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib.api import models
from chalicelib.api.errors import json_response
from chalicelib.api.framework import ENDPOINTS, Call, endpoint
from chalicelib.api.openapi import document

bp = Blueprint(__name__)
_document: dict[str, Any] | None = None


@endpoint(bp, "/health", "GET", access="public", response=models.Health, summary="Liveness")
def health(call: Call) -> models.Health:
    return models.Health(
        status="ok", stage=call.services.config.stage, time=call.services.clock.now()
    )


@bp.route("/openapi.json", methods=["GET"])
def openapi() -> Any:
    global _document
    if _document is None:
        _document = document(ENDPOINTS)
    return json_response(200, _document)
