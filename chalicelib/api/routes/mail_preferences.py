"""The one-click unsubscribe (RFC 8058), public: the signed token is the proof."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.framework import FORM, JSON, Call, endpoint
from chalicelib.api.lazy import models

bp = Blueprint(__name__)


@endpoint(
    bp,
    "/unsubscribe",
    "POST",
    access="public",
    query="UnsubscribeQuery",
    body="OneClickIn",
    body_media=(FORM, JSON),
    response="UnsubscribedOut",
    summary=(
        "No more mails about new opportunities (List-Unsubscribe one-click, RFC 8058; also "
        "what the web app's #/unsubscribe page posts); repeating it changes nothing"
    ),
)
def unsubscribe(call: Call) -> models.UnsubscribedOut:
    call.services.mail_preferences.unsubscribe(call.query_as(models.UnsubscribeQuery).token)
    return models.UnsubscribedOut(status="unsubscribed")
