"""Mail intake for admins (list, accept a rejected mail), attachments for members, and the
vocabulary of disciplines and sectors (read by anyone, extended by admins)."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import views
from chalicelib.api.framework import Call, endpoint
from chalicelib.api.lazy import models
from chalicelib.domain.errors import NotFound
from chalicelib.domain.vocabulary import Term
from chalicelib.services.intake import AcceptForm
from chalicelib.services.vocabulary import NewName

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
    also_ok=(200,),
    summary=(
        "Turn a rejected mail into an opportunity, for a member or the collective; the same "
        "request again answers the same opportunity (200), another one after it 409"
    ),
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
    intake = call.services.intake
    opportunity, replayed = intake.accept_once(call.params["intake_id"], form, call.me.member_id)
    if replayed:  # the same request again (later or at the same moment): the same answer
        call.status = 200
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
        raise NotFound("attachment_not_found")
    link = call.services.intake.attachment_link(call.params["opportunity_id"], int(number))
    return views.attachment_link(link)


@endpoint(
    bp,
    "/opportunities/{opportunity_id}/disciplines",
    "PUT",
    access="member",
    body="DisciplinesIn",
    response="OpportunityOut",
    summary=(
        "The referrer or an admin sets an opportunity's disciplines (one mailed in without a "
        "recognised discipline); the members they match then hear of it (addition to SPEC)"
    ),
    errors_=(403, 404, 409),
)
def set_disciplines(call: Call) -> models.OpportunityOut:
    body = call.body_as(models.DisciplinesIn)
    me = call.me
    opportunity = call.services.intake.set_disciplines(
        call.params["opportunity_id"], body.tags(), me.member_id, me.is_admin
    )
    return views.opportunity(opportunity)


# The vocabulary (additions to SPEC section 2, see the README) ------------------------------


@endpoint(
    bp,
    "/vocabulary",
    "GET",
    access="public",
    response="VocabularyOut",
    summary=(
        "The disciplines and sectors the collective knows, with every name people use for "
        "them, labelled in the caller's language (for autocomplete, also on the apply form)"
    ),
)
def vocabulary(call: Call) -> models.VocabularyOut:
    known = call.services.vocabulary.current()
    return models.VocabularyOut(
        disciplines=[_term(t, call.language) for t in known.of_kind("discipline")],
        sectors=[_term(t, call.language) for t in known.of_kind("sector")],
    )


@endpoint(
    bp,
    "/vocabulary/terms",
    "POST",
    access="admin",
    body="VocabularyTermIn",
    response="VocabularyTermOut",
    status=201,
    summary=(
        "Add a name (title, synonym) to a known discipline or sector, or a new one; 409 when "
        "the name already stands for one"
    ),
    errors_=(404, 409),
)
def add_vocabulary_term(call: Call) -> models.VocabularyTermOut:
    body = call.body_as(models.VocabularyTermIn)
    new = NewName(body.kind, body.name, body.term, body.label_nl, body.label_en)
    return _term(call.services.vocabulary.add(new, call.me.member_id), call.language)


def _term(term: Term, language: str) -> models.VocabularyTermOut:
    return models.VocabularyTermOut(
        id=term.id,
        kind=term.kind,
        label=term.label(language),
        label_nl=term.label_nl,
        label_en=term.label_en,
        names=list(term.names),
        built_in=term.built_in,
    )
