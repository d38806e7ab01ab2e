"""A whole year of the collective over the API and the schedules, for tests that watch it
(its logs, its AWS calls): applying, admission, signing in, payments, an opportunity won and
invoiced, a credit note, coins, dues, reminders, the distribution, the outbox, and a few
refusals (a bad token, a repeated email, AWS throttling)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError
from chalice.test import Client

from tests.conftest import PASSWORD, World

EMAILS = ("ton@example.nl", "fleur@example.nl", "mieke@example.nl", "patrick@example.nl")


def whole_flow(world: World, client: Client) -> list[str]:
    """Runs it; returns every token it used (for tests that look for them)."""
    world.member("Ton", "ton@example.nl", admin=True)
    patrick = world.member("Patrick", "patrick@example.nl")
    ton, tokens = world.token("ton@example.nl"), []

    def call(method: str, path: str, token: str | None = None, body: Any = None) -> Any:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
            tokens.append(token)
        response = client.http.request(
            method, path, body=json.dumps(body) if body is not None else None, headers=headers
        )
        if not response.headers.get("Content-Type", "").startswith("application/json"):
            return response.body
        return json.loads(response.body) if response.body else None

    application = {
        "name": "Fleur",
        "email": "fleur@example.nl",
        "disciplines": ["data"],
        "years_experience": 9,
        "referred_by_email": "patrick@example.nl",
    }
    fleur_id = call("POST", "/applications", body=application)["id"]
    call("POST", "/applications", body=application)  # 409: the email applied already
    call("POST", "/applications", body=application | {"email": "not-an-email"})  # 400
    call("POST", f"/applications/{fleur_id}/approve", ton)
    world.cognito.admin_set_user_password(
        UserPoolId=world.pool_id, Username="fleur@example.nl", Password=PASSWORD, Permanent=True
    )
    fleur = world.token("fleur@example.nl")
    access = world.token("fleur@example.nl", "AccessToken")
    call("GET", "/members/me", fleur)
    call("GET", "/members/me/statement", access)
    call("GET", "/members/me", "garbage-token")  # 401
    money = {"amount_cents": 10_000, "received_on": "2026-05-04", "reference": "NL-1"}
    call("POST", f"/members/{fleur_id}/payments", ton, money)
    mieke_id = world.member("Mieke", "mieke@example.nl", disciplines=["data"])
    mieke = world.token("mieke@example.nl")
    posting = {"title": "Data platform", "description": "d", "disciplines": ["data"]}
    opportunity = call("POST", "/opportunities", world.token("patrick@example.nl"), posting)
    call("POST", "/jobs/announcements", ton)
    call("POST", f"/opportunities/{opportunity['id']}/interest", mieke, {"note": "mine"})
    tier = {"contribution": "small", "starts_on": "2026-06-01"}
    assignment = call("POST", f"/opportunities/{opportunity['id']}/assignment", mieke, tier)
    invoice = {"amount_cents": 2_000_000, "invoice_ref": "INV-1", "invoiced_on": "2026-05-04"}
    call("POST", f"/assignments/{assignment['id']}/revenue", mieke, invoice)
    payout = {"amount_cents": 150_000, "received_on": "2026-05-05", "reference": "OUT-1"}
    call("POST", f"/members/{patrick}/payouts", ton, payout)
    credit = {"amount_cents": -500_000, "invoice_ref": "CN-1", "invoiced_on": "2026-05-06"}
    call("POST", f"/assignments/{assignment['id']}/revenue", ton, credit)
    claim = call("POST", "/coins/claims", fleur, {"activity": "publicity", "description": "talk"})
    call("POST", f"/coins/claims/{claim['id']}/approve", ton, {"coins": 5})
    call("PATCH", "/members/me", mieke, {"headline": "Data engineer", "language": "en"})
    _throttled_once(world)
    call("POST", "/applications", body=application | {"email": "gijs@example.nl"})  # 503
    world.clock.set(datetime(2026, 7, 1, 2, tzinfo=UTC))
    _scheduled(client, "quarterly_dues")
    world.clock.advance(timedelta(days=40))
    _scheduled(client, "payment_reminders")
    call("GET", "/admin/receivables", ton)
    call("GET", "/ledger/export?from=2026-05-01&to=2026-08-31", ton)
    call("POST", "/members/me/cancel", mieke)
    world.clock.set(datetime(2026, 12, 31, 23, 5, tzinfo=UTC))
    _scheduled(client, "pot_distribution")
    _scheduled(client, "mail_outbox")
    call("GET", "/distributions/2026", fleur)
    call("GET", f"/members/{mieke_id}/statement", ton)
    return [*tokens, ton, fleur, access, mieke]


def _scheduled(client: Client, name: str) -> Any:
    event = client.events.generate_cw_event(
        source="aws.events",
        detail_type="Scheduled Event",
        detail={},
        resources=[f"arn:aws:events:eu-west-1:123456789012:rule/{name}"],
    )
    return client.lambda_.invoke(name, event).payload


def _throttled_once(world: World) -> None:
    """The next DynamoDB call is throttled (the route answers 503)."""
    events = world.services.table.client.meta.events
    fired: list[bool] = []

    def throttle(**_: Any) -> None:
        if not fired:
            fired.append(True)
            raise ClientError(
                {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}},  # type: ignore[typeddict-item]
                "TransactWriteItems",
            )

    events.register("before-call.dynamodb", throttle)
