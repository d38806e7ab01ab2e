"""Scheduled jobs at the edge: turn a Lambda event into a service run, and continue a run
that would not fit one invocation by invoking the same function again with a cursor.

The services do the work; this module only knows about Lambda's clock and re-invocation.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from chalicelib import bootstrap, observability
from chalicelib.periods import Quarter
from chalicelib.services.dues import DuesReport

log = logging.getLogger("coop.jobs")
# Stop taking new pages when less than this is left: a page of 100 members at 10 ms per
# DynamoDB request takes about 2 s, so this leaves a wide margin for the last page.
STOP_WITH_REMAINING_MS = 60_000

Continue = Callable[[dict[str, Any]], None]


def continuation_event(detail: dict[str, Any]) -> dict[str, Any]:
    """An EventBridge-shaped event, so the schedule's own handler accepts the continuation."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "coop.continuation",
        "account": "",
        "time": "",
        "region": "",
        "resources": [],
        "detail": detail,
    }


def lambda_continuation(context: Any) -> Continue:
    def invoke_again(detail: dict[str, Any]) -> None:
        client = bootstrap.services().aws_client("lambda")
        client.invoke(
            FunctionName=context.invoked_function_arn,
            InvocationType="Event",
            Payload=json.dumps(continuation_event(detail)).encode(),
        )

    return invoke_again


def deadline(remaining_ms: Callable[[], int]) -> Callable[[], bool]:
    """True once the invocation should stop taking work: with a minute left, or a quarter of
    its time when it was given less than four minutes (tests, chalice local)."""
    margin_ms = min(STOP_WITH_REMAINING_MS, remaining_ms() // 4)
    return lambda: remaining_ms() < margin_ms


def remaining_ms_of(context: Any) -> Callable[[], int]:
    if context is None or not hasattr(context, "get_remaining_time_in_millis"):
        return lambda: 15 * 60 * 1000
    return lambda: int(context.get_remaining_time_in_millis())


def run_dues(
    detail: dict[str, Any], remaining_ms: Callable[[], int], continue_with: Continue
) -> DuesReport:
    """A scheduled run bills the quarter its run time falls in (Amsterdam); a continuation
    carries its quarter and cursor in the event detail."""
    dues = bootstrap.services().dues
    quarter = Quarter.parse(detail["quarter"]) if "quarter" in detail else dues.current_quarter()
    report = dues.run(
        quarter,
        cursor=detail.get("cursor"),
        out_of_time=deadline(remaining_ms),
    )
    if not report.complete:
        continue_with({"quarter": str(quarter), "cursor": report.resume_cursor})
    return report


def run_distribution(
    detail: dict[str, Any], remaining_ms: Callable[[], int], continue_with: Continue
) -> dict[str, Any]:
    """Every ended year not yet distributed, oldest first; a run that would not fit hands the
    rest to a fresh invocation (payouts already booked are skipped by their ids)."""
    service = bootstrap.services().distribution
    resume = (int(detail["year"]), str(detail["after"])) if "after" in detail else None
    reports = service.run_through(resume_after=resume, out_of_time=deadline(remaining_ms))
    last = reports[-1] if reports else None
    if last is not None and last.resume_after is not None:
        continue_with({"year": last.year, "after": last.resume_after})
    return {"years": [report_fields(r) for r in reports]}


def report_fields(report: Any) -> dict[str, Any]:
    """A job report as plain fields (for logs and answers), without internal bookkeeping."""
    return {k: v for k, v in report.__dict__.items() if k != "mails"}


def finished(job: str, report: dict[str, Any]) -> dict[str, Any]:
    """The end of a scheduled invocation: a run that left members unhandled (a failed
    charge, a mail given up) counts as incomplete, which raises an alarm; metrics go out.
    A run that only ran out of time is not incomplete: it continues by itself."""
    years = report.get("years", [report])
    if any(y.get("failed") or y.get("given_up") for y in years):
        observability.count("JobIncomplete")
        log.warning("job left work undone", extra={"job": job})
    observability.flush()
    return report


def handle_intake(message: str) -> dict[str, Any]:
    """An SES inbound notification (the SNS message text) -> its intake outcome. Failures of
    the platform itself (DynamoDB, S3) propagate, so SNS/Lambda deliver again; the retry
    finds what was written by the message id and does nothing twice."""
    try:
        return bootstrap.services().intake.receive(message).as_dict()
    finally:
        observability.flush()
