"""Mailed-in opportunities, year-end distributions, pot years and the vocabulary, on
DynamoDB (moto) and in memory alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import ledger
from chalicelib.domain.intake import IntakeRecord
from chalicelib.store.records import DistributionHeader, Payout
from chalicelib.store.refusals import AlreadyDone, BookingReplayed, MessageClaimed, NameTaken
from tests.store.conftest import Stores

AT = datetime(2026, 3, 2, 10, tzinfo=UTC)


def record(intake_id: str, status: str = "accepted", minutes: int = 0) -> IntakeRecord:
    return IntakeRecord(
        id=intake_id,
        received_at=AT + timedelta(minutes=minutes),
        from_address="Mieke@example.nl",
        subject="Data engineer gezocht",
        status=status,  # type: ignore[arg-type]
        reason="not_a_member" if status == "rejected" else None,
        verdicts={"spam": "PASS"},
        mail_message_id="<abc@example.nl>",
    )


def write(stores: Stores, new: IntakeRecord) -> None:
    with stores.uow() as uow:
        stores.intake.register_new(uow, new)
        stores.intake.register_message_claim(uow, new)
        uow.commit()


def test_a_message_is_claimed_once_and_a_redelivery_is_a_replay(stores: Stores) -> None:
    write(stores, record("ses-1"))

    with pytest.raises(MessageClaimed):
        write(stores, record("ses-2"))  # the same Message-ID sent twice
    with pytest.raises(AlreadyDone) as replayed:
        write(stores, record("ses-1"))  # SES delivering ses-1 again

    assert not isinstance(replayed.value, MessageClaimed)
    assert stores.intake.get("ses-2") is None
    assert stores.intake.get("ses-1") == record("ses-1")
    assert stores.intake.first_with_message(record("ses-2")) == "ses-1"


def test_a_rejected_mail_is_added_once_and_accepted_once(stores: Stores) -> None:
    rejected = replace(record("ses-1", "rejected"), mail_message_id=None)

    assert stores.intake.add(rejected) is True
    assert stores.intake.add(rejected) is False
    accepted = replace(rejected, status="accepted", decided_by="admin", decided_at=AT)
    with stores.uow() as uow:
        stores.intake.register_accept(uow, accepted)
        uow.commit()
    with pytest.raises(AlreadyDone), stores.uow() as uow:
        stores.intake.register_accept(uow, replace(accepted, decided_by="other"))
        uow.commit()

    assert stores.intake.get("ses-1").decided_by == "admin"


def test_intake_is_browsed_newest_first_of_one_status_or_all(stores: Stores) -> None:
    for n, status in enumerate(["accepted", "rejected", "accepted"]):
        stores.intake.add(replace(record(f"ses-{n}", status, minutes=n), mail_message_id=None))

    accepted = stores.intake.browse("accepted", 10, None)
    first = stores.intake.browse(None, 2, None)
    rest = stores.intake.browse(None, 2, first.next_cursor)

    assert [r.id for r in accepted.records] == ["ses-2", "ses-0"]
    assert [r.id for r in first.records + rest.records] == ["ses-2", "ses-1", "ses-0"]


def fee_into_pot(transaction_id: str, year: int, cents: int) -> ledger.LedgerTransaction:
    return ledger.LedgerTransaction(
        transaction_id,
        "fee",
        AT,
        (ledger.Entry(ledger.INCOME_FEES, cents), ledger.Entry(ledger.pot_account(year), -cents)),
        None,
        transaction_id,
        transaction_id,
        "h",
    )


def payout(member_id: str, cents: int) -> tuple[Payout, ledger.LedgerTransaction]:
    paid = ledger.pot_payout(2025, member_id, cents, AT)
    return Payout(member_id, 10, cents), paid


def test_a_distribution_header_is_written_once_and_completed_once(stores: Stores) -> None:
    header = DistributionHeader(2025, 10_000, 40, AT)

    assert stores.distributions.header(2025) is None
    assert stores.distributions.put_header(header) == header
    assert stores.distributions.put_header(replace(header, pot_cents=1)) == header
    stores.distributions.complete(2025, AT + timedelta(hours=1))
    stores.distributions.complete(2025, AT + timedelta(hours=2))

    assert stores.distributions.header(2025).completed_at == AT + timedelta(hours=1)


def test_payouts_are_booked_with_their_records_and_a_repeat_is_a_replay(stores: Stores) -> None:
    stores.ledger.book(fee_into_pot("fee-1", 2025, 5_000))
    stores.distributions.freeze_pot(2025, AT)
    batch = [payout("anna", 1_500), payout("bram", 2_500)]

    with stores.uow() as uow:
        stores.distributions.register_payouts(uow, 2025, batch)
        uow.commit()
    with pytest.raises(BookingReplayed), stores.uow() as uow:
        stores.distributions.register_payouts(uow, 2025, [payout("anna", 1_500)])
        uow.commit()

    assert stores.distributions.payouts(2025) == [p for p, _ in batch]
    assert stores.distributions.payout(2025, "bram") == Payout("bram", 10, 2_500)
    assert stores.distributions.payout(2025, "cor") is None
    assert stores.ledger.balance_cents(ledger.member_receives_account("anna")) == -1_500


def test_pot_years_are_listed_oldest_first_with_their_state(stores: Stores) -> None:
    stores.ledger.book(fee_into_pot("fee-2", 2026, 1_000))
    stores.ledger.book(fee_into_pot("fee-1", 2025, 1_000))
    stores.freeze(2025, AT)
    stores.pots.mark_completed(2025, AT + timedelta(hours=1))
    stores.pots.mark_completed(2025, AT + timedelta(hours=2))

    years = stores.pots.years()

    assert [y.year for y in years] == [2025, 2026]
    assert (years[0].distributed_at, years[0].completed_at) == (AT, AT + timedelta(hours=1))
    assert (years[1].distributed_at, years[1].completed_at) == (None, None)


def test_a_vocabulary_name_is_added_once_to_a_new_or_known_term(stores: Stores) -> None:
    stores.vocabulary.add("discipline", "growth", "Growth", "admin", AT, ("Groei", "Growth"))
    stores.vocabulary.add("discipline", "growth", "Groeihacking", "admin", AT)

    with pytest.raises(NameTaken):
        stores.vocabulary.add("discipline", "growth", "growth", "admin", AT)
    with pytest.raises(NameTaken):
        stores.vocabulary.add("discipline", "growth", "Growth 2", "admin", AT, ("G", "G"))

    (term,) = stores.vocabulary.additions("discipline")
    assert (term.id, term.label_nl, term.label_en) == ("growth", "Groei", "Growth")
    assert sorted(term.names) == ["Groeihacking", "Growth"]
    assert list(stores.vocabulary.additions("sector")) == []
