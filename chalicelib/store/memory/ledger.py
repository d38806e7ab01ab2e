"""The ledger in memory (`chalicelib.store.ledger.LedgerStore`'s public methods and refusals)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from chalicelib.domain.errors import Cents, Conflict, IdempotencyConflict
from chalicelib.domain.ledger import Entry, LedgerTransaction
from chalicelib.periods import local_date
from chalicelib.store.memory.pots import MemoryPots
from chalicelib.store.memory.uow import (
    Apply,
    Guard,
    MemoryState,
    MemoryUnitOfWork,
    _always,
)
from chalicelib.store.records import (
    BANK_LINE_KINDS,
    Booking,
    JournalLine,
    JournalPage,
    actions_per_booking,
    balance_moves,
    journal_partition,
    pot_years_moved,
)
from chalicelib.store.refusals import BookingReplayed, Refusal
from chalicelib.store.timestamps import stamp


class MemoryLedger:
    """The ledger (`LedgerStore`'s public methods and refusals) in memory."""

    actions_per_booking = staticmethod(actions_per_booking)

    def __init__(self, state: MemoryState, pots: MemoryPots) -> None:
        self.state = state
        self.pots = pots

    def book(self, transaction: LedgerTransaction) -> Booking:
        with MemoryUnitOfWork(self.state) as uow:
            self.register_booking(uow, transaction)
            try:
                uow.commit()
            except BookingReplayed:
                return self.replay(transaction)
        return Booking(transaction, replayed=False)

    def book_if_new(self, transaction: LedgerTransaction) -> bool:
        with MemoryUnitOfWork(self.state) as uow:
            self.register_booking(uow, transaction)
            try:
                uow.commit()
            except BookingReplayed:
                return False
        return True

    def replay(self, transaction: LedgerTransaction) -> Booking:
        original = self.get(transaction.transaction_id)
        if original is None:
            raise Conflict("busy")
        if original.request_hash != transaction.request_hash:
            raise IdempotencyConflict(transaction.reference)
        return Booking(original, replayed=True)

    def get(self, transaction_id: str) -> LedgerTransaction | None:
        return self.state.transactions.get(transaction_id)

    def booked(self, transaction_ids: list[str]) -> set[str]:
        return {t for t in transaction_ids if t in self.state.transactions}

    def balance_cents(self, account: str) -> int:
        with self.state.lock:
            return sum(c for (a, _), c in self.state.balances.items() if a == account)

    def iter_owed_balances(self) -> Iterator[tuple[str, int]]:
        yield from self._member_balances(":owes")

    def iter_payable_balances(self) -> Iterator[tuple[str, int]]:
        for account, cents in self._member_balances(":receives"):
            yield account, -cents

    def _member_balances(self, suffix: str) -> list[tuple[str, int]]:
        with self.state.lock:
            accounts = sorted({a for a, _ in self.state.balances if a.endswith(suffix)})
        return [(a.split(":")[1], self.balance_cents(a)) for a in accounts]

    def iter_transactions(self, first_day: date, last_day: date) -> Iterator[LedgerTransaction]:
        with self.state.lock:
            found = list(self.state.transactions.values())
        found.sort(key=lambda t: (stamp(t.booked_at), t.transaction_id))
        for transaction in found:
            if first_day <= local_date(transaction.booked_at) <= last_day:
                yield transaction

    def journal(self, account: str, limit: int, cursor: str | None) -> JournalPage:
        """Newest first; the cursor is the last line's sort key (a full page has one)."""
        with self.state.lock:
            lines = sorted(self.state.journals.get(journal_partition(account), {}).items())
        lines.reverse()
        if cursor is not None:
            lines = [(sk, line) for sk, line in lines if sk < cursor]
        page = lines[:limit]
        next_cursor = page[-1][0] if len(page) == limit and page else None
        return JournalPage([line for _, line in page], next_cursor)

    def iter_journal(self, account: str) -> Iterator[JournalLine]:
        with self.state.lock:
            lines = sorted(self.state.journals.get(journal_partition(account), {}).items())
        for _, line in lines:
            yield line

    def register_booking(self, uow: MemoryUnitOfWork, tx: LedgerTransaction) -> None:
        self.register_bookings(uow, [tx])

    def register_bookings(self, uow: MemoryUnitOfWork, txs: list[LedgerTransaction]) -> None:
        """The same named writes as `LedgerStore.register_bookings`, in the same order."""
        for tx in txs:
            self._register_record(uow, tx)
        for tx in txs:
            for entry in tx.entries:
                uow.register(
                    f"ledger.line.{tx.transaction_id}.{entry.account}", self._line_apply(tx, entry)
                )
        self._register_balances(uow, txs)
        moved: dict[int, bool] = {}
        for tx in txs:
            for year, guarded in pot_years_moved(tx).items():
                moved[year] = moved.get(year, False) or guarded
        for year, guarded in moved.items():
            self.pots.register_year(uow, year, guarded)

    def _register_record(self, uow: MemoryUnitOfWork, tx: LedgerTransaction) -> None:
        name = f"ledger.transaction.{tx.transaction_id}"
        state = self.state

        def put_record() -> None:
            state.transactions[tx.transaction_id] = tx

        uow.register(
            name,
            put_record,
            guard=lambda: tx.transaction_id not in state.transactions,
            refusal=lambda: BookingReplayed(name, tx),
        )
        if tx.kind in BANK_LINE_KINDS:
            reference = _reference_key(tx.reference)

            def put_reference() -> None:
                state.references[reference] = tx

            uow.register(
                f"ledger.bank_reference.{tx.transaction_id}",
                put_reference,
                guard=lambda: reference not in state.references,
                refusal=lambda: self._reference_taken(tx),
            )

    def _line_apply(self, tx: LedgerTransaction, entry: Entry) -> Apply:
        booked = stamp(tx.booked_at)
        line = JournalLine(
            transaction_id=tx.transaction_id,
            kind=tx.kind,
            booked_at_s=booked,
            account=entry.account,
            amount_cents=entry.amount_cents,
            reference=tx.reference,
            description=tx.description,
            booked_by=tx.booked_by,
        )
        partition = journal_partition(entry.account)
        sort_key = f"{booked}#{tx.transaction_id}#{entry.account}"

        def apply() -> None:
            self.state.journals.setdefault(partition, {})[sort_key] = line

        return apply

    def _register_balances(self, uow: MemoryUnitOfWork, txs: list[LedgerTransaction]) -> None:
        moves, ceilings = balance_moves(txs)
        for key, amount in moves.items():
            self._register_balance(uow, key, amount, ceilings.get(key))

    def _register_balance(
        self,
        uow: MemoryUnitOfWork,
        key: tuple[str, int],
        amount_cents: int,
        guarded: tuple[LedgerTransaction, Entry, int] | None,
    ) -> None:
        balances = self.state.balances

        def apply() -> None:
            balances[key] = balances.get(key, 0) + amount_cents

        guard: Guard = _always
        refusal: Refusal | None = None
        if guarded is not None:
            tx, entry, ceiling_cents = guarded

            def within_ceiling() -> bool:
                return balances.get(key, 0) + amount_cents <= ceiling_cents

            guard, refusal = within_ceiling, self._above_ceiling(tx, entry, ceiling_cents)
        uow.register(f"ledger.balance.{key[0]}.{key[1]:02d}", apply, guard=guard, refusal=refusal)

    def _above_ceiling(
        self, tx: LedgerTransaction, entry: Entry, ceiling_cents: int
    ) -> Callable[[], Conflict]:
        def refusal() -> Conflict:
            room = ceiling_cents - self.balance_cents(entry.account)
            code = "payout_above_owed" if tx.kind == "payout" else "clawback_above_owed"
            return Conflict(
                code,
                amount=Cents(abs(entry.amount_cents)),
                owed=Cents(max(room, 0)),
                member_id=entry.account.split(":")[1],
            )

        return refusal

    def _reference_taken(self, tx: LedgerTransaction) -> Conflict:
        claim = self.state.references.get(_reference_key(tx.reference))
        return Conflict(
            "reference_already_booked",
            reference=tx.reference,
            booked_as=claim.kind if claim else None,
            member_id=claim.member_id if claim else None,
        )


def _reference_key(reference: str) -> str:
    return reference.strip().casefold()
