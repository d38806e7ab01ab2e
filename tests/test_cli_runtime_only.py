"""The operator CLI runs against a deployed stage (--aws) from a plain runtime install: in a
subprocess that refuses to import any package that is not in requirements.txt (chalice,
moto, flask, pytest, cfn-lint, ...), it admits the first admin of a stage whose stack,
tables and user pool live on a moto server."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from chalicelib.store.schema import create_tables
from tests.infra.moto_stack import reset_moto

ROOT = Path(__file__).resolve().parent.parent
REGION = "eu-west-1"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==")

GUARD = """
import importlib.abc, runpy, sys
REFUSED = set(sys.argv.pop(1).split(","))

class RefuseDevPackages(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in REFUSED:
            raise ImportError(f"{name} is not a runtime dependency (requirements.txt)")
        return None

sys.meta_path.insert(0, RefuseDevPackages())
sys.argv[0] = "devtools.cli"
runpy.run_module("devtools.cli", run_name="__main__", alter_sys=True)
"""


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(path: Path) -> set[str]:
    found = set()
    for line in path.read_text().splitlines():
        match = PIN.match(line.strip())
        if match:
            found.add(normalise(match.group(1)))
    return found


def dev_only_modules() -> set[str]:
    """Top-level modules of every locked package that requirements.txt does not have."""
    runtime = pinned(ROOT / "requirements.txt")
    dev_only = pinned(ROOT / "requirements.lock") | pinned(ROOT / "infra/requirements.lock")
    dev_only -= runtime
    return {
        module
        for module, dists in packages_distributions().items()
        if {normalise(d) for d in dists} <= dev_only and not module.startswith("_")
    }


@pytest.fixture
def deployed_stage() -> Iterator[tuple[str, dict[str, str]]]:
    """A moto server holding what a deployed `dev` stage has: stack outputs, tables, pool."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    session = boto3.session.Session(region_name=REGION)
    try:
        reset_moto(url)
        create_tables(session.client("dynamodb", endpoint_url=url), "coop-dev")
        cognito = session.client("cognito-idp", endpoint_url=url)
        pool = cognito.create_user_pool(PoolName="coop-dev")["UserPool"]["Id"]
        client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="web")
        cognito.create_group(UserPoolId=pool, GroupName="admin")
        session.client("ses", endpoint_url=url).verify_domain_identity(
            Domain="dev.co-operations.nl"
        )
        secret = session.client("secretsmanager", endpoint_url=url).create_secret(
            Name="signing", SecretString="s3cret"
        )
        outputs = {
            "TableName": "coop-dev",
            "LedgerTableName": "coop-dev-ledger",
            "UserPoolId": pool,
            "UserPoolClientId": client["UserPoolClient"]["ClientId"],
            "MailFrom": "noreply@dev.co-operations.nl",
            "IntakeBucketName": "coop-dev-intake",
            "WebUrl": "https://d111.cloudfront.net",
            "ApiUrl": "https://abc.execute-api.eu-west-1.amazonaws.com/api/",
            "SigningSecretArn": secret["ARN"],
        }
        template = {
            "Resources": {"Placeholder": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {key: {"Value": value} for key, value in outputs.items()},
        }
        session.client("cloudformation", endpoint_url=url).create_stack(
            StackName="coop-dev", TemplateBody=json.dumps(template)
        )
        yield url, outputs
    finally:
        server.stop()


def run_cli(url: str, refused: set[str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_ENDPOINT_URL": url,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "operator",
        "AWS_SECRET_ACCESS_KEY": "operator",
    }
    return subprocess.run(
        [sys.executable, "-c", GUARD, ",".join(sorted(refused)), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_guard_knows_the_dev_only_packages() -> None:
    refused = dev_only_modules()
    assert {"chalice", "moto", "flask", "pytest", "cfnlint", "samtranslator"} <= refused
    assert not {"boto3", "botocore", "pydantic", "jwt"} & refused


def test_admin_create_and_dues_run_against_a_stage_with_runtime_packages_only(
    deployed_stage: tuple[str, dict[str, str]],
) -> None:
    url, outputs = deployed_stage
    refused = dev_only_modules()
    created = run_cli(
        url,
        refused,
        "admin",
        "create",
        "Ton@Example.nl",
        "--name",
        "Ton de Vries",
        "--discipline",
        "finance",
        "--years-experience",
        "20",
        "--aws",
        "--stage",
        "dev",
    )
    assert created.returncode == 0, created.stderr
    answer = json.loads(created.stdout)
    assert answer["email"] == "ton@example.nl" and answer["admitted_now"] is True
    cognito = boto3.session.Session(region_name=REGION).client("cognito-idp", endpoint_url=url)
    groups = cognito.admin_list_groups_for_user(
        UserPoolId=outputs["UserPoolId"], Username="ton@example.nl"
    )
    assert [g["GroupName"] for g in groups["Groups"]] == ["admin"]

    dues = run_cli(url, refused, "dues", "run", "2025-Q1", "--aws", "--stage", "dev")
    assert dues.returncode == 0, dues.stderr
    assert "members seen     1" in dues.stdout
    assert "not due          1" in dues.stdout  # admitted after that quarter


def test_the_guard_refuses_a_dev_package() -> None:
    refused = run_cli("http://127.0.0.1:9", {"boto3"}, "dues", "run", "2025-Q1", "--aws")
    assert refused.returncode != 0
    assert "boto3 is not a runtime dependency" in refused.stderr
