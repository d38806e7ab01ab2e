"""Regression tests for the contract findings of the outside audit (issue 8)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.conftest import ROOT, World

SUPERSCRIPT_2026 = "\u00b2\u2070\u00b2\u2076"  # str.isdigit() says yes
APPLICATION = {
    "name": "Fleur Mulder",
    "email": "fleur@example.nl",
    "disciplines": ["legal"],
    "years_experience": 15,
}


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def admin(world: World) -> dict[str, str]:
    world.member("Ton", "ton@example.nl", admin=True)
    return world.headers("ton@example.nl")


def call(
    client: Client, method: str, path: str, headers: dict[str, str], body: Any = None
) -> tuple[int, Any]:
    response = client.http.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers={"Content-Type": "application/json", **headers},
    )
    return response.status_code, json.loads(response.body) if response.body else None


def fields(answer: Any) -> list[str]:
    return [f["field"] for f in answer["fields"]]


def test_too_little_experience_is_a_400_naming_years_experience(client: Client) -> None:
    status, answer = call(
        client, "POST", "/applications", {}, APPLICATION | {"years_experience": 3}
    )

    assert (status, fields(answer)) == (400, ["years_experience"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Fleur\u0000Mulder"),
        ("name", "Fleur \u202eredluM"),
        ("name", "Fleur\u2066Mulder\u2069"),
        ("motivation", "I would like\u0007 to join"),
        ("disciplines", ["legal\u202e"]),
    ],
)
def test_control_and_bidi_override_characters_are_refused_by_field(
    client: Client, field: str, value: Any
) -> None:
    status, answer = call(client, "POST", "/applications", {}, APPLICATION | {field: value})

    assert status == 400
    assert fields(answer)[0].split(".")[0] == field
    assert answer["fields"][0]["code"] == "control_characters"
    assert "tekens" in answer["fields"][0]["message"]  # Dutch, in words


def test_line_breaks_stay_allowed_in_long_texts(client: Client) -> None:
    body = APPLICATION | {"motivation": "First line.\nSecond line.\n\tIndented."}

    assert call(client, "POST", "/applications", {}, body)[0] == 201


def test_an_empty_profile_patch_is_a_400(
    world: World, client: Client, admin: dict[str, str]
) -> None:
    status, answer = call(client, "PATCH", "/members/me", admin, {})

    assert status == 400
    assert answer["fields"][0]["code"] == "nothing_to_change"
    assert answer["fields"][0]["message"] == "Wijzig minstens één veld."
    assert call(client, "PATCH", "/members/me", admin, {"headline": None})[0] == 400
    assert call(client, "PATCH", "/members/me", admin, {"language": "en"})[1]["language"] == "en"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/pots/{SUPERSCRIPT_2026}"),
        ("GET", f"/distributions/{SUPERSCRIPT_2026}"),
        ("POST", f"/jobs/distributions/{SUPERSCRIPT_2026}"),
        ("POST", "/jobs/dues/0000-Q1"),
        ("POST", "/jobs/dues/0001-Q1"),
        ("POST", f"/jobs/dues/{SUPERSCRIPT_2026}-Q1"),
        ("GET", "/ledger/export?from=9999-12-01&to=9999-12-31"),
        ("GET", "/members/me/coins?year=9999"),
    ],
)
def test_odd_years_are_a_400_not_a_500(
    client: Client, admin: dict[str, str], method: str, path: str
) -> None:
    status, answer = call(client, method, path, admin)

    assert status == 400
    assert answer["fields"]


def test_a_zero_registration_fee_still_admits_completely(
    world: World, client: Client, admin: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Audit: a stage policy with a registration fee of 0 made every approval a 500 and left
    the member half-admitted (no invitation, no recruiter coins)."""
    from dataclasses import replace

    services = world.services
    free = replace(services.policy, registration_fee_cents=0)
    monkeypatch.setattr(services.membership, "policy", free)
    recruiter = world.member("Mieke", "mieke@example.nl")
    _, created = call(
        client,
        "POST",
        "/applications",
        {},
        APPLICATION | {"referred_by_email": "mieke@example.nl"},
    )

    status, member = call(client, "POST", f"/applications/{created['id']}/approve", admin)

    assert (status, member["status"]) == (200, "active")
    assert services.accounts.statement(member["id"], 50, None).owed_cents == 5000  # dues only
    assert services.coins.coins_of(recruiter, 2026).total == 10
    user = world.cognito.admin_get_user(UserPoolId=world.pool_id, Username="fleur@example.nl")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"  # invited


def test_references_are_unique_across_members_over_the_api(
    world: World, client: Client, admin: dict[str, str]
) -> None:
    anna = world.member("Anna", "anna@example.nl")
    bram = world.member("Bram", "bram@example.nl")
    money = {"amount_cents": 5000, "received_on": "2026-05-01", "reference": "NL91-0001"}

    assert call(client, "POST", f"/members/{anna}/payments", admin, money)[0] == 201
    status, answer = call(client, "POST", f"/members/{bram}/payments", admin, money)

    assert status == 409
    assert answer["error"] == "reference_already_booked"
    assert "Anna" in answer["message"] and anna not in answer["message"]  # a name, not an id
