"""The double-entry invariants hold for every transaction the builders make."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain import ledger
from chalicelib.periods import Quarter

AT = datetime(2026, 1, 5, 12, tzinfo=UTC)
cents = st.integers(min_value=1, max_value=10**10)
references = st.from_regex(r"[A-Za-z0-9-]{1,20}", fullmatch=True)


@given(amount=cents, reference=references)
def test_every_builder_balances(amount: int, reference: str) -> None:
    transactions = [
        ledger.registration_fee("m1", amount, AT),
        ledger.quarterly_dues("m1", Quarter(2026, 1), amount, AT),
        ledger.payment_received("m1", amount, date(2026, 1, 5), reference, AT),
        ledger.payout_made("m1", amount, date(2026, 1, 5), reference, AT),
    ]
    for tx in transactions:
        assert sum(e.amount_cents for e in tx.entries) == 0
        assert any(e.account.startswith("member:m1:") for e in tx.entries)


def test_the_transaction_id_is_the_idempotency_key() -> None:
    first = ledger.payment_received("m1", 100, date(2026, 1, 5), "R1", AT)
    later = ledger.payment_received("m1", 100, date(2026, 1, 5), "R1", datetime.now(UTC))
    other = ledger.payment_received("m1", 101, date(2026, 1, 5), "R1", AT)

    assert first.transaction_id == later.transaction_id == other.transaction_id
    assert first.request_hash == later.request_hash != other.request_hash


def test_dues_are_keyed_by_member_and_quarter() -> None:
    q1 = ledger.quarterly_dues("m1", Quarter(2026, 1), 5000, AT)
    q2 = ledger.quarterly_dues("m1", Quarter(2026, 2), 5000, AT)
    assert (q1.transaction_id, q2.transaction_id) == ("dues:2026-Q1:m1", "dues:2026-Q2:m1")


@pytest.mark.parametrize(
    "entries",
    [
        (ledger.Entry("a", 5),),
        (ledger.Entry("a", 5), ledger.Entry("b", -4)),
        (ledger.Entry("a", 0), ledger.Entry("b", 0)),
        (ledger.Entry("a", 5), ledger.Entry("a", -5)),
    ],
)
def test_unbalanced_or_degenerate_transactions_cannot_exist(
    entries: tuple[ledger.Entry, ...],
) -> None:
    with pytest.raises(ledger.LedgerInvariantError):
        ledger.LedgerTransaction("t", "k", AT, entries, None, "r", "d", "h")


def test_a_payout_may_not_take_the_member_above_zero_owed() -> None:
    payout = ledger.payout_made("m1", 700, date(2026, 1, 5), "P1", AT)
    assert payout.ceilings == (ledger.BalanceCeiling("member:m1:receives", 0),)
    assert payout.amount_for("member:m1:receives") == 700


def test_collective_accounts_are_sharded_and_member_accounts_are_not() -> None:
    assert ledger.balance_shards(ledger.INCOME_DUES) > 1
    assert ledger.balance_shards(ledger.member_owes_account("m1")) == 1
