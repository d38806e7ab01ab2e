"""The quarterly dues run at scale: how many DynamoDB requests, and would it fit one Lambda?

moto runs in-process (with the devtools patches that keep its TransactWriteItems and Query from
copying or listing the whole table, as the local runtime does). For each member count the
table is filled with active members who joined the quarter before, the run for the next quarter
is timed, and then the same run again (everybody already charged: the re-run path).

    .venv/bin/python -m bench.dues [--members 1000 10000]

moto answers in well under a millisecond, so the wall time here says little about AWS; the
request count does. The projection multiplies it by an assumed latency per DynamoDB request
against the 900 s a Lambda may run. Prints measurements only; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
from moto import mock_aws

from bench.results_file import record
from chalicelib.bootstrap import Services, build_services
from chalicelib.clock import FixedClock
from chalicelib.config import Config, cognito_issuer
from chalicelib.domain.membership import Member
from chalicelib.periods import Quarter
from chalicelib.services.dues import DuesReport
from chalicelib.store.dynamo import DynamoTable, to_dynamo
from chalicelib.store.members import _member_item
from chalicelib.store.schema import create_tables
from devtools import moto_query, moto_transact

REGION = "eu-west-1"
TABLE = "coop-bench"
POOL = f"{REGION}_bench"
QUARTER = Quarter(2026, 3)
JOINED_AT = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)  # in Q2, so Q3 dues are due
RUN_AT = datetime(2026, 7, 1, 4, 0, tzinfo=UTC)  # 06:00 in Amsterdam on the first day of Q3
BATCH_WRITE_MAX = 25  # DynamoDB's limit per BatchWriteItem
ASSUMED_REQUEST_MS = 10
PROJECTED_MEMBERS = 10_000
LAMBDA_LIMIT_S = 900
RERUN_GOAL = 1.1  # issue 17: at most 1.1 DynamoDB requests a member on a re-run


class RequestCounter:
    """Counts DynamoDB API calls by operation, through botocore's before-call event."""

    def __init__(self) -> None:
        self.by_operation: Counter[str] = Counter()

    def __call__(self, model: Any, **_: Any) -> None:
        self.by_operation[model.name] += 1

    @property
    def total(self) -> int:
        return sum(self.by_operation.values())


@dataclass(frozen=True)
class Measurement:
    label: str
    members: int
    seconds: float
    requests: Counter[str]
    report: DuesReport

    @property
    def requests_total(self) -> int:
        return sum(self.requests.values())

    @property
    def requests_per_member(self) -> float:
        return self.requests_total / self.members

    @property
    def ms_per_member(self) -> float:
        return self.seconds * 1000 / self.members

    @property
    def projected_s(self) -> float:
        """Seconds for PROJECTED_MEMBERS at ASSUMED_REQUEST_MS, requests made one by one."""
        return self.requests_per_member * PROJECTED_MEMBERS * ASSUMED_REQUEST_MS / 1000


def bench_services(session: Any) -> Services:
    # Dues touches only DynamoDB; the Cognito, SES and token settings just have to be there.
    config = Config(
        stage="local",
        region=REGION,
        table_name=TABLE,
        user_pool_id=POOL,
        user_pool_client_id="bench",
        issuer=cognito_issuer(REGION, POOL),
        jwks_url="file:///dev/null",
        mail_from="noreply@co-operations.nl",
    )
    return build_services(config, session=session, clock=FixedClock(RUN_AT))


def bench_member(n: int) -> Member:
    return Member(
        id=f"bench-{n:06d}",
        name=f"Member {n:06d}",
        email=f"member{n:06d}@example.nl",
        headline="",
        disciplines=("software-development",),
        sectors=("government",),
        available=True,
        notify_opportunities=False,
        status="active",
        joined_at=JOINED_AT,
    )


def chunks(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


def insert_members(table: DynamoTable, count: int) -> None:
    """Members written directly, in the store's own item shape (admission would also book the
    registration and joining quarter, which is not what is measured here)."""
    for chunk in chunks(count, BATCH_WRITE_MAX):
        requests = [
            {"PutRequest": {"Item": to_dynamo(_member_item(bench_member(n)))}} for n in chunk
        ]
        pending: dict[str, Any] = {table.name: requests}
        while pending:  # DynamoDB may hand back part of a batch to be sent again
            pending = table.client.batch_write_item(RequestItems=pending).get(
                "UnprocessedItems", {}
            )


def timed_run(services: Services, counter: RequestCounter, label: str, members: int) -> Measurement:
    counter.by_operation.clear()
    started = time.perf_counter()
    report = services.dues.run(QUARTER)
    seconds = time.perf_counter() - started
    return Measurement(label, members, seconds, Counter(counter.by_operation), report)


def bench(members: int) -> list[Measurement]:
    """A first run and a re-run over `members` active members, on a fresh moto."""
    with mock_aws():
        session = boto3.session.Session(region_name=REGION)
        create_tables(session.client("dynamodb"), TABLE)
        services = bench_services(session)
        insert_members(services.table, members)
        counter = RequestCounter()
        services.table.client.meta.events.register("before-call.dynamodb", counter)
        return [
            timed_run(services, counter, "first run", members),
            timed_run(services, counter, "re-run", members),
        ]


HEADER = (
    f"{'members':>8}  {'run':<10}{'seconds':>9}{'requests':>10}{'req/member':>12}"
    f"{'ms/member':>11}  {'outcome':<28}requests by operation"
)


def row(m: Measurement) -> str:
    outcome = f"charged {m.report.charged}, already {m.report.already_charged}"
    if m.report.failed:
        outcome += f", FAILED {m.report.failed}"
    operations = ", ".join(f"{name} {n}" for name, n in sorted(m.requests.items()))
    return (
        f"{m.members:>8}  {m.label:<10}{m.seconds:>9.2f}{m.requests_total:>10}"
        f"{m.requests_per_member:>12.2f}{m.ms_per_member:>11.2f}  {outcome:<28}{operations}"
    )


def projection(m: Measurement) -> str:
    verdict = "within" if m.projected_s < LAMBDA_LIMIT_S else "OVER"
    return (
        f"{m.label} ({m.members} members) at {ASSUMED_REQUEST_MS} ms per DynamoDB request: "
        f"{m.projected_s:.0f} s for {PROJECTED_MEMBERS:,} members "
        f"(Lambda limit {LAMBDA_LIMIT_S} s: {verdict})"
    )


def goal_line(m: Measurement) -> str:
    verdict = "met" if m.requests_per_member <= RERUN_GOAL else "NOT MET"
    return (
        f"goal: a re-run makes at most {RERUN_GOAL} DynamoDB requests a member; at "
        f"{m.members:,}: {m.requests_per_member:.2f} ({verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="the quarterly dues run at scale, on moto")
    parser.add_argument("--members", type=int, nargs="+", default=[1000, 10_000])
    args = parser.parse_args()
    # in-process moto must see the calls; an endpoint (e.g. the local runtime's) would bypass it
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
    moto_transact.install()
    moto_query.install()
    measurements = [m for count in args.members for m in bench(count)]
    print(f"dues run for {QUARTER} on in-process moto\n\n{HEADER}")
    for m in measurements:
        print(row(m))
    print()
    for m in measurements:
        print(projection(m))
    reruns = [m for m in measurements if m.label == "re-run"]
    for m in reruns:
        print(goal_line(m))
    record(
        "dues",
        {
            "assumed_request_ms": ASSUMED_REQUEST_MS,
            "rerun_goal_requests_per_member": RERUN_GOAL,
            "rerun_requests_per_member": round(reruns[-1].requests_per_member, 3),
            "rows": [
                {
                    "size": m.members,
                    "run": m.label,
                    "seconds": round(m.seconds, 2),
                    "requests": m.requests_total,
                    "requests_per_member": round(m.requests_per_member, 3),
                    "projected_s_10000": round(m.projected_s, 1),
                    "by_operation": dict(m.requests),
                }
                for m in measurements
            ],
        },
    )


if __name__ == "__main__":
    main()
