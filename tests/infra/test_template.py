"""The generated template holds what the app needs, configured as the issue asks: read from
dist/<stage>/template.json as `make template` writes it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.store import schema
from infra import ids
from tests.infra.conftest import Built

CONTRACT_ENVIRONMENT = {
    "COOP_STAGE",
    "COOP_TABLE_NAME",
    "COOP_LEDGER_TABLE_NAME",
    "COOP_USER_POOL_ID",
    "COOP_USER_POOL_CLIENT_ID",
    "COOP_ISSUER",
    "COOP_MAIL_FROM",
    "COOP_INTAKE_BUCKET",
    "COOP_WEB_ORIGINS",
    "COOP_WEB_URL",
    "COOP_API_URL",
    "COOP_SIGNING_SECRET",
    "COOP_POLICY_JSON",
}


def props(resource: dict[str, Any]) -> dict[str, Any]:
    return dict(resource["Properties"])


# --- tables --------------------------------------------------------------------------------


def test_both_tables_have_the_schema_the_app_uses(stack: Built) -> None:
    for logical_id, name in (
        (ids.MAIN_TABLE, stack.stage.table_name),
        (ids.LEDGER_TABLE, stack.stage.ledger_table_name),
    ):
        table = props(stack.resources[logical_id])
        expected = schema.table_definition(name)
        assert table["TableName"] == name
        for key in ("KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes"):
            assert table[key] == expected[key], f"{logical_id} {key}"
        assert table["BillingMode"] == "PAY_PER_REQUEST"
        assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert table["SSESpecification"] == {"SSEEnabled": True}


def test_prod_data_survives_a_deleted_stack_and_a_replacement(prod: Built) -> None:
    kept = ("AWS::DynamoDB::Table", "AWS::Cognito::UserPool")
    for logical_id in (ids.MAIN_TABLE, ids.LEDGER_TABLE, ids.USER_POOL, ids.INTAKE_BUCKET):
        resource = prod.resources[logical_id]
        assert resource["DeletionPolicy"] == "Retain", logical_id
        assert resource["UpdateReplacePolicy"] == "Retain", logical_id
    for logical_id, resource in prod.resources.items():
        if resource["Type"] in kept:
            assert resource["DeletionPolicy"] == "Retain", logical_id
    assert props(prod.resources[ids.MAIN_TABLE])["DeletionProtectionEnabled"] is True
    assert props(prod.resources[ids.LEDGER_TABLE])["DeletionProtectionEnabled"] is True
    assert props(prod.resources[ids.USER_POOL])["DeletionProtection"] == "ACTIVE"


def test_dev_can_be_torn_down(dev: Built) -> None:
    assert props(dev.resources[ids.MAIN_TABLE])["DeletionProtectionEnabled"] is False
    assert dev.resources[ids.MAIN_TABLE]["DeletionPolicy"] == "Delete"


# --- Cognito ---------------------------------------------------------------------------------


def test_members_sign_in_with_their_email_as_username(stack: Built) -> None:
    pool = props(stack.resources[ids.USER_POOL])
    assert "UsernameAttributes" not in pool  # the username IS the lowercased email
    assert "AliasAttributes" not in pool
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 12
    invitation = pool["AdminCreateUserConfig"]["InviteMessageTemplate"]
    text = invitation["EmailMessage"]["Fn::Sub"]
    assert "{username}" in text and "{####}" in text
    assert "Welkom" in invitation["EmailSubject"] and "wachtwoord" in text  # Dutch
    assert "${WebDistribution.DomainName}" in text  # where to sign in


def test_browser_client_has_no_secret_and_the_agreed_flows(stack: Built) -> None:
    client = props(stack.resources[ids.USER_POOL_CLIENT])
    assert client["GenerateSecret"] is False
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert set(client["ReadAttributes"]) == {"email", "name"}
    group = props(stack.resources[ids.ADMIN_GROUP])
    assert group["GroupName"] == "admin"


# --- buckets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bucket", [ids.INTAKE_BUCKET, ids.WEB_BUCKET])
def test_buckets_are_private_encrypted_and_tls_only(stack: Built, bucket: str) -> None:
    properties = props(stack.resources[bucket])
    block = properties["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    encryption = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
    policies = [
        props(r)
        for r in stack.of_type("AWS::S3::BucketPolicy").values()
        if props(r)["Bucket"] == {"Ref": bucket}
    ]
    assert len(policies) == 1, bucket
    denies = [s for s in policies[0]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert any(
        s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} and s["Principal"] == "*"
        for s in denies
    )


def test_raw_mail_expires_and_attachments_are_kept(stack: Built) -> None:
    rules = props(stack.resources[ids.INTAKE_BUCKET])["LifecycleConfiguration"]["Rules"]
    expiring = [r for r in rules if "ExpirationInDays" in r]
    assert [r["Prefix"] for r in expiring] == ["raw/"]
    assert expiring[0]["ExpirationInDays"] == {"Ref": ids.P_RAW_MAIL_DAYS}
    assert not any(str(r.get("Prefix", "")).startswith("attachments") for r in expiring)


def test_ses_may_write_raw_mail_only_and_publish_to_the_intake_topic(stack: Built) -> None:
    policy = props(stack.resources["IntakeBucketPolicy"])["PolicyDocument"]["Statement"]
    ses = [s for s in policy if s.get("Principal") == {"Service": "ses.amazonaws.com"}]
    assert len(ses) == 1
    assert ses[0]["Action"] == "s3:PutObject"
    assert ses[0]["Resource"] == {"Fn::Sub": "${IntakeBucket.Arn}/raw/*"}
    assert "AWS:SourceAccount" in ses[0]["Condition"]["StringEquals"]
    topic_policy = props(stack.resources["IntakeTopicPolicy"])
    [publish] = topic_policy["PolicyDocument"]["Statement"]
    assert publish["Principal"] == {"Service": "ses.amazonaws.com"}
    assert publish["Action"] == "sns:Publish"
    assert topic_policy["Topics"] == [{"Ref": ids.INTAKE_TOPIC}]


def test_receipt_rule_stores_to_s3_notifies_the_topic_and_scans(stack: Built) -> None:
    rule = props(stack.resources[ids.RECEIPT_RULE])["Rule"]
    assert rule["Recipients"] == [{"Ref": ids.P_INTAKE_ADDRESS}]
    assert rule["ScanEnabled"] is True
    [action] = rule["Actions"]
    assert action["S3Action"] == {
        "BucketName": {"Ref": ids.INTAKE_BUCKET},
        "ObjectKeyPrefix": "raw/",
        "TopicArn": {"Ref": ids.INTAKE_TOPIC},
    }
    assert (
        props(stack.resources[ids.INTAKE_TOPIC])["TopicName"] == f"coop-{stack.stage.name}-intake"
    )


def test_web_app_is_served_by_cloudfront_from_the_private_bucket(stack: Built) -> None:
    config = props(stack.resources[ids.WEB_DISTRIBUTION])["DistributionConfig"]
    [origin] = config["Origins"]
    assert origin["DomainName"] == {"Fn::GetAtt": [ids.WEB_BUCKET, "RegionalDomainName"]}
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [ids.WEB_ORIGIN_ACCESS, "Id"]}
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert config["DefaultRootObject"] == "index.html"
    statements = props(stack.resources["WebBucketPolicy"])["PolicyDocument"]["Statement"]
    [reads] = [s for s in statements if s["Effect"] == "Allow"]
    assert reads["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert reads["Action"] == "s3:GetObject"
    assert "${WebDistribution}" in json.dumps(reads["Condition"])  # this distribution only
    assert stack.template["Outputs"]["WebUrl"]["Value"] == {
        "Fn::Sub": "https://${WebDistribution.DomainName}"
    }


# --- functions and API -------------------------------------------------------------------------


def test_every_function_gets_the_contract_environment(stack: Built) -> None:
    for logical_id, function in stack.functions().items():
        variables = props(function)["Environment"]["Variables"]
        assert set(variables) >= CONTRACT_ENVIRONMENT, logical_id
        assert variables["COOP_STAGE"] == stack.stage.name
        assert variables["COOP_TABLE_NAME"] == {"Ref": ids.MAIN_TABLE}
        assert variables["COOP_LEDGER_TABLE_NAME"] == {"Ref": ids.LEDGER_TABLE}
        assert variables["COOP_WEB_ORIGINS"] == {"Fn::Sub": "https://${WebDistribution.DomainName}"}
        assert variables["COOP_API_URL"] == {"Ref": ids.P_API_URL}
        assert variables["COOP_SIGNING_SECRET"]["Fn::Sub"].startswith(
            "{{resolve:secretsmanager:${SigningSecret}"
        )
        assert variables["COOP_ISSUER"] == {
            "Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}"
        }


def test_signing_secret_is_generated_by_the_stack(stack: Built) -> None:
    secret = props(stack.resources[ids.SIGNING_SECRET])
    assert secret["GenerateSecretString"]["PasswordLength"] >= 32
    assert stack.template["Parameters"][ids.P_POLICY_JSON]["Default"] == "{}"


def test_every_function_keeps_its_logs_for_the_stages_retention(stack: Built) -> None:
    for logical_id, function in stack.functions().items():
        name = props(function)["FunctionName"]
        logs = stack.resources[f"{logical_id}Logs"]
        assert props(logs)["LogGroupName"] == f"/aws/lambda/{name}"
        assert props(logs)["RetentionInDays"] == stack.stage.log_retention_days
        assert f"{logical_id}Logs" in function["DependsOn"]  # made before Lambda makes one


def test_api_gateway_errors_have_the_app_shape_and_cors_origin(stack: Built) -> None:
    body = props(stack.resources[ids.REST_API])["DefinitionBody"]
    responses = body["x-amazon-apigateway-gateway-responses"]
    assert set(responses) >= {"MISSING_AUTHENTICATION_TOKEN", "DEFAULT_4XX", "DEFAULT_5XX"}
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["statusCode"] == "404"
    for kind, response in responses.items():
        template = response["responseTemplates"]["application/json"]
        shaped = json.loads(template)
        assert set(shaped) == {"error", "message", "fields"}, kind
        assert shaped["message"] and "$context" not in shaped["message"], kind  # the app's words
        origin = response["responseParameters"][
            "gatewayresponse.header.Access-Control-Allow-Origin"
        ]
        assert origin == {"Fn::Sub": "'https://${WebDistribution.DomainName}'"}, kind
    not_found = json.loads(
        responses["MISSING_AUTHENTICATION_TOKEN"]["responseTemplates"]["application/json"]
    )
    assert not_found == {"error": "not_found", "message": "Dit bestaat niet (meer).", "fields": []}


def test_no_region_of_the_packaging_machine_leaks_into_the_template(stack: Built) -> None:
    text = stack.path.read_text()
    for region in ("us-east-1", "eu-west-1", "eu-central-1"):
        assert region not in text


# --- alarms ----------------------------------------------------------------------------------


def alarms_on(stack: Built, metric: str) -> list[dict[str, Any]]:
    return [
        props(a)
        for a in stack.of_type("AWS::CloudWatch::Alarm").values()
        if props(a)["MetricName"] == metric
    ]


def test_alarms_watch_every_function_the_api_the_tables_and_the_jobs(stack: Built) -> None:
    functions = {json.dumps({"Ref": k}) for k in stack.functions()}
    for metric in ("Errors", "Throttles"):
        watched = {json.dumps(a["Dimensions"][0]["Value"]) for a in alarms_on(stack, metric)}
        assert watched == functions, metric
    [api] = alarms_on(stack, "5XXError")
    assert {d["Name"]: d["Value"] for d in api["Dimensions"]} == {
        "ApiName": f"coop-{stack.stage.name}",
        "Stage": "api",
    }
    assert props(stack.resources[ids.REST_API])["Name"] == f"coop-{stack.stage.name}"
    for metric in ("ReadThrottleEvents", "WriteThrottleEvents"):
        tables = {a["Dimensions"][0]["Value"]["Ref"] for a in alarms_on(stack, metric)}
        assert tables == {ids.MAIN_TABLE, ids.LEDGER_TABLE}
    [job] = alarms_on(stack, "JobIncomplete")
    assert job["Namespace"] == "Coop"
    assert job["Dimensions"] == [{"Name": "service", "Value": f"coop-{stack.stage.name}"}]
    assert (job["Statistic"], job["Threshold"], job["ComparisonOperator"]) == (
        "Sum",
        1,
        "GreaterThanOrEqualToThreshold",
    )


def test_alarms_reach_the_alarm_topic_and_its_optional_email(stack: Built) -> None:
    for logical_id, alarm in stack.of_type("AWS::CloudWatch::Alarm").items():
        assert props(alarm)["AlarmActions"] == [{"Ref": ids.ALARM_TOPIC}], logical_id
    subscription = stack.resources["AlarmEmailSubscription"]
    assert subscription["Condition"] == ids.C_HAS_ALARM_EMAIL
    assert props(subscription)["Endpoint"] == {"Ref": ids.P_ALARM_EMAIL}


def test_outputs_tell_the_deploy_and_the_web_app_what_they_need(stack: Built) -> None:
    assert set(stack.template["Outputs"]) >= {
        "ApiUrl",
        "WebUrl",
        "WebBucketName",
        "WebDistributionId",
        "UserPoolId",
        "UserPoolClientId",
        "ReceiptRuleSetName",
        "TableName",
        "LedgerTableName",
    }
