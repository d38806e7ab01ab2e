"""Payout batches (SPEC section 1, "Payouts out"): who is paid what, after offsets. Pure.

A batch is planned from every member the collective owes (`to_receive_cents > 0`): what that
member owes the collective is offset first, the rest is paid by SEPA credit transfer to the
IBAN they registered. A member without an IBAN is skipped with a reason. A member who owes as
much as or more than they are owed is listed with `amount_cents` 0: approval books their
offset only, and they are no transfer (not in the pain.001 file, not in `total_cents`).

Approval is for another admin than the one who prepared it (four eyes), unless the stage's
policy allows a single admin. An item is booked only while the member's balances still give
exactly the offset and amount the approver saw; otherwise it is dropped with the reason
`balances_changed`, paid nothing, and the member is in the next batch.

End-to-end ids are `<batch id>-<item number>`: unique, at most 35 characters, within the SEPA
character set, the same every time; the batch is found again from one (a statement line).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal, Protocol

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict, Forbidden

BatchStatus = Literal["prepared", "approved", "executed"]
# pending: not booked yet; booked: offset and transfer booked (in the file); executed: the bank
# statement shows the transfer; returned: the bank sent it back (reversed); dropped: balances
# changed before approval, nothing (more) booked.
ItemStatus = Literal["pending", "booked", "executed", "returned", "dropped"]
SKIPPED_NO_BANK_ACCOUNT = "no_bank_account"
DROPPED_BALANCES_CHANGED = "balances_changed"
BATCH_ID_MAX = 24  # leaves room for "-<n>" within the 35 characters of an EndToEndId
END_TO_END_MAX = 35


class BankAccountLike(Protocol):
    """Where a member's payouts go (bank-refs' `BankAccount` has these attributes)."""

    @property
    def iban(self) -> str: ...

    @property
    def account_holder(self) -> str: ...


@dataclass(frozen=True)
class MemberBalances:
    member_id: str
    owed_cents: int  # what the member owes the collective (negative: paid ahead)
    to_receive_cents: int  # what the collective owes the member


@dataclass(frozen=True)
class PayoutItem:
    number: int  # 1, 2, ... in member order
    member_id: str
    account_holder: str
    iban: str
    amount_cents: int  # paid by transfer (0: the offset took it all)
    offset_cents: int  # what the member owed, offset against what they are owed
    end_to_end_id: str
    status: ItemStatus = "pending"
    offset_booked: bool = False
    reason: str | None = None  # why dropped, or the bank's return reason code

    @property
    def is_transfer(self) -> bool:
        """In the credit transfer file: something to pay, and not dropped before booking."""
        return self.amount_cents > 0 and self.status != "dropped"


@dataclass(frozen=True)
class SkippedMember:
    member_id: str
    to_receive_cents: int
    reason: str


@dataclass(frozen=True)
class PayoutBatch:
    batch_id: str
    status: BatchStatus
    prepared_by: str
    prepared_at: datetime
    items: tuple[PayoutItem, ...]
    skipped: tuple[SkippedMember, ...]
    approved_by: str | None = None
    approved_at: datetime | None = None
    execution_date: date | None = None  # the requested execution date: the day of approval

    @property
    def transfers(self) -> tuple[PayoutItem, ...]:
        return tuple(i for i in self.items if i.is_transfer)

    @property
    def total_cents(self) -> int:
        """What the batch pays by transfer (the pain.001 file's CtrlSum, in cents)."""
        return sum(i.amount_cents for i in self.transfers)

    @property
    def offset_total_cents(self) -> int:
        return sum(i.offset_cents for i in self.items if i.status != "dropped")

    @property
    def complete(self) -> bool:
        """Approval's bookings are all done (nothing pending)."""
        return all(i.status != "pending" for i in self.items)

    def item(self, number: int) -> PayoutItem:
        for found in self.items:
            if found.number == number:
                return found
        raise KeyError(number)

    def with_item(self, changed: PayoutItem) -> PayoutBatch:
        items = tuple(changed if i.number == changed.number else i for i in self.items)
        return replace(self, items=items)


def split(owed_cents: int, to_receive_cents: int) -> tuple[int, int]:
    """(offset, paid): what is owed is offset first (never more than is to be received, never
    a credit), the rest is paid. offset + paid == to_receive for any to_receive >= 0."""
    receivable = max(to_receive_cents, 0)
    offset = min(max(owed_cents, 0), receivable)
    return offset, receivable - offset


def end_to_end_id(batch_id: str, number: int) -> str:
    return f"{batch_id}-{number}"


def parse_end_to_end_id(text: str) -> tuple[str, int] | None:
    """(batch id, item number) of one of our end-to-end ids; None for anything else."""
    batch_id, dash, number = text.strip().rpartition("-")
    if not dash or not batch_id or not number.isdigit() or len(text) > END_TO_END_MAX:
        return None
    if not is_batch_id(batch_id) or number.startswith("0"):
        return None
    return batch_id, int(number)


def is_batch_id(text: str) -> bool:
    """A batch id as we make them: lowercase hex and digits, at most BATCH_ID_MAX long."""
    return 0 < len(text) <= BATCH_ID_MAX and all(c in "0123456789abcdef" for c in text)


def plan_batch(
    batch_id: str,
    balances: Iterable[MemberBalances],
    accounts: Mapping[str, BankAccountLike | None],
    prepared_by: str,
    prepared_at: datetime,
) -> PayoutBatch:
    """Items for every member the collective owes who has an IBAN (member order), the rest
    skipped with the reason. Raises Conflict when nobody can be paid or offset."""
    if not is_batch_id(batch_id):
        raise ValueError(f"not a batch id: {batch_id!r}")
    items: list[PayoutItem] = []
    skipped: list[SkippedMember] = []
    for member in sorted(balances, key=lambda b: b.member_id):
        if member.to_receive_cents <= 0:
            continue
        account = accounts.get(member.member_id)
        if account is None or not account.iban:
            skipped.append(
                SkippedMember(member.member_id, member.to_receive_cents, SKIPPED_NO_BANK_ACCOUNT)
            )
            continue
        offset, paid = split(member.owed_cents, member.to_receive_cents)
        number = len(items) + 1
        items.append(
            PayoutItem(
                number=number,
                member_id=member.member_id,
                account_holder=account.account_holder,
                iban=account.iban,
                amount_cents=paid,
                offset_cents=offset,
                end_to_end_id=end_to_end_id(batch_id, number),
            )
        )
    if not items:
        raise Conflict("payout_batch_nothing_to_pay", skipped=len(skipped))
    return PayoutBatch(
        batch_id=batch_id,
        status="prepared",
        prepared_by=prepared_by,
        prepared_at=prepared_at,
        items=tuple(items),
        skipped=tuple(skipped),
    )


def check_approver(batch: PayoutBatch, approver_id: str, single_admin_allowed: bool) -> None:
    """Four eyes: who prepared a batch does not approve it, unless the policy allows one admin."""
    if approver_id == batch.prepared_by and not single_admin_allowed:
        raise Forbidden("payout_batch_four_eyes")


def approved(batch: PayoutBatch, approver_id: str, at: datetime, on: date) -> PayoutBatch:
    """The batch approved by `approver_id` at `at`; transfers requested for the day `on`."""
    if batch.status != "prepared":
        raise Conflict("payout_batch_not_prepared")
    return replace(
        batch, status="approved", approved_by=approver_id, approved_at=at, execution_date=on
    )


def still_as_prepared(item: PayoutItem, owed_cents: int, to_receive_cents: int) -> bool:
    """Whether the member's balances now give exactly the item's offset and amount (checked
    before anything of the item is booked): never pay more than owed, never another amount
    than the approver saw."""
    return split(owed_cents, to_receive_cents) == (item.offset_cents, item.amount_cents)


def all_settled(batch: PayoutBatch) -> bool:
    """Every transfer of an approved batch executed or returned (the batch is `executed`)."""
    return (
        batch.status != "prepared"
        and bool(batch.transfers)
        and all(i.status in ("executed", "returned") for i in batch.transfers)
        and batch.complete
    )


def offset_transaction(
    item: PayoutItem, at: datetime, booked_by: str | None
) -> ledger.LedgerTransaction:
    """What the member owes, offset against what the collective owes them: one balanced
    transaction lowering both. Its ceiling keeps it from offsetting more than is owed to them."""
    receives = ledger.member_receives_account(item.member_id)
    owes = ledger.member_owes_account(item.member_id)
    payload = {
        "kind": "payout_offset",
        "member_id": item.member_id,
        "amount_cents": item.offset_cents,
        "reference": item.end_to_end_id,
    }
    return ledger.LedgerTransaction(
        transaction_id=f"payout-offset:{item.member_id}:{item.end_to_end_id}",
        kind="payout_offset",
        booked_at=at,
        entries=(ledger.Entry(receives, item.offset_cents), ledger.Entry(owes, -item.offset_cents)),
        member_id=item.member_id,
        reference=item.end_to_end_id,
        description="Offset against what you are to receive",
        request_hash=ledger.request_hash(payload),
        ceilings=(ledger.BalanceCeiling(receives, 0),),
        booked_by=booked_by,
    )


def payout_transaction(
    item: PayoutItem, paid_on: date, at: datetime, booked_by: str | None
) -> ledger.LedgerTransaction:
    """The transfer: the ledger's own payout booking, its end-to-end id as the reference."""
    return ledger.payout_made(
        item.member_id, item.amount_cents, paid_on, item.end_to_end_id, at, booked_by
    )


def return_transaction(
    item: PayoutItem, reason_code: str, at: datetime
) -> ledger.LedgerTransaction:
    """A transfer the bank sent back: the money is in the bank again and the collective owes
    it to the member again. One per payout (its end-to-end id is the key)."""
    payload = {
        "kind": "payout_return",
        "member_id": item.member_id,
        "amount_cents": item.amount_cents,
        "reference": item.end_to_end_id,
    }
    return ledger.LedgerTransaction(
        transaction_id=f"payout-return:{item.member_id}:{item.end_to_end_id}",
        kind="payout_return",
        booked_at=at,
        entries=(
            ledger.Entry(ledger.BANK, item.amount_cents),
            ledger.Entry(ledger.member_receives_account(item.member_id), -item.amount_cents),
        ),
        member_id=item.member_id,
        reference=item.end_to_end_id,
        description=f"Payout returned by the bank ({reason_code})",
        request_hash=ledger.request_hash(payload),
    )
