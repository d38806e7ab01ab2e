"""Scheduled jobs at the edge: turn a Lambda event into a service run, and continue a run
that would not fit one invocation by invoking the same function again with a cursor.

The services do the work; this module only knows about Lambda's clock and re-invocation,
and holds the job registry (`JOBS`, at the end) that app.py, the run-now routes and infra/ read.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from chalice.app import Chalice, CloudWatchEvent, Cron, Rate, SNSEvent

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
    from chalicelib.api.ses_events import notice_of  # the adapter: the service takes its value

    try:
        return bootstrap.services().intake.receive(notice_of(message)).as_dict()
    finally:
        observability.flush()


# The registry ------------------------------------------------------------------------------
# Every Lambda function besides the API, named once: app.py registers its trigger and handler
# from here, the run-now routes take their path from here, and infra/ builds each function's
# timeout and IAM policy from here (infra/policies/__init__.py maps the access names below to
# its statements). A new job is one entry here, its run-now route, and its scenario in
# tests/infra/test_policy_coverage.py.

Access = Literal[
    "main_table:read",
    "main_table:write",
    "ledger_table:read",
    "ledger_table:write",
    "send_mail",
    "list_admins",
    "continue_itself",
    "read_raw_mail",
    "store_attachments",
]


@dataclass(frozen=True)
class Job:
    name: str  # the handler in app.py and the function in the stack (coop-<stage>-<name>)
    run: Callable[[Any], dict[str, Any]]  # the Lambda event -> its report
    timeout_s: int  # the function's time budget (Lambda's limit is 900 s)
    access: tuple[Access, ...]  # what it may do in AWS, in the order the policy lists it
    schedule: Cron | Rate | None = None  # when EventBridge starts it
    topic: str | None = None  # or: the SNS topic it listens to (bound per stage by infra/)
    run_now: str | None = None  # the admins' POST route that runs the same service by hand


def _dues(event: CloudWatchEvent) -> dict[str, Any]:
    context = event.context
    report = run_dues(event.detail or {}, remaining_ms_of(context), lambda_continuation(context))
    return finished("dues", report.__dict__)


def _reminders(event: CloudWatchEvent) -> dict[str, Any]:
    return finished("reminders", bootstrap.services().receivables.send_reminders().__dict__)


def _distribution(event: CloudWatchEvent) -> dict[str, Any]:
    context = event.context
    report = run_distribution(
        event.detail or {}, remaining_ms_of(context), lambda_continuation(context)
    )
    return finished("distribution", report)


def _outbox(event: CloudWatchEvent) -> dict[str, Any]:
    out_of_time = deadline(remaining_ms_of(event.context))
    return finished("mail", bootstrap.services().outbox.deliver(out_of_time).__dict__)


def _announcements(event: CloudWatchEvent) -> dict[str, Any]:
    out_of_time = deadline(remaining_ms_of(event.context))
    return finished("announcements", bootstrap.services().announcements.run(out_of_time).__dict__)


def _meeting_news(event: CloudWatchEvent) -> dict[str, Any]:
    out_of_time = deadline(remaining_ms_of(event.context))
    report = bootstrap.services().meeting_mail.send_news(out_of_time)
    return finished("meeting_news", report.__dict__)


def _meeting_reminders(event: CloudWatchEvent) -> dict[str, Any]:
    out_of_time = deadline(remaining_ms_of(event.context))
    report = bootstrap.services().meeting_mail.send_reminders(out_of_time)
    return finished("meeting_reminders", report.__dict__)


def _meeting_warning(event: CloudWatchEvent) -> dict[str, Any]:
    return finished("meeting_warning", bootstrap.services().meeting_mail.warn_board().__dict__)


def _digest(event: CloudWatchEvent) -> dict[str, Any]:
    out_of_time = deadline(remaining_ms_of(event.context))
    return finished("digest", bootstrap.services().digest.run(out_of_time=out_of_time).__dict__)


def _intake(event: SNSEvent) -> dict[str, Any]:
    return handle_intake(event.message)


EVERY_FIVE_MINUTES = Rate(5, unit=Rate.MINUTES)

JOBS: tuple[Job, ...] = (
    # 02:00 UTC on the first day of January, April, July and October is 03:00 or 04:00 in
    # Amsterdam: already inside the new quarter whether or not summer time is in force.
    # Reads active members, books dues in the ledger, continues itself.
    Job(
        "quarterly_dues",
        _dues,
        timeout_s=900,
        access=("main_table:read", "ledger_table:write", "continue_itself"),
        schedule=Cron(0, 2, 1, "1,4,7,10", "?", "*"),
        run_now="/jobs/dues/{quarter}",
    ),
    # Every morning at 07:00 UTC (08:00 or 09:00 in Amsterdam): reads the ledger's balances,
    # queues reminders and records when each was sent.
    Job(
        "payment_reminders",
        _reminders,
        timeout_s=900,
        access=("main_table:write", "ledger_table:read", "send_mail"),
        schedule=Cron(0, 7, "*", "*", "?", "*"),
        run_now="/jobs/reminders",
    ),
    # 23:05 UTC is 00:05 on January 1 in Amsterdam (no summer time in winter). It runs every
    # day, so a missed New Year run is caught up the next day; on other days it finds nothing.
    # Freezes the pot, books payouts, mails, continues itself.
    Job(
        "pot_distribution",
        _distribution,
        timeout_s=900,
        access=("main_table:write", "ledger_table:write", "send_mail", "continue_itself"),
        schedule=Cron(5, 23, "*", "*", "?", "*"),
        run_now="/jobs/distributions/{year}",
    ),
    # Mail that could not be sent at once (SES down, throttled) is retried within minutes.
    Job(
        "mail_outbox",
        _outbox,
        timeout_s=30,
        access=("main_table:write", "send_mail"),
        schedule=EVERY_FIVE_MINUTES,
        run_now="/jobs/mail",
    ),
    # New opportunities are announced within minutes of being posted.
    Job(
        "opportunity_announcements",
        _announcements,
        timeout_s=300,
        access=("main_table:write", "send_mail"),
        schedule=EVERY_FIVE_MINUTES,
        run_now="/jobs/announcements",
    ),
    # Invitations to new meetings and notices of changes and cancellations, within minutes.
    Job(
        "meeting_news",
        _meeting_news,
        timeout_s=300,
        access=("main_table:write", "send_mail"),
        schedule=EVERY_FIVE_MINUTES,
        run_now="/jobs/meeting-news",
    ),
    # Every morning at 08:00 UTC: reminders to the registered of meetings within two days.
    Job(
        "meeting_reminders",
        _meeting_reminders,
        timeout_s=300,
        access=("main_table:write", "send_mail"),
        schedule=Cron(0, 8, "*", "*", "?", "*"),
        run_now="/jobs/meeting-reminders",
    ),
    # Every morning at 08:30 UTC: the board hears (once a quarter) when the next quarter has
    # no meeting by the middle of this one.
    Job(
        "meeting_warning",
        _meeting_warning,
        timeout_s=60,
        access=("main_table:write", "list_admins", "send_mail"),
        schedule=Cron(30, 8, "*", "*", "?", "*"),
        run_now="/jobs/meeting-warning",
    ),
    # Monday 05:00 UTC (06:00 or 07:00 in Amsterdam): the digest of the week that just ended.
    Job(
        "weekly_digest",
        _digest,
        timeout_s=300,
        access=("main_table:write", "send_mail"),
        schedule=Cron(0, 5, "?", "*", "MON", "*"),
        run_now="/jobs/digest",
    ),
    # Mail to the intake address: SES stores it in S3 and notifies this topic (bound per stage
    # to coop-<stage>-intake by the stack). One record per mail; never raises on what the mail
    # holds. Reads the raw mail, keeps attachments, records the intake, mails a confirmation.
    Job(
        "intake_mail",
        _intake,
        timeout_s=60,
        access=("main_table:write", "read_raw_mail", "store_attachments", "send_mail"),
        topic="coop-intake",
    ),
)
BY_NAME = {job.name: job for job in JOBS}


def run_now_path(name: str) -> str:
    """The run-now route of a job, for its route module's `@endpoint`."""
    path = BY_NAME[name].run_now
    if path is None:
        raise LookupError(f"job {name!r} has no run-now route in chalicelib/jobs.py")
    return path


def register(app: Chalice, job: Job) -> Any:
    """Registers the job's handler with its trigger; answers the handler, which app.py must
    hold as `app.<name>` (Chalice packages the function as the handler `app.<name>`)."""

    def handler(event: Any) -> dict[str, Any]:
        return job.run(event)

    handler.__name__ = handler.__qualname__ = job.name
    if job.topic is not None:
        return app.on_sns_message(topic=job.topic, name=job.name)(handler)
    if job.schedule is None:
        raise ValueError(f"job {job.name!r} has neither a schedule nor a topic")
    return app.schedule(job.schedule, name=job.name)(handler)
