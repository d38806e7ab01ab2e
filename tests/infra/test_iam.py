"""Least privilege: every IAM statement in the template names the actions and resources it
means; each function has its own role; a function without a policy module cannot be built."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from infra.policies import Function, MissingPolicy, statements_for
from infra.stages import STAGES
from tests.infra.conftest import Built

# Every action a function may be granted; a new one is a deliberate edit here (with the
# policy module that needs it), not something a copy-paste slips in.
KNOWN_ACTIONS = {
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
    "ses:SendEmail",
    "ses:SendRawEmail",
    "cognito-idp:AdminCreateUser",
    "cognito-idp:ListUsersInGroup",
    "lambda:InvokeFunction",
    "s3:GetObject",
    "s3:PutObject",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
}


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def all_statements(stack: Built) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, statement) for every policy statement in the template, roles and resources."""
    for logical_id, resource in stack.resources.items():
        properties = resource.get("Properties", {})
        for policy in properties.get("Policies", []):
            if isinstance(policy, dict) and "PolicyDocument" in policy:
                for statement in policy["PolicyDocument"]["Statement"]:
                    yield f"{logical_id}/{policy['PolicyName']}", statement
        for key in ("PolicyDocument", "AssumeRolePolicyDocument"):
            if key in properties:
                for statement in properties[key]["Statement"]:
                    yield f"{logical_id}/{key}", statement


def test_the_walk_sees_every_policy_in_the_template(stack: Built) -> None:
    walked = {where.split("/")[0] for where, _ in all_statements(stack)}
    with_policies = {
        k
        for k, r in stack.resources.items()
        if isinstance(r.get("Properties", {}).get("Policies"), list)  # not a password policy
        or "PolicyDocument" in r.get("Properties", {})
    }
    assert with_policies <= walked
    assert len(with_policies) == len(stack.functions()) + 3  # roles, 2 buckets, topic


def test_no_allow_statement_uses_wildcard_actions_or_any_resource(stack: Built) -> None:
    for where, statement in all_statements(stack):
        if statement["Effect"] != "Allow" or "Resource" not in statement:
            continue  # trust policies name a principal, not resources
        for action in listed(statement["Action"]):
            assert "*" not in action, f"{where}: {action}"
        for resource in listed(statement["Resource"]):
            assert resource != "*", f"{where}: Resource '*'"
            text = json.dumps(resource)
            # ARNs are built from the stack's own resources or its account and region
            assert ":*:*:" not in text and "arn:aws:" not in text, f"{where}: {text}"


def test_function_roles_grant_only_known_actions(stack: Built) -> None:
    roles = stack.of_type("AWS::IAM::Role")
    for logical_id, role in roles.items():
        for policy in role["Properties"]["Policies"]:
            for statement in policy["PolicyDocument"]["Statement"]:
                assert statement["Effect"] == "Allow"
                unknown = set(listed(statement["Action"])) - KNOWN_ACTIONS
                assert not unknown, f"{logical_id} grants {unknown}"


def test_each_function_has_its_own_role_writing_only_its_own_logs(stack: Built) -> None:
    roles = stack.of_type("AWS::IAM::Role")
    used = []
    for logical_id, function in stack.functions().items():
        role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
        used.append(role_id)
        name = function["Properties"]["FunctionName"]
        [policy] = roles[role_id]["Properties"]["Policies"]
        logs = [s for s in policy["PolicyDocument"]["Statement"] if s["Sid"] == "WriteOwnLogs"]
        assert len(logs) == 1, logical_id
        assert f"log-group:/aws/lambda/{name}:*" in logs[0]["Resource"]["Fn::Sub"]
    assert sorted(used) == sorted(roles), "a role per function, and no role without one"


def test_jobs_may_invoke_only_themselves(stack: Built) -> None:
    for logical_id, function in stack.functions().items():
        role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
        [policy] = stack.resources[role_id]["Properties"]["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]:
            if statement["Action"] == "lambda:InvokeFunction":
                name = function["Properties"]["FunctionName"]
                assert statement["Resource"]["Fn::Sub"].endswith(f":function:{name}"), logical_id


def test_mail_is_sent_only_from_the_stages_sender(stack: Built) -> None:
    for where, statement in all_statements(stack):
        if "ses:SendEmail" in listed(statement["Action"]):
            assert statement["Condition"] == {
                "StringEquals": {"ses:FromAddress": {"Ref": "MailFrom"}}
            }, where


def test_a_function_without_a_policy_module_is_named_in_the_error() -> None:
    with pytest.raises(MissingPolicy, match=r"'monthly_report' in app.py has no IAM policy"):
        statements_for(Function("monthly_report", STAGES["dev"]))
