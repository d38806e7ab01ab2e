"""Chalice's functions, completed: fixed names, the stack's environment, the jobs' timeouts
(from the job registry, chalicelib/jobs.py), their own role and log group, and the intake
subscription bound to the stack's topic."""

from __future__ import annotations

from chalicelib import jobs
from infra import ids
from infra.cfn import Json, get_att, policy_document, ref, sub
from infra.policies import Function, grants, statements_for
from infra.stack import identity, web
from infra.stages import Stage

# SNS topics named in app.py (`@app.on_sns_message(topic=...)`) -> the stack's topic
TOPICS = {"coop-intake": ids.INTAKE_TOPIC}


class StackMismatch(Exception):
    pass


def function_names(template: Json) -> dict[str, str]:
    """Logical id -> the handler's name in app.py, for every function Chalice packaged."""
    found = {}
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            handler = resource["Properties"]["Handler"].removeprefix("app.")
            found[logical_id] = "api_handler" if handler == "app" else handler
    return found


def environment(stage: Stage) -> Json:
    """What every function gets (read by chalicelib/config.py and its callers)."""
    return {
        "COOP_STAGE": stage.name,
        "COOP_TABLE_NAME": ref(ids.MAIN_TABLE),
        "COOP_LEDGER_TABLE_NAME": ref(ids.LEDGER_TABLE),
        "COOP_USER_POOL_ID": ref(ids.USER_POOL),
        "COOP_USER_POOL_CLIENT_ID": ref(ids.USER_POOL_CLIENT),
        "COOP_ISSUER": identity.issuer(),
        "COOP_MAIL_FROM": ref(ids.P_MAIL_FROM),
        "COOP_INTAKE_BUCKET": ref(ids.INTAKE_BUCKET),
        "COOP_WEB_ORIGINS": web.web_url(),
        "COOP_WEB_URL": web.web_url(),
        "COOP_API_URL": ref(ids.P_API_URL),
        # Resolved by CloudFormation at deploy time: the value is visible in the function's
        # configuration to whoever may read it (see infra/README.md, "The signing secret").
        "COOP_SIGNING_SECRET": sub(
            f"{{{{resolve:secretsmanager:${{{ids.SIGNING_SECRET}}}:SecretString}}}}"
        ),
        "COOP_POLICY_JSON": ref(ids.P_POLICY_JSON),
    }


def role(function: Function) -> Json:
    statements = [grants.write_own_logs(function), *statements_for(function)]
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": policy_document(
                [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ]
            ),
            "Policies": [
                {
                    "PolicyName": function.function_name,
                    "PolicyDocument": policy_document(statements),
                }
            ],
        },
    }


def log_group(function: Function) -> Json:
    return {
        "Type": "AWS::Logs::LogGroup",
        "DeletionPolicy": "Retain" if function.stage.prod else "Delete",
        "UpdateReplacePolicy": "Retain" if function.stage.prod else "Delete",
        "Properties": {
            "LogGroupName": function.stage.log_group(function.name),
            "RetentionInDays": function.stage.log_retention_days,
        },
    }


def bind_topics(properties: Json, name: str) -> None:
    for event in properties.get("Events", {}).values():
        if event["Type"] != "SNS":
            continue
        topic_arn = event["Properties"]["Topic"]["Fn::Sub"]
        topic = topic_arn.rsplit(":", 1)[1]
        if topic not in TOPICS:
            raise StackMismatch(
                f"function {name!r} listens to SNS topic {topic!r}, which the stack does not "
                "create: add it to infra/stack/mail.py and infra/stack/functions.py TOPICS"
            )
        event["Properties"]["Topic"] = ref(TOPICS[topic])


def complete(template: Json, stage: Stage) -> list[Function]:
    """Completes Chalice's functions in place; answers them."""
    resources = template["Resources"]
    for logical_id in [k for k, r in resources.items() if r["Type"] == "AWS::IAM::Role"]:
        del resources[logical_id]  # Chalice's roles: replaced by one per function below
    functions = []
    for logical_id, name in function_names(template).items():
        function = Function(name, stage)
        properties = resources[logical_id]["Properties"]
        properties["FunctionName"] = function.function_name
        if name in jobs.BY_NAME:  # the API keeps the lambda_timeout of .chalice/config.json
            properties["Timeout"] = jobs.BY_NAME[name].timeout_s
        variables = properties.setdefault("Environment", {}).setdefault("Variables", {})
        variables.update(environment(stage))
        properties["Role"] = get_att(f"{logical_id}Role", "Arn")
        bind_topics(properties, name)
        resources[logical_id]["DependsOn"] = [f"{logical_id}Logs"]
        resources[f"{logical_id}Role"] = role(function)
        resources[f"{logical_id}Logs"] = log_group(function)
        functions.append(function)
    return functions


def signing_secret(stage: Stage) -> Json:
    return {
        "Type": "AWS::SecretsManager::Secret",
        "DeletionPolicy": "Retain" if stage.prod else "Delete",
        "UpdateReplacePolicy": "Retain" if stage.prod else "Delete",
        "Properties": {
            "Description": f"{stage.service}: HMAC key for signed links (unsubscribe)",
            "GenerateSecretString": {"PasswordLength": 64, "ExcludePunctuation": True},
        },
    }
