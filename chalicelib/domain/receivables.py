"""What a member owes and since when: payments settle the oldest charges first (FIFO)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Movement:
    """A change of what a member owes: a charge (> 0) or a payment or credit (< 0)."""

    booked_at: datetime
    amount_cents: int
    description: str


@dataclass(frozen=True)
class UnpaidCharge:
    booked_at: datetime
    description: str
    unpaid_cents: int


def unpaid_charges(movements: Iterable[Movement]) -> list[UnpaidCharge]:
    """The charges not yet covered, oldest first, when credits pay the oldest charges first."""
    ordered = sorted(movements, key=lambda m: m.booked_at)
    credit_cents = -sum(m.amount_cents for m in ordered if m.amount_cents < 0)
    unpaid: list[UnpaidCharge] = []
    for charge in (m for m in ordered if m.amount_cents > 0):
        covered_cents = min(credit_cents, charge.amount_cents)
        credit_cents -= covered_cents
        if covered_cents < charge.amount_cents:
            remaining = charge.amount_cents - covered_cents
            unpaid.append(UnpaidCharge(charge.booked_at, charge.description, remaining))
    return unpaid


def is_due_for_reminder(
    unpaid: list[UnpaidCharge],
    last_reminder_at: datetime | None,
    now: datetime,
    overdue_days: int,
    interval_days: int,
) -> bool:
    if not unpaid or (now - unpaid[0].booked_at).days < overdue_days:
        return False
    return last_reminder_at is None or (now - last_reminder_at).days >= interval_days
