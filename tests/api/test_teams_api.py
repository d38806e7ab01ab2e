"""Joint assignments over HTTP: the SPEC's worked example to the cent, what each person sees
of the team (never another member's revenue), the team routes' refusals, and a member's own
assignments as lead, team member and referrer."""

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
    NAMES = (("ton", True), ("patrick", False), ("mieke", False), ("jan", False), ("anna", False))

    def __init__(self, world: World, client: Client) -> None:
        self.client = client
        self.ids: dict[str, str] = {}
        self.headers: dict[str, dict[str, str]] = {}
        for name, admin in self.NAMES:
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


def patrick_refers_mieke_leads(people: People) -> str:
    opportunity = {"title": "Datamigratie", "description": "d", "disciplines": ["legal"]}
    status, posted = people.call("patrick", "POST", "/opportunities", opportunity)
    assert status == 201
    path = f"/opportunities/{posted['id']}"
    assert people.call("mieke", "POST", f"{path}/interest", {})[0] == 200
    status, assignment = people.call(
        "mieke", "POST", f"{path}/assignment", {"contribution": "small", "starts_on": "2026-06-01"}
    )
    assert status == 201
    return str(assignment["id"])


def invoice(people: People, who: str, assignment: str, cents: int, ref: str) -> dict[str, Any]:
    body = {"amount_cents": cents, "invoice_ref": ref, "invoiced_on": "2026-07-01"}
    status, booked = people.call(who, "POST", f"/assignments/{assignment}/revenue", body)
    assert status == 201, booked
    return dict(booked)


def test_the_worked_example_over_http(people: People) -> None:
    assignment = patrick_refers_mieke_leads(people)
    team = f"/assignments/{assignment}/team"
    status, invited = people.call("mieke", "POST", team, {"member_id": people.ids["jan"]})
    assert (status, invited) == (201, {"member_id": people.ids["jan"], "status": "invited"})
    assert people.call("jan", "POST", f"{team}/accept")[1]["status"] == "active"

    first = invoice(people, "mieke", assignment, 2_000_000, "1")
    assert first == {
        "fee_cents": 300_000,
        "referrer_share_cents": 150_000,
        "collective_share_cents": 150_000,
        "pot_share_cents": 75_000,
        "cumulative_revenue_cents": 2_000_000,
        "cumulative_fee_cents": 300_000,
        "fee_cap_cents": 500_000,
        "my_revenue_cents": 2_000_000,
        "my_fee_cents": 300_000,
    }
    second = invoice(people, "jan", assignment, 2_000_000, "1")  # Jan's own invoice 1
    assert second == {
        "fee_cents": 200_000,
        "referrer_share_cents": 100_000,
        "collective_share_cents": 100_000,
        "pot_share_cents": 50_000,
        "cumulative_revenue_cents": 4_000_000,
        "cumulative_fee_cents": 500_000,
        "fee_cap_cents": 500_000,
        "my_revenue_cents": 2_000_000,
        "my_fee_cents": 250_000,
    }
    third = invoice(people, "jan", assignment, 1_000_000, "2")
    assert (third["fee_cents"], third["referrer_share_cents"], third["pot_share_cents"]) == (
        0,
        0,
        0,
    )
    assert (third["my_revenue_cents"], third["my_fee_cents"]) == (3_000_000, 300_000)
    assert invoice(people, "jan", assignment, 1_000_000, "2") == third  # a replay

    path = f"/assignments/{assignment}"
    _, for_mieke = people.call("mieke", "GET", path)
    assert (for_mieke["my_revenue_cents"], for_mieke["my_fee_cents"]) == (2_000_000, 200_000)
    assert for_mieke["cumulative_fee_cents"] == 500_000
    assert [(m["name"], m["role"], m["status"]) for m in for_mieke["team"]] == [
        ("Mieke", "lead", "active"),
        ("Jan", "member", "active"),
    ]
    _, for_jan = people.call("jan", "GET", path)
    assert (for_jan["my_revenue_cents"], for_jan["my_fee_cents"]) == (3_000_000, 300_000)
    # never another member's revenue: not in the team, not in the reports
    assert all(m["revenue_cents"] is None and m["fee_cents"] is None for m in for_jan["team"])
    assert sorted(r["amount_cents"] for r in for_jan["reports"]) == [1_000_000, 2_000_000]
    _, for_patrick = people.call("patrick", "GET", path)
    assert for_patrick["cumulative_referrer_share_cents"] == 250_000
    assert for_patrick["reports"] == [] and for_patrick["my_fee_cents"] is None
    _, for_ton = people.call("ton", "GET", path)
    assert [(m["revenue_cents"], m["fee_cents"]) for m in for_ton["team"]] == [
        (2_000_000, 200_000),
        (3_000_000, 300_000),
    ]
    assert len(for_ton["reports"]) == 3

    # Mieke's statement says on which assignment her share of the fee went down, twice
    _, statement = people.call("mieke", "GET", "/members/me/statement")
    moved = (
        "Je deel van de fee op \u201cDatamigratie\u201d veranderde: de omzet van het team groeide"
    )
    assert sorted(e["amount_cents"] for e in statement["entries"] if e["description"] == moved) == [
        -50_000,
        -50_000,
    ]
    # Jan's statement: his fees, and no word of Mieke's figures
    _, statement = people.call("jan", "GET", "/members/me/statement")
    assert statement["owed_cents"] == 300_000 + 10_000  # fees + registration and dues
    # the lists: Jan as team member, Mieke as lead, Patrick as referrer, own figures only
    _, jans = people.call("jan", "GET", "/members/me/assignments")
    [row] = jans["items"]
    assert (row["team_role"], row["team_status"]) == ("member", "active")
    assert (row["my_revenue_cents"], row["my_fee_cents"]) == (3_000_000, 300_000)
    _, miekes = people.call("mieke", "GET", "/members/me/assignments")
    assert [(r["team_role"], r["my_fee_cents"]) for r in miekes["items"]] == [("lead", 200_000)]
    _, patricks = people.call("patrick", "GET", "/members/me/assignments?role=referrer")
    assert [(r["cumulative_fee_cents"], r["my_fee_cents"]) for r in patricks["items"]] == [
        (500_000, 0)
    ]


def test_who_has_revenue_is_told_without_an_amount_to_whoever_may_take_a_member_off(
    people: People,
) -> None:
    assignment = patrick_refers_mieke_leads(people)
    path, team = f"/assignments/{assignment}", f"/assignments/{assignment}/team"
    for name in ("jan", "anna"):
        assert people.call("mieke", "POST", team, {"member_id": people.ids[name]})[0] == 201
        assert people.call(name, "POST", f"{team}/accept")[0] == 200
    invoice(people, "mieke", assignment, 2_000_000, "1")
    # Jan's credit note takes him back to 0: he reported, so he stays all the same
    invoice(people, "jan", assignment, 1_000_000, "J1")
    assert invoice(people, "jan", assignment, -1_000_000, "J2")["my_revenue_cents"] == 0
    everyone = {"Mieke": True, "Jan": True, "Anna": False}

    def flags(who: str) -> dict[str, bool | None]:
        status, seen = people.call(who, "GET", path)
        assert status == 200
        return {m["name"]: m["has_revenue"] for m in seen["team"]}

    # the lead and admins, who may remove members, are told about everyone
    assert flags("mieke") == everyone
    assert flags("ton") == everyone
    # a member only about themselves: with the team's total, another's flag could give away
    # the last one's revenue; the referrer about nobody
    assert flags("jan") == {"Mieke": None, "Jan": True, "Anna": None}
    assert flags("anna") == {"Mieke": None, "Jan": None, "Anna": False}
    assert flags("patrick") == {"Mieke": None, "Jan": None, "Anna": None}
    # a flag, never a figure: the lead sees no one's revenue or fee
    _, for_mieke = people.call("mieke", "GET", path)
    assert all(m["revenue_cents"] is None and m["fee_cents"] is None for m in for_mieke["team"])
    # and the API acts as it says: Jan stays, Anna may be removed
    assert people.call("mieke", "DELETE", f"{team}/{people.ids['jan']}")[0] == 409
    assert people.call("mieke", "DELETE", f"{team}/{people.ids['anna']}")[1]["status"] == "left"
    assert flags("mieke") == everyone


def test_team_routes_refuse_what_the_spec_refuses(world: World, people: People) -> None:
    assignment = patrick_refers_mieke_leads(people)
    team = f"/assignments/{assignment}/team"
    jan, anna = people.ids["jan"], people.ids["anna"]
    assert people.call("jan", "POST", team, {"member_id": anna})[0] == 403  # not the lead
    assert people.call("mieke", "POST", team, {"member_id": jan})[0] == 201
    status, twice = people.call("mieke", "POST", team, {"member_id": jan})
    assert (status, twice["error"]) == (409, "already_on_team")
    assert "Jan" in twice["message"] and jan not in twice["message"]
    assert people.call("anna", "POST", f"{team}/accept")[0] == 403  # not invited
    assert people.call("anna", "POST", f"{team}/decline")[0] == 403
    assert people.call("mieke", "POST", team, {"member_id": "nobody"})[0] == 404
    assert people.call("ton", "POST", team, {"member_id": anna})[0] == 201  # admin invites
    assert people.call("anna", "POST", f"{team}/decline")[1]["status"] == "declined"
    assert people.call("anna", "GET", f"/assignments/{assignment}")[0] == 403
    assert people.call("jan", "POST", f"{team}/accept")[0] == 200

    # an admin reports on Jan's behalf: then Jan stays
    body = {"amount_cents": 100_000, "invoice_ref": "A", "invoiced_on": "2026-07-01"}
    status, booked = people.call(
        "ton", "POST", f"/assignments/{assignment}/revenue", body | {"member_id": jan}
    )
    assert (status, booked["my_revenue_cents"], booked["my_fee_cents"]) == (201, 100_000, 15_000)
    status, stays = people.call("mieke", "DELETE", f"{team}/{jan}")
    assert status == 409 and "omzet" in stays["message"]
    # a member may not name another: 403; an invitee without revenue leaves
    status, _ = people.call(
        "jan", "POST", f"/assignments/{assignment}/revenue", body | {"member_id": anna}
    )
    assert status == 403
    assert people.call("mieke", "POST", team, {"member_id": anna})[0] == 201
    assert people.call("anna", "POST", f"{team}/accept")[0] == 200
    assert people.call("anna", "DELETE", f"{team}/{anna}")[1]["status"] == "left"
    status, _ = people.call("anna", "POST", f"/assignments/{assignment}/revenue", body)
    assert status == 403


def test_the_invitation_mail_links_to_the_assignment_in_the_invitees_language(
    world: World, people: People
) -> None:
    assignment = patrick_refers_mieke_leads(people)
    people.call(
        "mieke", "POST", f"/assignments/{assignment}/team", {"member_id": people.ids["jan"]}
    )
    mail = [m for m in world.sent_mail() if m.to == "jan@example.nl"][-1]
    assert mail.subject == "Mieke nodigt je uit in het team voor \u201cDatamigratie\u201d"
    assert f"/#/assignments/{assignment}" in mail.text
    assert people.ids["mieke"] not in mail.text
    people.call("jan", "POST", f"/assignments/{assignment}/team/accept")
    news = [m for m in world.sent_mail() if m.to == "mieke@example.nl"][-1]
    assert news.subject == "Jan doet mee aan \u201cDatamigratie\u201d"
