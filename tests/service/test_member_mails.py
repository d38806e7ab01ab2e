"""The mails people expect after what they or the treasurer did: each sent once, in the
person's language, amounts written as money; a replayed request mails nothing more."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from chalicelib.domain.errors import Conflict
from chalicelib.services.opportunities import NewOpportunity
from tests.conftest import World
from tests.mailbox import ReceivedMail


def mails_to(world: World, address: str) -> list[ReceivedMail]:
    # a long subject is folded over two header lines; a mail program shows it unfolded
    return [replace(m, subject=m.subject.strip()) for m in world.sent_mail() if m.to == address]


def no_ids_or_cents(mail: ReceivedMail, *ids: str) -> None:
    """What a person reads holds no internal id and no cent count."""
    for text in (mail.subject, mail.text):
        for internal in ids:
            assert internal not in text.replace(f"/{internal}", "")  # links may carry ids
        assert "cents" not in text
        assert not re.search(r"\b[0-9a-f]{16}\b", text.split("http")[0])


def opportunity(world: World, referrer: str, title: str = "Interim CFO bij een gemeente") -> str:
    form = NewOpportunity(title, "Voor zes maanden", ("finance",), None, None, None, None, False)
    return world.services.opportunities.post(form, referrer, is_admin=False).id


# Applications -----------------------------------------------------------------------------


def test_an_applicant_hears_of_receipt_and_of_a_rejection_with_the_reason(world: World) -> None:
    application_id = world.apply("Anna de Vries", "anna@example.nl")

    [receipt] = mails_to(world, "anna@example.nl")
    assert receipt.subject == "We hebben je aanmelding ontvangen"
    assert "Beste Anna de Vries," in receipt.text
    no_ids_or_cents(receipt, application_id)

    world.services.membership.reject(application_id, "admin", "Te weinig ervaring als zzp'er")
    with pytest.raises(Conflict):  # a second rejection is refused, and mails nothing
        world.services.membership.reject(application_id, "admin", "Te weinig ervaring als zzp'er")

    receipt_again, rejection = mails_to(world, "anna@example.nl")
    assert receipt_again == receipt
    assert rejection.subject == "Je aanmelding bij Co-operations"
    assert "Te weinig ervaring als zzp'er" in rejection.text
    no_ids_or_cents(rejection, application_id)


def test_an_english_applicant_is_written_to_in_english(world: World) -> None:
    application_id = world.apply("Jane Doe", "jane@example.com", language="en")
    world.services.membership.reject(application_id, "admin", "Not enough experience yet")

    receipt, rejection = mails_to(world, "jane@example.com")
    assert receipt.subject == "We received your application"
    assert "Dear Jane Doe," in receipt.text
    assert "The reason:\nNot enough experience yet" in rejection.text
    # admitted later, the member keeps the language
    again = world.apply("Jane Doe", "jane@example.com", language="en")
    member = world.services.membership.approve(again, actor_id=None)
    assert member.language == "en"


# Interest ----------------------------------------------------------------------------------


def test_the_referrer_hears_of_interest_once_with_the_note(world: World) -> None:
    patrick = world.member("Patrick Jansen", "patrick@example.nl")
    anna = world.member("Anna de Vries", "anna@example.nl")
    opportunity_id = opportunity(world, patrick)
    before = len(mails_to(world, "patrick@example.nl"))

    note = "Ik heb dit twee keer eerder gedaan, bij Utrecht en Zeist."
    world.services.opportunities.express_interest(opportunity_id, anna, note)
    world.services.opportunities.express_interest(opportunity_id, anna, note)  # a replay

    [mail] = mails_to(world, "patrick@example.nl")[before:]
    assert mail.subject == "Anna de Vries heeft interesse in je kans: Interim CFO bij een gemeente"
    assert note in mail.text
    assert f"#/opportunities/{opportunity_id}" in mail.text
    assert "Bekijk de kandidaten" in mail.text
    no_ids_or_cents(mail, anna, opportunity_id)
    assert all(m.subject != mail.subject for m in mails_to(world, "anna@example.nl"))


def test_an_english_referrer_hears_in_english(world: World) -> None:
    jane = world.member("Jane Doe", "jane@example.com", language="en")
    anna = world.member("Anna de Vries", "anna@example.nl")
    opportunity_id = opportunity(world, jane, "Interim CFO")

    world.services.opportunities.express_interest(opportunity_id, anna, "")

    mail = mails_to(world, "jane@example.com")[-1]
    assert mail.subject == "Anna de Vries is interested in your opportunity: Interim CFO"
    assert "Anna de Vries added no note." in mail.text


# Money -------------------------------------------------------------------------------------


def test_a_payment_received_is_mailed_once_with_what_is_still_owed(world: World) -> None:
    anna = world.member("Anna de Vries", "anna@example.nl")  # owes € 100,00
    accounts = world.services.accounts
    before = len(mails_to(world, "anna@example.nl"))

    accounts.record_payment(anna, 4000, date(2026, 5, 4), "NL12 RABO 0001", "admin")
    replay = accounts.record_payment(anna, 4000, date(2026, 5, 4), "NL12 RABO 0001", "admin")
    assert replay.replayed

    [mail] = mails_to(world, "anna@example.nl")[before:]
    assert mail.subject == "Betaling ontvangen: € 40,00"
    assert "op 4 mei 2026 je betaling van € 40,00 ontvangen" in mail.text
    assert "kenmerk NL12 RABO 0001" in mail.text
    assert "Er staat nog € 60,00 open." in mail.text
    no_ids_or_cents(mail, anna)

    accounts.record_payment(anna, 16000, date(2026, 5, 5), "NL12 RABO 0002", "admin")
    credit = mails_to(world, "anna@example.nl")[-1]
    assert "€ 100,00 te veel betaald" in credit.text


def test_an_english_member_reads_the_payment_in_english(world: World) -> None:
    jane = world.member("Jane Doe", "jane@example.com", language="en")

    world.services.accounts.record_payment(jane, 10000, date(2026, 5, 4), "REF-1", "admin")

    mail = mails_to(world, "jane@example.com")[-1]
    assert mail.subject == "Payment received: €100.00"
    assert "on 4 May 2026" in mail.text
    assert "Everything is paid: nothing is outstanding." in mail.text


def test_a_payout_made_is_mailed_once_with_date_and_bank_reference(world: World) -> None:
    patrick = world.member("Patrick Jansen", "patrick@example.nl")
    ton = world.member("Ton Bakker", "ton@example.nl")
    opportunities = world.services.opportunities
    opportunity_id = opportunity(world, patrick)
    opportunities.express_interest(opportunity_id, ton, "")
    assignment = opportunities.award(opportunity_id, ton, "small", date(2026, 6, 1))
    # patrick's share of the fee: € 750,00
    opportunities.report_revenue(assignment.id, ton, 1_000_000, "F-1", date(2026, 7, 1))
    accounts = world.services.accounts
    owed = accounts.statement(patrick, 1, None).to_receive_cents
    assert owed == 75000
    before = len(mails_to(world, "patrick@example.nl"))

    accounts.record_payout(patrick, 20000, date(2026, 5, 4), "UITB 2026 0007", "admin")
    assert accounts.record_payout(
        patrick, 20000, date(2026, 5, 4), "UITB 2026 0007", "admin"
    ).replayed

    [mail] = mails_to(world, "patrick@example.nl")[before:]
    assert mail.subject == "Uitbetaald: € 200,00"
    assert "op 4 mei 2026 € 200,00 naar je overgemaakt" in mail.text
    assert "UITB 2026 0007" in mail.text
    assert "nog € 550,00 van ons te ontvangen" in mail.text
    no_ids_or_cents(mail, patrick)


def test_a_refused_payout_mails_nothing(world: World) -> None:
    patrick = world.member("Patrick Jansen", "patrick@example.nl")
    before = len(mails_to(world, "patrick@example.nl"))
    with pytest.raises(Conflict):  # nothing is owed to patrick
        world.services.accounts.record_payout(patrick, 100, date(2026, 5, 4), "X-1", "admin")
    assert len(mails_to(world, "patrick@example.nl")) == before


# Coin claims -------------------------------------------------------------------------------


def test_a_claim_decision_is_mailed_once(world: World) -> None:
    anna = world.member("Anna de Vries", "anna@example.nl")
    coins = world.services.coins
    before = len(mails_to(world, "anna@example.nl"))
    claim = coins.file_claim(anna, "publicity", "Praatje op de ZZP-beurs", None)

    coins.approve(claim.id, 7, "admin")
    coins.approve(claim.id, 7, "admin")  # a replay
    with pytest.raises(Conflict):  # another decision after it
        coins.approve(claim.id, 8, "admin")

    [mail] = mails_to(world, "anna@example.nl")[before:]
    assert mail.subject == "Je coin-aanvraag is goedgekeurd: 7 coins"
    assert "Praatje op de ZZP-beurs" in mail.text and "pot van 2026" in mail.text
    no_ids_or_cents(mail, claim.id, anna)

    other = coins.file_claim(anna, "publicity", "Blog", None)
    coins.reject(other.id, "Geen link naar het blog", "admin")
    coins.reject(other.id, "Geen link naar het blog", "admin")  # a replay answers the same
    rejection = mails_to(world, "anna@example.nl")[-1]
    assert len(mails_to(world, "anna@example.nl")) == before + 2
    assert rejection.subject == "Je coin-aanvraag is afgewezen"
    assert "De reden:\nGeen link naar het blog" in rejection.text


def test_an_english_member_reads_the_claim_decision_in_english(world: World) -> None:
    jane = world.member("Jane Doe", "jane@example.com", language="en")
    claim = world.services.coins.file_claim(jane, "publicity", "Podcast", None)

    world.services.coins.approve(claim.id, 3, "admin")

    mail = mails_to(world, "jane@example.com")[-1]
    assert mail.subject == "Your coin claim is approved: 3 coins"


# Cancellation ------------------------------------------------------------------------------


def test_a_cancellation_is_confirmed_once_with_what_stays_owed(world: World) -> None:
    anna = world.member("Anna de Vries", "anna@example.nl")  # owes € 100,00
    before = len(mails_to(world, "anna@example.nl"))

    world.services.membership.cancel(anna)
    with pytest.raises(Conflict):
        world.services.membership.cancel(anna)  # a repeat

    [mail] = mails_to(world, "anna@example.nl")[before:]
    assert mail.subject == "Je lidmaatschap van Co-operations is opgezegd"
    assert "per 4 mei 2026 opgezegd" in mail.text
    assert "geen contributie meer" in mail.text
    assert "Je hebt nog € 100,00 te betalen." in mail.text
    assert "aanmelden om je overzicht te bekijken" in mail.text
    no_ids_or_cents(mail, anna)


def test_an_english_member_cancelling_is_told_in_english(world: World) -> None:
    jane = world.member("Jane Doe", "jane@example.com", language="en")
    world.services.accounts.record_payment(jane, 10000, date(2026, 5, 4), "REF-1", "admin")

    world.services.membership.cancel(jane)

    mail = mails_to(world, "jane@example.com")[-1]
    assert mail.subject == "Your Co-operations membership is cancelled"
    assert "Nothing is outstanding" in mail.text
    assert "You can still sign in to see your statement" in mail.text


# A mail never holds up the change ------------------------------------------------------------


def test_a_failing_mail_provider_holds_up_nothing_and_the_mail_follows(world: World) -> None:
    anna = world.member("Anna de Vries", "anna@example.nl")
    outbox = world.services.outbox
    real_send = outbox.mailer.send

    def down(mail: object) -> str:
        raise ConnectionError("SES is unreachable")

    outbox.mailer.send = down  # type: ignore[method-assign]
    booking = world.services.accounts.record_payment(anna, 1000, date(2026, 5, 4), "R-9", "a")
    assert not booking.replayed
    outbox.mailer.send = real_send  # type: ignore[method-assign]
    before = len(mails_to(world, "anna@example.nl"))
    world.clock.advance(timedelta(minutes=5))

    outbox.deliver()

    [mail] = mails_to(world, "anna@example.nl")[before:]
    assert mail.subject == "Betaling ontvangen: € 10,00"
