"""Statement lines, coin awards, the ledger export and the announcement speak the reader's
language and name things by their names, never by ids; old stored data stays readable."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from chalicelib.api import views
from chalicelib.domain.opportunities import Opportunity
from chalicelib.i18n import descriptions
from chalicelib.mail.letters import Recipient, announcement_letter
from chalicelib.mail.links import Links
from chalicelib.services.opportunities import NewOpportunity
from tests.conftest import World

HEX_ID = re.compile(r"\b[0-9a-f]{16}\b")


def closed_without_a_deal(world: World) -> tuple[str, str]:
    patrick = world.member("Patrick Jansen", "patrick@example.nl")
    anna = world.member("Anna de Vries", "anna@example.nl", referred_by_email="patrick@example.nl")
    opportunities = world.services.opportunities
    form = NewOpportunity(
        "Interim CFO bij een gemeente", "Zes maanden", ("finance",), None, None, None, None, False
    )
    opportunity = opportunities.post(form, patrick, is_admin=False)
    opportunities.express_interest(opportunity.id, anna, "")
    opportunities.record_conversation(opportunity.id, anna, date(2026, 5, 1), patrick, False)
    opportunities.close(opportunity.id, "no_deal", patrick, False)
    return patrick, opportunity.id


def test_coin_awards_name_the_opportunity_and_the_recruit_in_the_members_language(
    world: World,
) -> None:
    patrick, opportunity_id = closed_without_a_deal(world)
    awards = world.services.coins.coins_of(patrick, 2026).awards
    names = world.services.coins.award_names(awards)

    dutch = {a.reason: views.coin_award(a, "nl", names.get(a.award_id)).description for a in awards}
    english = {
        a.reason: views.coin_award(a, "en", names.get(a.award_id)).description for a in awards
    }

    assert dutch["no_deal_after_conversation"] == (
        "\u201cInterim CFO bij een gemeente\u201d leidde tot een gesprek, gesloten zonder deal"
    )
    assert english["no_deal_after_conversation"].startswith(
        "\u201cInterim CFO bij een gemeente\u201d led to a conversation"
    )
    assert dutch["recruitment"] == "Anna de Vries is lid geworden"
    for text in [*dutch.values(), *english.values()]:
        assert opportunity_id not in text and not HEX_ID.search(text)


def test_an_award_whose_subject_is_gone_still_reads_without_an_id() -> None:
    stored = "Opportunity 0123456789abcdef led to a conversation, closed without a deal"
    text = descriptions.coin_award("no_deal_after_conversation", stored, "nl", None)
    assert text == "Een kans leidde tot een gesprek, gesloten zonder deal"
    assert descriptions.coin_award("recruitment", "Recruited member 0123456789abcdef", "en") == (
        "Recruited a new member"
    )
    assert descriptions.coin_award("publicity", "Praatje op de beurs", "en") == (
        "Praatje op de beurs"
    )


def test_statement_lines_read_in_the_readers_language_from_old_stored_text() -> None:
    line = descriptions.ledger_line
    assert (
        line(
            "registration_fee",
            "registration:m",
            "registration:m",
            "member:m:owes",
            "Registration fee",
            "nl",
        )
        == "Inschrijfgeld"
    )
    assert (
        line("dues", "dues:2026-Q2:m", "dues:2026-Q2:m", "member:m:owes", "Dues 2026-Q2", "nl")
        == "Contributie 2e kwartaal 2026"
    )
    assert (
        line("payment", "payment:m:R", "R", "member:m:owes", "Payment received on 2026-05-04", "nl")
        == "Betaling ontvangen op 4 mei 2026"
    )
    assert (
        line("payout", "payout:m:R", "R", "member:m:receives", "Paid out on 2026-05-04", "en")
        == "Paid out on 4 May 2026"
    )
    assert line("fee", "fee:a:F-1", "F-1", "member:m:owes", "Fee on invoice F-1", "nl") == (
        "Fee op factuur F-1"
    )
    assert line("fee", "fee:a:F-1", "F-1", "member:r:receives", "Fee on invoice F-1", "nl") == (
        "Aanbrengvergoeding, factuur F-1"
    )
    assert (
        line(
            "pot_payout",
            "distribution:2026:m",
            "pot-2026",
            "member:m:receives",
            "Share of the 2026 pot",
            "nl",
        )
        == "Deel van de pot van 2026"
    )
    assert line("something_new", "x", "x", "member:m:owes", "As stored", "nl") == "As stored"


def test_the_statement_over_the_service_is_dutch_by_default(world: World) -> None:
    anna = world.member("Anna de Vries", "anna@example.nl")
    world.services.accounts.record_payment(anna, 2550, date(2026, 5, 5), "NL 12 34", "admin")

    statement = views.statement(world.services.accounts.statement(anna, 10, None))
    english = views.statement(world.services.accounts.statement(anna, 10, None), "en")

    assert {e.description for e in statement.entries} == {
        "Inschrijfgeld",
        "Contributie 2e kwartaal 2026",
        "Betaling ontvangen op 5 mei 2026",
    }
    assert "Registration fee" in {e.description for e in english.entries}


def test_the_ledger_export_is_dutch_with_names_beside_member_numbers(world: World) -> None:
    anna = world.member("Anna de Vries", "anna@example.nl")
    world.services.accounts.record_payment(anna, 250050, date(2026, 5, 5), "NL 12 34", "admin")
    today = date(2026, 5, 4)

    raw = "".join(world.services.export.ledger_csv(today, today))

    assert raw.startswith("\ufeff")  # UTF-8 with a byte-order mark: Excel reads € and ë
    header, *_ = raw.removeprefix("\ufeff").split("\r\n")
    assert header == (
        "Datum;Boeking;Soort;Rekening;Rekeningcode;Lidnummer;Lid;Debet (€);Credit (€);"
        "Debet (cent);Credit (cent);Kenmerk;Omschrijving"
    )
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=";"))
    payment = next(r for r in rows if r["Soort"] == "betaling" and r["Lidnummer"])
    assert (payment["Lid"], payment["Lidnummer"]) == ("Anna de Vries", anna)
    assert payment["Credit (€)"] == "2500,50"  # decimal comma, as Dutch Excel reads numbers
    assert payment["Rekening"] == "te ontvangen van lid"
    assert payment["Omschrijving"] == "Betaling ontvangen op 5 mei 2026"
    bank = next(r for r in rows if r["Rekeningcode"] == "collective:bank")
    assert (bank["Rekening"], bank["Lid"]) == ("bank", "")
    assert {r["Omschrijving"] for r in rows} == {
        "Inschrijfgeld",
        "Contributie 2e kwartaal 2026",
        "Betaling ontvangen op 5 mei 2026",
    }


def test_the_announcement_names_disciplines_in_dutch() -> None:
    opportunity = Opportunity(
        id="0123456789abcdef",
        title="Datamigratie",
        description="Drie maanden",
        disciplines=("data-engineering", "ux-design"),
        sector=None,
        location=None,
        client=None,
        starts_on=date(2026, 6, 1),
        referrer_id=None,
        posted_by="x",
        status="open",
        created_at=None,  # type: ignore[arg-type]
    )
    to = Recipient("m", "Anna", "anna@example.nl", "nl")

    text = announcement_letter(to, Links("https://app.example"), opportunity).text()

    assert "Vakgebieden: Data engineering, UX-ontwerp" in text
    assert "Disciplines" not in text and "data-engineering" not in text
    assert "Start: 1 juni 2026" in text
