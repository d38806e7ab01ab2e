"""Mail intake through the app: the SNS handler as Lambda calls it, the admins' intake
routes, attachment links for members."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.conftest import ROOT, World
from tests.intake_helpers import corpus, deliver, make_bucket, notification, people


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    make_bucket()
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def members(world: World, client: Client) -> dict[str, str]:
    return people(world)


def call(client: Client, method: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
    response = client.http.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers=headers | {"Content-Type": "application/json"},
    )
    return response.status_code, json.loads(response.body)


def test_the_sns_handler_turns_a_mail_into_an_opportunity(
    world: World, client: Client, members: dict[str, str]
) -> None:
    message = notification(corpus("gmail_alternative.eml"), "ses-1")
    event = client.events.generate_sns_event(message=message, subject="Amazon SES Email Receipt")

    first = client.lambda_.invoke("intake_mail", event).payload
    again = client.lambda_.invoke("intake_mail", event).payload

    assert first["status"] == "accepted" and first["intake_id"] == "ses-1"
    assert again == first
    status, opportunity = call(
        client, "GET", f"/opportunities/{first['opportunity_id']}", world.headers("ton@example.nl")
    )
    assert status == 200
    assert opportunity["referrer_id"] == members["mieke"]
    assert opportunity["intake_id"] == "ses-1"
    assert opportunity["recognised"] == [
        {"discipline": "data-engineering", "words": ["Data engineering", "data-engineer"]}
    ]


def test_the_sns_handler_answers_garbage_with_a_record(world: World, client: Client) -> None:
    event = client.events.generate_sns_event(message="\x00 not an SES notification")

    outcome = client.lambda_.invoke("intake_mail", event).payload

    assert (outcome["status"], outcome["reason"]) == ("rejected", "invalid_notification")


def test_admins_list_intake_by_status_and_members_may_not(
    world: World, client: Client, members: dict[str, str]
) -> None:
    deliver(world, corpus("gmail_alternative.eml"), message_id="good")
    deliver(world, corpus("unknown_sender.eml"), message_id="stranger")
    admin, member = world.headers("ton@example.nl"), world.headers("mieke@example.nl")

    _, everything = call(client, "GET", "/intake", admin)
    _, rejected = call(client, "GET", "/intake?status=rejected", admin)
    status, _ = call(client, "GET", "/intake", member)

    assert {i["id"] for i in everything["items"]} == {"good", "stranger"}
    [stranger] = rejected["items"]
    assert stranger["from"] == "jobs@recruiter.example"
    assert (stranger["status"], stranger["reason"]) == ("rejected", "unknown_sender")
    assert stranger["reason_text"] == "the sender is not a member"
    assert stranger["subject"] == "Data engineering kandidaten beschikbaar!"
    assert stranger["message_id"] == "stranger" and stranger["opportunity_id"] is None
    assert status == 403
    assert call(client, "GET", "/intake?status=pending", admin)[0] == 400


def test_an_admin_accepts_a_rejected_mail_for_a_member(
    world: World, client: Client, members: dict[str, str]
) -> None:
    deliver(world, corpus("unknown_sender.eml"), message_id="stranger")
    admin = world.headers("ton@example.nl")
    path = "/intake/stranger/accept"
    body = {"referrer_member_id": members["mieke"], "disciplines": ["UX-ontwerper", "Logistiek"]}

    refused = call(client, "POST", path, admin, body | {"disciplines": ["de"]})
    status, opportunity = call(client, "POST", path, admin, body)
    replayed, again = call(client, "POST", path, admin, body)
    other = call(client, "POST", path, admin, {"on_behalf_of_collective": True})
    _, record = call(client, "GET", "/intake/stranger", admin)

    assert refused[0] == 400
    assert [(f["field"], f["code"]) for f in refused[1]["fields"]] == [
        ("disciplines.0", "not_a_discipline")
    ]
    assert status == 201
    assert opportunity["referrer_id"] == members["mieke"]
    assert opportunity["title"] == "Data engineering kandidaten beschikbaar!"
    assert opportunity["disciplines"] == ["ux-design", "logistiek"]  # known by any name
    # the same request again answers the same opportunity; another one is a conflict
    assert (replayed, again["id"]) == (200, opportunity["id"])
    assert other[0] == 409 and other[1]["error"] == "intake_already_accepted"
    assert (record["status"], record["opportunity_id"]) == ("accepted", opportunity["id"])
    assert record["decided_by"] == members["ton"]
    assert len(world.services.opportunities.browse(None, None, 10, None).opportunities) == 1
    pending = world.services.opportunities.store.pending_announcements()
    assert opportunity["id"] in pending  # announced like any other


@pytest.mark.usefixtures("patched_moto")  # moto's own transactions are not thread-safe
def test_the_same_accept_at_the_same_moment_makes_one_opportunity(
    world: World, client: Client, members: dict[str, str]
) -> None:
    deliver(world, corpus("unknown_sender.eml"), message_id="stranger")
    admin = world.headers("ton@example.nl")
    body = {"on_behalf_of_collective": True, "disciplines": ["data-engineering"]}
    gate = threading.Barrier(4)

    def accept(_: int) -> tuple[int, Any]:
        gate.wait()
        return call(client, "POST", "/intake/stranger/accept", admin, body)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(accept, range(4)))

    assert sorted(status for status, _ in answers) == [200, 200, 200, 201]
    assert len({answer["id"] for _, answer in answers}) == 1
    assert len(world.services.opportunities.browse(None, None, 10, None).opportunities) == 1


def test_an_admin_accepts_an_unreadable_mail_for_the_collective_with_a_text(
    world: World, client: Client, members: dict[str, str]
) -> None:
    deliver(world, corpus("broken_mime.eml"), message_id="broken")
    admin = world.headers("ton@example.nl")
    body = {
        "on_behalf_of_collective": True,
        "description": "Data engineer gezocht (mail was onleesbaar).",
        "disciplines": ["data-engineering"],
    }

    status, opportunity = call(client, "POST", "/intake/broken/accept", admin, body)

    assert status == 201
    assert opportunity["referrer_id"] is None
    assert opportunity["title"] == "Kapotte mail over data engineering"  # SES's subject


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"referrer_member_id": "abc", "on_behalf_of_collective": True},
        {"referrer_member_id": "0000000000000000"},
    ],
)
def test_accepting_needs_exactly_one_existing_referrer(
    world: World, client: Client, members: dict[str, str], body: dict[str, Any]
) -> None:
    deliver(world, corpus("unknown_sender.eml"), message_id="stranger")

    status, answer = call(
        client, "POST", "/intake/stranger/accept", world.headers("ton@example.nl"), body
    )

    assert status == 400, answer


def test_members_may_not_accept_and_unknown_intake_is_404(
    world: World, client: Client, members: dict[str, str]
) -> None:
    deliver(world, corpus("unknown_sender.eml"), message_id="stranger")
    body = {"on_behalf_of_collective": True}

    assert (
        call(client, "POST", "/intake/stranger/accept", world.headers("mieke@example.nl"), body)[0]
        == 403
    )
    assert (
        call(client, "POST", "/intake/nope/accept", world.headers("ton@example.nl"), body)[0] == 404
    )


def test_members_get_short_lived_links_to_attachments(
    world: World, client: Client, members: dict[str, str]
) -> None:
    outcome = deliver(world, corpus("attachments.eml"))
    member = world.headers("patrick@example.nl")
    base = f"/opportunities/{outcome.opportunity_id}"

    _, opportunity = call(client, "GET", base, member)
    status, link = call(client, "GET", f"{base}/attachments/2", member)

    assert [a["name"] for a in opportunity["attachments"]] == [
        "attachment-1.png",
        "uitvraag meetnet \u2013 versie 2.pdf",
    ]
    assert status == 200
    assert link["content_type"] == "application/pdf" and link["size"] == 45
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in link["url"] and "X-Amz-Expires=300" in link["url"]
    assert "response-content-disposition" in link["url"]
    for missing in ("3", "0", "x", "9999"):
        assert call(client, "GET", f"{base}/attachments/{missing}", member)[0] == 404
    assert client.http.get(f"{base}/attachments/2").status_code == 401
