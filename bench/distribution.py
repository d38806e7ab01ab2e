"""The December 31 distribution at scale: requests per coin holder, and would it fit a Lambda?

In-process moto with the devtools patches, as bench.dues. The table gets N members who each
earned coins in 2026 and a pot for 2026; the distribution of 2026 is timed on New Year's
morning, then run again (everyone already paid: the re-run path). DynamoDB requests and SES
sends are counted separately; the projection assumes 10 ms per DynamoDB request and per mail.

    .venv/bin/python -m bench.distribution [--holders 1000 10000]

Prints measurements only; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import boto3
from moto import mock_aws

from bench.dues import RequestCounter, bench_member, bench_services, chunks
from bench.results_file import record
from chalicelib.bootstrap import Services
from chalicelib.clock import FixedClock
from chalicelib.domain import ledger
from chalicelib.services.distribution import DistributionReport
from chalicelib.store.coins import coin_holders_partition
from chalicelib.store.dynamo import DynamoTable, to_dynamo
from chalicelib.store.members import _member_item
from chalicelib.store.pots import POT_YEARS, pot_key
from chalicelib.store.schema import create_tables
from devtools import moto_query, moto_transact

REGION, TABLE, YEAR = "eu-west-1", "coop-bench", 2026
NEW_YEAR = datetime(2026, 12, 31, 23, 5, tzinfo=UTC)  # 00:05 on January 1 in Amsterdam
ASSUMED_REQUEST_MS = 10
GOAL_PER_HOLDER = 1.2  # issue 17: DynamoDB requests a coin holder on the first run
LAMBDA_LIMIT_S = 900


def coins_of(n: int) -> int:
    return 1 + n % 12


def fill(table: DynamoTable, ledger_table: DynamoTable, holders: int) -> None:
    """Members, their 2026 coins (as CoinStore writes them) and the year's pot."""
    total = sum(coins_of(n) for n in range(holders))
    # the pot's balance (credit-normal: negative while it holds money), one shard
    balance = {
        "PK": f"ACCOUNT#{ledger.pot_account(YEAR)}",
        "SK": "BALANCE#00",
        "balance_cents": -holders * 1234,
    }
    ledger_table.put(balance)
    pot = {"PK": pot_key(YEAR)[0], "SK": "POT", "GSI1PK": POT_YEARS, "GSI1SK": f"{YEAR:04d}"}
    items: list[dict[str, Any]] = [pot | {"total_coins": total}]
    for n in range(holders):
        member = bench_member(n)
        items.append(_member_item(member))
        items.append(
            {
                "PK": f"MEMBER#{member.id}",
                "SK": f"COINS#{YEAR}",
                "GSI1PK": coin_holders_partition(YEAR),
                "GSI1SK": member.id,
                "coins": coins_of(n),
            }
        )
    for chunk in chunks(len(items), 25):
        pending: dict[str, Any] = {
            table.name: [{"PutRequest": {"Item": to_dynamo(items[i])}} for i in chunk]
        }
        while pending:
            pending = table.client.batch_write_item(RequestItems=pending).get(
                "UnprocessedItems", {}
            )


def timed(
    services: Services, counter: RequestCounter, mails: Counter[str]
) -> tuple[float, DistributionReport, int, int]:
    counter.by_operation.clear()
    mails.clear()
    started = time.perf_counter()
    report = services.distribution.distribute(YEAR)
    return time.perf_counter() - started, report, counter.total, mails["SendRawEmail"]


ROWS: list[dict[str, Any]] = []


def bench(holders: int) -> None:
    with mock_aws():
        session = boto3.session.Session(region_name=REGION)
        create_tables(session.client("dynamodb"), TABLE)
        session.client("ses").verify_email_identity(EmailAddress="noreply@co-operations.nl")
        services = bench_services(session)
        services.distribution.clock = FixedClock(NEW_YEAR)
        fill(services.table, services.ledger_store.table, holders)
        counter = RequestCounter()
        services.table.client.meta.events.register("before-call.dynamodb", counter)
        mails: Counter[str] = Counter()
        mailer_client = services.outbox.mailer._client  # type: ignore[attr-defined]
        mailer_client.meta.events.register(
            "before-call.ses", lambda model, **_: mails.update([model.name])
        )
        for label in ("first run", "re-run"):
            seconds, report, requests, sent = timed(services, counter, mails)
            per_holder = requests / holders
            projected = (requests + sent) * ASSUMED_REQUEST_MS / 1000 * 10_000 / holders
            ROWS.append(
                {
                    "size": holders,
                    "run": label,
                    "seconds": round(seconds, 2),
                    "requests": requests,
                    "mails": sent,
                    "requests_per_member": round(per_holder, 3),
                    "projected_s_10000": round(projected, 1),
                }
            )
            print(
                f"{holders:>8}  {label:<10}{seconds:>9.1f}{requests:>10}{per_holder:>12.2f}"
                f"{sent:>8}   paid {report.paid}, already {report.already_paid}, "
                f"complete {report.complete};  10,000 holders at {ASSUMED_REQUEST_MS} ms/request: "
                f"{projected:.0f} s (Lambda limit {LAMBDA_LIMIT_S} s)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description="the yearly distribution at scale, on moto")
    parser.add_argument("--holders", type=int, nargs="+", default=[1000, 10_000])
    args = parser.parse_args()
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
    moto_transact.install()
    moto_query.install()
    print(f"distribution of {YEAR} on in-process moto\n")
    print(
        f"{'holders':>8}  {'run':<10}{'seconds':>9}{'requests':>10}{'req/holder':>12}{'mails':>8}"
    )
    for holders in args.holders:
        bench(holders)
    print()
    for row in ROWS:
        if row["run"] == "first run":
            print(goal_line(row))
    record(
        "distribution",
        {
            "assumed_request_ms": ASSUMED_REQUEST_MS,
            "goal_requests_per_holder": GOAL_PER_HOLDER,
            "rows": ROWS,
        },
    )


def goal_line(row: dict[str, Any]) -> str:
    """Issue 17's target for the first run, and what 10,000 holders would take."""
    per_holder, projected = row["requests_per_member"], row["projected_s_10000"]
    verdict = "met" if per_holder <= GOAL_PER_HOLDER else "NOT MET"
    fits = "within" if projected < LAMBDA_LIMIT_S else "OVER"
    return (
        f"goal: at most {GOAL_PER_HOLDER} DynamoDB requests a coin holder; at "
        f"{row['size']:,}: {per_holder:.2f} ({verdict}); 10,000 holders: {projected:.0f} s "
        f"of Lambda's {LAMBDA_LIMIT_S} s ({fits})"
    )


if __name__ == "__main__":
    main()
