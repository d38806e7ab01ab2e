"""Double-entry ledger: accounts, balanced immutable transactions and their builders.

Sign convention: an entry's amount is a debit when positive and a credit when negative, so
the entries of a transaction sum to zero. Asset accounts (what members owe, the bank) grow
with debits; liability and income accounts (what the collective owes members, income, pots)
grow with credits and so carry negative balances.

A transaction's id is its idempotency key: the same business event always yields the same
id (registration of member X, dues of member X for 2026-Q1, payment with reference R), so a
repeat can never book twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from chalicelib.periods import Quarter

BANK = "collective:bank"
INCOME_REGISTRATION = "collective:income:registration"
INCOME_DUES = "collective:income:dues"
INCOME_FEES = "collective:income:fees"

# Collective accounts are touched by every member's transactions (a dues run books 10,000 of
# them at once), so their balance is spread over shards that are summed on read; a member's
# accounts are touched by that member only and keep one balance item that conditions can guard.
COLLECTIVE_BALANCE_SHARDS = 16


def member_owes_account(member_id: str) -> str:
    """What the member owes the collective (registration, dues, fees; lowered by payments)."""
    return f"member:{member_id}:owes"


def member_receives_account(member_id: str) -> str:
    """What the collective owes the member (referral shares, pot payouts; lowered by payouts)."""
    return f"member:{member_id}:receives"


def pot_account(year: int) -> str:
    return f"collective:pot:{year}"


def balance_shards(account: str) -> int:
    return COLLECTIVE_BALANCE_SHARDS if account.startswith("collective:") else 1


class LedgerInvariantError(AssertionError):
    """A transaction that breaks double entry: a bug in the caller, never user input."""


@dataclass(frozen=True)
class Entry:
    account: str
    amount_cents: int


@dataclass(frozen=True)
class BalanceCeiling:
    """Refuse the transaction if it would take `account` above `max_balance_cents`."""

    account: str
    max_balance_cents: int


@dataclass(frozen=True)
class LedgerTransaction:
    transaction_id: str
    kind: str
    booked_at: datetime
    entries: tuple[Entry, ...]
    member_id: str | None
    reference: str
    description: str
    # Hash of the request that caused it: a repeat with the same key and another body is a 409.
    request_hash: str
    ceilings: tuple[BalanceCeiling, ...] = field(default=())
    booked_by: str | None = None  # the person who booked it (an admin on a member's behalf)

    def __post_init__(self) -> None:
        if len(self.entries) < 2:
            raise LedgerInvariantError(f"{self.transaction_id}: fewer than two entries")
        if sum(e.amount_cents for e in self.entries) != 0:
            raise LedgerInvariantError(f"{self.transaction_id}: entries do not sum to zero")
        for entry in self.entries:
            if type(entry.amount_cents) is not int or entry.amount_cents == 0:
                raise LedgerInvariantError(f"{self.transaction_id}: bad amount {entry}")
        if len({e.account for e in self.entries}) != len(self.entries):
            raise LedgerInvariantError(f"{self.transaction_id}: an account appears twice")
        for ceiling in self.ceilings:
            if balance_shards(ceiling.account) != 1 or not self.amount_for(ceiling.account):
                raise LedgerInvariantError(f"{self.transaction_id}: unguardable {ceiling}")

    def amount_for(self, account: str) -> int:
        return sum(e.amount_cents for e in self.entries if e.account == account)


def request_hash(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _charge(
    transaction_id: str,
    kind: str,
    member_id: str,
    income_account: str,
    amount_cents: int,
    at: datetime,
    description: str,
) -> LedgerTransaction:
    payload = {"kind": kind, "member_id": member_id, "amount_cents": amount_cents}
    return LedgerTransaction(
        transaction_id=transaction_id,
        kind=kind,
        booked_at=at,
        entries=(
            Entry(member_owes_account(member_id), amount_cents),
            Entry(income_account, -amount_cents),
        ),
        member_id=member_id,
        reference=transaction_id,
        description=description,
        request_hash=request_hash(payload),
    )


def registration_fee(member_id: str, amount_cents: int, at: datetime) -> LedgerTransaction:
    return _charge(
        f"registration:{member_id}",
        "registration_fee",
        member_id,
        INCOME_REGISTRATION,
        amount_cents,
        at,
        "Registration fee",
    )


def quarterly_dues(
    member_id: str, quarter: Quarter, amount_cents: int, at: datetime
) -> LedgerTransaction:
    return _charge(
        f"dues:{quarter}:{member_id}",
        "dues",
        member_id,
        INCOME_DUES,
        amount_cents,
        at,
        f"Dues {quarter}",
    )


def payment_received(
    member_id: str,
    amount_cents: int,
    received_on: date,
    reference: str,
    at: datetime,
    booked_by: str | None = None,
) -> LedgerTransaction:
    payload = {
        "kind": "payment",
        "member_id": member_id,
        "amount_cents": amount_cents,
        "received_on": received_on.isoformat(),
        "reference": reference,
    }
    return LedgerTransaction(
        transaction_id=f"payment:{member_id}:{reference}",
        kind="payment",
        booked_at=at,
        entries=(Entry(BANK, amount_cents), Entry(member_owes_account(member_id), -amount_cents)),
        member_id=member_id,
        reference=reference,
        description=f"Payment received on {received_on.isoformat()}",
        request_hash=request_hash(payload),
        booked_by=booked_by,
    )


def payout_made(
    member_id: str,
    amount_cents: int,
    paid_on: date,
    reference: str,
    at: datetime,
    booked_by: str | None = None,
) -> LedgerTransaction:
    receives = member_receives_account(member_id)
    payload = {
        "kind": "payout",
        "member_id": member_id,
        "amount_cents": amount_cents,
        "paid_on": paid_on.isoformat(),
        "reference": reference,
    }
    return LedgerTransaction(
        transaction_id=f"payout:{member_id}:{reference}",
        kind="payout",
        booked_at=at,
        entries=(Entry(receives, amount_cents), Entry(BANK, -amount_cents)),
        member_id=member_id,
        reference=reference,
        description=f"Paid out on {paid_on.isoformat()}",
        request_hash=request_hash(payload),
        booked_by=booked_by,
        # The receives account is credit-normal (negative while the collective owes): a payout
        # may bring it to zero, never above it, so nobody is paid more than they are owed.
        ceilings=(BalanceCeiling(receives, 0),),
    )


def revenue_fee(
    transaction_id: str,
    member_id: str,
    referrer_id: str | None,
    fee_cents: int,
    referrer_share_cents: int,
    operations_share_cents: int,
    pot_share_cents: int,
    pot_year: int,
    reference: str,
    at: datetime,
    request_hash_: str,
    referrer_owed_cents: int = 0,
    booked_by: str | None = None,
    burden_changes: Mapping[str, int] | None = None,
    team_revenue_grew: bool | None = None,
) -> LedgerTransaction | None:
    """The fee differences of one revenue report; None when it books nothing (a capped
    assignment, or a report too small to move a cent). A credit note books negatives.

    The fee is owed by whoever bears it: `member_id` alone (a team of one), or, on a joint
    assignment, every team member by their burden difference (`burden_changes`, which sum to
    `fee_cents`). A negative difference lowers what that member owes, exactly as a credit
    note does for one member: if they had paid already, their owed balance goes below zero,
    which is a credit that settles their next charges (the statement shows it as such, never
    as a negative amount owed). `team_revenue_grew` marks a joint report in the stored
    description, so a statement line tells a member why their share moved.

    A credit note claws back part of the referrer's share. What the collective owes the
    referrer (`referrer_owed_cents`) is lowered first; whatever the clawback takes beyond it
    (the share was paid out already) becomes a debt of the referrer, so what the collective
    owes never drops below zero. A ceiling on the referrer's account keeps that true when a
    payout to the referrer books at the same moment.
    """
    debtors = {member_id: fee_cents} if burden_changes is None else dict(burden_changes)
    if sum(debtors.values()) != fee_cents:
        raise LedgerInvariantError(f"{transaction_id}: burdens do not add up to the fee")
    if referrer_id is not None and referrer_id in debtors and referrer_share_cents < 0:
        # the referrer's clawback would touch their owes account twice: never on a team
        raise LedgerInvariantError(f"{transaction_id}: the referrer bears part of the fee")
    description = f"Fee on invoice {reference}"
    if team_revenue_grew is not None:
        # read by i18n.descriptions: the reporter's own line is their fee, the others' lines
        # a change of their share because the team's revenue grew or fell
        movement = "grew" if team_revenue_grew else "fell"
        description += f" by member {member_id}; team revenue {movement}"
    candidates = [
        *(Entry(member_owes_account(m), debtors[m]) for m in sorted(debtors)),
        *(_referrer_entries(referrer_id, referrer_share_cents, referrer_owed_cents)),
        Entry(INCOME_FEES, -operations_share_cents),
        Entry(pot_account(pot_year), -pot_share_cents),
    ]
    entries = tuple(e for e in candidates if e.amount_cents != 0)
    if not entries:
        return None
    receives = member_receives_account(referrer_id) if referrer_id else None
    clawing_back = any(e.account == receives and e.amount_cents > 0 for e in entries)
    return LedgerTransaction(
        transaction_id=transaction_id,
        kind="fee",
        booked_at=at,
        entries=entries,
        member_id=member_id,
        reference=reference,
        description=description,
        request_hash=request_hash_,
        ceilings=(BalanceCeiling(receives, 0),) if receives and clawing_back else (),
        booked_by=booked_by,
    )


def _referrer_entries(referrer_id: str | None, share_cents: int, owed_cents: int) -> list[Entry]:
    if referrer_id is None:
        return []
    if share_cents >= 0:
        return [Entry(member_receives_account(referrer_id), -share_cents)]
    clawback_cents = -share_cents
    from_owed_cents = min(clawback_cents, max(owed_cents, 0))
    return [
        Entry(member_receives_account(referrer_id), from_owed_cents),
        Entry(member_owes_account(referrer_id), clawback_cents - from_owed_cents),
    ]


def pot_payout(year: int, member_id: str, amount_cents: int, at: datetime) -> LedgerTransaction:
    """A member's share of a year's pot: the collective now owes it to them."""
    return LedgerTransaction(
        transaction_id=f"distribution:{year}:{member_id}",
        kind="pot_payout",
        booked_at=at,
        entries=(
            Entry(pot_account(year), amount_cents),
            Entry(member_receives_account(member_id), -amount_cents),
        ),
        member_id=member_id,
        reference=f"pot-{year}",
        description=f"Share of the {year} pot",
        request_hash=request_hash({"year": year, "member": member_id, "amount": amount_cents}),
    )


def pot_carry_over(year: int, amount_cents: int, at: datetime) -> LedgerTransaction:
    """A year without coins passes its whole pot on to the next year."""
    return LedgerTransaction(
        transaction_id=f"carry-over:{year}",
        kind="pot_carry_over",
        booked_at=at,
        entries=(
            Entry(pot_account(year), amount_cents),
            Entry(pot_account(year + 1), -amount_cents),
        ),
        member_id=None,
        reference=f"pot-{year}",
        description=f"Pot of {year} carried over to {year + 1} (no coins were earned)",
        request_hash=request_hash({"year": year, "amount": amount_cents}),
    )
