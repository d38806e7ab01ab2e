"""Opportunities and assignments through the API: the SPEC's worked example, permissions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.conftest import ROOT, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


class People:
    def __init__(self, world: World, client: Client) -> None:
        self.client = client
        self.ids: dict[str, str] = {}
        self.headers: dict[str, dict[str, str]] = {}
        for name, admin in (("ton", True), ("patrick", False), ("mieke", False), ("anna", False)):
            email = f"{name}@example.nl"
            self.ids[name] = world.member(name.title(), email, admin=admin)
            self.headers[name] = world.headers(email)

    def call(self, who: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        response = self.client.http.request(
            method,
            path,
            body=json.dumps(body) if body is not None else None,
            headers={"Content-Type": "application/json", **self.headers[who]},
        )
        return response.status_code, json.loads(response.body)


@pytest.fixture
def people(world: World, client: Client) -> People:
    return People(world, client)


OPPORTUNITY = {
    "title": "Interim data architect, provincie",
    "description": "Six months, three days a week",
    "disciplines": ["data-engineering"],
    "sector": "government",
}


def post_and_award(people: People, tier: str = "small") -> tuple[str, str]:
    status, opportunity = people.call("patrick", "POST", "/opportunities", OPPORTUNITY)
    assert status == 201
    path = f"/opportunities/{opportunity['id']}"
    assert people.call("mieke", "POST", f"{path}/interest", {"note": "Did this before"})[0] == 200
    status, assignment = people.call(
        "mieke", "POST", f"{path}/assignment", {"contribution": tier, "starts_on": "2026-06-01"}
    )
    assert status == 201
    return opportunity["id"], assignment["id"]


def test_the_founding_articles_worked_example(world: World, people: People) -> None:
    opportunity_id, assignment_id = post_and_award(people)
    revenue = f"/assignments/{assignment_id}/revenue"

    def report(ref: str, cents: int) -> dict[str, Any]:
        body = {"amount_cents": cents, "invoice_ref": ref, "invoiced_on": "2026-07-01"}
        status, booked = people.call("mieke", "POST", revenue, body)
        assert status == 201
        return {
            k: booked[k]
            for k in (
                "fee_cents",
                "referrer_share_cents",
                "collective_share_cents",
                "pot_share_cents",
            )
        }

    assert report("INV-1", 2_000_000) == {
        "fee_cents": 300000,
        "referrer_share_cents": 150000,
        "collective_share_cents": 150000,
        "pot_share_cents": 75000,
    }
    assert report("INV-2", 2_000_000) == {
        "fee_cents": 200000,
        "referrer_share_cents": 100000,
        "collective_share_cents": 100000,
        "pot_share_cents": 50000,
    }
    assert set(report("INV-3", 1_000_000).values()) == {0}

    status, assignment = people.call("patrick", "GET", f"/assignments/{assignment_id}")
    assert (status, assignment["cumulative_fee_cents"], assignment["remaining_to_cap_cents"]) == (
        200,
        500000,
        0,
    )
    assert [r["invoice_ref"] for r in assignment["reports"]] == ["INV-1", "INV-2", "INV-3"]
    patrick = world.services.accounts.statement(people.ids["patrick"], 50, None)
    mieke = world.services.accounts.statement(people.ids["mieke"], 50, None)
    assert (patrick.to_receive_cents, mieke.owed_cents) == (250000, 10000 + 500000)
    _, opportunity = people.call("anna", "GET", f"/opportunities/{opportunity_id}")
    assert [e["action"] for e in opportunity["history"]] == ["post", "award"]
    assert "tier small" in opportunity["history"][1]["note"]


def test_revenue_reports_are_idempotent_by_invoice_ref(people: People) -> None:
    _, assignment_id = post_and_award(people, "medium")
    path = f"/assignments/{assignment_id}/revenue"
    body = {"amount_cents": 100_000, "invoice_ref": "INV-9", "invoiced_on": "2026-07-01"}

    first = people.call("mieke", "POST", path, body)
    again = people.call("mieke", "POST", path, body)
    changed = people.call("mieke", "POST", path, body | {"amount_cents": 100_001})

    assert first == again
    assert changed[0] == 409
    credit = body | {"invoice_ref": "CN-1", "amount_cents": -100_001}
    assert people.call("mieke", "POST", path, credit)[0] == 409  # below zero revenue
    status, booked = people.call("mieke", "POST", path, credit | {"amount_cents": -40_000})
    assert (status, booked["fee_cents"], booked["cumulative_revenue_cents"]) == (201, -6000, 60000)
    zero = people.call("mieke", "POST", path, body | {"invoice_ref": "Z", "amount_cents": 0})
    assert zero[0] == 400
    assert zero[1]["fields"][0]["field"] == "amount_cents"


def test_who_may_do_what(people: People) -> None:
    status, opportunity = people.call("patrick", "POST", "/opportunities", OPPORTUNITY)
    path = f"/opportunities/{opportunity['id']}"

    assert people.call("patrick", "POST", f"{path}/interest", {})[0] == 403
    assert people.call("anna", "POST", f"{path}/interest", {})[0] == 200
    assert people.call("anna", "POST", f"{path}/interest", {})[0] == 200  # harmless repeat
    assert people.call("anna", "GET", f"{path}/candidates")[0] == 403
    assert people.call("ton", "GET", f"{path}/candidates")[0] == 200
    talk = {"member_id": people.ids["mieke"], "held_on": "2026-05-01"}
    assert people.call("anna", "POST", f"{path}/conversations", talk)[0] == 403
    assert people.call("patrick", "POST", f"{path}/conversations", talk)[0] == 201
    award = {"contribution": "large", "starts_on": "2026-06-01"}
    assert people.call("patrick", "POST", f"{path}/assignment", award)[0] == 403
    assert people.call("ton", "POST", f"{path}/assignment", award)[0] == 403  # not interested
    status, assignment = people.call("mieke", "POST", f"{path}/assignment", award)
    assert (status, assignment["fee_cap_cents"]) == (201, 1_000_000)
    status, refused = people.call("anna", "POST", f"{path}/assignment", award)
    assert status == 409
    assert refused["error"] == "opportunity_awarded"
    assert "gegund" in refused["message"]

    a_path = f"/assignments/{assignment['id']}"
    assert people.call("anna", "GET", a_path)[0] == 403
    for who in ("mieke", "patrick", "ton"):
        assert people.call(who, "GET", a_path)[0] == 200
    revenue = {"amount_cents": 1000, "invoice_ref": "I-1", "invoiced_on": "2026-07-01"}
    assert people.call("patrick", "POST", f"{a_path}/revenue", revenue)[0] == 403
    assert people.call("anna", "POST", f"{a_path}/revenue", revenue)[0] == 403
    assert people.call("ton", "POST", f"{a_path}/revenue", revenue)[0] == 201  # on Mieke's behalf
    reports = people.call("mieke", "GET", a_path)[1]["reports"]
    assert [r["reported_by"] for r in reports] == [people.ids["ton"]]
    assert people.call("mieke", "POST", "/assignments/nope/revenue", revenue)[0] == 404


def test_closing_after_a_conversation_rewards_the_referrer_once(
    world: World, people: People
) -> None:
    _, opportunity = people.call("patrick", "POST", "/opportunities", OPPORTUNITY)
    path = f"/opportunities/{opportunity['id']}"
    talk = {"member_id": people.ids["anna"], "held_on": "2026-05-01"}
    people.call("patrick", "POST", f"{path}/conversations", talk)

    assert people.call("anna", "POST", f"{path}/close", {"outcome": "no_deal"})[0] == 403
    status, closed = people.call("patrick", "POST", f"{path}/close", {"outcome": "no_deal"})
    again = people.call("ton", "POST", f"{path}/close", {"outcome": "withdrawn"})

    assert (status, closed["status"], closed["outcome"]) == (200, "closed", "no_deal")
    assert again[0] == 409
    assert again[1]["error"] == "opportunity_closed"
    assert "gesloten" in again[1]["message"]
    _, coins = people.call("patrick", "GET", "/members/me/coins?year=2026")
    assert coins["total"] == 3
    assert [h["to_status"] for h in closed["history"]] == ["open", "in_conversation", "closed"]


def test_withdrawn_and_talkless_closes_award_nothing(people: People) -> None:
    for outcome in ("withdrawn", "no_deal"):
        _, opportunity = people.call("patrick", "POST", "/opportunities", OPPORTUNITY)
        path = f"/opportunities/{opportunity['id']}/close"
        assert people.call("patrick", "POST", path, {"outcome": outcome})[0] == 200

    _, coins = people.call("patrick", "GET", "/members/me/coins?year=2026")
    assert coins["total"] == 0


def test_only_admins_post_for_the_collective_and_then_nobody_gets_a_referral_share(
    world: World, people: People
) -> None:
    body = OPPORTUNITY | {"on_behalf_of_collective": True}
    assert people.call("patrick", "POST", "/opportunities", body)[0] == 403
    status, opportunity = people.call("ton", "POST", "/opportunities", body)
    assert (status, opportunity["referrer_id"]) == (201, None)
    path = f"/opportunities/{opportunity['id']}"
    people.call("mieke", "POST", f"{path}/interest", {})
    _, assignment = people.call(
        "mieke", "POST", f"{path}/assignment", {"contribution": "small", "starts_on": "2026-06-01"}
    )
    revenue = {"amount_cents": 2_000_000, "invoice_ref": "I-1", "invoiced_on": "2026-07-01"}
    _, booked = people.call("mieke", "POST", f"/assignments/{assignment['id']}/revenue", revenue)

    assert (booked["referrer_share_cents"], booked["collective_share_cents"]) == (0, 300000)
    assert booked["pot_share_cents"] == 150000


def test_candidates_are_ranked_by_match_and_explained(world: World, people: People) -> None:
    world.member("Bea", "bea@example.nl", disciplines=["data-engineering"], sectors=["government"])
    bea = world.headers("bea@example.nl")
    _, opportunity = people.call("patrick", "POST", "/opportunities", OPPORTUNITY)
    path = f"/opportunities/{opportunity['id']}"
    people.call("anna", "POST", f"{path}/interest", {})
    people.client.http.post(
        f"{path}/interest", body="{}", headers={"Content-Type": "application/json", **bea}
    )

    _, found = people.call("patrick", "GET", f"{path}/candidates")

    assert [c["name"] for c in found["items"]] == ["Bea", "Anna"]
    assert found["items"][0]["shared_disciplines"] == ["data-engineering"]
    assert "1 shared discipline" in found["items"][0]["explanation"]


def test_listing_filters_and_orders_newest_first(world: World, people: People) -> None:
    from datetime import timedelta

    ids = []
    for n in range(3):
        world.clock.advance(timedelta(minutes=1))
        body = OPPORTUNITY | {"title": f"Opportunity {n}"}
        if n == 1:
            body["disciplines"] = ["ux-design"]
        ids.append(people.call("patrick", "POST", "/opportunities", body)[1]["id"])
    people.call("patrick", "POST", f"/opportunities/{ids[0]}/close", {"outcome": "withdrawn"})

    _, everything = people.call("anna", "GET", "/opportunities")
    _, open_data = people.call(
        "anna", "GET", "/opportunities?status=open&discipline=data-engineering"
    )

    assert [o["id"] for o in everything["items"]] == list(reversed(ids))
    assert [o["id"] for o in open_data["items"]] == [ids[2]]
    assert people.call("anna", "GET", "/opportunities?status=bogus")[0] == 400
