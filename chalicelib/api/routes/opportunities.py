"""Opportunities from posting to award or close, and the assignments they become."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import views
from chalicelib.api.framework import Call, endpoint
from chalicelib.api.lazy import models
from chalicelib.services.opportunities import NewOpportunity

bp = Blueprint(__name__)


@endpoint(
    bp,
    "/opportunities",
    "POST",
    access="member",
    body="OpportunityIn",
    response="OpportunityOut",
    status=201,
    summary="Post an opportunity; the caller is its referrer (admins may post for the collective)",
)
def post_opportunity(call: Call) -> models.OpportunityOut:
    body = call.body_as(models.OpportunityIn)
    form = NewOpportunity(
        title=body.title,
        description=body.description,
        disciplines=body.tags(),
        sector=body.sector.lower() if body.sector else None,
        location=body.location,
        client=body.client,
        starts_on=body.starts_on,
        on_behalf_of_collective=body.on_behalf_of_collective,
    )
    posted = call.services.opportunities.post(form, call.me.member_id, call.me.is_admin)
    return views.opportunity(posted)


@endpoint(
    bp,
    "/opportunities",
    "GET",
    access="member",
    query="OpportunitiesQuery",
    response="OpportunityList",
    summary="Opportunities, newest first",
)
def list_opportunities(call: Call) -> models.OpportunityList:
    q = call.query_as(models.OpportunitiesQuery)
    page = call.services.opportunities.browse(q.status, q.discipline, q.limit, q.cursor)
    return models.OpportunityList(
        items=[views.opportunity(o) for o in page.opportunities], next=page.next_cursor
    )


@endpoint(
    bp,
    "/opportunities/{opportunity_id}",
    "GET",
    access="member",
    response="OpportunityOut",
    summary="One opportunity with its history",
    errors_=(404,),
)
def get_opportunity(call: Call) -> models.OpportunityOut:
    return views.opportunity(call.services.opportunities.get(call.params["opportunity_id"]))


@endpoint(
    bp,
    "/opportunities/{opportunity_id}/interest",
    "POST",
    access="member",
    body="InterestIn",
    response="OpportunityOut",
    summary="Express interest (not the referrer); repeating it changes nothing",
    errors_=(404, 409),
)
def express_interest(call: Call) -> models.OpportunityOut:
    note = call.body_as(models.InterestIn).note or ""
    opportunity = call.services.opportunities.express_interest(
        call.params["opportunity_id"], call.me.member_id, note
    )
    return views.opportunity(opportunity)


@endpoint(
    bp,
    "/opportunities/{opportunity_id}/interest",
    "GET",
    access="member",
    response="InvolvementOut",
    summary="The caller's own interest in (or introduction to) an opportunity",
    errors_=(404,),
)
def my_interest(call: Call) -> models.InvolvementOut:
    found = call.services.overview.involvement(call.params["opportunity_id"], call.me.member_id)
    return models.InvolvementOut(
        opportunity_id=found.opportunity_id,
        interested=found.interested,
        introduced=found.introduced,
        note=found.note,
        stage=found.stage,
    )


@endpoint(
    bp,
    "/opportunities/{opportunity_id}/candidates",
    "GET",
    access="member",
    response="CandidateList",
    summary="Interested and introduced members, best match first (referrer, admin)",
    errors_=(404,),
)
def candidates(call: Call) -> models.CandidateList:
    found = call.services.opportunities.candidates(
        call.params["opportunity_id"], call.me.member_id, call.me.is_admin
    )
    return models.CandidateList(items=[views.candidate(c) for c in found])


@endpoint(
    bp,
    "/opportunities/{opportunity_id}/conversations",
    "POST",
    access="member",
    body="ConversationIn",
    response="OpportunityOut",
    status=201,
    summary="Record that a member talked with the client (referrer, admin)",
    errors_=(404, 409),
)
def record_conversation(call: Call) -> models.OpportunityOut:
    body = call.body_as(models.ConversationIn)
    opportunity = call.services.opportunities.record_conversation(
        call.params["opportunity_id"],
        body.member_id,
        body.held_on,
        call.me.member_id,
        call.me.is_admin,
    )
    return views.opportunity(opportunity)


@endpoint(
    bp,
    "/opportunities/{opportunity_id}/assignment",
    "POST",
    access="member",
    body="AssignmentIn",
    response="AssignmentCreated",
    status=201,
    summary="Take the assignment: an interested or introduced member, who picks the tier",
    errors_=(404, 409),
)
def award(call: Call) -> models.AssignmentCreated:
    body = call.body_as(models.AssignmentIn)
    assignment = call.services.opportunities.award(
        call.params["opportunity_id"], call.me.member_id, body.contribution, body.starts_on
    )
    return views.assignment_created(assignment)


@endpoint(
    bp,
    "/opportunities/{opportunity_id}/close",
    "POST",
    access="member",
    body="CloseIn",
    response="OpportunityOut",
    summary="Close without assignment; no_deal after a conversation earns the referrer coins",
    errors_=(404, 409),
)
def close(call: Call) -> models.OpportunityOut:
    outcome = call.body_as(models.CloseIn).outcome
    closed = call.services.opportunities.close(
        call.params["opportunity_id"], outcome, call.me.member_id, call.me.is_admin
    )
    return views.opportunity(closed)


@endpoint(
    bp,
    "/assignments/{assignment_id}",
    "GET",
    access="member",
    response="AssignmentOut",
    summary=(
        "An assignment with its totals, team and reports (its team, referrer, admin); team "
        "members see their own figures, only admins every member's"
    ),
    errors_=(404,),
)
def get_assignment(call: Call) -> models.AssignmentOut:
    details = call.services.opportunities.assignment_details(
        call.params["assignment_id"], call.me.member_id, call.me.is_admin
    )
    return views.assignment(details)


@endpoint(
    bp,
    "/assignments/{assignment_id}/revenue",
    "POST",
    access="member",
    body="RevenueIn",
    response="RevenueBooked",
    status=201,
    summary=(
        "Report revenue (negative: a credit note); invoice_ref is the idempotency key per "
        "assignment and member. An active team member, or an admin on their behalf "
        "(member_id; also after they left)"
    ),
    errors_=(404, 409),
)
def report_revenue(call: Call) -> models.RevenueBooked:
    body = call.body_as(models.RevenueIn)
    report = call.services.opportunities.report_revenue(
        call.params["assignment_id"],
        call.me.member_id,
        body.amount_cents,
        body.invoice_ref,
        body.invoiced_on,
        is_admin=call.me.is_admin,
        member_id=body.member_id,
    )
    assignment = call.services.opportunities.store.get_assignment(report.assignment_id)
    return views.revenue_booked(report, assignment.fee_cap_cents)


@endpoint(
    bp,
    "/assignments/{assignment_id}/team",
    "POST",
    access="member",
    body="TeamInviteIn",
    response="TeamChangeOut",
    status=201,
    summary="Invite an active member to the team (the lead, admin); the invitee is mailed",
    errors_=(404, 409),
)
def invite_to_team(call: Call) -> models.TeamChangeOut:
    body = call.body_as(models.TeamInviteIn)
    invited = call.services.opportunities.invite(
        call.params["assignment_id"], body.member_id, call.me.member_id, call.me.is_admin
    )
    return models.TeamChangeOut(member_id=invited.member_id, status="invited")


@endpoint(
    bp,
    "/assignments/{assignment_id}/team/accept",
    "POST",
    access="member",
    response="TeamChangeOut",
    summary="Join the team (the invited member); repeating it changes nothing",
    errors_=(404,),
)
def accept_team(call: Call) -> models.TeamChangeOut:
    joined = call.services.opportunities.accept(call.params["assignment_id"], call.me.member_id)
    return models.TeamChangeOut(member_id=joined.member_id, status="active")


@endpoint(
    bp,
    "/assignments/{assignment_id}/team/decline",
    "POST",
    access="member",
    response="TeamChangeOut",
    summary="Decline the invitation (the invited member)",
    errors_=(404, 409),
)
def decline_team(call: Call) -> models.TeamChangeOut:
    declined = call.services.opportunities.decline(call.params["assignment_id"], call.me.member_id)
    return models.TeamChangeOut(member_id=declined.member_id, status="declined")


@endpoint(
    bp,
    "/assignments/{assignment_id}/team/{member_id}",
    "DELETE",
    access="member",
    response="TeamChangeOut",
    summary=(
        "Leave the team, or remove a member (the lead, admin); refused once that member has "
        "revenue reported"
    ),
    errors_=(404, 409),
)
def leave_team(call: Call) -> models.TeamChangeOut:
    left = call.services.opportunities.remove_from_team(
        call.params["assignment_id"],
        call.params["member_id"],
        call.me.member_id,
        call.me.is_admin,
    )
    return models.TeamChangeOut(member_id=left.member_id, status="left")
