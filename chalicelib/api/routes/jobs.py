"""The scheduled jobs, run by hand by an admin (same services as the schedules)."""

from __future__ import annotations

import time

from chalice.app import Blueprint

from chalicelib.api import models
from chalicelib.api.framework import Call, endpoint
from chalicelib.api.routes.coins import year_param
from chalicelib.domain.errors import FieldProblem, InvalidInput
from chalicelib.periods import Quarter

bp = Blueprint(__name__)
HTTP_BUDGET_S = 20


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError as error:
        raise InvalidInput(str(error), [FieldProblem("quarter", "expected YYYY-Qn")]) from error


@endpoint(
    bp,
    "/jobs/dues/{quarter}",
    "POST",
    access="admin",
    query=models.JobQuery,
    response=models.DuesReportOut,
    summary="Run the quarterly dues for a quarter (idempotent); 409 before it has started",
    errors_=(400, 409),
)
def run_dues(call: Call) -> models.DuesReportOut:
    started_s = time.monotonic()
    report = call.services.dues.run(
        _quarter(call.params["quarter"]),
        cursor=call.query_as(models.JobQuery).cursor,
        # API Gateway answers after 29 s: stop in time and hand back a cursor instead.
        out_of_time=lambda: time.monotonic() - started_s > HTTP_BUDGET_S,
    )
    return models.DuesReportOut.model_validate(report.__dict__)


@endpoint(
    bp,
    "/jobs/reminders",
    "POST",
    access="admin",
    response=models.ReminderReportOut,
    summary="Mail payment reminders now, as the daily schedule does (never twice in 30 days)",
)
def send_reminders(call: Call) -> models.ReminderReportOut:
    return models.ReminderReportOut.model_validate(
        call.services.receivables.send_reminders().__dict__
    )


@endpoint(
    bp,
    "/jobs/distributions/{year}",
    "POST",
    access="admin",
    response=models.DistributionRunOut,
    summary="Distribute every ended year up to this one, oldest first; 409 before it ended",
    errors_=(400, 409),
)
def run_distribution(call: Call) -> models.DistributionRunOut:
    started_s = time.monotonic()
    reports = call.services.distribution.run_through(
        year_param(call.params["year"]),
        out_of_time=lambda: time.monotonic() - started_s > HTTP_BUDGET_S,
    )
    return models.DistributionRunOut(
        years=[models.DistributionReportOut.model_validate(r.__dict__) for r in reports]
    )


@endpoint(
    bp,
    "/jobs/announcements",
    "POST",
    access="admin",
    response=models.AnnouncementReportOut,
    summary="Mail pending announcements of new opportunities now, as the schedule does",
)
def send_announcements(call: Call) -> models.AnnouncementReportOut:
    started_s = time.monotonic()
    report = call.services.announcements.run(
        out_of_time=lambda: time.monotonic() - started_s > HTTP_BUDGET_S
    )
    return models.AnnouncementReportOut.model_validate(report.__dict__)
