"""The ledger's writes in a unit of work: each failure is raised as what it means, by name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from moto import mock_aws

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict, IdempotencyConflict, YearDistributed
from chalicelib.store.distributions import DistributionStore
from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.ledger import BookingReplayed, LedgerStore
from chalicelib.store.schema import create_tables, ledger_table_name
from chalicelib.store.uow import UnitOfWork
from tests.conftest import SESSION, TABLE

AT = datetime(2026, 6, 1, 10, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[tuple[Any, LedgerStore]]:
    with mock_aws():
        client = SESSION.client("dynamodb")
        create_tables(client, TABLE)
        main = DynamoTable(client, TABLE)
        yield client, LedgerStore(DynamoTable(client, ledger_table_name(TABLE)), pots=main)


def owed_to(store: LedgerStore, member_id: str) -> int:
    return -store.balance_cents(ledger.member_receives_account(member_id))


def test_a_booking_registered_with_others_is_committed_once_and_a_replay_answers_it(
    store: tuple[Any, LedgerStore],
) -> None:
    client, books = store
    share = ledger.pot_payout(2026, "m1", 5000, AT)
    with UnitOfWork(client) as uow:
        books.register_booking(uow, share)
        uow.commit()
    with UnitOfWork(client) as uow, pytest.raises(BookingReplayed) as replayed:
        books.register_booking(uow, share)
        uow.commit()
    assert replayed.value.transaction == share
    assert books.replay(share).replayed
    assert owed_to(books, "m1") == 5000  # booked once
    other_body = ledger.pot_payout(2026, "m1", 6000, AT)  # the same id, another amount
    with pytest.raises(IdempotencyConflict):
        books.replay(other_body)


def test_a_payout_above_what_is_owed_is_refused_as_that_and_books_nothing(
    store: tuple[Any, LedgerStore],
) -> None:
    client, books = store
    books.book(ledger.pot_payout(2026, "m1", 5000, AT))
    too_much = ledger.payout_made("m1", 7000, date(2026, 6, 2), "NL-77", AT)
    with UnitOfWork(client) as uow, pytest.raises(Conflict) as refused:
        books.register_booking(uow, too_much)
        uow.commit()
    assert refused.value.code == "payout_above_owed"
    assert (refused.value.params["amount"], refused.value.params["owed"]) == (7000, 5000)
    assert books.get(too_much.transaction_id) is None
    assert owed_to(books, "m1") == 5000


def test_a_bank_line_booked_for_another_member_is_refused_naming_that_booking(
    store: tuple[Any, LedgerStore],
) -> None:
    _, books = store
    books.book(ledger.payment_received("m1", 1000, date(2026, 6, 2), "Bank 12", AT))
    with pytest.raises(Conflict) as refused:
        books.book(ledger.payment_received("m2", 1000, date(2026, 6, 2), "bank 12 ", AT))
    assert refused.value.code == "reference_already_booked"
    assert (refused.value.params["booked_as"], refused.value.params["member_id"]) == (
        "payment",
        "m1",
    )


def test_money_into_a_distributed_year_is_refused_as_year_distributed(
    store: tuple[Any, LedgerStore],
) -> None:
    _, books = store
    DistributionStore(books.pots, books).freeze_pot(2026, AT)
    DistributionStore(books.pots, books).freeze_pot(2026, AT)  # again: nothing happens
    fee = ledger.LedgerTransaction(
        "late",
        "fee",
        AT,
        (ledger.Entry(ledger.INCOME_FEES, 100), ledger.Entry(ledger.pot_account(2026), -100)),
        None,
        "late",
        "late",
        "h",
    )
    with pytest.raises(YearDistributed):
        books.book(fee)
    assert books.get("late") is None


def test_many_bookings_in_one_transaction_keep_their_own_records_and_lines(
    store: tuple[Any, LedgerStore],
) -> None:
    client, books = store
    pot = ledger.pot_account(2026)
    books.book(
        ledger.LedgerTransaction(
            "fill",
            "fee",
            AT,
            (ledger.Entry(ledger.INCOME_FEES, 9000), ledger.Entry(pot, -9000)),
            None,
            "fill",
            "fill",
            "h",
        )
    )
    shares = [ledger.pot_payout(2026, f"m{n}", 1000 * n, AT) for n in range(1, 5)]
    with UnitOfWork(client) as uow:
        books.register_bookings(uow, shares)
        assert len(uow) < 4 * 4 + 16 + 1  # the pot's shards are moved once each, not per payout
        uow.commit()
    assert [owed_to(books, f"m{n}") for n in range(1, 5)] == [1000, 2000, 3000, 4000]
    assert books.balance_cents(pot) == -9000 + 10000
    for share in shares:
        assert books.get(share.transaction_id) == share
        lines = list(books.iter_journal(ledger.member_receives_account(share.member_id or "")))
        assert [line.transaction_id for line in lines] == [share.transaction_id]
