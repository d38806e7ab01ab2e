"""The local runtime keeps DynamoDB items, S3 objects and Cognito logins across restarts.

The runtime runs in subprocesses (`--aws-only`: moto, resources, persistence; no API), so
restarting is real and nothing here touches moto's in-process state.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import boto3
import pytest

ROOT = Path(__file__).resolve().parent.parent
SESSION = boto3.session.Session(
    aws_access_key_id="local", aws_secret_access_key="local", region_name="eu-west-1"
)
TABLE = "coop-local"
BUCKET = "coop-local-intake"
EMAIL = "eva.dekker@example.nl"
PASSWORD = "Persist-pass-1!"


class Runtime:
    def __init__(self, local_dir: Path, snapshot_interval: float = 0.2) -> None:
        env = {
            **os.environ,
            "COOP_LOCAL_DIR": str(local_dir),
            "COOP_MOTO_PORT": "0",
            "COOP_SNAPSHOT_INTERVAL": str(snapshot_interval),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "devtools.local_runtime", "--aws-only"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        watchdog = threading.Timer(30, self.proc.kill)  # never hang the suite
        watchdog.start()
        output = []
        try:
            for line in self.proc.stdout or []:
                output.append(line)
                if line.startswith("ready:"):
                    break
        finally:
            watchdog.cancel()
        assert self.proc.poll() is None, "".join(output)
        self.info: dict[str, Any] = json.loads((local_dir / "dev.json").read_text())

    def client(self, service: str) -> Any:
        return SESSION.client(service, endpoint_url=self.info["aws_endpoint_url"])

    def terminate(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(15)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(15)


@pytest.fixture
def local_dir(tmp_path: Path):
    yield tmp_path / "local"


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def login(runtime: Runtime, email: str, password: str) -> dict[str, Any]:
    result = runtime.client("cognito-idp").initiate_auth(
        ClientId=runtime.info["user_pool_client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    return claims(result["AuthenticationResult"]["IdToken"])


def ledger_item(pk: str, amount: int) -> dict[str, Any]:
    return {
        "PK": {"S": pk},
        "SK": {"S": "META"},
        "GSI2PK": {"S": "MONTH#2026-11"},
        "GSI2SK": {"S": pk},
        "amount": {"N": str(amount)},
        "blob": {"B": b"\x00\xff"},
        "tags": {"SS": ["a", "b"]},
    }


def populate(runtime: Runtime) -> None:
    dynamodb = runtime.client("dynamodb")
    dynamodb.put_item(TableName=TABLE, Item=ledger_item("TX#1", 100))
    dynamodb.transact_write_items(
        TransactItems=[{"Put": {"TableName": TABLE, "Item": ledger_item("TX#2", 250)}}]
    )
    dynamodb.create_table(
        TableName="extra",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="extra", Item={"id": {"S": "x"}, "n": {"N": "1"}})
    runtime.client("s3").put_object(
        Bucket=BUCKET,
        Key="inbound/msg-1.eml",
        Body=b"Subject: hi\r\n\r\nhello",
        ContentType="message/rfc822",
        Metadata={"source": "ses"},
    )
    cognito, pool = runtime.client("cognito-idp"), runtime.info["user_pool_id"]
    for email in (EMAIL, "gone@example.nl"):
        cognito.admin_create_user(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "Eva"}],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(
            UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True
        )
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=EMAIL, GroupName="admin")
    cognito.admin_disable_user(UserPoolId=pool, Username="gone@example.nl")


def wait_for_snapshot(local_dir: Path, after: float) -> None:
    state = local_dir / "state" / "state.pickle"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if state.exists() and state.stat().st_mtime_ns > after:
            return
        time.sleep(0.05)
    raise AssertionError("no periodic snapshot within 5 s")


def test_state_survives_restart_and_hard_kill(local_dir: Path) -> None:
    # Three runtimes in a row: SIGTERM saves; the periodic snapshot survives SIGKILL.
    first = Runtime(local_dir)
    try:
        populate(first)
        before = login(first, EMAIL, PASSWORD)
    finally:
        assert first.terminate() == 0

    second = Runtime(local_dir)
    try:
        assert_restored(second, first.info, before)
        saved_at = (local_dir / "state" / "state.pickle").stat().st_mtime_ns
        second.client("dynamodb").put_item(TableName=TABLE, Item=ledger_item("TX#9", 9))
        wait_for_snapshot(local_dir, after=saved_at)
    finally:
        second.kill()

    third = Runtime(local_dir)
    try:
        key = {"PK": {"S": "TX#9"}, "SK": {"S": "META"}}
        assert "Item" in third.client("dynamodb").get_item(TableName=TABLE, Key=key)
        assert login(third, EMAIL, PASSWORD)["sub"] == before["sub"]
    finally:
        assert third.terminate() == 0


def assert_restored(runtime: Runtime, first_info: dict[str, Any], before: dict[str, Any]) -> None:
    for name in ("user_pool_id", "user_pool_client_id"):
        assert runtime.info[name] == first_info[name]
    dynamodb = runtime.client("dynamodb")
    item = dynamodb.get_item(TableName=TABLE, Key={"PK": {"S": "TX#2"}, "SK": {"S": "META"}})
    assert item["Item"] == ledger_item("TX#2", 250)
    month = dynamodb.query(
        TableName=TABLE,
        IndexName="GSI2",
        KeyConditionExpression="GSI2PK = :m",
        ExpressionAttributeValues={":m": {"S": "MONTH#2026-11"}},
    )
    assert [i["PK"]["S"] for i in month["Items"]] == ["TX#1", "TX#2"]
    assert dynamodb.scan(TableName="extra")["Items"] == [{"id": {"S": "x"}, "n": {"N": "1"}}]

    obj = runtime.client("s3").get_object(Bucket=BUCKET, Key="inbound/msg-1.eml")
    assert obj["Body"].read() == b"Subject: hi\r\n\r\nhello"
    assert (obj["ContentType"], obj["Metadata"]) == ("message/rfc822", {"source": "ses"})

    after = login(runtime, EMAIL, PASSWORD)
    assert after["cognito:groups"] == ["admin"]
    assert (after["iss"], after["sub"]) == (before["iss"], before["sub"])
    assert after["iss"].endswith("/" + first_info["user_pool_id"])
    gone = runtime.client("cognito-idp").admin_get_user(
        UserPoolId=runtime.info["user_pool_id"], Username="gone@example.nl"
    )
    assert gone["Enabled"] is False
