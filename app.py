"""Co-operations API: routes, schedules and event handlers only; everything else in chalicelib.

The schedules and event handlers come from the job registry (chalicelib/jobs.py)."""

from __future__ import annotations

from chalice.app import Chalice

from chalicelib import bootstrap, jobs, observability
from chalicelib.api import http
from chalicelib.api.routes import (
    applications,
    bank,
    bank_payouts,
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
app.register_blueprint(bank_payouts.bp)
app.register_blueprint(bank.bp)
app.register_middleware(http.middleware(lambda: bootstrap.services().config.web_origins), "http")


# The schedules and the intake handler, each a Lambda function `app.<name>`, as the registry
# in chalicelib/jobs.py declares them (trigger, what it runs, time budget, AWS access).
for _job in jobs.JOBS:
    globals()[_job.name] = jobs.register(app, _job)
