"""Fees on an assignment, computed on cumulative totals (SPEC section 1).

Every total is a pure function of the cumulative revenue, and a revenue report books the
difference of each total against the totals before it. That is why the outcome never depends on
how the revenue is split across reports, and why a capped assignment books 0 on further revenue.
Integer cents only; every division floors.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from chalicelib.domain.errors import Cents, Conflict
from chalicelib.policy import Policy


class FeeInvariantError(AssertionError):
    """A fee split that does not add up: always a bug, never the caller's fault."""


def _require_int(name: str, value: object) -> None:
    # bool is an int subclass; True cents would be a bug upstream, not one cent.
    if type(value) is not int:
        raise ValueError(f"{name} must be an integer number of cents")


def _percent_of(amount_cents: int, percent: int) -> int:
    return amount_cents * percent // 100


@dataclass(frozen=True)
class FeeTotals:
    """The cumulative totals of one assignment after some revenue reports."""

    revenue_cents: int
    fee_cents: int
    referrer_cents: int
    collective_cents: int
    pot_cents: int
    operations_cents: int

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if type(value) is not int or value < 0:
                raise FeeInvariantError(f"fee total {field.name} must be a non-negative int")
        _check_split(
            "totals",
            self.fee_cents,
            self.referrer_cents,
            self.collective_cents,
            self.pot_cents,
            self.operations_cents,
        )

    @classmethod
    def zero(cls) -> FeeTotals:
        """The totals of an assignment before its first revenue report."""
        return cls(0, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class FeeBooking:
    """What one revenue report books: the differences of the totals, plus the new totals."""

    fee_cents: int
    referrer_share_cents: int
    collective_share_cents: int
    pot_share_cents: int
    operations_share_cents: int
    after: FeeTotals

    def __post_init__(self) -> None:
        _check_split(
            "booking",
            self.fee_cents,
            self.referrer_share_cents,
            self.collective_share_cents,
            self.pot_share_cents,
            self.operations_share_cents,
        )


def _check_split(
    what: str,
    fee_cents: int,
    referrer_cents: int,
    collective_cents: int,
    pot_cents: int,
    operations_cents: int,
) -> None:
    # Explicit raises rather than `assert`, so the ledger stays balanced under `python -O`.
    if fee_cents != referrer_cents + collective_cents:
        raise FeeInvariantError(f"{what}: fee {fee_cents} != referrer + collective")
    if collective_cents != pot_cents + operations_cents:
        raise FeeInvariantError(f"{what}: collective {collective_cents} != pot + operations")


def fee_cap_cents(tier: str, policy: Policy) -> int:
    """The fee cap of an assignment whose executing member picked `tier`."""
    cap_cents = policy.fee_cap_cents_by_tier.get(tier)
    if cap_cents is None:
        known = ", ".join(sorted(policy.fee_cap_cents_by_tier))
        raise ValueError(f"unknown contribution tier {tier!r} (known: {known})")
    return cap_cents


def totals_for(
    cumulative_revenue_cents: int, cap_cents: int, has_referrer: bool, policy: Policy
) -> FeeTotals:
    """The totals after `cumulative_revenue_cents`, exactly by the SPEC's formulas.

    `has_referrer` is False when the collective itself brought the opportunity: then the
    collective keeps the referrer's half too.
    """
    _require_int("cumulative_revenue_cents", cumulative_revenue_cents)
    _require_int("cap_cents", cap_cents)
    if cumulative_revenue_cents < 0:
        raise ValueError("cumulative_revenue_cents must not be negative")
    if cap_cents < 0:
        raise ValueError("cap_cents must not be negative")
    fee_cents = min(cap_cents, _percent_of(cumulative_revenue_cents, policy.fee_percent))
    referrer_cents = _percent_of(fee_cents, policy.referrer_share_percent) if has_referrer else 0
    collective_cents = fee_cents - referrer_cents
    pot_cents = _percent_of(collective_cents, policy.pot_share_of_collective_percent)
    return FeeTotals(
        revenue_cents=cumulative_revenue_cents,
        fee_cents=fee_cents,
        referrer_cents=referrer_cents,
        collective_cents=collective_cents,
        pot_cents=pot_cents,
        operations_cents=collective_cents - pot_cents,
    )


def book_report(
    before: FeeTotals, amount_cents: int, cap_cents: int, has_referrer: bool, policy: Policy
) -> FeeBooking:
    """Book one revenue report of `amount_cents` (negative: a credit note) on `before`.

    Raises ValueError for an amount of 0 (nothing to report) and Conflict when a credit note
    would take the cumulative revenue below 0 (it credits more than was ever invoiced).
    """
    _require_int("amount_cents", amount_cents)
    if amount_cents == 0:
        raise ValueError("amount_cents must not be 0")
    cumulative_revenue_cents = before.revenue_cents + amount_cents
    if cumulative_revenue_cents < 0:
        raise Conflict(
            "credit_above_revenue",
            amount=Cents(-amount_cents),
            revenue=Cents(before.revenue_cents),
        )
    after = totals_for(cumulative_revenue_cents, cap_cents, has_referrer, policy)
    return FeeBooking(
        fee_cents=after.fee_cents - before.fee_cents,
        referrer_share_cents=after.referrer_cents - before.referrer_cents,
        collective_share_cents=after.collective_cents - before.collective_cents,
        pot_share_cents=after.pot_cents - before.pot_cents,
        operations_share_cents=after.operations_cents - before.operations_cents,
        after=after,
    )
