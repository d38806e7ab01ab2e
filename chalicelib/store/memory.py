"""An in-memory unit of work and repositories: the DynamoDB ones' contract, in plain Python.

For fast service tests. A write is registered under a name with a *guard* (its condition: a
function of the state before the commit) and an *apply* step (the change); `commit()` takes
the store's lock, checks every guard, and either applies every write or none, raising the
refusal of the first-registered write whose guard failed (`ConditionFailed` when it declared
none), exactly as `chalicelib.store.uow.UnitOfWork` does with one TransactWriteItems.

The repositories (ledger, coins, claims, and the pots, members and outbox they lean on) have
the public methods and the refusals of the DynamoDB ones: a replay answers the original, the
ledger's ceilings, a bank reference unique across the collective, a distributed year's pot
refusing money and coins. tests/store/ runs the same contract tests against both.

    stores = MemoryStores()
    with stores.uow() as uow:
        stores.ledger.register_booking(uow, transaction)
        uow.commit()
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import TracebackType

from chalicelib.domain.coins import CoinAward, CoinClaim
from chalicelib.domain.errors import (
    Cents,
    Conflict,
    IdempotencyConflict,
    NotFound,
    YearDistributed,
)
from chalicelib.domain.ledger import Entry, LedgerTransaction, balance_shards
from chalicelib.domain.membership import Member
from chalicelib.mail.message import OutgoingMail
from chalicelib.periods import local_date
from chalicelib.store.claims import ClaimPage
from chalicelib.store.coins import AwardReplayed, CoinYear, PotState
from chalicelib.store.ledger import (
    BANK_LINE_KINDS,
    Booking,
    BookingReplayed,
    JournalLine,
    JournalPage,
    LedgerStore,
    _pot_years_moved,
    journal_partition,
)
from chalicelib.store.outbox import QueuedMail
from chalicelib.store.timestamps import stamp
from chalicelib.store.uow import MAX_ACTIONS, AlreadyDone, ConditionFailed, Refusal

Guard = Callable[[], bool]
Apply = Callable[[], None]


def _always() -> bool:
    return True


@dataclass(frozen=True)
class MemoryWrite:
    name: str
    guard: Guard
    apply: Apply
    refusal: Refusal | None


@dataclass
class _Pot:
    total_coins: int = 0
    listed: bool = False
    distributed_at: datetime | None = None
    completed_at: datetime | None = None


@dataclass
class MemoryState:
    """Everything the in-memory repositories hold, behind one lock (the "database")."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    transactions: dict[str, LedgerTransaction] = field(default_factory=dict)
    references: dict[str, LedgerTransaction] = field(default_factory=dict)
    balances: dict[tuple[str, int], int] = field(default_factory=dict)
    journals: dict[str, dict[str, JournalLine]] = field(default_factory=dict)  # partition: SK
    pots: dict[int, _Pot] = field(default_factory=dict)
    awards: dict[str, CoinAward] = field(default_factory=dict)
    coin_years: dict[tuple[str, int], int] = field(default_factory=dict)  # (member, year)
    claims: dict[str, CoinClaim] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    mails: dict[str, QueuedMail] = field(default_factory=dict)
    mail_leases: dict[str, datetime] = field(default_factory=dict)
    commits: int = 0  # transactions applied (a test's measure of "one write")


class MemoryUnitOfWork:
    """Collects named writes and commits them atomically under the state's lock; used once."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state
        self._writes: list[MemoryWrite] = []
        self.committed = False

    def __enter__(self) -> MemoryUnitOfWork:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._writes.clear()  # what was not committed is dropped

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(w.name for w in self._writes)

    def __len__(self) -> int:
        return len(self._writes)

    def register(
        self,
        name: str,
        apply: Apply,
        *,
        guard: Guard = _always,
        refusal: Refusal | None = None,
    ) -> None:
        if name in self.names:
            raise ValueError(f"a write named {name!r} is registered already")
        if self.committed:
            raise RuntimeError("this unit of work was committed; start a new one")
        self._writes.append(MemoryWrite(name, guard, apply, refusal))

    def commit(self) -> None:
        """Applies every registered write, or none: raises the refusal of the first-registered
        write whose guard failed (ConditionFailed when it declared none)."""
        if not self._writes:
            self.committed = True
            return
        if len(self._writes) > MAX_ACTIONS:
            raise ValueError(f"{len(self._writes)} writes: a transaction holds {MAX_ACTIONS}")
        with self.state.lock:
            failed = [w for w in self._writes if not w.guard()]
            if not failed:
                for write in self._writes:
                    write.apply()
                self.state.commits += 1
                self.committed = True
                return
        first = failed[0]
        if first.refusal is not None:
            raise first.refusal()
        raise ConditionFailed(tuple(w.name for w in failed))


class MemoryPots:
    def __init__(self, state: MemoryState) -> None:
        self.state = state

    def register_year(self, uow: MemoryUnitOfWork, year: int, guarded: bool) -> None:
        """As `pots.register_year`: lists the year; `guarded`: only while not distributed."""

        def apply() -> None:
            self._pot(year).listed = True

        uow.register(
            f"pot.{year}",
            apply,
            guard=(lambda: not self.distributed(year)) if guarded else _always,
            refusal=(lambda: YearDistributed(year)) if guarded else None,
        )

    def freeze_pot(self, year: int, at: datetime) -> None:
        """From now on the year takes no coins and no pot money (idempotent)."""
        with self.state.lock:
            pot = self._pot(year)
            if pot.distributed_at is None:
                pot.distributed_at = at

    def distributed(self, year: int) -> bool:
        pot = self.state.pots.get(year)
        return pot is not None and pot.distributed_at is not None

    def _pot(self, year: int) -> _Pot:
        return self.state.pots.setdefault(year, _Pot())


class MemoryLedger:
    """The ledger (`LedgerStore`'s public methods and refusals) in memory."""

    actions_per_booking = staticmethod(LedgerStore.actions_per_booking)

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
            for year, guarded in _pot_years_moved(tx).items():
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
        moves: dict[tuple[str, int], int] = {}
        ceilings: dict[tuple[str, int], tuple[LedgerTransaction, Entry, int]] = {}
        for tx in txs:
            limits = {c.account: c.max_balance_cents for c in tx.ceilings}
            for entry in tx.entries:
                shard = zlib.crc32(tx.transaction_id.encode()) % balance_shards(entry.account)
                key = (entry.account, shard)
                if key in ceilings or (key in moves and entry.account in limits):
                    raise ValueError(f"a guarded balance moved twice in one batch: {key}")
                moves[key] = moves.get(key, 0) + entry.amount_cents
                if entry.account in limits:
                    ceilings[key] = (tx, entry, limits[entry.account])
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


class MemoryCoins:
    """Coin awards (`CoinStore`'s public methods and refusals) in memory."""

    def __init__(self, state: MemoryState, pots: MemoryPots) -> None:
        self.state = state
        self.pots = pots

    def register_award(self, uow: MemoryUnitOfWork, award: CoinAward) -> None:
        state = self.state

        def put_award() -> None:
            state.awards[award.award_id] = award

        def add_to_member() -> None:
            key = (award.member_id, award.year)
            state.coin_years[key] = state.coin_years.get(key, 0) + award.coins

        def add_to_pot() -> None:
            pot = self.pots._pot(award.year)
            pot.total_coins += award.coins
            pot.listed = True

        uow.register(
            "coins.award",
            put_award,
            guard=lambda: award.award_id not in state.awards,
            refusal=lambda: AwardReplayed("coins.award", award),
        )
        uow.register("coins.line", lambda: None)  # the line is the award record itself here
        uow.register("coins.member_year", add_to_member)
        uow.register(
            f"pot.{award.year}",
            add_to_pot,
            guard=lambda: not self.pots.distributed(award.year),
            refusal=lambda: YearDistributed(award.year),
        )

    def award(self, award: CoinAward) -> tuple[CoinAward, bool]:
        with MemoryUnitOfWork(self.state) as uow:
            self.register_award(uow, award)
            try:
                uow.commit()
            except AwardReplayed:
                return self.replay(award), True
        return award, False

    def pot_state(self, year: int) -> PotState:
        pot = self.state.pots.get(year) or _Pot()
        return PotState(year, pot.total_coins, pot.distributed_at)

    def iter_holders(self, year: int) -> Iterator[tuple[str, int]]:
        with self.state.lock:
            holders = sorted((m, c) for (m, y), c in self.state.coin_years.items() if y == year)
        for member_id, coins in holders:
            if coins > 0:
                yield member_id, coins

    def year_of(self, member_id: str, year: int) -> CoinYear:
        with self.state.lock:
            awards = [
                a for a in self.state.awards.values() if (a.member_id, a.year) == (member_id, year)
            ]
        awards.sort(key=lambda a: (stamp(a.awarded_at), a.award_id))
        return CoinYear(year, sum(a.coins for a in awards), awards)

    def replay(self, award: CoinAward) -> CoinAward:
        original = self.state.awards.get(award.award_id)
        if original is None:
            raise Conflict("busy")
        if original.request_hash != award.request_hash:
            raise IdempotencyConflict(award.award_id)
        return original


class MemoryClaims:
    """Coin claims (`ClaimStore`'s public methods and refusals) in memory."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state

    def add(self, claim: CoinClaim) -> None:
        claims = self.state.claims
        with MemoryUnitOfWork(self.state) as uow:
            uow.register(
                "claim.new",
                lambda: claims.__setitem__(claim.id, claim),
                guard=lambda: claim.id not in claims,
            )
            uow.commit()

    def get(self, claim_id: str) -> CoinClaim:
        claim = self.state.claims.get(claim_id)
        if claim is None:
            raise NotFound("claim_not_found")
        return claim

    def browse(self, status: str, limit: int, cursor: str | None) -> ClaimPage:
        return self._page(lambda c: c.status == status, limit, cursor)

    def of_member(self, member_id: str, limit: int, cursor: str | None) -> ClaimPage:
        return self._page(lambda c: c.member_id == member_id, limit, cursor)

    def _page(self, keep: Callable[[CoinClaim], bool], limit: int, cursor: str | None) -> ClaimPage:
        """Newest first, by when filed; the cursor is the last claim's sort key."""
        with self.state.lock:
            found = [(f"{stamp(c.filed_at)}#{c.id}", c) for c in self.state.claims.values()]
        found = sorted((p for p in found if keep(p[1])), key=lambda p: p[0], reverse=True)
        if cursor is not None:
            found = [p for p in found if p[0] < cursor]
        page = found[:limit]
        next_cursor = page[-1][0] if len(page) == limit and page else None
        return ClaimPage([c for _, c in page], next_cursor)

    def register_decision(self, uow: MemoryUnitOfWork, decided: CoinClaim) -> None:
        claims = self.state.claims

        def pending() -> bool:
            current = claims.get(decided.id)
            return current is not None and current.status == "pending"

        uow.register(
            "claim.decision",
            lambda: claims.__setitem__(decided.id, decided),
            guard=pending,
            refusal=lambda: Conflict("claim_decided_meanwhile"),
        )


class MemoryMembers:
    """The members a service reads (`get_member`, `get_members`); a test adds them."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state

    def add(self, member: Member) -> Member:
        with self.state.lock:
            self.state.members[member.id] = member
        return member

    def get_member(self, member_id: str) -> Member:
        member = self.state.members.get(member_id)
        if member is None:
            raise NotFound("member_not_found")
        return member

    def get_members(self, member_ids: list[str]) -> dict[str, Member]:
        return {m: self.state.members[m] for m in member_ids if m in self.state.members}


class MemoryOutbox:
    """The mail outbox (`OutboxStore`'s methods `MailOutbox` calls) in memory."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state

    def register_enqueue(
        self,
        uow: MemoryUnitOfWork,
        mail_id: str,
        kind: str,
        member_id: str | None,
        mail: OutgoingMail,
        at: datetime,
        *,
        claimed_until: datetime | None = None,
        refusal: Refusal | None = None,
    ) -> None:
        mails, leases = self.state.mails, self.state.mail_leases
        queued = QueuedMail(
            mail_id, kind, member_id, mail, at, int(claimed_until is not None), None, None, None
        )

        def apply() -> None:
            mails[mail_id] = queued
            if claimed_until is not None:
                leases[mail_id] = claimed_until

        uow.register(f"mail.{mail_id}", apply, guard=lambda: mail_id not in mails, refusal=refusal)

    def enqueue(
        self, mail_id: str, kind: str, member_id: str | None, mail: OutgoingMail, at: datetime
    ) -> bool:
        with MemoryUnitOfWork(self.state) as uow:
            self.register_enqueue(
                uow, mail_id, kind, member_id, mail, at, refusal=lambda: AlreadyDone(mail_id)
            )
            try:
                uow.commit()
            except AlreadyDone:
                return False
        return True

    def get(self, mail_id: str) -> QueuedMail | None:
        return self.state.mails.get(mail_id)

    def sent(self) -> list[QueuedMail]:
        """The mails sent, in the order they were queued."""
        return [m for m in self.state.mails.values() if m.sent_at is not None]

    def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        with self.state.lock:
            waiting = [m for m in self.state.mails.values() if m.sent_at is None]
        return sorted(waiting, key=lambda m: m.queued_at)[:limit]

    def claim(self, mail_id: str, now: datetime, lease_until: datetime) -> bool:
        with self.state.lock:
            queued = self.state.mails.get(mail_id)
            lease = self.state.mail_leases.get(mail_id)
            if queued is None or queued.sent_at is not None or (lease and lease >= now):
                return False
            self.state.mail_leases[mail_id] = lease_until
            self.state.mails[mail_id] = replace(queued, attempts=queued.attempts + 1)
        return True

    def mark_sent(self, mail_id: str, message_id: str, at: datetime) -> None:
        with self.state.lock:
            queued = self.state.mails[mail_id]
            self.state.mails[mail_id] = replace(queued, sent_at=at, message_id=message_id)
            self.state.mail_leases.pop(mail_id, None)

    def mark_sent_many(self, sent: list[tuple[str, str]], at: datetime) -> None:
        for mail_id, message_id in sent:
            self.mark_sent(mail_id, message_id, at)

    def mark_failed(self, mail_id: str, error: str, retry_at: datetime | None) -> None:
        with self.state.lock:
            queued = self.state.mails[mail_id]
            self.state.mails[mail_id] = replace(queued, last_error=error[:1000])
            self.state.mail_leases.pop(mail_id, None)


class MemoryStores:
    """One in-memory collective: its state, the repositories over it, and a unit of work
    factory (the `uow` a service is built with)."""

    def __init__(self) -> None:
        self.state = MemoryState()
        self.pots = MemoryPots(self.state)
        self.ledger = MemoryLedger(self.state, self.pots)
        self.coins = MemoryCoins(self.state, self.pots)
        self.claims = MemoryClaims(self.state)
        self.members = MemoryMembers(self.state)
        self.outbox = MemoryOutbox(self.state)

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.state)
