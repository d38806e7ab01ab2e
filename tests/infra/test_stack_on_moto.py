"""The stack created on moto's CloudFormation (SAM translated offline): the tables, buckets,
topic, functions and schedules it makes are what the app expects, and the app's own stores
work against those tables.

moto cannot create every resource type; those are taken out (references to them become
placeholders) and listed in MOTO_CANNOT_CREATE, so the list stays true as moto changes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.cloudformation.parsing import get_model_map
from moto.server import ThreadedMotoServer

import app as application
from chalicelib.api.models import ApplicationIn
from chalicelib.bootstrap import build_services
from chalicelib.config import from_environment
from chalicelib.store import schema
from infra.agreement import app_triggers
from tests.infra.conftest import Built
from tests.infra.moto_stack import reset_moto, translate, without

REGION = "eu-west-1"
ARTIFACTS = "coop-artifacts"

# Resource types of the template that moto's CloudFormation cannot create, and why they
# matter little here (the template tests check their properties instead).
MOTO_CANNOT_CREATE = {
    "AWS::ApiGateway::Deployment": "moto's RestApi ignores the Swagger body: no methods",
    "AWS::ApiGateway::Stage": "not supported",
    "AWS::CloudFront::Distribution": "not supported",
    "AWS::CloudFront::OriginAccessControl": "not supported",
    "AWS::CloudWatch::Alarm": "not supported by moto's CloudFormation",
    "AWS::Cognito::UserPool": "not supported",
    "AWS::Cognito::UserPoolClient": "not supported",
    "AWS::Cognito::UserPoolGroup": "not supported",
    "AWS::S3::BucketPolicy": "not supported",
    "AWS::SES::EmailIdentity": "not supported",
    "AWS::SES::ReceiptRule": "not supported",
    "AWS::SES::ReceiptRuleSet": "not supported",
    "AWS::SNS::Subscription": "not supported",
    "AWS::SNS::TopicPolicy": "not supported",
    "AWS::SecretsManager::Secret": "not supported",
}


@dataclass
class MotoStack:
    url: str
    session: boto3.session.Session
    outputs: dict[str, str]
    skipped: dict[str, str]
    functions: dict[str, dict[str, Any]]  # function name -> Lambda configuration

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.url)


@pytest.fixture(scope="module")
def moto_stack(dev: Built) -> Iterator[MotoStack]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    session = boto3.session.Session(region_name=REGION)
    try:
        reset_moto(url)
        s3 = session.client("s3", endpoint_url=url)
        s3.create_bucket(Bucket=ARTIFACTS, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.upload_file(str(Path(dev.path).parent / "deployment.zip"), ARTIFACTS, "dev.zip")
        translated = translate(dev.template, f"s3://{ARTIFACTS}/dev.zip")
        supported = set(get_model_map()) - {"AWS::ApiGateway::Deployment"}
        reduced, skipped = without(translated, supported)
        cloudformation = session.client("cloudformation", endpoint_url=url)
        cloudformation.create_stack(
            StackName="coop-dev",
            TemplateBody=json.dumps(reduced),
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        [described] = cloudformation.describe_stacks(StackName="coop-dev")["Stacks"]
        assert described["StackStatus"] == "CREATE_COMPLETE", described
        lambdas = session.client("lambda", endpoint_url=url).list_functions()["Functions"]
        yield MotoStack(
            url=url,
            session=session,
            outputs={o["OutputKey"]: o["OutputValue"] for o in described["Outputs"]},
            skipped=skipped,
            functions={f["FunctionName"].split("-", 2)[2]: f for f in lambdas},
        )
    finally:
        server.stop()


def test_what_moto_cannot_create_is_exactly_the_listed_types(moto_stack: MotoStack) -> None:
    assert set(moto_stack.skipped.values()) == set(MOTO_CANNOT_CREATE)


def test_the_tables_have_the_keys_and_indexes_the_app_queries(moto_stack: MotoStack) -> None:
    dynamodb = moto_stack.client("dynamodb")
    for output in ("TableName", "LedgerTableName"):
        name = moto_stack.outputs[output]
        table = dynamodb.describe_table(TableName=name)["Table"]
        expected = schema.table_definition(name)
        assert table["KeySchema"] == expected["KeySchema"]
        assert sorted(table["AttributeDefinitions"], key=str) == sorted(
            expected["AttributeDefinitions"], key=str
        )
        indexes = {i["IndexName"]: i["KeySchema"] for i in table["GlobalSecondaryIndexes"]}
        assert indexes == {
            i["IndexName"]: i["KeySchema"] for i in expected["GlobalSecondaryIndexes"]
        }
    assert moto_stack.outputs["TableName"] == "coop-dev"
    assert moto_stack.outputs["LedgerTableName"] == "coop-dev-ledger"


def test_every_function_of_the_app_exists_with_the_stacks_names(moto_stack: MotoStack) -> None:
    expected = set(app_triggers(application.app)) | {"api_handler"}
    assert set(moto_stack.functions) == expected
    for name, function in moto_stack.functions.items():
        variables = function["Environment"]["Variables"]
        assert variables["COOP_TABLE_NAME"] == moto_stack.outputs["TableName"], name
        assert variables["COOP_LEDGER_TABLE_NAME"] == moto_stack.outputs["LedgerTableName"]
        assert variables["COOP_INTAKE_BUCKET"] == moto_stack.outputs["IntakeBucketName"]
        assert variables["COOP_STAGE"] == "dev"
        assert function["Handler"].startswith("app.")
        assert function["Runtime"] == "python3.11"


def test_schedules_fire_the_functions_app_py_schedules(moto_stack: MotoStack) -> None:
    events = moto_stack.client("events")
    schedules = {
        name: detail
        for name, (kind, detail) in app_triggers(application.app).items()
        if kind == "Schedule"
    }
    fired = {}
    for rule in events.list_rules()["Rules"]:
        for target in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]:
            fired[target["Arn"].rsplit(":", 1)[1].split("-", 2)[2]] = rule["ScheduleExpression"]
    assert fired == schedules


def test_the_intake_bucket_and_topic_exist_where_the_app_looks(moto_stack: MotoStack) -> None:
    s3 = moto_stack.client("s3")
    bucket = moto_stack.outputs["IntakeBucketName"]
    s3.put_object(Bucket=bucket, Key="raw/message-1", Body=b"From: a@example.nl\r\n\r\nhi")
    assert s3.get_object(Bucket=bucket, Key="raw/message-1")["Body"].read().endswith(b"hi")
    topics = moto_stack.client("sns").list_topics()["Topics"]
    assert moto_stack.outputs["IntakeTopicArn"] in {t["TopicArn"] for t in topics}
    assert moto_stack.outputs["IntakeTopicArn"].endswith(":coop-dev-intake")


def test_the_apps_stores_work_on_the_tables_the_stack_made(
    moto_stack: MotoStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_stack.url)
    variables = moto_stack.functions["api_handler"]["Environment"]["Variables"]
    services = build_services(from_environment(variables | {"AWS_REGION": REGION}))
    form = {
        "name": "Fleur Mulder",
        "email": "fleur@example.nl",
        "disciplines": ["legal"],
        "years_experience": 12,
    }
    applied = services.membership.apply(ApplicationIn.model_validate(form).new_application())
    pending = services.membership.applications("pending", 10, None)
    assert [a.id for a in pending.applications] == [applied.id]  # GSI1 of the main table
    assert list(services.export.ledger_csv(date(2026, 1, 1), date(2026, 1, 31)))[1:] == []
