"""What app.py defines and what the template deploys must agree: every route, schedule and
event handler has its function, trigger and policy in the stack, and nothing extra."""

from __future__ import annotations

from typing import Any

from infra import ids
from infra.cfn import Json
from infra.policies import Function, MissingPolicy, statements_for
from infra.stack.functions import TOPICS
from infra.stages import Stage


def app_triggers(app: Any) -> dict[str, tuple[str, str]]:
    """function name -> (trigger kind, detail) for every event handler of the Chalice app."""
    found: dict[str, tuple[str, str]] = {}
    for source in app.event_sources:
        kind = type(source).__name__
        if kind == "ScheduledEventConfig":
            expression = source.schedule_expression
            text = expression if isinstance(expression, str) else expression.to_string()
            found[source.name] = ("Schedule", text)
        elif kind == "SNSEventConfig":
            found[source.name] = ("SNS", source.topic)
        else:
            found[source.name] = (kind, "")
    return found


def app_routes(app: Any) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, methods in app.routes.items() for method in methods}


def template_functions(template: Json) -> dict[str, Json]:
    """Function name in app.py -> its properties (from the fixed FunctionName)."""
    found = {}
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            properties = resource["Properties"]
            found[properties["FunctionName"].split("-", 2)[2]] = properties
    return found


def template_routes(template: Json) -> set[tuple[str, str]]:
    paths = template["Resources"][ids.REST_API]["Properties"]["DefinitionBody"]["paths"]
    return {(path, method.upper()) for path, methods in paths.items() for method in methods}


def _trigger_problems(name: str, kind: str, detail: str, deployed: Json) -> list[str]:
    events = [e for e in deployed.get("Events", {}).values() if e["Type"] == kind]
    if kind == "Schedule":
        if [e["Properties"]["Schedule"] for e in events] != [detail]:
            return [f"function {name!r}: app.py schedules {detail}, the stack does not"]
    elif kind == "SNS":
        bound = [e["Properties"]["Topic"] for e in events]
        if bound != [{"Ref": TOPICS.get(detail, "?")}]:
            return [f"function {name!r}: SNS topic {detail!r} is not bound to the stack's topic"]
    else:
        return [f"function {name!r}: app.py uses {kind}, which the stack does not deploy"]
    return []


def differences(app: Any, template: Json, stage: Stage) -> list[str]:
    """Every disagreement, each naming the function or route; empty when they agree."""
    problems = []
    triggers = app_triggers(app)
    expected = set(triggers) | ({"api_handler"} if app.routes else set())
    deployed = template_functions(template)
    for name in sorted(expected - set(deployed)):
        problems.append(f"function {name!r} is defined in app.py but missing from the template")
    for name in sorted(set(deployed) - expected):
        problems.append(f"function {name!r} is in the template but not in app.py")
    for name in sorted(expected):
        try:
            statements_for(Function(name, stage))
        except MissingPolicy as missing:
            problems.append(str(missing))
    for name, (kind, detail) in sorted(triggers.items()):
        if name in deployed:
            problems.extend(_trigger_problems(name, kind, detail, deployed[name]))
    routes, served = app_routes(app), template_routes(template)
    for path, method in sorted(routes - served):
        problems.append(f"route {method} {path} is in app.py but not in the API")
    for path, method in sorted(served - routes):
        problems.append(f"route {method} {path} is in the API but not in app.py")
    return problems
