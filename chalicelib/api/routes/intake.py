"""Mail intake for admins (list, accept a rejected mail) and attachments for members."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import views
from chalicelib.api.framework import Call, endpoint
from chalicelib.api.lazy import models
from chalicelib.domain.errors import NotFound
from chalicelib.services.intake import AcceptForm

bp = Blueprint(__name__)


@endpoint(
    bp,
    "/intake",
    "GET",
    access="admin",
    query="IntakeQuery",
    response="IntakeList",
    summary="Mails received, newest first (accepted or rejected with their reason)",
)
def list_intake(call: Call) -> models.IntakeList:
    q = call.query_as(models.IntakeQuery)
    page = call.services.intake.browse(q.status, q.limit, q.cursor)
    return models.IntakeList(items=[views.intake(r) for r in page.records], next=page.next_cursor)


@endpoint(
    bp,
    "/intake/{intake_id}",
    "GET",
    access="admin",
    response="IntakeOut",
    summary="One mail received",
    errors_=(404,),
)
def get_intake(call: Call) -> models.IntakeOut:
    return views.intake(call.services.intake.get(call.params["intake_id"]))


@endpoint(
    bp,
    "/intake/{intake_id}/accept",
    "POST",
    access="admin",
    body="IntakeAcceptIn",
    response="OpportunityOut",
    status=201,
    summary="Turn a rejected mail into an opportunity, for a member or the collective",
    errors_=(404, 409),
)
def accept_intake(call: Call) -> models.OpportunityOut:
    body = call.body_as(models.IntakeAcceptIn)
    form = AcceptForm(
        referrer_member_id=body.referrer_member_id,
        on_behalf_of_collective=body.on_behalf_of_collective,
        title=body.title,
        description=body.description,
        disciplines=body.tags(),
    )
    opportunity = call.services.intake.accept(call.params["intake_id"], form, call.me.member_id)
    return views.opportunity(opportunity)


@endpoint(
    bp,
    "/opportunities/{opportunity_id}/attachments/{number}",
    "GET",
    access="member",
    response="AttachmentLinkOut",
    summary="A short-lived signed download link to an attachment of a mailed-in opportunity",
    errors_=(404,),
)
def attachment_link(call: Call) -> models.AttachmentLinkOut:
    number = call.params["number"]
    if not number.isascii() or not number.isdigit() or len(number) > 3:
        raise NotFound(f"no attachment {number}")
    link = call.services.intake.attachment_link(call.params["opportunity_id"], int(number))
    return views.attachment_link(link)
