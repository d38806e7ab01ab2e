"""The ledger in DynamoDB: transactions, journal lines and balances, written atomically.

One booking is one TransactWriteItems holding
  - the transaction record under its deterministic id (condition: it does not exist yet),
  - one journal line per entry (the statement of a member, the journal of an account),
  - one balance update per entry (ADD), guarded by the transaction's ceilings.
A repeat of the same id answers the record already there; nothing is booked twice.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from chalicelib.domain.errors import Cents, Conflict, IdempotencyConflict, YearDistributed
from chalicelib.domain.ledger import (
    Entry,
    LedgerTransaction,
    balance_shards,
    pot_account,
)
from chalicelib.periods import local_date
from chalicelib.store import pots
from chalicelib.store.dynamo import DynamoTable, Item, TransactionCancelled
from chalicelib.store.schema import GSI_BY_STATUS, GSI_BY_TIME
from chalicelib.store.timestamps import stamp, unstamp

_CONFLICT_RETRIES = 5
# Transactions whose reference is a line of the collective's bank statement: unique across
# the collective, whichever member and whichever direction.
BANK_LINE_KINDS = frozenset({"payment", "payout"})
RECEIVABLES = "RECEIVABLES"
PAYABLES = "PAYABLES"
LEDGER_MONTH = "LEDGER"


def journal_partition(account: str) -> str:
    """A member's accounts share one journal (their statement); other accounts have their own."""
    if account.startswith("member:"):
        return f"JOURNAL#member:{account.split(':')[1]}"
    return f"JOURNAL#{account}"


def _transaction_key(transaction_id: str) -> tuple[str, str]:
    return f"TX#{transaction_id}", "TX"


def _balance_key(account: str, shard: int) -> tuple[str, str]:
    return f"ACCOUNT#{account}", f"BALANCE#{shard:02d}"


@dataclass(frozen=True)
class Booking:
    transaction: LedgerTransaction
    replayed: bool  # True when the key was booked before and this answers the original


@dataclass(frozen=True)
class JournalLine:
    transaction_id: str
    kind: str
    booked_at_s: str
    account: str
    amount_cents: int
    reference: str
    description: str
    booked_by: str | None = None


@dataclass(frozen=True)
class JournalPage:
    lines: list[JournalLine]
    next_cursor: str | None


class LedgerStore:
    def __init__(self, table: DynamoTable, pots: DynamoTable) -> None:
        self.table = table  # the ledger table
        self.pots = pots  # the main table, where each year's pot records its state

    def book(
        self, transaction: LedgerTransaction, extra: list[dict[str, object]] | None = None
    ) -> Booking:
        """Books once. `extra` writes go into the same TransactWriteItems (after the ledger's
        own), so a caller's record of the booking exists exactly when the booking does."""
        for _ in range(_CONFLICT_RETRIES):
            try:
                self.table.transact([*self.operations(transaction), *(extra or [])])
                return Booking(transaction, replayed=False)
            except TransactionCancelled as cancelled:
                if cancelled.failed_at(0):
                    return self._replay(transaction)
                if not cancelled.is_conflict:
                    raise self._refusal(transaction, cancelled) from cancelled
        raise Conflict("busy")

    def get(self, transaction_id: str) -> LedgerTransaction | None:
        item = self.table.get(*_transaction_key(transaction_id))
        return _transaction_from(item) if item else None

    def balance_cents(self, account: str) -> int:
        if balance_shards(account) == 1:
            item = self.table.get(*_balance_key(account, 0))
            return int(item["balance_cents"]) if item else 0
        return sum(
            int(item["balance_cents"])
            for item in self.table.query_all(f"ACCOUNT#{account}", sk_prefix="BALANCE#")
        )

    def iter_owed_balances(self) -> Iterator[tuple[str, int]]:
        """(member id, what they owe) for every member who was ever charged."""
        for item in self.table.query_all(RECEIVABLES, index=GSI_BY_STATUS):
            yield item["GSI1SK"], int(item["balance_cents"])

    def iter_payable_balances(self) -> Iterator[tuple[str, int]]:
        """(member id, what the collective owes them) for every member ever credited."""
        for item in self.table.query_all(PAYABLES, index=GSI_BY_STATUS):
            # credit-normal: the collective owes the member the negated balance
            yield item["GSI1SK"], -int(item["balance_cents"])

    def iter_transactions(self, first_day: date, last_day: date) -> Iterator[LedgerTransaction]:
        """Transactions booked on those days (Amsterdam), in booking order, month by month."""
        month = date(first_day.year, first_day.month, 1)
        while month <= last_day:
            for item in self.table.query_all(
                f"{LEDGER_MONTH}#{month.strftime('%Y-%m')}", index=GSI_BY_TIME
            ):
                transaction = _transaction_from(item)
                if first_day <= local_date(transaction.booked_at) <= last_day:
                    yield transaction
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)

    def journal(self, account: str, limit: int, cursor: str | None) -> JournalPage:
        """Lines of an account's journal (for a member: both their accounts), newest first."""
        page = self.table.query_page(
            journal_partition(account), limit=limit, cursor=cursor, newest_first=True
        )
        return JournalPage([_line_from(i) for i in page.items], page.next_cursor)

    def iter_journal(self, account: str) -> Iterator[JournalLine]:
        for item in self.table.query_all(journal_partition(account)):
            yield _line_from(item)

    # -------------------------------------------------------------------------------------

    def operations(self, tx: LedgerTransaction) -> list[dict[str, object]]:
        """The writes of one booking; the transaction record comes first. Other stores add
        these to their own TransactWriteItems to book atomically with their changes."""
        t = self.table
        ops = [t.put_op(_transaction_item(tx), "attribute_not_exists(PK)")]
        ops += [t.put_op(_line_item(tx, entry)) for entry in tx.entries]
        ceilings = {c.account: c.max_balance_cents for c in tx.ceilings}
        ops += [self._balance_update(tx, e, ceilings.get(e.account)) for e in tx.entries]
        # A year whose pot moves is registered for the distribution, and its pot changes only
        # while that year is not distributed (the distribution's own transfers excepted).
        ops += [
            pots.register_op(self.pots, year, guarded)
            for year, guarded in _pot_years_moved(tx).items()
        ]
        if tx.kind in BANK_LINE_KINDS:
            ops.append(t.put_op(_reference_item(tx), "attribute_not_exists(PK)"))
        return ops

    def _balance_update(
        self, tx: LedgerTransaction, entry: Entry, ceiling_cents: int | None
    ) -> dict[str, object]:
        shard = zlib.crc32(tx.transaction_id.encode()) % balance_shards(entry.account)
        update = "ADD balance_cents :amount SET account_name = :account"
        values: dict[str, object] = {":amount": entry.amount_cents, ":account": entry.account}
        condition = None
        if ceiling_cents is not None:
            # balance + amount <= ceiling, i.e. balance <= ceiling - amount
            limit_cents = ceiling_cents - entry.amount_cents
            values[":limit"] = limit_cents
            condition = "balance_cents <= :limit"
            if limit_cents >= 0:  # an account never written has balance 0
                condition = "attribute_not_exists(balance_cents) OR " + condition
        if entry.account.endswith(":owes"):
            # Indexes every member's 'owes' balance, so receivables are found by a Query.
            update += ", GSI1PK = :receivables, GSI1SK = :member"
            values |= {":receivables": RECEIVABLES, ":member": entry.account.split(":")[1]}
        elif entry.account.endswith(":receives"):
            # The same for what the collective owes: payables are found by a Query too.
            update += ", GSI1PK = :payables, GSI1SK = :member"
            values |= {":payables": PAYABLES, ":member": entry.account.split(":")[1]}
        return self.table.update_op(
            *_balance_key(entry.account, shard), update, values, condition=condition
        )

    def _replay(self, transaction: LedgerTransaction) -> Booking:
        original = self.get(transaction.transaction_id)
        if original is None:  # cannot happen: the condition saw it
            raise Conflict("busy")
        if original.request_hash != transaction.request_hash:
            raise IdempotencyConflict(transaction.reference)
        return Booking(original, replayed=True)

    def _refusal(self, tx: LedgerTransaction, cancelled: TransactionCancelled) -> Exception:
        """The 409 that says why the booking was refused (the bank line first: a second
        booking of a bank line is the bigger mistake)."""
        checks_start = 1 + 2 * len(tx.entries)
        pot_years = list(_pot_years_moved(tx))
        if tx.kind in BANK_LINE_KINDS and cancelled.failed_at(checks_start + len(pot_years)):
            return self._reference_taken(tx)
        balance_ops_start = 1 + len(tx.entries)
        for i, entry in enumerate(tx.entries):
            if cancelled.failed_at(balance_ops_start + i):
                ceiling = next(c for c in tx.ceilings if c.account == entry.account)
                room = ceiling.max_balance_cents - self.balance_cents(entry.account)
                # a payout above what the collective owes the member, or a clawback of a
                # referrer's share that was paid out meanwhile
                code = "payout_above_owed" if tx.kind == "payout" else "clawback_above_owed"
                return Conflict(
                    code,
                    amount=Cents(abs(entry.amount_cents)),
                    owed=Cents(max(room, 0)),
                    member_id=entry.account.split(":")[1],  # member:<id>:receives
                )
        for i, year in enumerate(pot_years):
            if cancelled.failed_at(checks_start + i):
                return YearDistributed(year)
        return cancelled

    def _reference_taken(self, tx: LedgerTransaction) -> Conflict:
        claim = self.table.get(*_reference_key(tx.reference)) or {}
        return Conflict(
            "reference_already_booked",
            reference=tx.reference,
            booked_as=claim.get("kind"),
            member_id=claim.get("member_id"),
        )


def _pot_years_moved(tx: LedgerTransaction) -> dict[int, bool]:
    """The years whose pot the transaction moves, each with whether the move must respect the
    year being distributed: everything but the distribution taking money out of its year."""
    prefix = pot_account(0).removesuffix("0")
    moved: dict[int, bool] = {}
    for entry in tx.entries:
        if entry.account.startswith(prefix):
            takes_out = entry.amount_cents > 0  # a debit lowers a credit-normal pot
            distributing = tx.kind in ("pot_payout", "pot_carry_over") and takes_out
            moved[int(entry.account.removeprefix(prefix))] = not distributing
    return moved


def _reference_key(reference: str) -> tuple[str, str]:
    # Bank lines differ in more than letter case; the same line typed twice must not book twice.
    return f"REFERENCE#{reference.strip().casefold()}", "REFERENCE"


def _reference_item(tx: LedgerTransaction) -> Item:
    pk, sk = _reference_key(tx.reference)
    return {
        "PK": pk,
        "SK": sk,
        "reference": tx.reference,
        "kind": tx.kind,
        "member_id": tx.member_id,
        "transaction_id": tx.transaction_id,
    }


def _transaction_item(tx: LedgerTransaction) -> Item:
    pk, sk = _transaction_key(tx.transaction_id)
    booked = stamp(tx.booked_at)
    return {
        "PK": pk,
        "SK": sk,
        "GSI2PK": f"{LEDGER_MONTH}#{local_date(tx.booked_at).strftime('%Y-%m')}",
        "GSI2SK": f"{booked}#{tx.transaction_id}",
        "transaction_id": tx.transaction_id,
        "kind": tx.kind,
        "booked_at": booked,
        "entries": [{"account": e.account, "amount_cents": e.amount_cents} for e in tx.entries],
        "member_id": tx.member_id,
        "reference": tx.reference,
        "description": tx.description,
        "request_hash": tx.request_hash,
        "booked_by": tx.booked_by,
    }


def _transaction_from(item: Item) -> LedgerTransaction:
    return LedgerTransaction(
        transaction_id=item["transaction_id"],
        kind=item["kind"],
        booked_at=unstamp(item["booked_at"]),
        entries=tuple(Entry(e["account"], e["amount_cents"]) for e in item["entries"]),
        member_id=item.get("member_id"),
        reference=item["reference"],
        description=item["description"],
        request_hash=item["request_hash"],
        booked_by=item.get("booked_by"),
    )


def _line_item(tx: LedgerTransaction, entry: Entry) -> Item:
    booked = stamp(tx.booked_at)
    return {
        "PK": journal_partition(entry.account),
        "SK": f"{booked}#{tx.transaction_id}#{entry.account}",
        "transaction_id": tx.transaction_id,
        "kind": tx.kind,
        "booked_at": booked,
        "account": entry.account,
        "amount_cents": entry.amount_cents,
        "reference": tx.reference,
        "description": tx.description,
        "booked_by": tx.booked_by,
    }


def _line_from(item: Item) -> JournalLine:
    return JournalLine(
        transaction_id=item["transaction_id"],
        kind=item["kind"],
        booked_at_s=item["booked_at"],
        account=item["account"],
        amount_cents=item["amount_cents"],
        reference=item["reference"],
        description=item["description"],
        booked_by=item.get("booked_by"),
    )
