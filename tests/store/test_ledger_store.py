"""The ledger's contract, on DynamoDB (moto) and in memory alike: bookings balance, a replay
answers the original, each refusal is raised as what it means and books nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict, IdempotencyConflict, YearDistributed
from chalicelib.store.ledger import BookingReplayed
from tests.store.conftest import Stores

AT = datetime(2026, 6, 1, 10, tzinfo=UTC)


def owed_to(stores: Stores, member_id: str) -> int:
    return -int(stores.ledger.balance_cents(ledger.member_receives_account(member_id)))


def owes(stores: Stores, member_id: str) -> int:
    return int(stores.ledger.balance_cents(ledger.member_owes_account(member_id)))


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


def test_a_booking_balances_and_its_repeat_answers_the_original_without_booking_twice(
    stores: Stores,
) -> None:
    payment = ledger.payment_received("m1", 1250, date(2026, 6, 2), "NL-1", AT)
    first = stores.ledger.book(payment)
    again = stores.ledger.book(payment)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.transaction == payment
    assert owes(stores, "m1") == -1250  # paid once
    assert stores.ledger.balance_cents(ledger.BANK) == 1250
    assert stores.ledger.book_if_new(payment) is False
    assert stores.ledger.booked([payment.transaction_id, "payment:m1:other"]) == {
        payment.transaction_id
    }


def test_the_same_key_with_another_amount_is_an_idempotency_conflict(stores: Stores) -> None:
    stores.ledger.book(ledger.payment_received("m1", 1250, date(2026, 6, 2), "NL-1", AT))
    with pytest.raises(IdempotencyConflict):
        stores.ledger.book(ledger.payment_received("m1", 9999, date(2026, 6, 2), "NL-1", AT))
    assert owes(stores, "m1") == -1250


def test_a_booking_registered_with_others_is_committed_once_and_a_replay_answers_it(
    stores: Stores,
) -> None:
    share = ledger.pot_payout(2026, "m1", 5000, AT)
    with stores.uow() as uow:
        stores.ledger.register_booking(uow, share)
        uow.commit()
    with stores.uow() as uow, pytest.raises(BookingReplayed) as replayed:
        stores.ledger.register_booking(uow, share)
        uow.commit()
    assert replayed.value.transaction == share
    assert stores.ledger.replay(share).replayed
    assert owed_to(stores, "m1") == 5000  # booked once
    other_body = ledger.pot_payout(2026, "m1", 6000, AT)  # the same id, another amount
    with pytest.raises(IdempotencyConflict):
        stores.ledger.replay(other_body)


def test_a_payout_above_what_is_owed_is_refused_as_that_and_books_nothing(
    stores: Stores,
) -> None:
    stores.ledger.book(ledger.pot_payout(2026, "m1", 5000, AT))
    too_much = ledger.payout_made("m1", 7000, date(2026, 6, 2), "NL-77", AT)
    with stores.uow() as uow, pytest.raises(Conflict) as refused:
        stores.ledger.register_booking(uow, too_much)
        uow.commit()
    assert refused.value.code == "payout_above_owed"
    assert (refused.value.params["amount"], refused.value.params["owed"]) == (7000, 5000)
    assert stores.ledger.get(too_much.transaction_id) is None
    assert owed_to(stores, "m1") == 5000
    assert stores.ledger.balance_cents(ledger.BANK) == 0
    lines = list(stores.ledger.iter_journal(ledger.member_receives_account("m1")))
    assert [line.kind for line in lines] == ["pot_payout"]
    # up to the ceiling is allowed, and the member is owed nothing after it
    stores.ledger.book(ledger.payout_made("m1", 5000, date(2026, 6, 2), "NL-78", AT))
    assert owed_to(stores, "m1") == 0


def test_a_bank_line_booked_for_another_member_is_refused_naming_that_booking(
    stores: Stores,
) -> None:
    stores.ledger.book(ledger.payment_received("m1", 1000, date(2026, 6, 2), "Bank 12", AT))
    with pytest.raises(Conflict) as refused:
        stores.ledger.book(ledger.payment_received("m2", 1000, date(2026, 6, 2), "bank 12 ", AT))
    assert refused.value.code == "reference_already_booked"
    assert (refused.value.params["booked_as"], refused.value.params["member_id"]) == (
        "payment",
        "m1",
    )
    assert owes(stores, "m2") == 0


def test_money_into_a_distributed_year_is_refused_as_year_distributed(stores: Stores) -> None:
    stores.ledger.book(fee_into_pot("early", 2026, 300))
    stores.freeze(2026, AT)
    stores.freeze(2026, AT)  # again: nothing happens
    with pytest.raises(YearDistributed):
        stores.ledger.book(fee_into_pot("late", 2026, 100))
    assert stores.ledger.get("late") is None
    assert stores.ledger.balance_cents(ledger.pot_account(2026)) == -300
    # the distribution itself still takes the money out of its year
    stores.ledger.book(ledger.pot_payout(2026, "m1", 300, AT))
    assert owed_to(stores, "m1") == 300
    stores.ledger.book(fee_into_pot("next", 2027, 100))  # another year takes money


def test_a_journal_pages_newest_first(stores: Stores) -> None:
    for day in range(3):
        at = AT + timedelta(days=day)
        stores.ledger.book(ledger.payment_received("m1", 100 + day, at.date(), f"NL-{day}", at))
    owes_account = ledger.member_owes_account("m1")
    first = stores.ledger.journal(owes_account, 2, None)
    assert [line.reference for line in first.lines] == ["NL-2", "NL-1"]
    assert first.next_cursor is not None
    rest = stores.ledger.journal(owes_account, 2, first.next_cursor)
    assert [line.reference for line in rest.lines] == ["NL-0"]
    assert rest.next_cursor is None
    assert [line.amount_cents for line in stores.ledger.iter_journal(owes_account)] == [
        -100,
        -101,
        -102,
    ]
    days = [t.reference for t in stores.ledger.iter_transactions(AT.date(), AT.date())]
    assert days == ["NL-0"]


def test_many_bookings_in_one_transaction_keep_their_own_records_and_lines(
    stores: Stores,
) -> None:
    pot = ledger.pot_account(2026)
    stores.ledger.book(fee_into_pot("fill", 2026, 9000))
    shares = [ledger.pot_payout(2026, f"m{n}", 1000 * n, AT) for n in range(1, 5)]
    with stores.uow() as uow:
        stores.ledger.register_bookings(uow, shares)
        assert len(uow) < 4 * 4 + 16 + 1  # the pot's shards are moved once each, not per payout
        uow.commit()
    assert [owed_to(stores, f"m{n}") for n in range(1, 5)] == [1000, 2000, 3000, 4000]
    assert stores.ledger.balance_cents(pot) == -9000 + 10000
    assert sorted(stores.ledger.iter_payable_balances()) == [
        ("m1", 1000),
        ("m2", 2000),
        ("m3", 3000),
        ("m4", 4000),
    ]
    for share in shares:
        assert stores.ledger.get(share.transaction_id) == share
        lines = list(
            stores.ledger.iter_journal(ledger.member_receives_account(share.member_id or ""))
        )
        assert [line.transaction_id for line in lines] == [share.transaction_id]
