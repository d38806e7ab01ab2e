"""`make deploy` against moto's AWS on a local server: artifacts, the stack (SAM translated
first, as CloudFormation would), the API URL's second pass, the SES rule set, the web app.

What moto cannot check (CloudFront serving, SES receiving, Cognito from the stack) is in
infra/README.md under "What is verified offline".
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.cloudformation.parsing import get_model_map
from moto.server import ThreadedMotoServer

from infra.deploy import Outcome, deploy, report
from tests.infra.conftest import Built
from tests.infra.moto_stack import reset_moto, translate, without

REGION = "eu-west-1"


@dataclass
class FakeAws:
    url: str
    session: boto3.session.Session
    distribution_id: str

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.url)

    def for_cloudformation(self, template: dict[str, Any]) -> dict[str, Any]:
        """What moto's CloudFormation can take: SAM translated, unsupported types out, and the
        web app's distribution and the SES rule set (which moto's CloudFormation cannot
        make) made beforehand."""
        code = template["Resources"]["APIHandler"]["Properties"]["CodeUri"]
        supported = set(get_model_map()) - {"AWS::ApiGateway::Deployment"}
        reduced, _ = without(translate(template, code), supported)
        reduced["Outputs"]["WebDistributionId"]["Value"] = self.distribution_id
        reduced["Outputs"]["ReceiptRuleSetName"]["Value"] = "coop-dev-intake"  # made beforehand
        return reduced


@pytest.fixture(scope="module")
def aws() -> Iterator[FakeAws]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    session = boto3.session.Session(region_name=REGION)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL", url)
        yield from _prepared(server, url, session)


def _prepared(server: Any, url: str, session: boto3.session.Session) -> Iterator[FakeAws]:
    try:
        reset_moto(url)
        ses = session.client("ses")
        ses.create_receipt_rule_set(RuleSetName="coop-dev-intake")  # moto's CFN skips SES
        distribution = session.client("cloudfront").create_distribution(
            DistributionConfig={
                "CallerReference": "web",
                "Comment": "",
                "Enabled": True,
                "Origins": {
                    "Quantity": 1,
                    "Items": [{"Id": "web", "DomainName": "web.s3.amazonaws.com"}],
                },
                "DefaultCacheBehavior": {
                    "TargetOriginId": "web",
                    "ViewerProtocolPolicy": "allow-all",
                },
            }
        )["Distribution"]["Id"]
        yield FakeAws(url, session, distribution)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def web_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    web = tmp_path_factory.mktemp("site") / "web"
    (web / "js").mkdir(parents=True)
    (web / "index.html").write_text("<!doctype html><title>Co-operations</title>")
    (web / "js" / "app.js").write_text("console.log('hoi')")
    (web / "sw.js").write_text("self.addEventListener('fetch', () => {})")
    (web / "manifest.webmanifest").write_text('{"name": "Co-operations"}')
    (web / "config.json").write_text('{"api_url": "http://127.0.0.1:8000"}')  # the local one
    return web


def run_deploy(
    aws: FakeAws, dev: Built, web_dir: Path, **options: Any
) -> tuple[Outcome, list[str]]:
    said: list[str] = []
    outcome = deploy(
        aws.session,
        dev.stage,
        dev.path,
        options.pop("given", {}),
        web_dir=web_dir,
        say=said.append,
        for_cloudformation=aws.for_cloudformation,
        **options,
    )
    return outcome, said


@pytest.fixture(scope="module")
def first(aws: FakeAws, dev: Built, web_dir: Path) -> tuple[Outcome, list[str]]:
    """The first deploy of the stage (the tests below run in order on the same fake AWS)."""
    return run_deploy(aws, dev, web_dir, given={"AlarmEmail": "ops@example.nl"})


def test_first_deploy_makes_the_stack_and_fills_in_the_api_url(
    aws: FakeAws, first: tuple[Outcome, list[str]]
) -> None:
    outcome, said = first
    [stack] = aws.client("cloudformation").describe_stacks(StackName="coop-dev")["Stacks"]
    params = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}
    assert params["AlarmEmail"] == "ops@example.nl"
    assert params["ApiUrl"] == outcome.outputs["ApiUrl"]  # the second pass
    assert outcome.outputs["ApiUrl"].startswith("https://")
    assert "creating stack coop-dev" in said and "setting COOP_API_URL to the API's URL" in said
    account = aws.client("sts").get_caller_identity()["Account"]
    bucket = f"coop-deploy-{account}-{REGION}"
    block = aws.client("s3").get_public_access_block(Bucket=bucket)
    assert all(block["PublicAccessBlockConfiguration"].values())
    keys = [o["Key"] for o in aws.client("s3").list_objects_v2(Bucket=bucket)["Contents"]]
    assert any(k.startswith("dev/") and k.endswith(".zip") for k in keys)


def test_deploy_activates_the_rule_set_and_publishes_the_web_app(
    aws: FakeAws, first: tuple[Outcome, list[str]]
) -> None:
    outcome, _ = first
    assert outcome.rule_set == "activated", outcome.rule_set
    active = aws.client("ses").describe_active_receipt_rule_set()["Metadata"]["Name"]
    assert active == "coop-dev-intake" and outcome.rule_set == "activated"
    s3 = aws.client("s3")
    bucket = outcome.outputs["WebBucketName"]
    index = s3.get_object(Bucket=bucket, Key="index.html")
    assert index["ContentType"] == "text/html" and index["CacheControl"] == "no-cache"
    script = s3.get_object(Bucket=bucket, Key="js/app.js")
    assert (script["ContentType"], script["CacheControl"]) == (
        "text/javascript",
        "public, max-age=300",
    )
    assert s3.get_object(Bucket=bucket, Key="sw.js")["CacheControl"] == "no-cache"
    manifest = s3.get_object(Bucket=bucket, Key="manifest.webmanifest")
    assert manifest["ContentType"] == "application/manifest+json"
    config = json.loads(s3.get_object(Bucket=bucket, Key="config.json")["Body"].read())
    assert config == {
        "api_url": outcome.outputs["ApiUrl"],
        "cognito_endpoint": f"https://cognito-idp.{REGION}.amazonaws.com/",
        "region": REGION,
        "user_pool_id": outcome.outputs["UserPoolId"],
        "user_pool_client_id": outcome.outputs["UserPoolClientId"],
        "stage": "dev",
    }
    invalidations = aws.client("cloudfront").list_invalidations(DistributionId=aws.distribution_id)[
        "InvalidationList"
    ]
    assert invalidations["Quantity"] == 1


def test_the_report_says_where_it_runs_and_what_is_left_by_hand(
    first: tuple[Outcome, list[str]],
) -> None:
    outcome, _ = first
    text = report(outcome)
    assert outcome.outputs["ApiUrl"] in text and outcome.outputs["WebUrl"] in text
    assert "Verify dev.co-operations.nl for SES" in text
    assert f"inbound-smtp.{REGION}.amazonaws.com" in text
    assert "admin create" in text and "--aws --stage dev" in text


def test_redeploy_updates_removes_stale_files_and_leaves_another_rule_set_active(
    aws: FakeAws, dev: Built, web_dir: Path, first: tuple[Outcome, list[str]]
) -> None:
    ses = aws.client("ses")
    ses.create_receipt_rule_set(RuleSetName="someone-elses")
    ses.set_active_receipt_rule_set(RuleSetName="someone-elses")
    (web_dir / "js" / "app.js").unlink()

    outcome, said = run_deploy(aws, dev, web_dir)

    assert "updating stack coop-dev" in said
    assert "setting COOP_API_URL to the API's URL" not in said  # kept from the stack
    keys = {
        o["Key"]
        for o in aws.client("s3").list_objects_v2(Bucket=outcome.outputs["WebBucketName"])[
            "Contents"
        ]
    }
    assert keys == {"index.html", "config.json", "sw.js", "manifest.webmanifest"}
    assert ses.describe_active_receipt_rule_set()["Metadata"]["Name"] == "someone-elses"
    assert outcome.rule_set.startswith("not activated: someone-elses is the active rule set")
    assert any("--activate-rule-set" in step for step in outcome.manual)
