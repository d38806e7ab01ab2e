"""The ledger in DynamoDB: transactions, journal lines and balances, written atomically.

One booking is a set of named writes in a unit of work (one TransactWriteItems, with whatever
else the caller registers beside it):
  - the transaction record under its deterministic id (condition: it does not exist yet),
  - for a bank line, its reference (condition: no other booking took it),
  - one journal line per entry (the statement of a member, the journal of an account),
  - one balance update per entry (ADD), guarded by the transaction's ceilings,
  - the pot item of each year it moves (guarded: the year is not distributed).
A repeat of the same id answers the record already there; nothing is booked twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from chalicelib.domain.errors import Cents, Conflict, IdempotencyConflict
from chalicelib.domain.ledger import (
    Entry,
    LedgerTransaction,
    balance_shards,
)
from chalicelib.periods import local_date
from chalicelib.store import pots
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.records import BANK_LINE_KINDS as BANK_LINE_KINDS
from chalicelib.store.records import Booking as Booking
from chalicelib.store.records import JournalLine as JournalLine
from chalicelib.store.records import JournalPage as JournalPage
from chalicelib.store.records import actions_per_booking as _actions_per_booking
from chalicelib.store.records import balance_moves
from chalicelib.store.records import journal_partition as journal_partition
from chalicelib.store.records import pot_years_moved as _pot_years_moved
from chalicelib.store.refusals import BookingReplayed as BookingReplayed
from chalicelib.store.schema import GSI_BY_STATUS, GSI_BY_TIME
from chalicelib.store.timestamps import stamp, unstamp
from chalicelib.store.uow import UnitOfWork

NEW = "attribute_not_exists(PK)"
RECEIVABLES = "RECEIVABLES"
PAYABLES = "PAYABLES"
LEDGER_MONTH = "LEDGER"


def _transaction_key(transaction_id: str) -> tuple[str, str]:
    return f"TX#{transaction_id}", "TX"


def _balance_key(account: str, shard: int) -> tuple[str, str]:
    return f"ACCOUNT#{account}", f"BALANCE#{shard:02d}"


class LedgerStore:
    def __init__(self, table: DynamoTable, pots: DynamoTable) -> None:
        self.table = table  # the ledger table
        self.pots = pots  # the main table, where each year's pot records its state

    def book(self, transaction: LedgerTransaction) -> Booking:
        """Books once, on its own; a repeat of the same id answers the original booking."""
        with UnitOfWork(self.table.client) as uow:
            self.register_booking(uow, transaction)
            try:
                uow.commit()
            except BookingReplayed:
                return self.replay(transaction)
        return Booking(transaction, replayed=False)

    def book_if_new(self, transaction: LedgerTransaction) -> bool:
        """Books once, on its own; False when its id was booked before. The original is not
        read: for a caller to whom "booked before" is the whole answer (the dues run: one
        conditional write a member, however often it runs)."""
        with UnitOfWork(self.table.client) as uow:
            self.register_booking(uow, transaction)
            try:
                uow.commit()
            except BookingReplayed:
                return False
        return True

    def replay(self, transaction: LedgerTransaction) -> Booking:
        """The booking made before under this transaction's id (its request must be the same)."""
        original = self.get(transaction.transaction_id)
        if original is None:  # cannot happen: the condition saw it
            raise Conflict("busy")
        if original.request_hash != transaction.request_hash:
            raise IdempotencyConflict(transaction.reference)
        return Booking(original, replayed=True)

    def get(self, transaction_id: str) -> LedgerTransaction | None:
        item = self.table.get(*_transaction_key(transaction_id))
        return _transaction_from(item) if item else None

    def booked(self, transaction_ids: list[str]) -> set[str]:
        """Which of these transactions are booked (strongly consistent, 100 per request)."""
        found = self.table.get_many([_transaction_key(t) for t in transaction_ids])
        return {str(item["transaction_id"]) for item in found.values()}

    def balance_cents(self, account: str) -> int:
        if balance_shards(account) == 1:
            item = self.table.get(*_balance_key(account, 0))
            return int(item["balance_cents"]) if item else 0
        return sum(
            int(item["balance_cents"])
            for item in self.table.query_all(f"ACCOUNT#{account}", sk_prefix="BALANCE#")
        )

    def member_balances_cents(self, accounts: list[str]) -> dict[str, int]:
        """The balances of members' accounts (one balance item each), 100 a request; an
        account never written is 0. For many members at once (a bank statement's payers)."""
        assert all(balance_shards(a) == 1 for a in accounts), "members' accounts only"
        found = self.table.get_many([_balance_key(a, 0) for a in accounts])
        return {
            a: int(found[_balance_key(a, 0)]["balance_cents"]) if _balance_key(a, 0) in found else 0
            for a in accounts
        }

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

    # Registering bookings in a unit of work ------------------------------------------------

    def register_booking(self, uow: UnitOfWork, tx: LedgerTransaction) -> None:
        """The writes of one booking, each named with what its failure means: the record
        (a replay: BookingReplayed), the bank reference (taken: its conflict), the journal
        lines, the balances (a ceiling: the domain error it guards) and the pots moved (a
        distributed year: YearDistributed)."""
        self.register_bookings(uow, [tx])

    def register_bookings(self, uow: UnitOfWork, txs: list[LedgerTransaction]) -> None:
        """Several bookings in one unit of work (the year-end payouts, up to 100 writes): each
        keeps its own record and journal lines; the balances they share are moved by one
        update per balance item (DynamoDB writes an item once per transaction)."""
        for tx in txs:
            self._register_record(uow, tx)
        for tx in txs:
            for entry in tx.entries:
                uow.put(
                    f"ledger.line.{tx.transaction_id}.{entry.account}",
                    self.table,
                    _line_item(tx, entry),
                )
        self._register_balances(uow, txs)
        moved: dict[int, bool] = {}
        for tx in txs:
            for year, guarded in _pot_years_moved(tx).items():
                moved[year] = moved.get(year, False) or guarded
        for year, guarded in moved.items():
            pots.register_year(uow, self.pots, year, guarded)

    @staticmethod
    def actions_per_booking(tx: LedgerTransaction) -> int:
        """The writes one more booking adds to a batch (besides the balances it shares)."""
        return _actions_per_booking(tx)

    def _register_record(self, uow: UnitOfWork, tx: LedgerTransaction) -> None:
        name = f"ledger.transaction.{tx.transaction_id}"
        uow.put(
            name,
            self.table,
            _transaction_item(tx),
            condition=NEW,
            refusal=lambda: BookingReplayed(name, tx),
        )
        if tx.kind in BANK_LINE_KINDS:
            # a second booking of a bank line is the bigger mistake: it explains first
            uow.put(
                f"ledger.bank_reference.{tx.transaction_id}",
                self.table,
                _reference_item(tx),
                condition=NEW,
                refusal=lambda: self._reference_taken(tx),
            )

    def _register_balances(self, uow: UnitOfWork, txs: list[LedgerTransaction]) -> None:
        moves, ceilings = balance_moves(txs)
        for (account, shard), amount in moves.items():
            guarded = ceilings.get((account, shard))
            self._register_balance(uow, account, shard, amount, guarded)

    def _register_balance(
        self,
        uow: UnitOfWork,
        account: str,
        shard: int,
        amount_cents: int,
        guarded: tuple[LedgerTransaction, Entry, int] | None,
    ) -> None:
        update = "ADD balance_cents :amount SET account_name = :account"
        values: dict[str, object] = {":amount": amount_cents, ":account": account}
        condition = None
        refusal = None
        if guarded is not None:
            tx, entry, ceiling_cents = guarded
            # balance + amount <= ceiling, i.e. balance <= ceiling - amount
            limit_cents = ceiling_cents - amount_cents
            values[":limit"] = limit_cents
            condition = "balance_cents <= :limit"
            if limit_cents >= 0:  # an account never written has balance 0
                condition = "attribute_not_exists(balance_cents) OR " + condition
            refusal = self._above_ceiling(tx, entry, ceiling_cents)
        if account.endswith(":owes"):
            # Indexes every member's 'owes' balance, so receivables are found by a Query.
            update += ", GSI1PK = :receivables, GSI1SK = :member"
            values |= {":receivables": RECEIVABLES, ":member": account.split(":")[1]}
        elif account.endswith(":receives"):
            # The same for what the collective owes: payables are found by a Query too.
            update += ", GSI1PK = :payables, GSI1SK = :member"
            values |= {":payables": PAYABLES, ":member": account.split(":")[1]}
        uow.update(
            f"ledger.balance.{account}.{shard:02d}",
            self.table,
            _balance_key(account, shard),
            update,
            values,
            condition=condition,
            refusal=refusal,
        )

    def _above_ceiling(
        self, tx: LedgerTransaction, entry: Entry, ceiling_cents: int
    ) -> Callable[[], Conflict]:
        def refusal() -> Conflict:
            room = ceiling_cents - self.balance_cents(entry.account)
            # a payout above what the collective owes the member, or a clawback of a
            # referrer's share that was paid out meanwhile
            code = "payout_above_owed" if tx.kind == "payout" else "clawback_above_owed"
            return Conflict(
                code,
                amount=Cents(abs(entry.amount_cents)),
                owed=Cents(max(room, 0)),
                member_id=entry.account.split(":")[1],  # member:<id>:receives
            )

        return refusal

    def _reference_taken(self, tx: LedgerTransaction) -> Conflict:
        claim = self.table.get(*_reference_key(tx.reference)) or {}
        return Conflict(
            "reference_already_booked",
            reference=tx.reference,
            booked_as=claim.get("kind"),
            member_id=claim.get("member_id"),
        )


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
