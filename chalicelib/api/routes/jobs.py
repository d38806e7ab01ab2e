"""The scheduled jobs, run by hand by an admin (same services as the schedules); each path is
the job's `run_now` in the registry (chalicelib/jobs.py)."""

from __future__ import annotations

import time
from collections.abc import Callable

from chalice.app import Blueprint

from chalicelib.api.framework import Call, endpoint
from chalicelib.api.lazy import models
from chalicelib.api.routes.coins import year_param
from chalicelib.domain.errors import FieldProblem, InvalidInput
from chalicelib.jobs import report_fields, run_now_path
from chalicelib.periods import IsoWeek, Quarter

bp = Blueprint(__name__)
HTTP_BUDGET_S = 20


def http_deadline() -> Callable[[], bool]:
    """True once a job run by hand should stop: API Gateway answers after 29 s, so stop in
    time and hand back what is left (a cursor, or `complete: false`)."""
    started_s = time.monotonic()
    return lambda: time.monotonic() - started_s > HTTP_BUDGET_S


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError as error:
        problem = FieldProblem("quarter", "not_a_quarter")
        raise InvalidInput("invalid_input", problems=[problem]) from error


@endpoint(
    bp,
    run_now_path("quarterly_dues"),
    "POST",
    access="admin",
    query="JobQuery",
    response="DuesReportOut",
    summary="Run the quarterly dues for a quarter (idempotent); 409 before it has started",
    errors_=(400, 409),
)
def run_dues(call: Call) -> models.DuesReportOut:
    report = call.services.dues.run(
        _quarter(call.params["quarter"]),
        cursor=call.query_as(models.JobQuery).cursor,
        out_of_time=http_deadline(),
    )
    return models.DuesReportOut.model_validate(report.__dict__)


@endpoint(
    bp,
    run_now_path("payment_reminders"),
    "POST",
    access="admin",
    response="ReminderReportOut",
    summary="Mail payment reminders now, as the daily schedule does (never twice in 30 days)",
)
def send_reminders(call: Call) -> models.ReminderReportOut:
    return models.ReminderReportOut.model_validate(
        call.services.receivables.send_reminders().__dict__
    )


@endpoint(
    bp,
    run_now_path("pot_distribution"),
    "POST",
    access="admin",
    response="DistributionRunOut",
    summary="Distribute every ended year up to this one, oldest first; 409 before it ended",
    errors_=(400, 409),
)
def run_distribution(call: Call) -> models.DistributionRunOut:
    reports = call.services.distribution.run_through(
        year_param(call.params["year"]),
        out_of_time=http_deadline(),
    )
    return models.DistributionRunOut(
        years=[models.DistributionReportOut.model_validate(report_fields(r)) for r in reports]
    )


@endpoint(
    bp,
    run_now_path("opportunity_announcements"),
    "POST",
    access="admin",
    response="AnnouncementReportOut",
    summary="Mail pending announcements of new opportunities now, as the schedule does",
)
def send_announcements(call: Call) -> models.AnnouncementReportOut:
    report = call.services.announcements.run(out_of_time=http_deadline())
    return models.AnnouncementReportOut.model_validate(report.__dict__)


@endpoint(
    bp,
    run_now_path("mail_outbox"),
    "POST",
    access="admin",
    response="OutboxReportOut",
    summary="Send the mail that is waiting in the outbox now, as the schedule does",
)
def deliver_mail(call: Call) -> models.OutboxReportOut:
    report = call.services.outbox.deliver(out_of_time=http_deadline())
    return models.OutboxReportOut.model_validate(report.__dict__)


@endpoint(
    bp,
    run_now_path("weekly_digest"),
    "POST",
    access="admin",
    query="DigestQuery",
    response="DigestReportOut",
    summary="Mail the weekly digest of a week that ended (default: last week), once per member",
    errors_=(400, 409),
)
def send_digest(call: Call) -> models.DigestReportOut:
    started_s = time.monotonic()
    text = call.query_as(models.DigestQuery).week
    try:
        week = IsoWeek.parse(text) if text else None
    except ValueError as error:
        problem = FieldProblem("week", "not_a_week")
        raise InvalidInput("invalid_input", problems=[problem]) from error
    report = call.services.digest.run(
        week, out_of_time=lambda: time.monotonic() - started_s > HTTP_BUDGET_S
    )
    return models.DigestReportOut.model_validate(report.__dict__)
