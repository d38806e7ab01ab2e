"""What the members' web app needs besides the SPEC's routes: own assignments, own standing on
an opportunity, own coin claims, how to pay, what the collective owes, the local invitation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib import bootstrap
from chalicelib.domain.references import formatted, payment_reference
from chalicelib.mail.links import Links
from chalicelib.services.identity import MailedInvitationIdentity
from chalicelib.services.mailer import SesMailer
from tests.conftest import ROOT, SENDER, SESSION, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


class People:
    def __init__(self, world: World, client: Client) -> None:
        self.client = client
        self.ids: dict[str, str] = {}
        self.headers: dict[str, dict[str, str]] = {}
        for name, admin in (("ton", True), ("patrick", False), ("mieke", False)):
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


def awarded(people: People) -> tuple[str, str]:
    opportunity = {"title": "Grid study", "description": "d", "disciplines": ["data-engineering"]}
    _, posted = people.call("patrick", "POST", "/opportunities", opportunity)
    people.call("mieke", "POST", f"/opportunities/{posted['id']}/interest", {"note": "Yes!"})
    body = {"contribution": "small", "starts_on": "2026-06-01"}
    status, assignment = people.call(
        "mieke", "POST", f"/opportunities/{posted['id']}/assignment", body
    )
    assert status == 201
    return posted["id"], assignment["id"]


def test_members_see_their_assignments_in_either_role(people: People) -> None:
    _, assignment_id = awarded(people)
    revenue = {"amount_cents": 2_000_000, "invoice_ref": "INV-1", "invoiced_on": "2026-07-01"}
    people.call("mieke", "POST", f"/assignments/{assignment_id}/revenue", revenue)

    _, mine = people.call("mieke", "GET", "/members/me/assignments")
    [executing] = mine["items"]
    assert executing["id"] == assignment_id
    assert executing["opportunity_title"] == "Grid study"
    assert (executing["role"], executing["cumulative_fee_cents"]) == ("executing", 300_000)
    assert people.call("mieke", "GET", "/members/me/assignments?role=referrer")[1]["items"] == []

    _, referred = people.call("patrick", "GET", "/members/me/assignments?role=referrer")
    assert [(a["id"], a["cumulative_referrer_share_cents"]) for a in referred["items"]] == [
        (assignment_id, 150_000)
    ]
    assert people.call("patrick", "GET", "/members/me/assignments")[1]["items"] == []
    assert people.call("ton", "GET", "/members/me/assignments?role=boss")[0] == 400


def test_a_member_sees_their_own_interest_in_an_opportunity(people: People) -> None:
    opportunity = {"title": "Audit", "description": "d", "disciplines": ["finance"]}
    _, posted = people.call("patrick", "POST", "/opportunities", opportunity)
    path = f"/opportunities/{posted['id']}/interest"
    assert people.call("mieke", "GET", path)[1]["interested"] is False

    people.call("mieke", "POST", path, {"note": "I did three of these"})

    _, mine = people.call("mieke", "GET", path)
    assert (mine["interested"], mine["introduced"], mine["note"]) == (
        True,
        False,
        "I did three of these",
    )
    assert people.call("mieke", "GET", "/opportunities/nope/interest")[0] == 404


def test_members_see_their_own_claims_with_status(world: World, people: People) -> None:
    claim = {"activity": "publicity", "description": "Podcast"}
    _, first = people.call("mieke", "POST", "/coins/claims", claim)
    world.clock.advance(timedelta(minutes=1))
    _, second = people.call("mieke", "POST", "/coins/claims", claim | {"description": "Talk"})
    people.call("patrick", "POST", "/coins/claims", claim)
    people.call("ton", "POST", f"/coins/claims/{first['id']}/approve", {"coins": 5})

    _, mine = people.call("mieke", "GET", "/members/me/coins/claims")

    assert [(c["id"], c["status"], c["coins"]) for c in mine["items"]] == [
        (second["id"], "pending", None),
        (first["id"], "approved", 5),
    ]


def test_payment_details_name_the_iban_and_the_members_rf_reference(
    world: World, people: People
) -> None:
    # SPEC "Money through the bank": the reference is the member's ISO 11649 RF reference
    # (RF, check digits, the member number), no longer the member id
    status, details = people.call("mieke", "GET", "/members/me/payment-details")
    assert status == 200
    number = world.services.member_numbers.number_of(people.ids["mieke"])
    assert {k: details[k] for k in ("iban", "account_holder", "reference")} == {
        "iban": "NL91 ABNA 0417 1643 00",
        "account_holder": world.services.policy.bank_account_name,
        "reference": formatted(payment_reference(number)),
    }


def test_payables_list_what_the_collective_owes_until_paid_out(people: People) -> None:
    assert people.call("patrick", "GET", "/admin/payables")[0] == 403
    _, assignment_id = awarded(people)
    revenue = {"amount_cents": 2_000_000, "invoice_ref": "INV-1", "invoiced_on": "2026-07-01"}
    people.call("mieke", "POST", f"/assignments/{assignment_id}/revenue", revenue)

    _, payables = people.call("ton", "GET", "/admin/payables")
    assert [(p["member_id"], p["to_receive_cents"]) for p in payables["items"]] == [
        (people.ids["patrick"], 150_000)
    ]

    payout = {"amount_cents": 150_000, "received_on": "2026-08-01", "reference": "OUT-1"}
    path = f"/members/{people.ids['patrick']}/payouts"
    assert people.call("ton", "POST", path, payout)[0] == 201
    assert people.call("ton", "GET", "/admin/payables")[1]["items"] == []


def test_the_local_stage_mails_the_invitation_with_a_temporary_password(world: World) -> None:
    mailer = SesMailer(SESSION.client("ses"), SENDER)
    identity = MailedInvitationIdentity(world.cognito, world.pool_id, mailer, Links("http://web"))

    identity.invite("fleur@example.nl", "Fleur")
    identity.invite("fleur@example.nl", "Fleur")  # a repeated approval: no second mail

    [mail] = [m for m in world.sent_mail() if m.to == "fleur@example.nl"]
    assert "http://web/#/signin" in mail.text and "http://web/#/signin" in mail.html
    password = re.search(r"tijdelijke wachtwoord: (\S+)", mail.text)
    assert password is not None
    first = world.cognito.initiate_auth(
        ClientId=world.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "fleur@example.nl", "PASSWORD": password.group(1)},
    )
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_the_local_stage_is_wired_with_the_mailed_invitation(world: World) -> None:
    services = bootstrap.build_services(world.services.config, session=SESSION)
    assert isinstance(services.membership.identity, MailedInvitationIdentity)


def test_the_policy_is_public_and_comes_from_the_policy_module(
    world: World, client: Client
) -> None:
    response = client.http.get("/policy")
    assert response.status_code == 200
    answer = json.loads(response.body)
    policy = world.services.policy
    assert answer["fee_cap_cents_by_tier"] == dict(policy.fee_cap_cents_by_tier)
    assert answer["fee_percent"] == policy.fee_percent


def test_too_little_experience_names_the_field(client: Client) -> None:
    application = {
        "name": "Jonge Hond",
        "email": "jong@example.nl",
        "disciplines": ["legal"],
        "years_experience": 3,
    }
    response = client.http.post(
        "/applications",
        body=json.dumps(application),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert [f["field"] for f in json.loads(response.body)["fields"]] == ["years_experience"]
