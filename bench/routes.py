"""Every route: how many AWS requests it makes against the fewest it needs, and the app's own
time per request without the time spent waiting for AWS (p50 and p95).

In-process moto and real Cognito tokens (moto's), the app through chalice's test client, on
the authorization matrix's collective (tests/proof/test_authorization_matrix.py: its ids,
bodies and queries, so a new route is measured as soon as the matrix has its row). Each
route is called by a caller the matrix expects to succeed (the admin where allowed), from
the same starting state every time (moto's memory is put back in between), `--repeat` times.
AWS requests are counted with botocore's before-call hook on the services' clients; the time
between each request's before-call and after-call is subtracted from the request's time, so
what is left is the app's own work (parsing, validation, domain, serialisation) plus
botocore's, which a deployed Lambda pays too.

    .venv/bin/python -m bench.routes [--repeat 15]

Prints measurements only; the Scan count is asserted in `make test` (tests/proof/test_no_scan).
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import os
import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.results_file import record

REGION = "eu-west-1"

# The fewest DynamoDB requests each route needs by design (docs/dynamodb.md): a signed-in
# caller costs 2 GetItems (email claim -> member); one money write is one TransactWriteItems.
AUTH = 2
MINIMUM: dict[str, int] = {
    "GET /health": 0,
    "POST /applications": 1,  # TransactWrite application + email claim
    "GET /applications": AUTH + 1,
    "POST /applications/{application_id}/approve": AUTH
    + 1
    + 1
    + 3,  # read, admit, 2 charges + coins
    "POST /applications/{application_id}/reject": AUTH + 2,
    "GET /members": AUTH + 1,
    "GET /members/me": AUTH,  # the caller's member was read to authenticate
    "PATCH /members/me": AUTH + 2,  # conditional update, read back
    "POST /members/me/cancel": AUTH + 1,
    "GET /members/me/statement": AUTH + 3,  # journal page, two balances
    "GET /members/me/coins": AUTH + 1,
    "GET /members/{member_id}": AUTH + 1,
    "GET /members/{member_id}/statement": AUTH + 4,
    "POST /members/{member_id}/payments": AUTH + 2,  # the member exists, one transaction
    "POST /members/{member_id}/payouts": AUTH + 2,
    "POST /opportunities": AUTH + 1,
    "GET /opportunities": AUTH + 1,
    "GET /opportunities/{opportunity_id}": AUTH + 1,
    "POST /opportunities/{opportunity_id}/interest": AUTH + 2,
    "GET /opportunities/{opportunity_id}/candidates": AUTH + 3,  # + one read per candidate
    "POST /opportunities/{opportunity_id}/conversations": AUTH + 3,
    "POST /opportunities/{opportunity_id}/assignment": AUTH + 3,
    "POST /opportunities/{opportunity_id}/close": AUTH + 2,
    "GET /assignments/{assignment_id}": AUTH + 2,
    "POST /assignments/{assignment_id}/revenue": AUTH + 2,  # the assignment, one transaction
    "POST /coins/claims": AUTH + 1,
    "GET /coins/claims": AUTH + 1,
    "POST /coins/claims/{claim_id}/approve": AUTH + 2,
    "POST /coins/claims/{claim_id}/reject": AUTH + 2,
    "GET /pots/{year}": AUTH + 3,  # pot item, pot balance shards, distribution header
    "GET /distributions/{year}": AUTH + 2,
    "POST /jobs/dues/{quarter}": AUTH + 2,  # + one transaction per member due
    "POST /jobs/reminders": AUTH + 1,  # + per debtor
    "POST /jobs/distributions/{year}": AUTH + 1,  # + per year and holder
    "POST /jobs/announcements": AUTH + 1,
    "POST /jobs/mail": AUTH + 1,
    "GET /admin/receivables": AUTH + 1,  # + per debtor
    "GET /ledger/export": AUTH + 1,  # one Query per month in the range
}
# Who calls each route, in order of preference, among those the authorization matrix expects
# to succeed (tests/proof/test_authorization_matrix.py EXPECTED).
PREFERRED_CALLERS = ("admin", "referrer", "executor", "member", "other member", "anonymous")


class AwsMeter:
    """Counts AWS requests by operation and the time spent inside them."""

    def __init__(self, clients: list[Any]) -> None:
        self.calls: Counter[str] = Counter()
        self.waited_s = 0.0
        self._started: list[float] = []
        for client in clients:
            client.meta.events.register("before-call", self._before)
            client.meta.events.register("after-call", self._after)

    def reset(self) -> None:
        self.calls, self.waited_s = Counter(), 0.0

    def _before(self, model: Any, **_: Any) -> None:
        self.calls[f"{model.service_model.service_id}:{model.name}"] += 1
        self._started.append(time.perf_counter())

    def _after(self, **_: Any) -> None:
        self.waited_s += time.perf_counter() - self._started.pop()


def caller_of(route: str, expected: dict[str, dict[str, int]]) -> str:
    """The caller the matrix expects to succeed, preferring the admin (AUTH in MINIMUM)."""
    answers = expected.get(route, {})
    succeeding = [c for c in PREFERRED_CALLERS if answers.get(c, 500) < 300]
    return succeeding[0] if succeeding else "admin"


def fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda match: values[match.group(1)], template)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description="AWS requests and app time per route")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        os.environ.pop(name, None)
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION=REGION,
        COOP_LOG_LEVEL="WARNING",  # one JSON line per request would bury the table
    )
    import moto
    from chalice.test import Client

    from app import app
    from chalicelib.api.framework import ENDPOINTS
    from devtools import moto_query, moto_transact

    # The collective and its helpers come from the tests (which mypy --strict does not
    # check), so they are imported by name.
    conftest = importlib.import_module("tests.conftest")
    matrix = importlib.import_module("tests.proof.test_authorization_matrix")
    aws_state = importlib.import_module("tests.proof.aws_state")

    moto_transact.install()
    moto_query.install()
    packaged = Path(moto.__file__).parent / "cognitoidp/resources/jwks-public.json.gz"
    project = Path(__file__).resolve().parent.parent
    rows: list[dict[str, Any]] = []
    unmeasured: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        jwks = Path(scratch) / "jwks.json"
        jwks.write_bytes(gzip.decompress(packaged.read_bytes()))
        with (
            conftest.fresh_world(jwks.as_uri()) as world,
            Client(app, stage_name="local", project_dir=str(project)) as client,
        ):
            # The matrix's collective: every route has what it needs behind its parameters.
            collective = matrix.build_collective(world, client)
            services = world.services
            meter = AwsMeter([services.table.client, services.outbox.mailer._client])
            moto_state = aws_state.MotoSnapshot(conftest.REGION)
            moto_state.save()
            start = world.clock.now()
            for spec in ENDPOINTS:
                route = f"{spec.method} {spec.path}"
                ids = collective.ids | {
                    k: collective.ids[v] for k, v in matrix.ROUTE_IDS.get(route, {}).items()
                }
                try:
                    path = fill(spec.path, ids) + matrix.QUERIES.get(route, "").format(**ids)
                except KeyError as missing:  # a new path parameter the matrix has no id for
                    unmeasured.append(f"{route} (no {missing} in the matrix's collective)")
                    continue
                caller = caller_of(route, matrix.EXPECTED)
                token = collective.tokens[caller]
                headers = {"Content-Type": matrix.CONTENT_TYPES.get(route, "application/json")}
                if token is not None:
                    headers["Authorization"] = f"Bearer {token}"
                raw = matrix.BODIES.get(route)
                body = (
                    raw
                    if isinstance(raw, bytes)
                    else json.dumps(raw).encode()
                    if route in matrix.BODIES
                    else b""
                )
                own_ms, calls, status = [], Counter[str](), 0
                for _ in range(args.repeat):
                    moto_state.restore()
                    world.clock.set(start)
                    meter.reset()
                    started = time.perf_counter()
                    status = client.http.request(
                        spec.method, path, body=body, headers=headers
                    ).status_code
                    own_ms.append((time.perf_counter() - started - meter.waited_s) * 1000)
                    calls = meter.calls
                dynamodb = sum(n for op, n in calls.items() if op.startswith("DynamoDB"))
                rows.append(
                    {
                        "route": route,
                        "caller": caller,
                        "status": status,
                        "dynamodb_requests": dynamodb,
                        "minimum": MINIMUM.get(route),
                        "other_aws_requests": sum(calls.values()) - dynamodb,
                        "scans": calls["DynamoDB:Scan"],
                        "own_ms_p50": round(statistics.median(own_ms), 2),
                        "own_ms_p95": round(percentile(own_ms, 0.95), 2),
                        "by_operation": dict(calls),
                    }
                )
    print(f"every route once per repetition ({args.repeat}), in-process moto, valid requests\n")
    print(
        f"{'route':<58}{'status':>7}{'DynamoDB':>9}{'minimum':>8}{'other':>6}"
        f"{'app p50 ms':>11}{'p95 ms':>8}"
    )
    for r in rows:
        minimum = "?" if r["minimum"] is None else str(r["minimum"])
        print(
            f"{r['route']:<58}{r['status']:>7}{r['dynamodb_requests']:>9}{minimum:>8}"
            f"{r['other_aws_requests']:>6}{r['own_ms_p50']:>11.1f}{r['own_ms_p95']:>8.1f}"
        )
    for route in unmeasured:
        print(f"{route}: not measured")
    print(f"\nScan requests: {sum(r['scans'] for r in rows)}")
    over = [r for r in rows if r["minimum"] is not None and r["dynamodb_requests"] > r["minimum"]]
    print(f"routes above their minimum: {len(over)} of {len(rows)}")
    record("routes", {"repeat": args.repeat, "routes": rows})


if __name__ == "__main__":
    main()
