"""Payout batches, pure: offsets first, skipped members with their reason, four eyes, ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import Conflict, Forbidden
from chalicelib.domain.payout_batches import (
    END_TO_END_MAX,
    MemberBalances,
    approved,
    check_approver,
    parse_end_to_end_id,
    plan_batch,
    split,
    still_as_prepared,
)

AT = datetime(2026, 12, 3, 10, tzinfo=UTC)
BATCH = "0123456789abcdef"


@dataclass(frozen=True)
class Account:
    iban: str
    account_holder: str


def account(member_id: str) -> Account:
    return Account("NL91ABNA0417164300", f"Holder {member_id}")


def test_a_member_owed_100_who_owes_30_is_offset_30_and_paid_70() -> None:
    batch = plan_batch(BATCH, [MemberBalances("m1", 3000, 10000)], {"m1": account("m1")}, "a", AT)
    (item,) = batch.items
    assert (item.offset_cents, item.amount_cents) == (3000, 7000)
    assert batch.total_cents == 7000 and batch.offset_total_cents == 3000


def test_a_member_who_owes_more_than_owed_is_listed_offset_all_and_paid_nothing() -> None:
    batch = plan_batch(BATCH, [MemberBalances("m1", 25000, 10000)], {"m1": account("m1")}, "a", AT)
    (item,) = batch.items
    assert (item.offset_cents, item.amount_cents) == (10000, 0)
    assert batch.transfers == () and batch.total_cents == 0


def test_members_without_an_iban_are_skipped_with_the_reason() -> None:
    balances = [MemberBalances("m1", 0, 5000), MemberBalances("m2", 0, 6000)]
    batch = plan_batch(BATCH, balances, {"m1": account("m1"), "m2": None}, "a", AT)
    assert [i.member_id for i in batch.items] == ["m1"]
    assert [(s.member_id, s.to_receive_cents, s.reason) for s in batch.skipped] == [
        ("m2", 6000, "no_bank_account")
    ]


def test_members_the_collective_owes_nothing_are_not_in_the_batch() -> None:
    balances = [MemberBalances("m1", 500, 0), MemberBalances("m2", 0, 4000)]
    batch = plan_batch(BATCH, balances, {"m1": account("m1"), "m2": account("m2")}, "a", AT)
    assert [i.member_id for i in batch.items] == ["m2"]


def test_nobody_to_pay_is_a_conflict() -> None:
    with pytest.raises(Conflict) as refused:
        plan_batch(BATCH, [MemberBalances("m1", 0, 5000)], {}, "a", AT)
    assert refused.value.code == "payout_batch_nothing_to_pay"


def test_who_prepared_may_not_approve_unless_the_policy_allows_one_admin() -> None:
    batch = plan_batch(BATCH, [MemberBalances("m1", 0, 5000)], {"m1": account("m1")}, "ann", AT)
    with pytest.raises(Forbidden) as refused:
        check_approver(batch, "ann", single_admin_allowed=False)
    assert refused.value.code == "payout_batch_four_eyes"
    check_approver(batch, "bob", single_admin_allowed=False)
    check_approver(batch, "ann", single_admin_allowed=True)


def test_an_approved_batch_is_not_approved_again() -> None:
    batch = plan_batch(BATCH, [MemberBalances("m1", 0, 5000)], {"m1": account("m1")}, "ann", AT)
    done = approved(batch, "bob", AT, date(2026, 12, 3))
    assert (done.status, done.approved_by, done.execution_date) == (
        "approved",
        "bob",
        date(2026, 12, 3),
    )
    with pytest.raises(Conflict):
        approved(done, "carl", AT, date(2026, 12, 3))


def test_an_item_is_still_as_prepared_only_when_the_balances_give_the_same_split() -> None:
    batch = plan_batch(BATCH, [MemberBalances("m1", 3000, 10000)], {"m1": account("m1")}, "a", AT)
    (item,) = batch.items
    assert still_as_prepared(item, 3000, 10000)
    assert not still_as_prepared(item, 3000, 9000)  # paid out meanwhile: never pay more
    assert not still_as_prepared(item, 4000, 10000)  # charged meanwhile: another offset
    assert not still_as_prepared(item, 0, 10000)  # paid meanwhile: another amount


balances_strategy = st.lists(
    st.tuples(st.integers(-50_000, 500_000), st.integers(0, 500_000), st.booleans()),
    min_size=1,
    max_size=40,
)


@given(balances_strategy)
def test_every_plan_splits_exactly_and_names_each_member_once(
    rows: list[tuple[int, int, bool]],
) -> None:
    balances = [
        MemberBalances(f"m{n:03d}", owed, receive) for n, (owed, receive, _) in enumerate(rows)
    ]
    accounts = {
        b.member_id: account(b.member_id) if has else None
        for b, (_, _, has) in zip(balances, rows, strict=True)
    }
    payable = [b for b in balances if b.to_receive_cents > 0]
    try:
        batch = plan_batch(BATCH, balances, accounts, "a", AT)
    except Conflict:
        assert all(accounts[b.member_id] is None for b in payable)
        return
    listed = [i.member_id for i in batch.items] + [s.member_id for s in batch.skipped]
    assert sorted(listed) == sorted(b.member_id for b in payable)
    by_id = {b.member_id: b for b in balances}
    for item in batch.items:
        member = by_id[item.member_id]
        assert item.offset_cents + item.amount_cents == member.to_receive_cents
        assert 0 <= item.offset_cents <= max(member.owed_cents, 0)
        assert item.amount_cents >= 0
        # what is owed is offset first: a payment only when nothing is owed any more
        assert item.amount_cents == 0 or item.offset_cents == max(member.owed_cents, 0)
    ids = [i.end_to_end_id for i in batch.items]
    assert len(set(ids)) == len(ids)
    assert all(len(i) <= END_TO_END_MAX for i in ids)
    assert [parse_end_to_end_id(i) for i in ids] == [(BATCH, i.number) for i in batch.items]
    assert batch.total_cents == sum(i.amount_cents for i in batch.items)
    assert plan_batch(BATCH, list(reversed(balances)), accounts, "a", AT) == batch


@given(st.integers(-(10**9), 10**9), st.integers(0, 10**9))
def test_split_offsets_first_and_never_more_than_is_to_receive(owed: int, receive: int) -> None:
    offset, paid = split(owed, receive)
    assert offset + paid == receive
    assert offset == min(max(owed, 0), receive)


def test_foreign_end_to_end_ids_are_not_ours() -> None:
    for text in ("", "NOTPROVIDED", "abc", "0123456789abcdef-", "0123456789abcdef-01", "XYZ-1"):
        assert parse_end_to_end_id(text) is None
