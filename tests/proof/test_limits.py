"""Inputs at and past the limits: a 4xx that names the problem, never a 500, nothing written.

Oversized bodies, long strings and ids, deeply nested JSON, huge lists, and odd Unicode (lone
surrogates, NUL, right-to-left overrides, invalid UTF-8) on the public application form and on
money routes. After each refusal both tables hold exactly what they held before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.conftest import ROOT, TABLE, World
from tests.proof.aws_state import dump

APPLICATION = {
    "name": "Fleur Mulder",
    "email": "fleur@example.nl",
    "disciplines": ["legal"],
    "years_experience": 15,
}
PAYMENT = {"amount_cents": 5000, "received_on": "2026-05-04", "reference": "NL91-0001"}


@dataclass(frozen=True)
class Case:
    name: str
    route: str  # "APPLY" or "PAY" or "GET <path>"
    body: bytes | None
    status: int
    names: str  # what the answer's message or fields must mention


def apply_with(**fields: Any) -> bytes:
    return json.dumps(APPLICATION | fields).encode()


def raw(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


CASES = [
    Case("body over 256 KB", "APPLY", apply_with(motivation="x" * 300_000), 413, "256 kB"),
    Case("body of 10 MB", "PAY", b'{"reference": "' + b"x" * 10_000_000 + b'"}', 413, "256 kB"),
    Case("name of 201 characters", "APPLY", apply_with(name="x" * 201), 400, "name"),
    Case("motivation of 4001", "APPLY", apply_with(motivation="x" * 4001), 400, "motivation"),
    Case("email of 300", "APPLY", apply_with(email="a" * 290 + "@example.nl"), 400, "email"),
    Case(
        "reference of 101",
        "PAY",
        json.dumps(PAYMENT | {"reference": "R" * 101}).encode(),
        400,
        "reference",
    ),
    Case(
        "10,000 disciplines",
        "APPLY",
        apply_with(disciplines=["legal"] * 10_000),
        400,
        "disciplines",
    ),
    Case(
        "JSON nested 50,000 deep",
        "APPLY",
        b'{"name": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        400,
        "body",
    ),
    Case("nested objects 1,000 deep", "PAY", b'{"a":' * 1000 + b"1" + b"}" * 1000, 400, "body"),
    Case(
        "a lone surrogate, raw",
        "APPLY",
        apply_with(name="F").replace(b'"F"', raw('"\ud800"')),
        400,
        "body",
    ),
    Case("a lone surrogate, escaped", "APPLY", apply_with(name="Fleur \udfff"), 400, "not_json"),
    Case("NUL in a name", "APPLY", apply_with(name="Fleur\u0000Mulder"), 400, "name"),
    Case(
        "right-to-left override",
        "PAY",
        json.dumps(PAYMENT | {"reference": "NL\u202e91"}).encode(),
        400,
        "reference",
    ),
    Case(
        "invalid UTF-8",
        "APPLY",
        apply_with(name="Fleur").replace(b"Fleur", b"Fl\xffur"),
        400,
        "body",
    ),
    Case(
        "amount of 10^30 cents",
        "PAY",
        json.dumps(PAYMENT | {"amount_cents": 10**30}).encode(),
        400,
        "amount_cents",
    ),
    Case(
        "amount as a float",
        "PAY",
        json.dumps(PAYMENT | {"amount_cents": 50.5}).encode(),
        400,
        "amount_cents",
    ),
    Case("query of 2001 characters", "GET /members?cursor=" + "x" * 2001, None, 400, "cursor"),
    Case("path id of 500 characters", "GET /members/" + "x" * 500, None, 404, "member_not_found"),
    Case("limit of 10^6", "GET /members?limit=1000000", None, 400, "limit"),
]
ACCEPTED = [
    ("emoji", "Fleur \U0001f337 Mulder"),
    ("combining marks", "Ame\u0301lie Mulder"),
    ("right-to-left script", "\u0641\u0644\u0648\u0631"),
    ("zero-width joiner", "\U0001f469\u200d\U0001f4bb Fleur"),
]


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def admin(world: World) -> dict[str, str]:
    world.member("Ton", "ton@example.nl", admin=True)
    return world.headers("ton@example.nl")


def tables() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return dump(TABLE), dump(f"{TABLE}-ledger")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_past_a_limit_is_a_clear_4xx_and_writes_nothing(
    world: World, client: Client, admin: dict[str, str], case: Case
) -> None:
    anna = world.member("Anna", "anna@example.nl")
    before = tables()
    headers = {"Content-Type": "application/json"}
    if case.route == "APPLY":
        method, path = "POST", "/applications"
    elif case.route == "PAY":
        method, path, headers = "POST", f"/members/{anna}/payments", headers | admin
    else:
        (method, path), headers = case.route.split(" ", 1), headers | admin

    response = client.http.request(method, path, body=case.body, headers=headers)

    answer = json.loads(response.body)
    assert response.status_code == case.status, answer
    fields = answer.get("fields", [])
    mentioned = " ".join(
        [
            answer["error"],
            answer["message"],
            *(f"{f['field']} {f['code']} {f['message']}" for f in fields),
        ]
    )
    assert case.names in mentioned, answer
    assert tables() == before, "a refused request wrote something"


@pytest.mark.parametrize(("what", "name"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_names_in_any_script_are_welcome_and_kept_as_written(
    world: World, client: Client, admin: dict[str, str], what: str, name: str
) -> None:
    response = client.http.post(
        "/applications", body=apply_with(name=name), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 201, response.body
    listed = client.http.get("/applications", headers=admin)
    assert [a["name"] for a in json.loads(listed.body)["items"]] == [name]
