"""Payout batches over HTTP: prepare, four eyes, approve, the pain.001 file (valid against the
official XSD, the same bytes every time, only after approval), and who may do what."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib import bootstrap
from chalicelib.clock import SystemClock
from chalicelib.services.identity import CognitoIdentity
from tests.api import test_webapp_additions as shared
from tests.api.test_webapp_additions import People, awarded
from tests.conftest import ROOT, SESSION, World
from tests.pain001_schema import assert_valid_pain001

IBAN = "NL44 RABO 0123 4567 89"


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def people(world: World, client: Client) -> People:
    """Ton and Anna (both admins), Patrick (referrer, owed his share) and Mieke."""
    crew = shared.People(world, client)
    email = "anna@example.nl"
    crew.ids["anna"] = world.member("Anna", email, admin=True)
    crew.headers["anna"] = world.headers(email)
    return crew


def patrick_is_owed(people: People, world: World) -> None:
    """Patrick's share of Mieke's fee: the collective owes him 1.500,00; he owes 100,00."""
    _, assignment_id = awarded(people)
    revenue = {"amount_cents": 2_000_000, "invoice_ref": "INV-1", "invoiced_on": "2026-07-01"}
    assert people.call("mieke", "POST", f"/assignments/{assignment_id}/revenue", revenue)[0] == 201
    world.services.bank_accounts.register(people.ids["patrick"], IBAN, "P. Jansen & Zn")


def file_of(client: Client, people: People, who: str, batch_id: str) -> Any:
    return client.http.get(
        f"/bank/payout-batches/{batch_id}/pain.001.xml", headers=people.headers[who]
    )


def test_prepare_review_approve_by_the_other_admin_and_download(
    people: People, world: World, client: Client
) -> None:
    patrick_is_owed(people, world)
    status, batch = people.call("ton", "POST", "/bank/payout-batches")
    assert status == 201
    assert batch["status"] == "prepared" and batch["prepared_by_name"] == "Ton"
    [item] = batch["items"]
    assert (item["name"], item["offset_cents"], item["amount_cents"]) == (
        "Patrick",
        10_000,
        140_000,
    )
    assert (batch["total_cents"], batch["offset_cents"], batch["transfer_count"]) == (
        140_000,
        10_000,
        1,
    )
    assert batch["skipped"] == [] and batch["may_approve"] is False
    batch_id = batch["id"]
    _, listed = people.call("anna", "GET", "/bank/payout-batches")
    assert [(b["id"], b["status"], b["may_approve"]) for b in listed["items"]] == [
        (batch_id, "prepared", True)  # the other admin finds it awaiting her approval
    ]

    early = file_of(client, people, "ton", batch_id)
    assert early.status_code == 409
    assert "goedgekeurd" in json.loads(early.body)["message"]

    status, refused = people.call("ton", "POST", f"/bank/payout-batches/{batch_id}/approve")
    assert status == 403
    assert refused["error"] == "payout_batch_four_eyes"
    assert "andere beheerder" in refused["message"]
    _, unchanged = people.call("ton", "GET", f"/bank/payout-batches/{batch_id}")
    assert unchanged["status"] == "prepared"
    assert people.call("anna", "GET", f"/bank/payout-batches/{batch_id}")[1]["may_approve"] is True

    status, approved = people.call("anna", "POST", f"/bank/payout-batches/{batch_id}/approve")
    assert status == 200
    assert (approved["status"], approved["approved_by_name"], approved["replayed"]) == (
        "approved",
        "Anna",
        False,
    )
    assert [i["status"] for i in approved["items"]] == ["booked"]
    _, statement = people.call("patrick", "GET", "/members/me/statement")
    assert (statement["owed_cents"], statement["to_receive_cents"]) == (0, 0)
    lines = {(e["account"], e["description"], e["amount_cents"]) for e in statement["entries"]}
    assert ("owed", "Verrekend met wat je van ons te ontvangen had", -10_000) in lines
    assert ("to_receive", "Verrekend met wat je ons verschuldigd was", -10_000) in lines
    assert any(d.startswith("Uitbetaald op") and a == -140_000 for _, d, a in lines)

    status, again = people.call("anna", "POST", f"/bank/payout-batches/{batch_id}/approve")
    assert (status, again["replayed"]) == (200, True)
    assert people.call("patrick", "GET", "/members/me/statement")[1]["to_receive_cents"] == 0

    first, second = (
        file_of(client, people, "ton", batch_id),
        file_of(client, people, "anna", batch_id),
    )
    assert first.status_code == 200
    assert first.headers["Content-Type"].startswith("application/xml")
    assert "pain.001.xml" in first.headers["Content-Disposition"]
    assert first.body == second.body
    body = first.body if isinstance(first.body, bytes) else first.body.encode()
    document = assert_valid_pain001(body)["CstmrCdtTrfInitn"]
    assert document["GrpHdr"]["NbOfTxs"] == "1"
    assert Decimal(str(document["GrpHdr"]["CtrlSum"])) == Decimal("1400.00")
    payment = document["PmtInf"][0]
    assert payment["Dbtr"]["Nm"] == "Co-operations"
    assert payment["DbtrAcct"]["Id"]["IBAN"] == world.services.policy.bank_iban
    [transfer] = payment["CdtTrfTxInf"]
    assert transfer["Cdtr"]["Nm"] == "P. Jansen + Zn"
    assert transfer["CdtrAcct"]["Id"]["IBAN"] == "NL44RABO0123456789"
    assert transfer["PmtId"]["EndToEndId"] == item["end_to_end_id"]
    assert transfer["RmtInf"]["Ustrd"][0].startswith("Uitbetaling Co-operations")

    # everybody is paid now: a new batch has nobody to pay
    status, nothing = people.call("ton", "POST", "/bank/payout-batches")
    assert (status, nothing["error"]) == (409, "payout_batch_nothing_to_pay")


def test_members_without_an_iban_are_listed_as_skipped(people: People, world: World) -> None:
    _, assignment_id = awarded(people)
    revenue = {"amount_cents": 2_000_000, "invoice_ref": "INV-1", "invoiced_on": "2026-07-01"}
    people.call("mieke", "POST", f"/assignments/{assignment_id}/revenue", revenue)
    status, answer = people.call("ton", "POST", "/bank/payout-batches")
    assert (status, answer["error"]) == (409, "payout_batch_nothing_to_pay")
    assert "zonder IBAN: 1" in answer["message"]


def test_only_admins_see_and_approve_batches(people: People, world: World) -> None:
    patrick_is_owed(people, world)
    _, batch = people.call("ton", "POST", "/bank/payout-batches")
    path = f"/bank/payout-batches/{batch['id']}"
    assert people.call("patrick", "POST", "/bank/payout-batches")[0] == 403
    assert people.call("patrick", "GET", path)[0] == 403
    assert people.call("patrick", "POST", f"{path}/approve")[0] == 403
    assert people.call("ton", "GET", "/bank/payout-batches/0123456789abcdef")[0] == 404
    assert people.call("ton", "POST", "/bank/payout-batches/nope/approve")[0] == 404


def test_a_single_admin_policy_lets_the_preparer_approve(
    people: People, world: World, client: Client
) -> None:
    config = dataclasses.replace(
        world.services.config, policy_overrides={"single_admin_approval": True}
    )
    services = bootstrap.build_services(
        config,
        session=SESSION,
        clock=world.clock,
        token_clock=SystemClock(),
        identity=CognitoIdentity(world.cognito, world.pool_id),
    )
    bootstrap.use(services)
    patrick_is_owed(people, world)
    _, batch = people.call("ton", "POST", "/bank/payout-batches")
    assert batch["may_approve"] is True
    status, approved = people.call("ton", "POST", f"/bank/payout-batches/{batch['id']}/approve")
    assert (status, approved["approved_by_name"]) == (200, "Ton")
