"""The job registry (chalicelib/jobs.py) is the one place a job is named: the stack's
function, its trigger, its time budget and its policy, and the app's run-now route, all
follow from it."""

from __future__ import annotations

import json
from pathlib import Path

import app as application
from chalicelib import jobs
from infra.agreement import app_routes, app_triggers, template_functions
from infra.policies import Function, grants, statements_for
from tests.infra.conftest import Built

ROOT = Path(__file__).resolve().parents[2]


def test_every_job_is_a_function_of_the_app_and_nothing_else_is() -> None:
    assert set(app_triggers(application.app)) == set(jobs.BY_NAME)
    for job in jobs.JOBS:
        assert hasattr(application, job.name), "Lambda calls app.<name>"


def test_each_function_of_the_stack_has_its_jobs_time_budget_and_trigger(stack: Built) -> None:
    deployed = template_functions(stack.template)
    for job in jobs.JOBS:
        properties = deployed[job.name]
        assert properties["Timeout"] == job.timeout_s, job.name
        assert 0 < job.timeout_s <= 900, job.name
        [event] = properties["Events"].values()
        if job.schedule is not None:
            assert event["Properties"]["Schedule"] == job.schedule.to_string(), job.name
        else:
            assert event["Type"] == "SNS", job.name
    assert deployed["api_handler"]["Timeout"] == 30  # API Gateway answers after 29 s


def test_a_jobs_policy_is_the_access_it_declares(dev: Built) -> None:
    dues = statements_for(Function("quarterly_dues", dev.stage))
    assert dues == [
        grants.main_table(write=False),
        grants.ledger_table(write=True),
        grants.continue_itself(Function("quarterly_dues", dev.stage)),
    ]
    for job in jobs.JOBS:
        sids = [s["Sid"] for s in statements_for(Function(job.name, dev.stage))]
        assert len(sids) == len(job.access) == len(set(sids)), job.name


def test_every_run_now_route_is_a_post_route_of_the_app() -> None:
    routes = app_routes(application.app)
    with_route = [job for job in jobs.JOBS if job.run_now is not None]
    assert len(with_route) == len(jobs.JOBS) - 1  # all but the intake, which mail starts
    for job in with_route:
        assert (jobs.run_now_path(job.name), "POST") in routes, job.name


def test_the_chalice_config_gives_each_job_its_time_budget() -> None:
    """`chalice local` and chalice's test client give a function the time of
    .chalice/config.json: it must say what the registry says (the stack reads the registry)."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    default, functions = config["lambda_timeout"], config.get("lambda_functions", {})
    configured = {
        job.name: functions.get(job.name, {}).get("lambda_timeout", default) for job in jobs.JOBS
    }
    assert configured == {job.name: job.timeout_s for job in jobs.JOBS}, (
        "copy the jobs' timeout_s into .chalice/config.json"
    )
    assert set(functions) <= set(jobs.BY_NAME)
