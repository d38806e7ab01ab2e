"""Alarms, all to one SNS topic (with an optional email subscription): Lambda errors and
throttles per function, API 5xx, DynamoDB throttles per table, and jobs that did not
complete (the app's JobIncomplete metric, EMF namespace Coop, dimension service)."""

from __future__ import annotations

from collections.abc import Mapping

from infra import ids
from infra.cfn import Json, ref
from infra.policies import Function
from infra.stages import Stage

NAMESPACE = "Coop"
PERIOD_S = 300


def alarm(
    description: str, namespace: str, metric: str, dimensions: Mapping[str, Json | str]
) -> Json:
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmDescription": description,
            "Namespace": namespace,
            "MetricName": metric,
            "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
            "Statistic": "Sum",
            "Period": PERIOD_S,
            "EvaluationPeriods": 1,
            "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching",
            "AlarmActions": [ref(ids.ALARM_TOPIC)],
            "OKActions": [ref(ids.ALARM_TOPIC)],
        },
    }


def resources(stage: Stage, functions: dict[str, Function]) -> Json:
    """`functions`: logical id -> function."""
    found: Json = {
        ids.ALARM_TOPIC: {
            "Type": "AWS::SNS::Topic",
            "Properties": {"TopicName": f"{stage.service}-alarms"},
        },
        "AlarmEmailSubscription": {
            "Type": "AWS::SNS::Subscription",
            "Condition": ids.C_HAS_ALARM_EMAIL,
            "Properties": {
                "TopicArn": ref(ids.ALARM_TOPIC),
                "Protocol": "email",
                "Endpoint": ref(ids.P_ALARM_EMAIL),
            },
        },
    }
    for logical_id, function in functions.items():
        name = {"FunctionName": ref(logical_id)}
        found[f"{logical_id}ErrorsAlarm"] = alarm(
            f"{function.function_name} failed", "AWS/Lambda", "Errors", name
        )
        found[f"{logical_id}ThrottlesAlarm"] = alarm(
            f"{function.function_name} was throttled", "AWS/Lambda", "Throttles", name
        )
    found["Api5xxAlarm"] = alarm(
        f"{stage.service} API answered 5xx",
        "AWS/ApiGateway",
        "5XXError",
        {"ApiName": stage.service, "Stage": "api"},
    )
    for table in (ids.MAIN_TABLE, ids.LEDGER_TABLE):
        for kind in ("Read", "Write"):
            found[f"{table}{kind}ThrottlesAlarm"] = alarm(
                f"{kind} requests to a {stage.service} table were throttled",
                "AWS/DynamoDB",
                f"{kind}ThrottleEvents",
                {"TableName": ref(table)},
            )
    found["JobIncompleteAlarm"] = alarm(
        f"A {stage.service} job did not complete (see its log: the report has the cursor)",
        NAMESPACE,
        "JobIncomplete",
        {"service": stage.service},
    )
    return found
