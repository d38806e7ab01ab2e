"""Co-operations API: routes, schedules and event handlers only; everything else in chalicelib."""

from __future__ import annotations

import logging
from typing import Any

from chalice.app import Chalice, CloudWatchEvent, Cron, Rate

from chalicelib import bootstrap, jobs
from chalicelib.api.routes import (
    applications,
    coins,
    members,
    opportunities,
    service,
    treasurer,
)
from chalicelib.api.routes import jobs as job_routes

app = Chalice(app_name="coop")
# Lambda's root logger only passes warnings; the jobs' reports (one JSON line each) are info.
logging.getLogger("coop").setLevel(logging.INFO)
app.register_blueprint(service.bp)
app.register_blueprint(applications.bp)
app.register_blueprint(members.bp)
app.register_blueprint(job_routes.bp)
app.register_blueprint(treasurer.bp)
app.register_blueprint(opportunities.bp)
app.register_blueprint(coins.bp)


# 02:00 UTC on the first day of January, April, July and October is 03:00 or 04:00 in
# Amsterdam: already inside the new quarter whether or not summer time is in force.
@app.schedule(Cron(0, 2, 1, "1,4,7,10", "?", "*"), name="quarterly_dues")
def quarterly_dues(event: CloudWatchEvent) -> dict[str, Any]:
    report = jobs.run_dues(
        event.detail or {},
        jobs.remaining_ms_of(event.context),
        jobs.lambda_continuation(event.context),
    )
    return report.__dict__


# Every morning at 07:00 UTC (08:00 or 09:00 in Amsterdam).
@app.schedule(Cron(0, 7, "*", "*", "?", "*"), name="payment_reminders")
def payment_reminders(event: CloudWatchEvent) -> dict[str, Any]:
    return bootstrap.services().receivables.send_reminders().__dict__


# 23:05 UTC is 00:05 on January 1 in Amsterdam (no summer time in winter). It runs every
# day, so a missed New Year run is caught up the next day; on other days it finds nothing.
@app.schedule(Cron(5, 23, "*", "*", "?", "*"), name="pot_distribution")
def pot_distribution(event: CloudWatchEvent) -> dict[str, Any]:
    return jobs.run_distribution(
        event.detail or {},
        jobs.remaining_ms_of(event.context),
        jobs.lambda_continuation(event.context),
    )


# New opportunities are announced within minutes of being posted.
@app.schedule(Rate(5, unit=Rate.MINUTES), name="opportunity_announcements")
def opportunity_announcements(event: CloudWatchEvent) -> dict[str, Any]:
    remaining_ms = jobs.remaining_ms_of(event.context)
    return bootstrap.services().announcements.run(jobs.deadline(remaining_ms)).__dict__
