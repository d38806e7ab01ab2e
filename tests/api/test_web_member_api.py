"""What the member-facing web app needs from the API (issue 16): references as banks and
invoices write them, conversations not dated ahead, history naming the candidate, an
interested member's standing as the referrer moves on, and a cancelled member's read-only
view of their own statement."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from chalice.test import Client

from app import app
from tests.api.test_webapp_additions import People
from tests.conftest import ROOT, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def people(world: World, client: Client) -> People:
    return People(world, client)


def posted(people: People) -> str:
    opportunity = {"title": "Grid study", "description": "d", "disciplines": ["data-engineering"]}
    _, answer = people.call("patrick", "POST", "/opportunities", opportunity)
    opportunity_id: str = answer["id"]
    people.call("mieke", "POST", f"/opportunities/{opportunity_id}/interest", {"note": "Yes"})
    return opportunity_id


def test_references_and_invoice_numbers_keep_their_spaces(people: People) -> None:
    opportunity_id = posted(people)
    body = {"contribution": "small", "starts_on": "2026-05-01"}
    _, assignment = people.call(
        "mieke", "POST", f"/opportunities/{opportunity_id}/assignment", body
    )
    revenue = {
        "amount_cents": 100_000,
        "invoice_ref": "INV 2026 / 017",
        "invoiced_on": "2026-05-02",
    }
    status, booked = people.call(
        "mieke", "POST", f"/assignments/{assignment['id']}/revenue", revenue
    )
    assert (status, booked["fee_cents"]) == (201, 15_000)
    _, shown = people.call("mieke", "GET", f"/assignments/{assignment['id']}")
    assert [r["invoice_ref"] for r in shown["reports"]] == ["INV 2026 / 017"]

    payment = {"amount_cents": 5000, "received_on": "2026-05-03", "reference": " RF18 5390 0754 "}
    status, paid = people.call("ton", "POST", f"/members/{people.ids['mieke']}/payments", payment)
    assert (status, paid["reference"]) == (201, "RF18 5390 0754")  # only the ends trimmed
    _, statement = people.call("mieke", "GET", "/members/me/statement")
    assert "RF18 5390 0754" in [e["reference"] for e in statement["entries"]]
    # a line break is still no reference
    broken = payment | {"reference": "RF18\n5390"}
    assert people.call("ton", "POST", f"/members/{people.ids['mieke']}/payments", broken)[0] == 400


def test_a_conversation_cannot_be_dated_in_the_future(people: People) -> None:
    opportunity_id = posted(people)
    path = f"/opportunities/{opportunity_id}/conversations"
    ahead = {"member_id": people.ids["mieke"], "held_on": "2026-05-05"}  # the clock: May 4th
    status, refused = people.call("patrick", "POST", path, ahead)
    assert (status, refused["error"]) == (400, "conversation_in_the_future")
    [problem] = refused["fields"]
    assert (problem["field"], problem["code"]) == ("held_on", "conversation_in_the_future")
    assert "gesprek" in refused["message"] and "vandaag" in refused["message"]

    status, _ = people.call("patrick", "POST", path, ahead | {"held_on": "2026-05-04"})
    assert status == 201


def test_the_history_names_the_member_in_conversation_and_awarded(people: People) -> None:
    opportunity_id = posted(people)
    talk = {"member_id": people.ids["mieke"], "held_on": "2026-05-01"}
    people.call("patrick", "POST", f"/opportunities/{opportunity_id}/conversations", talk)
    body = {"contribution": "medium", "starts_on": "2026-05-04"}
    people.call("mieke", "POST", f"/opportunities/{opportunity_id}/assignment", body)

    _, shown = people.call("ton", "GET", f"/opportunities/{opportunity_id}")
    events = [(e["action"], e["by"], e["member_id"]) for e in shown["history"]]
    assert events == [
        ("post", people.ids["patrick"], None),
        ("conversation", people.ids["patrick"], people.ids["mieke"]),
        ("award", people.ids["mieke"], people.ids["mieke"]),
    ]


def test_an_interested_members_standing_follows_the_referrers_steps(people: People) -> None:
    opportunity_id = posted(people)
    path = f"/opportunities/{opportunity_id}/interest"
    people.call("ton", "POST", path, {"note": "Me too"})
    assert people.call("mieke", "GET", path)[1]["stage"] == "interested"

    talk = {"member_id": people.ids["mieke"], "held_on": "2026-05-01"}
    people.call("patrick", "POST", f"/opportunities/{opportunity_id}/conversations", talk)
    assert people.call("mieke", "GET", path)[1]["stage"] == "in_conversation"
    assert people.call("ton", "GET", path)[1]["stage"] == "interested"

    body = {"contribution": "small", "starts_on": "2026-05-04"}
    people.call("mieke", "POST", f"/opportunities/{opportunity_id}/assignment", body)
    assert people.call("mieke", "GET", path)[1]["stage"] == "awarded_to_me"
    assert people.call("ton", "GET", path)[1]["stage"] == "awarded_to_other"

    other = posted(people)
    people.call("patrick", "POST", f"/opportunities/{other}/close", {"outcome": "withdrawn"})
    assert people.call("mieke", "GET", f"/opportunities/{other}/interest")[1]["stage"] == "closed"


def test_a_cancelled_member_reads_only_their_profile_statement_and_payment_details(
    world: World, people: People
) -> None:
    assert people.call("mieke", "POST", "/members/me/cancel")[0] == 200

    status, me = people.call("mieke", "GET", "/members/me")
    assert (status, me["status"]) == (200, "cancelled")
    assert me["cancelled_at"] is not None
    status, statement = people.call("mieke", "GET", "/members/me/statement?limit=1")
    assert status == 200
    assert statement["owed_cents"] == 10_000  # the registration fee and the first dues
    assert (
        people.call("mieke", "GET", f"/members/me/statement?limit=1&cursor={statement['next']}")[0]
        == 200
    )
    status, details = people.call("mieke", "GET", "/members/me/payment-details")
    assert status == 200 and details["reference"]  # where to pay what is still owed
    for method, path in (
        ("GET", "/members/me/coins"),
        ("PATCH", "/members/me"),
        ("GET", "/opportunities"),
        ("GET", "/members"),
    ):
        status, _ = people.call(
            "mieke", method, path, {"headline": "x"} if method == "PATCH" else None
        )
        assert status == 403, (method, path)
