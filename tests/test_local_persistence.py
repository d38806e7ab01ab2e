"""The local runtime keeps DynamoDB items, S3 objects and Cognito logins across restarts.

The runtime runs in subprocesses (`--aws-only`: moto, resources, persistence; no API), so
restarting is real and nothing here touches moto's in-process state.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import stat
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
    def __init__(
        self, local_dir: Path, snapshot_interval: float = 0.2, coop_now: str | None = None
    ) -> None:
        env = {
            **{k: v for k, v in os.environ.items() if k != "COOP_NOW"},
            "COOP_LOCAL_DIR": str(local_dir),
            "COOP_MOTO_PORT": "0",
            "COOP_SNAPSHOT_INTERVAL": str(snapshot_interval),
        }
        if coop_now:
            env["COOP_NOW"] = coop_now
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
        self.output = "".join(output)
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


# --- the journal: nothing answered is lost ----------------------------------------------------

NEW_EMAIL = "joost.peters@example.nl"
NEW_PASSWORD = "Journal-pass-1!"


def key(pk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": "META"}}


def change_everything(runtime: Runtime, tag: str) -> None:
    """Every kind of change the journal records, after populate()."""
    dynamodb = runtime.client("dynamodb")
    dynamodb.update_item(
        TableName=TABLE,
        Key=key("TX#1"),
        UpdateExpression="ADD amount :d SET nested = :m, tags = :t",
        ExpressionAttributeValues={
            ":d": {"N": "5"},
            ":m": {"M": {"lines": {"L": [{"N": "1"}, {"S": tag}]}}},
            ":t": {"SS": ["c", tag]},
        },
    )
    dynamodb.delete_item(TableName=TABLE, Key=key("TX#2"))
    dynamodb.batch_write_item(
        RequestItems={
            TABLE: [{"PutRequest": {"Item": ledger_item(f"B#{tag}{n}", n)}} for n in range(3)]
            + [{"DeleteRequest": {"Key": key("TX#9")}}],
            "extra": [{"PutRequest": {"Item": {"id": {"S": tag}, "n": {"N": "2"}}}}],
        }
    )
    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": TABLE, "Item": ledger_item(f"T#{tag}", 7)}},
            {
                "Update": {
                    "TableName": TABLE,
                    "Key": key(f"B#{tag}0"),
                    "UpdateExpression": "SET amount = :a",
                    "ExpressionAttributeValues": {":a": {"N": "70"}},
                }
            },
            {"Delete": {"TableName": TABLE, "Key": key(f"B#{tag}1")}},
            {
                "ConditionCheck": {
                    "TableName": TABLE,
                    "Key": key("TX#1"),
                    "ConditionExpression": "attribute_exists(PK)",
                }
            },
        ]
    )
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": ledger_item(f"NEVER#{tag}", 1)}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": key("NONE"),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
            ]
        )
    s3 = runtime.client("s3")
    s3.put_object(
        Bucket=BUCKET, Key="inbound/msg-1.eml", Body=f"v2 {tag}".encode(), Metadata={"v": "2"}
    )
    s3.put_object(
        Bucket=BUCKET,
        Key=f"inbound/{tag}.eml",
        Body=b"\x00\xff" * 1000,
        ContentType="message/rfc822",
    )
    s3.put_object(Bucket=BUCKET, Key=f"inbound/{tag}-gone.eml", Body=b"gone")
    s3.delete_object(Bucket=BUCKET, Key=f"inbound/{tag}-gone.eml")
    cognito, pool = runtime.client("cognito-idp"), runtime.info["user_pool_id"]
    email = f"{tag}.{NEW_EMAIL}"
    cognito.admin_create_user(  # a random sub and temporary password: replay must not redraw
        UserPoolId=pool,
        Username=email,
        UserAttributes=[{"Name": "email", "Value": email}],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=email, Password=NEW_PASSWORD, Permanent=True
    )
    cognito.create_group(UserPoolId=pool, GroupName=f"group-{tag}")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=f"group-{tag}")
    cognito.admin_update_user_attributes(
        UserPoolId=pool, Username=EMAIL, UserAttributes=[{"Name": "name", "Value": f"Eva {tag}"}]
    )
    cognito.admin_create_user(
        UserPoolId=pool, Username=f"{tag}-temp@example.nl", MessageAction="SUPPRESS"
    )
    cognito.admin_delete_user(UserPoolId=pool, Username=f"{tag}-temp@example.nl")


def dump(runtime: Runtime) -> dict[str, Any]:
    """Everything a client can see (test helper: scans every table)."""
    dynamodb = runtime.client("dynamodb")
    tables = {}
    for name in dynamodb.list_tables()["TableNames"]:
        pages = dynamodb.get_paginator("scan").paginate(TableName=name)
        tables[name] = sorted((item for page in pages for item in page["Items"]), key=repr)
    s3 = runtime.client("s3")
    objects = {}
    for bucket in s3.list_buckets()["Buckets"]:
        for listed in s3.list_objects_v2(Bucket=bucket["Name"]).get("Contents", []):
            got = s3.get_object(Bucket=bucket["Name"], Key=listed["Key"])
            objects[bucket["Name"], listed["Key"]] = (
                got["Body"].read(),
                got["ContentType"],
                got["Metadata"],
            )
    cognito, pool = runtime.client("cognito-idp"), runtime.info["user_pool_id"]
    users = {}
    for user in cognito.list_users(UserPoolId=pool)["Users"]:
        name = user["Username"]
        groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username=name)["Groups"]
        users[name] = (
            user["UserStatus"],
            user["Enabled"],
            sorted((a["Name"], a["Value"]) for a in user["Attributes"]),  # sub included
            sorted(g["GroupName"] for g in groups),
        )
    groups = sorted(g["GroupName"] for g in cognito.list_groups(UserPoolId=pool)["Groups"])
    return {"tables": tables, "objects": objects, "users": users, "groups": groups}


def test_every_answered_change_survives_kill_9_exactly(local_dir: Path) -> None:
    # Given a runtime that never snapshots on its own: only the journal can keep its changes
    # (but for creating a table, which snapshots before it is answered)
    first = Runtime(local_dir, snapshot_interval=3600)
    snapshot = local_dir / "state" / "state.pickle"
    try:
        populate(first)
        snapshot_written_ns = snapshot.stat().st_mtime_ns
        change_everything(first, "a")
        before = dump(first)
    finally:
        first.kill()
    assert snapshot.stat().st_mtime_ns == snapshot_written_ns

    # When it is restarted: the journal replayed over nothing
    second = Runtime(local_dir)
    try:
        # Then everything answered is there, exactly (subs, groups, bodies, metadata)
        assert dump(second) == before
        assert login(second, f"a.{NEW_EMAIL}", NEW_PASSWORD)["cognito:groups"] == ["group-a"]
        # And when a snapshot has compacted the journal and more changes follow it
        wait_for_snapshot(local_dir, after=0)
        change_everything(second, "b")
        before = dump(second)
    finally:
        second.kill()

    # Then snapshot plus journal give the same state again
    third = Runtime(local_dir)
    try:
        assert dump(third) == before
        assert login(third, f"b.{NEW_EMAIL}", NEW_PASSWORD)["cognito:groups"] == ["group-b"]
        assert login(third, EMAIL, PASSWORD)["name"] == "Eva b"
    finally:
        assert third.terminate() == 0


def test_records_a_snapshot_already_holds_are_not_applied_again(local_dir: Path) -> None:
    # Given an item written twice, with a copy of the journal taken between the two writes
    journal_dir = local_dir / "state" / "journal"
    first = Runtime(local_dir, snapshot_interval=3600)
    dynamodb = first.client("dynamodb")
    try:
        dynamodb.put_item(TableName=TABLE, Item=ledger_item("TX#1", 1))
        old_segments = {p.name: p.read_bytes() for p in journal_dir.iterdir()}
        dynamodb.put_item(TableName=TABLE, Item=ledger_item("TX#1", 2))
    finally:
        assert first.terminate() == 0  # the final snapshot, then the old segments deleted
    assert not set(old_segments) & {p.name for p in journal_dir.iterdir()}
    # When a crash came between writing the snapshot and deleting the segments it covers
    for name, data in old_segments.items():
        (journal_dir / name).write_bytes(data)
    second = Runtime(local_dir)
    try:
        # Then the old record is not replayed over the newer snapshot
        item = second.client("dynamodb").get_item(TableName=TABLE, Key=key("TX#1"))["Item"]
        assert item["amount"] == {"N": "2"}
    finally:
        assert second.terminate() == 0


def test_state_files_are_for_their_owner_only(local_dir: Path) -> None:
    # Given the state of a run, left readable to all as an older version wrote it
    first = Runtime(local_dir)
    try:
        populate(first)  # passwords, an S3 body, a journal
    finally:
        assert first.terminate() == 0
    state_dir = local_dir / "state"
    (state_dir / "state.pickle").chmod(0o644)
    state_dir.chmod(0o755)
    # When the runtime starts on it
    second = Runtime(local_dir)
    try:
        second.client("dynamodb").put_item(TableName=TABLE, Item=ledger_item("TX#3", 3))
        # Then every directory is 0700 and every file 0600, the journal's included
        found = [state_dir, *state_dir.rglob("*")]
        assert {p.name for p in found} >= {"state.pickle", "journal", "blobs"}
        for path in found:
            assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
        assert stat.S_IMODE((local_dir / "dev.json").stat().st_mode) == 0o600
    finally:
        assert second.terminate() == 0


def test_data_written_after_the_clock_is_pointed_out_at_start(local_dir: Path) -> None:
    # Given data written by a time-travel run in March 2031 (killed: only the journal has it)
    travelled = Runtime(local_dir, coop_now="2031-03-01T12:00:00+01:00")
    try:
        travelled.client("dynamodb").put_item(TableName=TABLE, Item=ledger_item("TX#1", 1))
        assert "after this run's clock" not in travelled.output
    finally:
        travelled.kill()
    # When the runtime starts again on today's clock
    today = Runtime(local_dir)
    try:
        # Then it warns, naming the date, how to start clean and how to keep travelling
        assert "written up to 2031-03-01 11:00:" in today.output
        assert f"rm -rf {local_dir}" in today.output
        assert "COOP_NOW=2031-03-01T11:0" in today.output
    finally:
        assert today.terminate() == 0
    # And a start with a clock past the data does not
    later = Runtime(local_dir, coop_now="2031-06-01T00:00:00Z")
    try:
        assert "after this run's clock" not in later.output
    finally:
        assert later.terminate() == 0
