"""What app.py defines (routes, schedules, event handlers) and what the template deploys agree;
a schedule added to the app without its policy or its trigger is named in the failure."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.app import Chalice, Rate

import app as application
from infra.agreement import app_routes, app_triggers, differences
from tests.infra.conftest import Built


def test_the_app_and_the_stack_agree(stack: Built) -> None:
    assert differences(application.app, stack.template, stack.stage) == []


def test_every_schedule_of_the_app_fires_in_the_stack(stack: Built) -> None:
    triggers = app_triggers(application.app)
    schedules = {name for name, (kind, _) in triggers.items() if kind == "Schedule"}
    assert {"quarterly_dues", "payment_reminders", "pot_distribution"} <= schedules
    assert triggers["intake_mail"] == ("SNS", "coop-intake")
    assert len(app_routes(application.app)) > 30  # the agreement covers the whole API


def copy(template: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(json.dumps(template)))


def test_a_new_schedule_without_policy_or_function_is_named(dev: Built) -> None:
    app_with_report = Chalice(app_name="coop")
    app_with_report.routes = application.app.routes
    app_with_report.event_sources = list(application.app.event_sources)

    @app_with_report.schedule(Rate(7, unit=Rate.DAYS), name="yearly_report")
    def yearly_report(event: Any) -> None:
        pass

    problems = differences(app_with_report, dev.template, dev.stage)
    assert "function 'yearly_report' is defined in app.py but missing from the template" in problems
    assert any("'yearly_report' in app.py has no IAM policy" in p for p in problems)


def test_a_dropped_trigger_or_route_is_named(dev: Built) -> None:
    template = copy(dev.template)
    template["Resources"]["QuarterlyDues"]["Properties"]["Events"] = {}
    template["Resources"]["IntakeMail"]["Properties"]["Events"]["IntakeMailSnsSubscription"][
        "Properties"
    ]["Topic"] = {"Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:x"}
    del template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]["/health"]
    problems = differences(application.app, template, dev.stage)
    assert any(p.startswith("function 'quarterly_dues': app.py schedules cron(") for p in problems)
    assert any("'intake_mail': SNS topic 'coop-intake' is not bound" in p for p in problems)
    assert "route GET /health is in app.py but not in the API" in problems


@pytest.mark.parametrize("stage_name", ["dev", "prod"])
def test_no_function_of_the_template_is_unknown_to_the_app(
    built: dict[str, Built], stage_name: str
) -> None:
    template = copy(built[stage_name].template)
    extra = copy(template["Resources"]["PaymentReminders"])
    extra["Properties"]["FunctionName"] = f"coop-{stage_name}-old_job"
    template["Resources"]["OldJob"] = extra
    problems = differences(application.app, template, built[stage_name].stage)
    assert problems == ["function 'old_job' is in the template but not in app.py"]
