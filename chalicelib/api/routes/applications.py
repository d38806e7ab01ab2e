"""Applying for membership and the admins' decision."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import views
from chalicelib.api.framework import Call, endpoint
from chalicelib.api.lazy import models

bp = Blueprint(__name__)


@endpoint(
    bp,
    "/applications",
    "POST",
    access="public",
    body="ApplicationIn",
    response="ApplicationCreated",
    status=201,
    summary="Apply for membership",
    errors_=(400, 409),
)
def apply(call: Call) -> models.ApplicationCreated:
    form = call.body_as(models.ApplicationIn)
    if form.language is None:  # the applicant's mails in the language their browser asks for
        form = form.model_copy(update={"language": call.language})
    application = call.services.membership.apply(form.new_application())
    return models.ApplicationCreated(id=application.id, status="pending")


@endpoint(
    bp,
    "/applications",
    "GET",
    access="admin",
    query="ApplicationsQuery",
    response="ApplicationList",
    summary="List applications by status, newest first",
)
def list_applications(call: Call) -> models.ApplicationList:
    query = call.query_as(models.ApplicationsQuery)
    page = call.services.membership.applications(query.status, query.limit, query.cursor)
    return models.ApplicationList(
        items=[views.application(a) for a in page.applications], next=page.next_cursor
    )


@endpoint(
    bp,
    "/applications/{application_id}/approve",
    "POST",
    access="admin",
    response="MemberOut",
    summary="Admit the applicant: member, sign-in invitation, registration fee and dues",
    errors_=(404, 409),
)
def approve_application(call: Call) -> models.MemberOut:
    member = call.services.membership.approve(call.params["application_id"], call.me.member_id)
    return views.member(member)


@endpoint(
    bp,
    "/applications/{application_id}/reject",
    "POST",
    access="admin",
    body="RejectIn",
    response="ApplicationOut",
    summary="Reject the application with a reason",
    errors_=(400, 404, 409),
)
def reject_application(call: Call) -> models.ApplicationOut:
    reason = call.body_as(models.RejectIn).reason
    application = call.services.membership.reject(
        call.params["application_id"], call.me.member_id, reason
    )
    return views.application(application)
