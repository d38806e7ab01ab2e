"""Sharing out a year's pot over that year's coins (SPEC section 1, December 31 distribution).

Largest-remainder method in integer cents: everyone gets the floor of their exact share, and the
few cents left over go one each to the largest fractional remainders, ties broken by member id
ascending. So the payouts add up to the pot exactly and do not depend on input order.
"""

from __future__ import annotations

from collections.abc import Mapping


class AllocationInvariantError(AssertionError):
    """Payouts that do not add up to the pot: always a bug, never the caller's fault."""


def _validated_coins(coins_by_member: Mapping[str, int]) -> dict[str, int]:
    """The members who earned coins; members with 0 coins take no part in the pot."""
    coins_paid: dict[str, int] = {}
    for member_id, coins in coins_by_member.items():
        if type(coins) is not int or coins < 0:
            raise ValueError(f"coins of member {member_id!r} must be a non-negative int")
        if coins > 0:
            coins_paid[member_id] = coins
    return coins_paid


def allocate_pot(pot_cents: int, coins_by_member: Mapping[str, int]) -> dict[str, int]:
    """The payout in cents of every member with coins; {} when nobody has coins.

    An empty result means the caller carries the whole pot over into the next year.
    Members with coins appear even when their payout is 0 (a pot of 0 cents).
    """
    if type(pot_cents) is not int or pot_cents < 0:
        raise ValueError("pot_cents must be a non-negative int")
    coins_paid = _validated_coins(coins_by_member)
    total_coins = sum(coins_paid.values())
    if total_coins == 0:
        return {}
    # Built in member id order so that even the dict's iteration order ignores input order.
    members = sorted(coins_paid)
    payouts_cents = {m: pot_cents * coins_paid[m] // total_coins for m in members}
    # Remainders compared as integers (pot * c mod total): exact, unlike fractions in floats.
    remainders = {m: pot_cents * c % total_coins for m, c in coins_paid.items()}
    leftover_cents = pot_cents - sum(payouts_cents.values())
    by_largest_remainder = sorted(members, key=lambda m: (-remainders[m], m))
    for member_id in by_largest_remainder[:leftover_cents]:
        payouts_cents[member_id] += 1
    if leftover_cents >= len(members) or sum(payouts_cents.values()) != pot_cents:
        raise AllocationInvariantError(f"payouts do not add up to the pot of {pot_cents}")
    return payouts_cents
