"""A member's bank account and how to pay, through the API (SPEC "Money through the bank"):
the IBAN checked with a 400 naming the field, answered masked but its last four, a change
mailed to the member, seen only by the member (masked) and admins; payment details with the
member's RF reference and an EPC QR code for what is owed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import segno
from chalice.test import Client

from app import app
from chalicelib.domain.epc_qr import epc_payload
from chalicelib.domain.references import member_number_of, payment_reference
from tests.conftest import ROOT, World

IBAN = "NL91ABNA0417164300"
OTHER_IBAN = "NL20INGB0001234567"


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


class People:
    def __init__(self, world: World, client: Client) -> None:
        self.client = client
        self.world = world
        self.ids: dict[str, str] = {}
        self.headers: dict[str, dict[str, str]] = {}
        for name, admin in (("ton", True), ("mieke", False), ("patrick", False)):
            email = f"{name}@example.nl"
            self.ids[name] = world.member(name.title(), email, admin=admin)
            self.headers[name] = world.headers(email)

    def call(
        self, who: str, method: str, path: str, body: Any = None, language: str = "nl"
    ) -> tuple[int, Any]:
        response = self.client.http.request(
            method,
            path,
            body=json.dumps(body) if body is not None else None,
            headers={
                "Content-Type": "application/json",
                "Accept-Language": language,
                **self.headers[who],
            },
        )
        return response.status_code, json.loads(response.body)

    def mails_to(self, who: str) -> list[Any]:
        return [m for m in self.world.sent_mail() if m.to == f"{who}@example.nl"]


@pytest.fixture
def people(world: World, client: Client) -> People:
    return People(world, client)


def test_a_member_registers_an_iban_answered_masked_and_mailed(people: People) -> None:
    status, empty = people.call("mieke", "GET", "/members/me/bank-account")
    assert (status, empty) == (200, {"iban": None, "account_holder": None, "changed_at": None})

    body = {"iban": "nl91 abna 0417 1643 00", "account_holder": "M. Jansen"}
    status, answer = people.call("mieke", "PUT", "/members/me/bank-account", body)

    assert status == 200
    assert answer["iban"] == "**************4300"
    assert answer["account_holder"] == "M. Jansen"
    assert people.call("mieke", "GET", "/members/me/bank-account")[1] == answer
    mail = people.mails_to("mieke")[-1]
    assert mail.subject == "Je rekeningnummer voor uitbetalingen is vastgelegd"
    assert "**************4300" in mail.text and "M. Jansen" in mail.text
    assert IBAN not in mail.text and "NL91 ABNA" not in mail.text
    assert "penningmeester" in mail.text  # whom to contact when it was not them


def test_a_changed_iban_is_mailed_with_what_it_was_and_the_same_again_mails_nothing(
    world: World, people: People
) -> None:
    people.call("mieke", "PUT", "/members/me/bank-account", {"iban": IBAN, "account_holder": "M"})
    world.clock.advance(timedelta(minutes=3))
    body = {"iban": OTHER_IBAN, "account_holder": "M. Jansen"}
    status, answer = people.call("mieke", "PUT", "/members/me/bank-account", body)
    assert (status, answer["iban"]) == (200, "**************4567")

    mails = people.mails_to("mieke")
    assert len(mails) == 2
    changed = mails[-1]
    assert changed.subject == "Je rekeningnummer voor uitbetalingen is gewijzigd"
    assert "**************4567" in changed.text and "**************4300" in changed.text
    assert OTHER_IBAN not in changed.text

    assert people.call("mieke", "PUT", "/members/me/bank-account", body)[0] == 200
    assert len(people.mails_to("mieke")) == 2  # nothing changed, nothing mailed


def test_two_changes_within_one_clock_tick_are_both_taken_and_both_mailed(
    people: People,
) -> None:
    # The clock does not move between the two: a member correcting a typo at once.
    first = {"iban": IBAN, "account_holder": "M. Jansen"}
    second = {"iban": OTHER_IBAN, "account_holder": "M. Jansen"}
    assert people.call("mieke", "PUT", "/members/me/bank-account", first)[0] == 200
    status, answer = people.call("mieke", "PUT", "/members/me/bank-account", second)

    assert (status, answer["iban"]) == (200, "**************4567")
    assert people.call("mieke", "GET", "/members/me/bank-account")[1]["iban"].endswith("4567")
    mails = people.mails_to("mieke")
    assert len(mails) == 2
    assert "**************4567" in mails[-1].text


def test_the_change_mail_is_in_the_members_language(people: People) -> None:
    people.call("patrick", "PATCH", "/members/me", {"language": "en"})
    body = {"iban": IBAN, "account_holder": "P. de Boer"}
    people.call("patrick", "PUT", "/members/me/bank-account", body)
    mail = people.mails_to("patrick")[-1]
    assert mail.subject == "Your bank account for payouts was registered"
    assert "treasurer" in mail.text


@pytest.mark.parametrize(
    "iban",
    [
        "NL91ABNA0417164301",  # a check digit wrong
        "NL91ABNA041716430",  # a character short for the Netherlands
        "XX91ABNA0417164300",  # no such country
        "NL91 ABNA 0417 1643 00 00",
        "not an iban",
        "",
    ],
)
def test_a_bad_iban_is_a_400_naming_the_field_and_changes_nothing(
    people: People, iban: str
) -> None:
    body = {"iban": iban, "account_holder": "M. Jansen"}
    status, error = people.call("mieke", "PUT", "/members/me/bank-account", body)

    assert status == 400
    assert [(f["field"], f["code"]) for f in error["fields"]] == [("iban", "not_an_iban")]
    assert "IBAN" in error["fields"][0]["message"]
    assert people.call("mieke", "GET", "/members/me/bank-account")[1]["iban"] is None
    assert people.mails_to("mieke") == []


def test_the_account_holder_is_required_plain_and_at_most_70_characters(people: People) -> None:
    for holder, code in (("", None), ("   ", None), ("x" * 71, None), ("M\u202eJ", None)):
        body = {"iban": IBAN, "account_holder": holder}
        status, error = people.call("mieke", "PUT", "/members/me/bank-account", body)
        assert status == 400, holder
        assert [f["field"] for f in error["fields"]] == ["account_holder"], (holder, code)
    status, error = people.call("mieke", "PUT", "/members/me/bank-account", {"iban": IBAN})
    assert status == 400
    assert [(f["field"], f["code"]) for f in error["fields"]] == [("account_holder", "required")]


def test_only_the_member_and_admins_see_it_admins_in_full(people: People) -> None:
    body = {"iban": IBAN, "account_holder": "M. Jansen"}
    people.call("mieke", "PUT", "/members/me/bank-account", body)
    mieke = people.ids["mieke"]

    status, full = people.call("ton", "GET", f"/members/{mieke}/bank-account")
    assert (status, full["iban"], full["account_holder"]) == (
        200,
        "NL91 ABNA 0417 1643 00",
        "M. Jansen",
    )
    assert people.call("patrick", "GET", f"/members/{mieke}/bank-account")[0] == 403
    assert people.call("patrick", "GET", "/members/me/bank-account")[1]["iban"] is None
    assert people.call("ton", "GET", "/members/nobody/bank-account")[0] == 404
    # the member's own profile and the directory do not show it
    assert "iban" not in json.dumps(people.call("mieke", "GET", "/members/me")[1])
    assert IBAN not in json.dumps(people.call("patrick", "GET", "/members")[1])


def test_a_cancelled_member_can_still_give_the_account_to_be_paid_into(people: People) -> None:
    assert people.call("mieke", "POST", "/members/me/cancel")[0] == 200
    body = {"iban": IBAN, "account_holder": "M. Jansen"}
    assert people.call("mieke", "PUT", "/members/me/bank-account", body)[0] == 200
    assert (
        people.call("mieke", "GET", "/members/me/bank-account")[1]["account_holder"] == "M. Jansen"
    )


def test_payment_details_give_the_rf_reference_the_amount_owed_and_an_epc_qr_code(
    world: World, people: People
) -> None:
    status, details = people.call("mieke", "GET", "/members/me/payment-details")

    assert status == 200
    assert details["iban"] == "NL91 ABNA 0417 1643 00"
    assert details["account_holder"] == "Co-operations"
    assert details["bic"] == "ABNANL2A"
    assert details["amount_cents"] == 10_000  # registration fee and the first dues
    number = member_number_of(details["reference"])
    assert number is not None
    assert world.services.member_numbers.member_id_of(number) == people.ids["mieke"]
    assert details["reference"].replace(" ", "") == payment_reference(number)
    others = [
        people.call(who, "GET", "/members/me/payment-details")[1]["reference"]
        for who in ("ton", "patrick")
    ]
    assert len({details["reference"], *others}) == 3

    svg = details["epc_qr_svg"]
    assert svg.startswith("<svg") and "€ 100,00" in svg
    expected = segno.make(
        epc_payload(
            bic="ABNANL2A",
            name="Co-operations",
            iban="NL91ABNA0417164300",
            amount_cents=10_000,
            reference=payment_reference(number),
        ),
        error="m",
        micro=False,
        boost_error=False,
        encoding="utf-8",
    )
    assert _modules(svg) == _modules(expected.svg_inline(scale=4, border=4))


def test_nothing_owed_means_no_qr_code(world: World, people: People) -> None:
    mieke = people.ids["mieke"]
    paid = {"amount_cents": 10_000, "received_on": "2026-05-01", "reference": "BANK-1"}
    assert people.call("ton", "POST", f"/members/{mieke}/payments", paid)[0] == 201
    status, details = people.call("mieke", "GET", "/members/me/payment-details")
    assert (status, details["amount_cents"], details["epc_qr_svg"]) == (200, 0, None)
    assert details["reference"].startswith("RF")


def _modules(svg: str) -> str:
    """The path of the dark modules: the same code draws the same path."""
    start = svg.index(' d="', svg.index('class="qrline"')) + 4
    return svg[start : svg.index('"', start)]


def test_the_treasurer_finds_a_member_by_the_rf_reference_as_a_statement_writes_it(
    people: People,
) -> None:
    _, details = people.call("mieke", "GET", "/members/me/payment-details")
    as_written = details["reference"].lower().replace(" ", "  ")  # "rf47  0000  0002"
    query = as_written.replace(" ", "%20")
    ids = {people.ids["mieke"]}

    _, owing = people.call("ton", "GET", f"/admin/receivables?q={query}")
    assert {r["member_id"] for r in owing["items"]} == ids
    _, found = people.call("ton", "GET", f"/admin/members?q={query}")
    assert {m["id"] for m in found["items"]} == ids
    # a typo in the reference finds nobody by it
    typo = as_written[:-1] + ("1" if as_written[-1] != "1" else "2")
    _, nobody = people.call("ton", "GET", f"/admin/members?q={typo.replace(' ', '%20')}")
    assert nobody["items"] == []
