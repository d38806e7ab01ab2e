"""Co-operations API: routes, schedules and event handlers only; everything else in chalicelib."""

from __future__ import annotations

from typing import Any

from chalice.app import Chalice, CloudWatchEvent, Cron, Rate, SNSEvent

from chalicelib import bootstrap, jobs, observability
from chalicelib.api import http
from chalicelib.api.routes import (
    applications,
    coins,
    intake,
    mail_preferences,
    meetings,
    members,
    opportunities,
    service,
    treasurer,
)
from chalicelib.api.routes import jobs as job_routes

# Configuration and policy are checked as the function starts: a stage without its table or
# user pool, or a policy that does not hang together, fails here with a clear message rather
# than on a member's first request.
bootstrap.check_configuration()
observability.configure()  # JSON logs (Powertools) for every coop.* logger; metrics in Lambda
app = Chalice(app_name="coop", configure_logs=False)
app.register_blueprint(service.bp)
app.register_blueprint(applications.bp)
app.register_blueprint(members.bp)
app.register_blueprint(job_routes.bp)
app.register_blueprint(treasurer.bp)
app.register_blueprint(opportunities.bp)
app.register_blueprint(coins.bp)
app.register_blueprint(meetings.bp)
app.register_blueprint(intake.bp)
app.register_blueprint(mail_preferences.bp)
app.register_middleware(http.middleware(lambda: bootstrap.services().config.web_origins), "http")


# 02:00 UTC on the first day of January, April, July and October is 03:00 or 04:00 in
# Amsterdam: already inside the new quarter whether or not summer time is in force.
@app.schedule(Cron(0, 2, 1, "1,4,7,10", "?", "*"), name="quarterly_dues")
def quarterly_dues(event: CloudWatchEvent) -> dict[str, Any]:
    report = jobs.run_dues(
        event.detail or {},
        jobs.remaining_ms_of(event.context),
        jobs.lambda_continuation(event.context),
    )
    return jobs.finished("dues", report.__dict__)


# Every morning at 07:00 UTC (08:00 or 09:00 in Amsterdam).
@app.schedule(Cron(0, 7, "*", "*", "?", "*"), name="payment_reminders")
def payment_reminders(event: CloudWatchEvent) -> dict[str, Any]:
    return jobs.finished("reminders", bootstrap.services().receivables.send_reminders().__dict__)


# 23:05 UTC is 00:05 on January 1 in Amsterdam (no summer time in winter). It runs every
# day, so a missed New Year run is caught up the next day; on other days it finds nothing.
@app.schedule(Cron(5, 23, "*", "*", "?", "*"), name="pot_distribution")
def pot_distribution(event: CloudWatchEvent) -> dict[str, Any]:
    report = jobs.run_distribution(
        event.detail or {},
        jobs.remaining_ms_of(event.context),
        jobs.lambda_continuation(event.context),
    )
    return jobs.finished("distribution", report)


# Mail that could not be sent at once (SES down, throttled) is retried within minutes.
@app.schedule(Rate(5, unit=Rate.MINUTES), name="mail_outbox")
def mail_outbox(event: CloudWatchEvent) -> dict[str, Any]:
    remaining_ms = jobs.remaining_ms_of(event.context)
    report = bootstrap.services().outbox.deliver(jobs.deadline(remaining_ms))
    return jobs.finished("mail", report.__dict__)


# New opportunities are announced within minutes of being posted.
@app.schedule(Rate(5, unit=Rate.MINUTES), name="opportunity_announcements")
def opportunity_announcements(event: CloudWatchEvent) -> dict[str, Any]:
    remaining_ms = jobs.remaining_ms_of(event.context)
    report = bootstrap.services().announcements.run(jobs.deadline(remaining_ms))
    return jobs.finished("announcements", report.__dict__)


# Invitations to new meetings and notices of changes and cancellations, within minutes.
@app.schedule(Rate(5, unit=Rate.MINUTES), name="meeting_news")
def meeting_news(event: CloudWatchEvent) -> dict[str, Any]:
    remaining_ms = jobs.remaining_ms_of(event.context)
    report = bootstrap.services().meeting_mail.send_news(jobs.deadline(remaining_ms))
    return jobs.finished("meeting_news", report.__dict__)


# Every morning at 08:00 UTC: reminders to the registered of meetings within two days.
@app.schedule(Cron(0, 8, "*", "*", "?", "*"), name="meeting_reminders")
def meeting_reminders(event: CloudWatchEvent) -> dict[str, Any]:
    remaining_ms = jobs.remaining_ms_of(event.context)
    report = bootstrap.services().meeting_mail.send_reminders(jobs.deadline(remaining_ms))
    return jobs.finished("meeting_reminders", report.__dict__)


# Every morning at 08:30 UTC: the board hears (once a quarter) when the next quarter has no
# meeting by the middle of this one.
@app.schedule(Cron(30, 8, "*", "*", "?", "*"), name="meeting_warning")
def meeting_warning(event: CloudWatchEvent) -> dict[str, Any]:
    return jobs.finished("meeting_warning", bootstrap.services().meeting_mail.warn_board().__dict__)


# Monday 05:00 UTC (06:00 or 07:00 in Amsterdam): the digest of the week that just ended.
@app.schedule(Cron(0, 5, "?", "*", "MON", "*"), name="weekly_digest")
def weekly_digest(event: CloudWatchEvent) -> dict[str, Any]:
    remaining_ms = jobs.remaining_ms_of(event.context)
    report = bootstrap.services().digest.run(out_of_time=jobs.deadline(remaining_ms))
    return jobs.finished("digest", report.__dict__)


# Mail to the intake address: SES stores it in S3 and notifies this topic (bound per stage to
# coop-<stage>-intake by the stack). One record per mail; never raises on what the mail holds.
@app.on_sns_message(topic="coop-intake", name="intake_mail")
def intake_mail(event: SNSEvent) -> dict[str, Any]:
    return jobs.handle_intake(event.message)
