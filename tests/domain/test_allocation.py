"""The December 31 distribution of the pot over the year's coins (SPEC section 1).

The oracle for the remainders is exact rational arithmetic (Fraction), independent of the
integer method the implementation uses.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.allocation import allocate_pot

member_ids = st.from_regex(r"m[0-9a-z]{1,6}", fullmatch=True)
coins_maps = st.dictionaries(member_ids, st.integers(min_value=0, max_value=60), max_size=25)
pots = st.integers(min_value=0, max_value=10**9)


def test_the_spec_example() -> None:
    payouts = allocate_pot(125_000, {"patrick": 10, "ton": 5, "anna": 3})
    assert payouts == {"patrick": 69_445, "ton": 34_722, "anna": 20_833}


def test_ties_go_to_the_smallest_member_ids() -> None:
    assert allocate_pot(2, {"m3": 1, "m1": 1, "m2": 1}) == {"m1": 1, "m2": 1, "m3": 0}


def test_a_year_without_coins_pays_nobody() -> None:
    assert allocate_pot(125_000, {}) == {}
    assert allocate_pot(125_000, {"patrick": 0, "ton": 0}) == {}


def test_members_without_coins_are_left_out() -> None:
    assert allocate_pot(100, {"a": 0, "b": 3, "c": 1}) == {"b": 75, "c": 25}


def test_an_empty_pot_pays_zero_to_everyone_with_coins() -> None:
    assert allocate_pot(0, {"a": 2, "b": 0}) == {"a": 0}


@pytest.mark.parametrize(
    ("pot_cents", "coins_by_member"),
    [(-1, {"a": 1}), (100, {"a": -1}), (100, {"a": 1, "b": -2})],
)
def test_negative_pots_or_coins_are_refused(
    pot_cents: int, coins_by_member: dict[str, int]
) -> None:
    with pytest.raises(ValueError):
        allocate_pot(pot_cents, coins_by_member)


@given(pot_cents=pots, coins_by_member=coins_maps)
def test_payouts_add_up_to_the_pot(pot_cents: int, coins_by_member: dict[str, int]) -> None:
    payouts = allocate_pot(pot_cents, coins_by_member)
    if sum(coins_by_member.values()) == 0:
        assert payouts == {}
    else:
        assert sum(payouts.values()) == pot_cents
        assert set(payouts) == {m for m, c in coins_by_member.items() if c > 0}


@given(pot_cents=pots, coins_by_member=coins_maps)
def test_each_payout_is_the_floor_of_its_exact_share_or_one_more(
    pot_cents: int, coins_by_member: dict[str, int]
) -> None:
    payouts = allocate_pot(pot_cents, coins_by_member)
    total_coins = sum(coins_by_member.values())
    for member_id, amount_cents in payouts.items():
        exact = Fraction(pot_cents * coins_by_member[member_id], total_coins)
        assert amount_cents - exact.numerator // exact.denominator in (0, 1)


@given(pot_cents=pots, coins_by_member=coins_maps)
def test_the_extra_cents_go_to_the_largest_remainders_then_smallest_ids(
    pot_cents: int, coins_by_member: dict[str, int]
) -> None:
    payouts = allocate_pot(pot_cents, coins_by_member)
    total_coins = sum(coins_by_member.values())

    def remainder(member_id: str) -> Fraction:
        exact = Fraction(pot_cents * coins_by_member[member_id], total_coins)
        return exact - exact.numerator // exact.denominator

    def got_extra(member_id: str) -> bool:
        exact = Fraction(pot_cents * coins_by_member[member_id], total_coins)
        return payouts[member_id] > exact

    winners = [m for m in payouts if got_extra(m)]
    losers = [m for m in payouts if not got_extra(m)]
    assert len(winners) < max(len(payouts), 1)
    for winner in winners:
        for loser in losers:
            assert (-remainder(winner), winner) < (-remainder(loser), loser)


@given(pot_cents=pots, coins_by_member=coins_maps, data=st.data())
def test_the_input_order_does_not_matter(
    pot_cents: int, coins_by_member: dict[str, int], data: st.DataObject
) -> None:
    shuffled_items = data.draw(st.permutations(list(coins_by_member.items())))
    original = allocate_pot(pot_cents, coins_by_member)
    shuffled = allocate_pot(pot_cents, dict(shuffled_items))
    assert shuffled == original
    assert list(shuffled.items()) == list(original.items())
