"""Importing a large bank statement: DynamoDB requests per line, and would it fit one Lambda?

A camt.053 of `--lines` credits, each paying one of `--members` members with their RF
reference (every tenth one without a reference: it waits as unmatched), is imported on
in-process moto (with the devtools patches, as the local runtime runs it), then imported
again (every line seen before). DynamoDB requests are counted through botocore's
before-call event, as the other benches do.

    .venv/bin/python -m bench.bank_import [--lines 1000 10000] [--members 2000]

Each line is one TransactWriteItems (its record, the payment and its mail together); what an
import reads is read once in batches of 100 (the lines seen before, the members the
references name, what they owe). The goal (issue 19) is at most 1.5 requests a line.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import boto3
from moto import mock_aws

from bench.dues import RequestCounter, bench_services, chunks, insert_members
from bench.results_file import record
from chalicelib.domain.references import payment_reference
from chalicelib.services.bank_statements import ImportReport
from chalicelib.store.dynamo import to_dynamo
from chalicelib.store.schema import create_tables
from devtools import moto_query, moto_transact
from devtools.camt053_writer import Entry, Statement, Tx, write

REGION = "eu-west-1"
TABLE = "coop-bench"
GOAL = 1.5  # DynamoDB requests a line (issue 19)
ASSUMED_REQUEST_MS = 10
LAMBDA_LIMIT_S = 900
PROJECTED_LINES = 10_000


@dataclass(frozen=True)
class Measurement:
    label: str
    lines: int
    seconds: float
    requests: Counter[str]
    report: ImportReport

    @property
    def per_line(self) -> float:
        return sum(self.requests.values()) / self.lines

    @property
    def projected_s(self) -> float:
        return self.per_line * PROJECTED_LINES * ASSUMED_REQUEST_MS / 1000


def statement(lines: int, members: int, iban: str) -> bytes:
    entries = []
    for n in range(lines):
        number = n % members + 1
        reference = None if n % 10 == 9 else payment_reference(number)
        tx = Tx(
            2500 + n % 100,
            structured=reference,
            text=None if reference else "contributie",
            name=f"Member {number:06d}",
        )
        entries.append(Entry(date(2026, 6, 1 + n % 28), (tx,), reference=f"BENCH{n:08d}"))
    pretty = write(Statement(iban, entries, statement_id="BENCH"), "08", "ing")
    # without the indentation, as banks send large files: 10,000 lines then stay under the
    # 10 MB a statement may have (API Gateway's own limit for a request too)
    return re.sub(rb">\s+<", b"><", pretty)


def number_members(services: Any, members: int) -> None:
    """Each bench member's number pointer, as admission writes it (MEMBERNUMBER#<n>)."""
    table = services.table
    for chunk in chunks(members, 25):
        requests = [
            {
                "PutRequest": {
                    "Item": to_dynamo(
                        {
                            "PK": f"MEMBERNUMBER#{n + 1}",
                            "SK": "MEMBERNUMBER",
                            "member_id": f"bench-{n:06d}",
                            "member_number": n + 1,
                        }
                    )
                }
            }
            for n in chunk
        ]
        pending: dict[str, Any] = {table.name: requests}
        while pending:
            pending = table.client.batch_write_item(RequestItems=pending).get(
                "UnprocessedItems", {}
            )


def bench(lines: int, members: int) -> list[Measurement]:
    with mock_aws():
        session = boto3.session.Session(region_name=REGION)
        create_tables(session.client("dynamodb"), TABLE)
        session.client("ses", region_name=REGION).verify_email_identity(
            EmailAddress="noreply@co-operations.nl"
        )
        services = bench_services(session)
        insert_members(services.table, members)
        number_members(services, members)
        data = statement(lines, members, services.policy.bank_iban)
        counter = RequestCounter()
        services.table.client.meta.events.register("before-call.dynamodb", counter)
        measured = []
        for label in ("first import", "again"):
            counter.by_operation.clear()
            started = time.perf_counter()
            report = services.bank_statements.import_statement(data)
            seconds = time.perf_counter() - started
            measured.append(
                Measurement(label, lines, seconds, Counter(counter.by_operation), report)
            )
        return measured


def main() -> None:
    parser = argparse.ArgumentParser(description="a large camt.053 import, on moto")
    parser.add_argument("--lines", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--members", type=int, default=2000)
    args = parser.parse_args()
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
    moto_transact.install()
    moto_query.install()
    measurements = [m for n in args.lines for m in bench(n, min(args.members, n))]
    print("bank statement import on in-process moto\n")
    print(f"{'lines':>7}  {'import':<13}{'seconds':>9}{'req/line':>10}  outcome / requests")
    for m in measurements:
        r = m.report
        outcome = f"booked {r.booked}, already {r.already_booked}, unmatched {r.unmatched}"
        operations = ", ".join(f"{k} {v}" for k, v in sorted(m.requests.items()))
        print(
            f"{m.lines:>7}  {m.label:<13}{m.seconds:>9.1f}{m.per_line:>10.3f}  "
            f"{outcome}; {operations}"
        )
    print()
    first = [m for m in measurements if m.label == "first import"][-1]
    verdict = "met" if first.per_line <= GOAL else "NOT MET"
    print(
        f"goal: at most {GOAL} DynamoDB requests a line; at {first.lines:,} lines: "
        f"{first.per_line:.3f} ({verdict})"
    )
    fits = "within" if first.projected_s < LAMBDA_LIMIT_S else "OVER"
    print(
        f"at {ASSUMED_REQUEST_MS} ms a request, {PROJECTED_LINES:,} lines take "
        f"{first.projected_s:.0f} s (Lambda limit {LAMBDA_LIMIT_S} s: {fits})"
    )
    record(
        "bank_import",
        {
            "goal_requests_per_line": GOAL,
            "requests_per_line": round(first.per_line, 3),
            "rows": [
                {
                    "lines": m.lines,
                    "import": m.label,
                    "seconds": round(m.seconds, 1),
                    "requests_per_line": round(m.per_line, 3),
                    "by_operation": dict(m.requests),
                }
                for m in measurements
            ],
        },
    )


if __name__ == "__main__":
    main()
