"""The membership and money routes through chalice.test.Client, with real moto tokens."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.conftest import ROOT, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def call(
    client: Client, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    raw = body if isinstance(body, str) else (json.dumps(body) if body is not None else None)
    response = client.http.request(method, path, body=raw, headers=all_headers)
    return response.status_code, json.loads(response.body) if response.body else None


APPLICATION = {
    "name": "Mieke Jansen",
    "email": "mieke@example.nl",
    "disciplines": ["Data Engineering"],
    "sectors": ["healthcare"],
    "years_experience": 12,
}


@pytest.fixture
def admin(world: World) -> dict[str, str]:
    world.member("Ton de Vries", "ton@example.nl", admin=True)
    return world.headers("ton@example.nl")


def test_apply_approve_sign_in_pay(world: World, client: Client, admin: dict[str, str]) -> None:
    status, created = call(client, "POST", "/applications", APPLICATION)
    assert (status, created["status"]) == (201, "pending")

    status, pending = call(client, "GET", "/applications?status=pending", headers=admin)
    assert status == 200
    assert [a["email"] for a in pending["items"]] == ["mieke@example.nl"]

    status, member = call(client, "POST", f"/applications/{created['id']}/approve", headers=admin)
    assert (status, member["status"], member["disciplines"]) == (
        200,
        "active",
        ["data-engineering"],  # typed "Data Engineering": stored as the known discipline
    )

    world.cognito.admin_set_user_password(
        UserPoolId=world.pool_id,
        Username="mieke@example.nl",
        Password="Test-pass-1!",
        Permanent=True,
    )
    mieke = world.headers("mieke@example.nl")
    status, statement = call(client, "GET", "/members/me/statement", headers=mieke)
    assert (status, statement["owed_cents"], statement["to_receive_cents"]) == (200, 10000, 0)

    world.clock.advance(timedelta(days=6))
    payment = {"amount_cents": 10000, "received_on": "2026-05-10", "reference": "NL-2026-0042"}
    status, booked = call(client, "POST", f"/members/{member['id']}/payments", payment, admin)
    assert (status, booked["amount_cents"], booked["replayed"]) == (201, 10000, False)

    status, statement = call(client, "GET", "/members/me/statement", headers=mieke)
    assert statement["owed_cents"] == 0
    newest = statement["entries"][0]
    assert (newest["kind"], newest["amount_cents"]) == ("payment", -10000)


def test_a_repeated_payment_books_once_and_a_changed_one_is_refused(
    world: World, client: Client, admin: dict[str, str]
) -> None:
    member_id = world.member("Anna", "anna@example.nl")
    path = f"/members/{member_id}/payments"
    payment = {"amount_cents": 2500, "received_on": "2026-05-10", "reference": "REF-1"}

    first = call(client, "POST", path, payment, admin)
    second = call(client, "POST", path, payment, admin)
    changed = call(client, "POST", path, payment | {"amount_cents": 2600}, admin)

    assert first[0] == second[0] == 201
    assert second[1]["replayed"] is True
    assert second[1]["booked_at"] == first[1]["booked_at"]
    assert changed[0] == 409
    _, statement = call(client, "GET", f"/members/{member_id}/statement", headers=admin)
    assert statement["owed_cents"] == 10000 - 2500


def test_a_payout_above_what_the_member_is_owed_is_refused(
    world: World, client: Client, admin: dict[str, str]
) -> None:
    member_id = world.member("Anna", "anna@example.nl")
    payout = {"amount_cents": 1, "received_on": "2026-05-10", "reference": "PAYOUT-1"}

    status, answer = call(client, "POST", f"/members/{member_id}/payouts", payout, admin)

    assert status == 409
    assert answer["error"] == "payout_above_owed"
    # in words and money, naming the member: no cents, no account key, no id
    assert answer["message"] == (
        "Het bedrag (€ 0,01) is meer dan het collectief Anna verschuldigd is (€ 0,00)."
    )


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"amount_cents": "10", "received_on": "2026-05-10", "reference": "R"}, {"amount_cents"}),
        ({"amount_cents": 1.5, "received_on": "2026-05-10", "reference": "R"}, {"amount_cents"}),
        ({"amount_cents": 0, "received_on": "2026-05-10", "reference": "R"}, {"amount_cents"}),
        ({"amount_cents": 5, "received_on": "10-05-2026", "reference": "R"}, {"received_on"}),
        ({"amount_cents": 5, "received_on": "2026-05-10"}, {"reference"}),
        ({"amount_cents": 5, "received_on": "2026-05-10", "reference": "R", "x": 1}, {"x"}),
        ("{not json", {"body"}),
        ("[1, 2]", {"body"}),
    ],
)
def test_bad_money_input_names_each_offending_field(
    world: World, client: Client, admin: dict[str, str], body: Any, fields: set[str]
) -> None:
    member_id = world.member("Anna", "anna@example.nl")

    status, answer = call(client, "POST", f"/members/{member_id}/payments", body, admin)

    assert status == 400
    assert {f["field"] for f in answer["fields"]} == fields


def test_application_validation_and_conflicts(client: Client, world: World) -> None:
    status, answer = call(client, "POST", "/applications", APPLICATION | {"years_experience": 3})
    assert status == 400
    assert answer["error"] == "too_little_experience"
    assert "5 jaar" in answer["message"]
    assert [(f["field"], f["code"], f["message"]) for f in answer["fields"]] == [
        ("years_experience", "below_minimum", "Minimaal 5 jaar.")
    ]

    status, answer = call(client, "POST", "/applications", {"name": "x"})
    assert status == 400
    assert {f["field"] for f in answer["fields"]} == {"email", "disciplines", "years_experience"}

    assert call(client, "POST", "/applications", APPLICATION)[0] == 201
    assert call(client, "POST", "/applications", APPLICATION)[0] == 409


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "garbage",
        "Bearer",
        "Bearer not.a.jwt",
        "Basic dXNlcjpwYXNz",
        # alg none, and HS256 signed with a guessable secret
        "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIn0.",
        "Bearer eyJhbGciOiJIUzI1NiIsImtpZCI6ImR1bW15In0.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    ],
)
def test_missing_or_bad_tokens_are_401(client: Client, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    status, answer = call(client, "GET", "/members/me", headers=headers)

    assert status == 401
    assert answer["error"] == "unauthenticated"


def test_members_cannot_use_admin_routes(world: World, client: Client) -> None:
    member_id = world.member("Anna", "anna@example.nl")
    anna = world.headers("anna@example.nl")

    assert call(client, "GET", "/applications", headers=anna)[0] == 403
    assert call(client, "GET", f"/members/{member_id}/statement", headers=anna)[0] == 403


def test_access_tokens_work_like_id_tokens(world: World, client: Client) -> None:
    world.member("Anna", "anna@example.nl")
    token = world.token("anna@example.nl", kind="AccessToken")

    status, me = call(client, "GET", "/members/me", headers={"Authorization": f"Bearer {token}"})

    assert (status, me["email"]) == (200, "anna@example.nl")


def test_a_cancelled_members_token_is_refused(world: World, client: Client) -> None:
    world.member("Anna", "anna@example.nl")
    anna = world.headers("anna@example.nl")

    assert call(client, "POST", "/members/me/cancel", headers=anna)[0] == 200
    status, answer = call(client, "GET", "/members/me/coins", headers=anna)

    assert status == 403
    assert answer["error"] == "membership_cancelled"
    assert answer["message"] == "Je lidmaatschap is opgezegd."


def test_profile_and_directory(world: World, client: Client) -> None:
    world.member("Anna", "anna@example.nl", disciplines=["ux-design"])
    world.member("Bram", "bram@example.nl", disciplines=["data-engineering"])
    anna = world.headers("anna@example.nl")

    status, me = call(
        client, "PATCH", "/members/me", {"headline": "UX lead", "available": False}, anna
    )
    assert (status, me["headline"], me["available"]) == (200, "UX lead", False)

    status, page = call(client, "GET", "/members?discipline=data-engineering", headers=anna)
    assert [m["name"] for m in page["items"]] == ["Bram"]
    status, page = call(client, "GET", "/members?available=false", headers=anna)
    assert [m["name"] for m in page["items"]] == ["Anna"]
    status, answer = call(client, "GET", "/members?limit=500", headers=anna)
    assert (status, answer["fields"][0]["field"]) == (400, "limit")


def test_directory_pages_through_every_member_once(world: World, client: Client) -> None:
    for n in range(5):
        world.member(f"Member {n}", f"m{n}@example.nl")
    headers = world.headers("m0@example.nl")
    seen: list[str] = []
    cursor = None
    while True:
        path = "/members?limit=2" + (f"&cursor={cursor}" if cursor else "")
        status, page = call(client, "GET", path, headers=headers)
        assert status == 200
        seen += [m["name"] for m in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break

    assert seen == [f"Member {n}" for n in range(5)]
    assert call(client, "GET", "/members?cursor=bogus", headers=headers)[0] == 400


def test_unknown_things_are_404(world: World, client: Client, admin: dict[str, str]) -> None:
    assert call(client, "GET", "/members/nobody", headers=admin)[0] == 404
    assert call(client, "POST", "/applications/nobody/approve", headers=admin)[0] == 404


def test_openapi_describes_every_route(client: Client) -> None:
    status, document = call(client, "GET", "/openapi.json")

    assert status == 200
    assert document["openapi"].startswith("3.")
    routes = {(p, m) for p, ops in document["paths"].items() for m in ops}
    for path, resource in app.routes.items():
        for method in resource:
            if path != "/openapi.json" and method != "OPTIONS":  # CORS preflight plumbing
                assert (path, method.lower()) in routes
    schema = document["paths"]["/applications"]["post"]["requestBody"]["content"]
    assert schema["application/json"]["schema"]["$ref"].endswith("ApplicationIn")


def test_health_is_public(client: Client) -> None:
    status, health = call(client, "GET", "/health")
    assert (status, health["status"]) == (200, "ok")


def test_oversized_ids_are_unknown_not_a_crash(
    world: World, client: Client, admin: dict[str, str]
) -> None:
    long_id = "x" * 3000
    assert call(client, "GET", f"/members/{long_id}", headers=admin)[0] == 404
    assert call(client, "GET", f"/opportunities/{long_id}", headers=admin)[0] == 404
