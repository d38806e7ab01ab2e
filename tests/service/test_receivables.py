"""Receivables, reminders and the treasurer's export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.receivables import Movement, unpaid_charges
from chalicelib.domain.references import formatted
from chalicelib.mail.texts import money
from tests.conftest import World

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_payments_settle_the_oldest_charges_first() -> None:
    movements = [
        Movement(T0, 5000, "Registration fee"),
        Movement(T0 + timedelta(days=1), 5000, "Dues 2026-Q1"),
        Movement(T0 + timedelta(days=2), -6000, "Payment"),
        Movement(T0 + timedelta(days=90), 5000, "Dues 2026-Q2"),
    ]

    unpaid = unpaid_charges(movements)

    assert [(u.description, u.unpaid_cents) for u in unpaid] == [
        ("Dues 2026-Q1", 4000),
        ("Dues 2026-Q2", 5000),
    ]


def test_dutch_euro_notation() -> None:
    assert [money(c, "nl") for c in (0, 5, 123456, -500)] == [
        "€ 0,00",
        "€ 0,05",
        "€ 1.234,56",
        "-€ 5,00",
    ]
    assert money(123456, "en") == "€1,234.56"


def test_reminders_go_after_30_days_and_at_most_monthly(world: World) -> None:
    member_id = world.member("Anna de Boer", "anna@example.nl")
    reminders = world.services.receivables

    too_early = reminders.send_reminders()
    world.clock.advance(timedelta(days=31))
    first = reminders.send_reminders()
    rerun = reminders.send_reminders()
    world.clock.advance(timedelta(days=29))
    within_month = reminders.send_reminders()
    world.clock.advance(timedelta(days=2))
    next_month = reminders.send_reminders()

    assert [r.reminded for r in (too_early, first, rerun, within_month, next_month)] == [
        0,
        1,
        0,
        0,
        1,
    ]
    mails = world.sent_mail()
    assert len(mails) == 2
    assert mails[0].to == "anna@example.nl"
    assert "€ 100,00" in mails[0].text
    assert "Inschrijfgeld" in mails[0].text  # what is owed, in the member's words
    # SPEC "Money through the bank": the RF payment reference, not the member id
    reference = formatted(world.services.member_numbers.reference_of(member_id))
    assert f"betalingskenmerk {reference}" in mails[0].text
    assert member_id not in mails[0].text
    assert "NL91 ABNA 0417 1643 00" in mails[0].text
    assert "€ 100,00" in mails[0].html


def test_a_failed_reminder_is_sent_by_the_outbox_not_twice(world: World) -> None:
    world.member("Anna", "anna@example.nl")
    world.clock.advance(timedelta(days=31))
    service, outbox = world.services.receivables, world.services.outbox
    real = outbox.mailer

    class Broken:
        def send(self, mail: object) -> str:
            raise RuntimeError("SES throttled")

    outbox.mailer = Broken()
    failed = service.send_reminders()
    outbox.mailer = real
    rerun = service.send_reminders()
    world.clock.advance(timedelta(minutes=5))
    retried = outbox.deliver()

    assert (failed.reminded, failed.failed) == (1, 1)
    assert rerun.reminded == 0  # queued already: the outbox sends it, not a second reminder
    assert retried.sent == 1
    assert len(world.sent_mail()) == 1


def test_members_who_paid_are_not_receivables(world: World) -> None:
    paid = world.member("Bram", "bram@example.nl")
    owing = world.member("Anna", "anna@example.nl")
    world.services.accounts.record_payment(paid, 10000, date(2026, 5, 5), "BANK-1")
    world.services.accounts.record_payment(owing, 2500, date(2026, 5, 5), "BANK-2")

    page = world.services.receivables.page("amount", 50, None)

    assert [(r.member.id, r.owed_cents) for r in page.items] == [(owing, 7500)]


def test_the_export_parses_back_to_the_ledger(world: World) -> None:
    anna = world.member("Anna", "anna@example.nl")
    world.services.accounts.record_payment(anna, 2550, date(2026, 5, 5), "BANK-1")
    today = date(2026, 5, 4)

    text = "".join(world.services.export.ledger_csv(today, today))

    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    by_tx: dict[str, int] = {}
    for row in rows:
        signed = int(row["Debet (cent)"] or 0) - int(row["Credit (cent)"] or 0)
        by_tx[row["Boeking"]] = by_tx.get(row["Boeking"], 0) + signed
    assert by_tx == {
        f"registration:{anna}": 0,
        f"dues:2026-Q2:{anna}": 0,
        f"payment:{anna}:BANK-1": 0,
    }
    payment = next(r for r in rows if r["Soort"] == "betaling" and r["Debet (cent)"])
    assert (payment["Debet (€)"], payment["Rekeningcode"]) == ("25,50", "collective:bank")
    ledger = world.services.ledger_store
    for tx_id in by_tx:
        stored = ledger.get(tx_id)
        assert stored is not None
        exported = {
            (r["Rekeningcode"], int(r["Debet (cent)"] or 0) - int(r["Credit (cent)"] or 0))
            for r in rows
            if r["Boeking"] == tx_id
        }
        assert exported == {(e.account, e.amount_cents) for e in stored.entries}
    assert (
        "".join(world.services.export.ledger_csv(date(2026, 6, 1), date(2026, 6, 30))).count("\n")
        == 1
    )


def test_receivables_sort_by_amount_or_by_age_and_page(world: World) -> None:
    older = world.member("Older", "older@example.nl")
    world.clock.advance(timedelta(days=40))
    newer = world.member("Newer", "newer@example.nl")
    world.services.accounts.record_payment(older, 5000, date(2026, 6, 20), "BANK-1")
    service = world.services.receivables

    by_amount = service.page("amount", 50, None)
    by_age = service.page("age", 1, None)
    second = service.page("age", 1, by_age.next_cursor)

    assert [(r.member.id, r.owed_cents) for r in by_amount.items] == [(newer, 10000), (older, 5000)]
    assert [r.member.id for r in by_age.items + second.items] == [older, newer]
    assert second.next_cursor is None
