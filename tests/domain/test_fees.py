"""Fees on cumulative totals (SPEC section 1).

Expected values come from the SPEC's worked example, hard-coded, or from the SPEC's formulas
written out again here, never from the implementation under test.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import Conflict
from chalicelib.domain.fees import (
    FeeBooking,
    FeeInvariantError,
    FeeTotals,
    book_report,
    fee_cap_cents,
    totals_for,
)
from chalicelib.policy import Policy

POLICY = Policy()
SMALL_CAP_CENTS = 500_000
TIER_CAPS_CENTS = {"small": 500_000, "medium": 750_000, "large": 1_000_000}

tiers = st.sampled_from(sorted(TIER_CAPS_CENTS))
report_amounts = st.integers(min_value=-3_000_000, max_value=3_000_000).filter(lambda a: a != 0)
positive_amounts = st.integers(min_value=1, max_value=3_000_000)
percentages = st.integers(min_value=0, max_value=100)


def expected_totals(revenue_cents: int, cap_cents: int, has_referrer: bool, policy: Policy):
    """The SPEC's formulas, spelled out independently of chalicelib.domain.fees."""
    fee = min(cap_cents, (revenue_cents * policy.fee_percent) // 100)
    referrer = (fee * policy.referrer_share_percent) // 100 if has_referrer else 0
    collective = fee - referrer
    pot = (collective * policy.pot_share_of_collective_percent) // 100
    return {
        "fee": fee,
        "referrer": referrer,
        "collective": collective,
        "pot": pot,
        "operations": collective - pot,
    }


def as_dict(booking: FeeBooking) -> dict[str, int]:
    return {
        "fee": booking.fee_cents,
        "referrer": booking.referrer_share_cents,
        "collective": booking.collective_share_cents,
        "pot": booking.pot_share_cents,
        "operations": booking.operations_share_cents,
    }


def book_all(amounts, cap_cents, has_referrer, policy=POLICY):
    """Books the reports in order; returns the bookings (refused credit notes are skipped)."""
    before = FeeTotals.zero()
    bookings = []
    for amount in amounts:
        if before.revenue_cents + amount < 0:
            with pytest.raises(Conflict):
                book_report(before, amount, cap_cents, has_referrer, policy)
            continue
        booking = book_report(before, amount, cap_cents, has_referrer, policy)
        bookings.append(booking)
        before = booking.after
    return bookings, before


def summed(bookings) -> dict[str, int]:
    keys = ("fee", "referrer", "collective", "pot", "operations")
    return {k: sum(as_dict(b)[k] for b in bookings) for k in keys}


def test_the_worked_example_from_the_founding_article() -> None:
    first = book_report(FeeTotals.zero(), 2_000_000, SMALL_CAP_CENTS, True, POLICY)
    assert as_dict(first) == {
        "fee": 300_000,
        "referrer": 150_000,
        "collective": 150_000,
        "pot": 75_000,
        "operations": 75_000,
    }

    second = book_report(first.after, 2_000_000, SMALL_CAP_CENTS, True, POLICY)
    assert as_dict(second) == {
        "fee": 200_000,
        "referrer": 100_000,
        "collective": 100_000,
        "pot": 50_000,
        "operations": 50_000,
    }
    assert second.after == FeeTotals(4_000_000, 500_000, 250_000, 250_000, 125_000, 125_000)

    further = book_report(second.after, 1_234_567, SMALL_CAP_CENTS, True, POLICY)
    assert set(as_dict(further).values()) == {0}
    assert further.after.revenue_cents == 5_234_567


def test_when_the_collective_is_the_referrer_it_keeps_the_whole_fee() -> None:
    booking = book_report(FeeTotals.zero(), 2_000_000, SMALL_CAP_CENTS, False, POLICY)
    assert as_dict(booking) == {
        "fee": 300_000,
        "referrer": 0,
        "collective": 300_000,
        "pot": 150_000,
        "operations": 150_000,
    }


def test_a_credit_note_books_negative_differences() -> None:
    invoiced = book_report(FeeTotals.zero(), 1_000_000, SMALL_CAP_CENTS, True, POLICY)
    credited = book_report(invoiced.after, -400_000, SMALL_CAP_CENTS, True, POLICY)
    assert as_dict(credited) == {
        "fee": -60_000,
        "referrer": -30_000,
        "collective": -30_000,
        "pot": -15_000,
        "operations": -15_000,
    }
    assert credited.after.revenue_cents == 600_000


def test_floors_leave_the_odd_cent_with_operations() -> None:
    # 15 % of 1001 cents is 150.15 -> 150; referrer 75; collective 75; pot 37; operations 38.
    assert totals_for(1001, SMALL_CAP_CENTS, True, POLICY) == FeeTotals(1001, 150, 75, 75, 37, 38)


def test_a_credit_note_beyond_the_cumulative_revenue_is_a_conflict() -> None:
    invoiced = book_report(FeeTotals.zero(), 1000, SMALL_CAP_CENTS, True, POLICY)
    with pytest.raises(Conflict) as refused:
        book_report(invoiced.after, -1001, SMALL_CAP_CENTS, True, POLICY)
    assert refused.value.code == "credit_above_revenue"
    assert refused.value.params == {"amount": 1001, "revenue": 1000}  # one cent too many


def test_a_zero_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="amount_cents"):
        book_report(FeeTotals.zero(), 0, SMALL_CAP_CENTS, True, POLICY)


def test_negative_cumulative_revenue_is_refused() -> None:
    with pytest.raises(ValueError):
        totals_for(-1, SMALL_CAP_CENTS, True, POLICY)


def test_fee_caps_by_tier() -> None:
    assert {tier: fee_cap_cents(tier, POLICY) for tier in TIER_CAPS_CENTS} == TIER_CAPS_CENTS
    with pytest.raises(ValueError, match="huge"):
        fee_cap_cents("huge", POLICY)


def test_unbalanced_totals_and_bookings_cannot_exist() -> None:
    with pytest.raises(FeeInvariantError):
        FeeTotals(100, 15, 7, 7, 3, 4)
    with pytest.raises(FeeInvariantError):
        FeeTotals(100, 15, 7, 8, 3, 4)
    with pytest.raises(FeeInvariantError):
        FeeBooking(15, 7, 8, 4, 5, FeeTotals.zero())


@given(amounts=st.lists(report_amounts, max_size=20), tier=tiers, has_referrer=st.booleans())
def test_booked_differences_add_up_to_the_totals_of_the_final_revenue(
    amounts: list[int], tier: str, has_referrer: bool
) -> None:
    cap_cents = TIER_CAPS_CENTS[tier]
    bookings, final = book_all(amounts, cap_cents, has_referrer)

    expected = expected_totals(final.revenue_cents, cap_cents, has_referrer, POLICY)
    assert summed(bookings) == expected


@given(amounts=st.lists(report_amounts, max_size=20), tier=tiers, has_referrer=st.booleans())
def test_every_booking_balances_and_lands_on_the_formula(
    amounts: list[int], tier: str, has_referrer: bool
) -> None:
    cap_cents = TIER_CAPS_CENTS[tier]
    bookings, _ = book_all(amounts, cap_cents, has_referrer)
    for booking in bookings:
        booked = as_dict(booking)
        assert booked["fee"] == booked["referrer"] + booked["collective"]
        assert booked["collective"] == booked["pot"] + booked["operations"]
        after = booking.after
        assert {
            "fee": after.fee_cents,
            "referrer": after.referrer_cents,
            "collective": after.collective_cents,
            "pot": after.pot_cents,
            "operations": after.operations_cents,
        } == expected_totals(after.revenue_cents, cap_cents, has_referrer, POLICY)


@given(amounts=st.lists(report_amounts, max_size=20))
def test_cumulative_revenue_follows_the_accepted_reports(amounts: list[int]) -> None:
    bookings, final = book_all(amounts, SMALL_CAP_CENTS, True)
    cumulative = 0
    accepted = 0
    for amount in amounts:
        if cumulative + amount >= 0:
            cumulative += amount
            accepted += 1
    assert final.revenue_cents == cumulative
    assert len(bookings) == accepted


@given(
    parts=st.lists(positive_amounts, min_size=1, max_size=10),
    tier=tiers,
    has_referrer=st.booleans(),
)
def test_the_split_across_reports_does_not_change_the_outcome(
    parts: list[int], tier: str, has_referrer: bool
) -> None:
    cap_cents = TIER_CAPS_CENTS[tier]
    split_bookings, _ = book_all(parts, cap_cents, has_referrer)
    whole_bookings, _ = book_all([sum(parts)], cap_cents, has_referrer)
    assert summed(split_bookings) == summed(whole_bookings)


@given(
    before_amount=st.integers(min_value=1, max_value=20_000_000),
    further=positive_amounts,
    tier=tiers,
    has_referrer=st.booleans(),
)
def test_a_capped_assignment_books_nothing_on_further_revenue(
    before_amount: int, further: int, tier: str, has_referrer: bool
) -> None:
    cap_cents = TIER_CAPS_CENTS[tier]
    # Revenue at which 15 % reaches the cap: cap * 100 / 15, rounded up.
    capping_revenue = -(-cap_cents * 100 // 15)
    first = book_report(
        FeeTotals.zero(), capping_revenue + before_amount, cap_cents, has_referrer, POLICY
    )
    assert first.fee_cents == cap_cents
    later = book_report(first.after, further, cap_cents, has_referrer, POLICY)
    assert set(as_dict(later).values()) == {0}


@given(
    amounts=st.lists(report_amounts, max_size=10),
    fee_percent=percentages,
    referrer_percent=percentages,
    pot_percent=percentages,
    cap_cents=st.integers(min_value=0, max_value=2_000_000),
    has_referrer=st.booleans(),
)
def test_other_policy_numbers_follow_the_same_formulas(
    amounts: list[int],
    fee_percent: int,
    referrer_percent: int,
    pot_percent: int,
    cap_cents: int,
    has_referrer: bool,
) -> None:
    policy = Policy(
        fee_percent=fee_percent,
        referrer_share_percent=referrer_percent,
        pot_share_of_collective_percent=pot_percent,
    )
    bookings, final = book_all(amounts, cap_cents, has_referrer, policy)
    assert summed(bookings) == expected_totals(final.revenue_cents, cap_cents, has_referrer, policy)
