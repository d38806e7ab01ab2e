"""The mails and words people read, over HTTP: a replayed request mails nothing more, and
what is answered is in the caller's language with names instead of ids."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.services.opportunities import NewOpportunity
from tests.conftest import ROOT, World

APPLICATION = {
    "name": "Jane Doe",
    "email": "jane@example.com",
    "disciplines": ["data-engineering"],
    "years_experience": 12,
}


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def call(
    client: Client, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    raw = json.dumps(body) if body is not None else None
    response = client.http.request(method, path, body=raw, headers=all_headers)
    content = response.body.decode() if isinstance(response.body, bytes) else response.body
    if response.headers.get("Content-Type", "").startswith("application/json") and content:
        return response.status_code, json.loads(content)
    return response.status_code, content


def subjects_to(world: World, address: str) -> list[str]:
    return [m.subject.strip() for m in world.sent_mail() if m.to == address]


def test_an_application_is_acknowledged_in_the_language_the_browser_asks_for(
    world: World, client: Client
) -> None:
    english = {"Accept-Language": "en-GB,en;q=0.9"}
    assert call(client, "POST", "/applications", APPLICATION, english)[0] == 201
    dutch = APPLICATION | {"email": "anna@example.nl", "name": "Anna"}
    assert call(client, "POST", "/applications", dutch | {"language": "nl"}, english)[0] == 201

    assert subjects_to(world, "jane@example.com") == ["We received your application"]
    assert subjects_to(world, "anna@example.nl") == ["We hebben je aanmelding ontvangen"]


def test_a_replayed_payment_and_approval_mail_nothing_more(world: World, client: Client) -> None:
    world.member("Ton Bakker", "ton@example.nl", admin=True)
    anna = world.member("Anna de Vries", "anna@example.nl")
    admin = world.headers("ton@example.nl")
    payment = {"amount_cents": 10000, "received_on": "2026-05-04", "reference": "NL 0042"}

    first = call(client, "POST", f"/members/{anna}/payments", payment, admin)
    again = call(client, "POST", f"/members/{anna}/payments", payment, admin)

    assert (first[0], first[1]["replayed"], again[1]["replayed"]) == (201, False, True)
    assert first[1]["description"] == "Betaling ontvangen op 4 mei 2026"
    assert subjects_to(world, "anna@example.nl") == ["Betaling ontvangen: € 100,00"]

    claim = world.services.coins.file_claim(anna, "publicity", "Praatje", None)
    approve = f"/coins/claims/{claim.id}/approve"
    assert call(client, "POST", approve, {"coins": 5}, admin)[0] == 200
    assert call(client, "POST", approve, {"coins": 5}, admin)[0] == 200
    assert call(client, "POST", approve, {"coins": 6}, admin)[0] == 409
    assert subjects_to(world, "anna@example.nl")[1:] == ["Je coin-aanvraag is goedgekeurd: 5 coins"]


def test_statement_coins_and_export_speak_the_callers_language(
    world: World, client: Client
) -> None:
    world.member("Ton Bakker", "ton@example.nl", admin=True)
    patrick = world.member("Patrick Jansen", "patrick@example.nl", language="en")
    anna = world.member("Anna de Vries", "anna@example.nl")
    opportunities = world.services.opportunities
    opportunity = opportunities.post(_form("Interim CFO bij een gemeente"), patrick, is_admin=False)
    opportunities.express_interest(opportunity.id, anna, "Graag!")
    opportunities.record_conversation(opportunity.id, anna, date(2026, 5, 1), patrick, False)
    opportunities.close(opportunity.id, "no_deal", patrick, False)

    _, coins = call(client, "GET", "/members/me/coins", headers=world.headers("patrick@example.nl"))
    [no_deal] = [a for a in coins["awards"] if a["reason"] == "no_deal_after_conversation"]
    assert no_deal["description"] == (
        "\u201cInterim CFO bij een gemeente\u201d led to a conversation, closed without a deal"
    )
    assert opportunity.id not in json.dumps(coins["awards"][0]["description"])

    anna_headers = world.headers("anna@example.nl")
    _, statement = call(client, "GET", "/members/me/statement", headers=anna_headers)
    assert {e["description"] for e in statement["entries"]} == {
        "Inschrijfgeld",
        "Contributie 2e kwartaal 2026",
    }

    status, text = call(
        client,
        "GET",
        "/ledger/export?from=2026-05-01&to=2026-05-31",
        headers=world.headers("ton@example.nl"),
    )
    assert status == 200
    assert text.startswith("\ufeffDatum;Boeking;Soort;Rekening;")
    assert ";Anna de Vries;" in text and "Inschrijfgeld" in text


def _form(title: str) -> NewOpportunity:
    return NewOpportunity(title, "Zes maanden", ("finance",), None, None, None, None, False)
