"""`make run` loses nothing it answered: payments posted over HTTP, `kill -9` at a random moment,
restart; every payment that got its 201 is on the member's statement and the ledger balances.

The moments are drawn from a seed printed with every failure (COOP_KILL_SEED=<n> repeats them).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import boto3

from tests.e2e.test_local_http import Runtime, admin_token

ROUNDS = 3
WRITERS = 3


class Writer(threading.Thread):
    """Posts payments until the runtime dies; remembers the ones answered with 201."""

    def __init__(self, runtime: Runtime, token: str, members: list[str], name: str) -> None:
        super().__init__(daemon=True)
        self.runtime, self.token, self.members, self.tag = runtime, token, members, name
        self.answered: list[tuple[str, str, int]] = []  # (member id, reference, amount)

    def run(self) -> None:
        for n in range(100_000):
            member = self.members[n % len(self.members)]
            payment = {
                "amount_cents": 100 + n,
                "received_on": "2026-05-01",
                "reference": f"{self.tag}-{n}",
            }
            try:
                status, _ = self.runtime.call(
                    "POST", f"/members/{member}/payments", payment, self.token
                )
            except Exception:  # killed: no answer, so nothing was promised
                return
            assert status == 201, status
            self.answered.append((member, payment["reference"], payment["amount_cents"]))


def statement_lines(runtime: Runtime, token: str, member: str) -> tuple[dict[str, Any], list[Any]]:
    path, lines = f"/members/{member}/statement?limit=200", []
    status, page = runtime.call("GET", path, token=token)
    first = page
    while True:
        assert status == 200, page
        lines += page["entries"]
        if not page["next"]:
            return first, lines
        status, page = runtime.call("GET", f"{path}&cursor={page['next']}", token=token)


def ledger_items(runtime: Runtime) -> list[dict[str, Any]]:
    """Every item of the ledger table (test helper: a scan)."""
    dynamodb = boto3.session.Session().client(
        "dynamodb",
        region_name=runtime.info["region"],
        endpoint_url=runtime.info["aws_endpoint_url"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    pages = dynamodb.get_paginator("scan").paginate(TableName="coop-local-ledger")
    return [item for page in pages for item in page["Items"]]


def assert_ledger_balances(runtime: Runtime) -> None:
    """Every account's balance is the sum of its journal lines, and all balances sum to zero."""
    balances: dict[str, int] = defaultdict(int)
    journaled: dict[str, int] = defaultdict(int)
    for item in ledger_items(runtime):
        if item["SK"]["S"].startswith("BALANCE#"):
            balances[item["account_name"]["S"]] += int(item["balance_cents"]["N"])
        elif item["PK"]["S"].startswith("JOURNAL#"):
            journaled[item["account"]["S"]] += int(item["amount_cents"]["N"])
    assert balances, "no ledger at all"
    assert sum(balances.values()) == 0
    assert {a: b for a, b in balances.items() if b} == {a: b for a, b in journaled.items() if b}


def assert_every_answered_payment_is_there(
    runtime: Runtime, token: str, answered: list[tuple[str, str, int]], seed: int
) -> None:
    by_member: dict[str, dict[str, int]] = defaultdict(dict)
    for member, reference, amount in answered:
        by_member[member][reference] = amount
    for member, payments in by_member.items():
        statement, lines = statement_lines(runtime, token, member)
        found = {line["reference"]: -line["amount_cents"] for line in lines}
        missing = {ref: amount for ref, amount in payments.items() if found.get(ref) != amount}
        assert not missing, f"seed {seed}: answered but lost: {sorted(missing)[:10]}"
        owed = sum(line["amount_cents"] for line in lines if line["account"] == "owed")
        assert statement["owed_cents"] == owed, f"seed {seed}"


def test_kill_9_at_random_moments_loses_no_answered_payment(tmp_path: Path) -> None:
    seed = int(os.environ.get("COOP_KILL_SEED") or random.randrange(2**32))
    print(f"kill -9 moments drawn with COOP_KILL_SEED={seed}")
    moments = random.Random(seed)
    runtime = Runtime(tmp_path / "local")
    runtime.start()
    answered: list[tuple[str, str, int]] = []
    try:
        for round_ in range(ROUNDS):
            # Given payments streaming in from several clients at once
            token = admin_token(runtime)
            members = [u["member_id"] for u in runtime.info["users"]]
            writers = [
                Writer(runtime, token, members, f"K{round_}{w}-{seed}") for w in range(WRITERS)
            ]
            for writer in writers:
                writer.start()
            # When the runtime is killed at a random moment while they write (once each has
            # had an answer, however loaded the machine)
            deadline = time.monotonic() + 60
            while not all(w.answered for w in writers) and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(moments.uniform(0.0, 2.0))
            assert runtime.process is not None
            runtime.process.kill()
            runtime.process.wait(30)
            for writer in writers:
                writer.join(60)
                answered += writer.answered
            assert all(w.answered for w in writers), f"seed {seed}: a writer got no answer"
            # Then after a restart every answered payment is there and the ledger balances
            runtime.start()
            token = admin_token(runtime)
            assert_every_answered_payment_is_there(runtime, token, answered, seed)
            assert_ledger_balances(runtime)
    finally:
        if runtime.process and runtime.process.poll() is None:
            # And Ctrl-C still ends it cleanly
            runtime.process.send_signal(2)
            assert runtime.process.wait(30) == 0
