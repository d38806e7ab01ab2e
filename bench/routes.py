"""Every route: how many AWS requests it makes against the fewest it needs, and the app's own
time per request without the time spent waiting for AWS (p50 and p95).

In-process moto and real Cognito tokens (moto's), the app through chalice's test client.
Each route is called with a valid request, from the same starting state every time (moto's
memory is put back in between), `--repeat` times. AWS requests are counted with botocore's
before-call hook on the services' clients; the time between each request's before-call and
after-call is subtracted from the request's time, so what is left is the app's own work
(parsing, validation, domain, serialisation) plus botocore's, which a deployed Lambda pays too.

    .venv/bin/python -m bench.routes [--repeat 15]

Prints measurements only; the Scan count is asserted in `make test` (tests/proof/test_no_scan).
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import os
import re
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.results_file import record

REGION = "eu-west-1"
TABLE = "coop-bench"
PASSWORD = "Bench-pass-1!"
MOTO_ACCOUNT = "123456789012"  # moto's default account

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
BODIES: dict[str, Any] = {
    "POST /applications": {
        "name": "Gijs",
        "email": "gijs@example.nl",
        "disciplines": ["legal"],
        "years_experience": 15,
    },
    "POST /applications/{application_id}/reject": {"reason": "not now"},
    "PATCH /members/me": {"headline": "Data engineer"},
    "POST /members/{member_id}/payments": {
        "amount_cents": 100,
        "received_on": "2026-05-04",
        "reference": "NL-BENCH-1",
    },
    "POST /members/{member_id}/payouts": {
        "amount_cents": 100,
        "received_on": "2026-05-04",
        "reference": "NL-BENCH-2",
    },
    "POST /opportunities": {"title": "Audit", "description": "d", "disciplines": ["legal"]},
    "POST /opportunities/{opportunity_id}/interest": {"note": "me"},
    "POST /opportunities/{opportunity_id}/conversations": {"held_on": "2026-05-04"},
    "POST /opportunities/{opportunity_id}/assignment": {
        "contribution": "small",
        "starts_on": "2026-06-01",
    },
    "POST /opportunities/{opportunity_id}/close": {"outcome": "withdrawn"},
    "POST /assignments/{assignment_id}/revenue": {
        "amount_cents": 100_000,
        "invoice_ref": "INV-BENCH",
        "invoiced_on": "2026-05-04",
    },
    "POST /coins/claims": {"activity": "publicity", "description": "radio"},
    "POST /coins/claims/{claim_id}/approve": {"coins": 5},
    "POST /coins/claims/{claim_id}/reject": {"reason": "not publicity"},
}
QUERIES = {"GET /ledger/export": "?from=2026-05-01&to=2026-05-31"}
YEAR_ENDED = {"GET /distributions/{year}", "POST /jobs/distributions/{year}"}  # 2025
CALLER = {  # who calls, when not the admin
    "POST /opportunities/{opportunity_id}/assignment": "mieke@example.nl",
    "POST /opportunities/{opportunity_id}/interest": "anna@example.nl",
    "POST /opportunities/{opportunity_id}/conversations": "patrick@example.nl",
    "POST /opportunities/{opportunity_id}/close": "patrick@example.nl",
    "GET /opportunities/{opportunity_id}/candidates": "patrick@example.nl",
    "POST /assignments/{assignment_id}/revenue": "mieke@example.nl",
    "POST /coins/claims": "anna@example.nl",
}


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


def build(session: Any, jwks: Path) -> tuple[Any, Any, dict[str, str], dict[str, str]]:
    """Services on moto like the tests' world, a small collective, its ids and tokens."""
    from chalicelib import bootstrap
    from chalicelib.api.models import ApplicationIn
    from chalicelib.clock import FixedClock, SystemClock
    from chalicelib.config import Config, cognito_issuer
    from chalicelib.services.identity import CognitoIdentity
    from chalicelib.services.opportunities import NewOpportunity
    from chalicelib.store.schema import create_tables

    create_tables(session.client("dynamodb"), TABLE)
    cognito = session.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName="bench")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.create_group(UserPoolId=pool, GroupName="admin")
    session.client("ses").verify_email_identity(EmailAddress="noreply@co-operations.nl")
    config = Config(
        stage="local",
        region=REGION,
        table_name=TABLE,
        user_pool_id=pool,
        user_pool_client_id=client_id,
        issuer=cognito_issuer(REGION, pool),
        jwks_url=jwks.as_uri(),
        mail_from="noreply@co-operations.nl",
    )
    clock = FixedClock(datetime(2026, 5, 4, 9, 30, tzinfo=UTC))
    services = bootstrap.build_services(
        config,
        session=session,
        clock=clock,
        token_clock=SystemClock(),
        identity=CognitoIdentity(cognito, pool),
    )
    bootstrap.use(services)

    def member(name: str, admin: bool = False) -> str:
        email = f"{name}@example.nl"
        form = {"name": name.title(), "email": email, "disciplines": ["legal"]}
        application = services.membership.apply(
            ApplicationIn.model_validate(form | {"years_experience": 10})
        )
        member_id = services.membership.approve(application.id, None).id
        cognito.admin_set_user_password(
            UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True
        )
        if admin:
            cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName="admin")
        return member_id

    ton, anna = member("ton", admin=True), member("anna")
    patrick, mieke = member("patrick"), member("mieke")
    ops = services.opportunities
    form = NewOpportunity("T", "d", ("legal",), None, None, None, None, False)
    awarded = ops.post(form, patrick, is_admin=False)
    ops.express_interest(awarded.id, mieke, "")
    assignment = ops.award(awarded.id, mieke, "small", date(2026, 6, 1))
    ops.report_revenue(assignment.id, mieke, 1_000_000, "INV-0", date(2026, 5, 4))
    opportunity = ops.post(form, patrick, is_admin=False)
    ops.express_interest(opportunity.id, mieke, "")
    claim = services.coins.file_claim(anna, "publicity", "podcast", None)
    pending = services.membership.apply(
        ApplicationIn.model_validate(
            {"name": "Fleur", "email": "fleur@example.nl", "disciplines": ["legal"]}
            | {"years_experience": 9}
        )
    )
    BODIES["POST /opportunities/{opportunity_id}/conversations"]["member_id"] = anna
    tokens = {}
    for who in ("ton", "anna", "patrick", "mieke"):
        answer = cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": f"{who}@example.nl", "PASSWORD": PASSWORD},
        )
        tokens[f"{who}@example.nl"] = answer["AuthenticationResult"]["IdToken"]
    ids = {
        "application_id": pending.id,
        "member_id": patrick,
        "opportunity_id": opportunity.id,
        "assignment_id": assignment.id,
        "claim_id": claim.id,
        "year": "2026",
        "quarter": "2026-Q2",
    }
    del ton
    return services, clock, ids, tokens


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
    import boto3
    import moto
    from chalice.test import Client
    from moto import mock_aws
    from moto.dynamodb.models import dynamodb_backends

    from app import app
    from chalicelib.api.framework import ENDPOINTS
    from devtools import moto_query, moto_transact

    moto_transact.install()
    moto_query.install()
    packaged = Path(moto.__file__).parent / "cognitoidp/resources/jwks-public.json.gz"
    with tempfile.TemporaryDirectory() as scratch, mock_aws():
        jwks = Path(scratch) / "jwks.json"
        jwks.write_bytes(gzip.decompress(packaged.read_bytes()))
        session = boto3.session.Session(region_name=REGION)
        services, clock, ids, tokens = build(session, jwks)
        start = clock.now()
        meter = AwsMeter([services.table.client, services.outbox.mailer._client])
        backend = dynamodb_backends[MOTO_ACCOUNT][REGION]
        saved = copy.deepcopy(backend.tables)
        rows: list[dict[str, Any]] = []
        project = Path(__file__).resolve().parent.parent
        with Client(app, stage_name="local", project_dir=str(project)) as client:
            for spec in ENDPOINTS:
                route = f"{spec.method} {spec.path}"
                values = ids | ({"year": "2025"} if route in YEAR_ENDED else {})
                path = fill(spec.path, values)
                path += QUERIES.get(route, "")
                token = tokens[CALLER.get(route, "ton@example.nl")]
                headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
                body = json.dumps(BODIES[route]).encode() if route in BODIES else b""
                own_ms, calls, status = [], Counter[str](), 0
                for _ in range(args.repeat):
                    backend.tables = copy.deepcopy(saved)
                    clock.set(start)
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
        f"{'route':<52}{'status':>7}{'DynamoDB':>9}{'minimum':>8}{'other':>6}"
        f"{'app p50 ms':>11}{'p95 ms':>8}"
    )
    for r in rows:
        minimum = "?" if r["minimum"] is None else str(r["minimum"])
        print(
            f"{r['route']:<52}{r['status']:>7}{r['dynamodb_requests']:>9}{minimum:>8}"
            f"{r['other_aws_requests']:>6}{r['own_ms_p50']:>11.1f}{r['own_ms_p95']:>8.1f}"
        )
    print(f"\nScan requests: {sum(r['scans'] for r in rows)}")
    over = [r for r in rows if r["minimum"] is not None and r["dynamodb_requests"] > r["minimum"]]
    print(f"routes above their minimum: {len(over)} of {len(rows)}")
    record("routes", {"repeat": args.repeat, "routes": rows})


if __name__ == "__main__":
    main()
