"""The in-memory unit of work and the state ("the database") the repositories share."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType

from chalicelib.domain.coins import CoinAward, CoinClaim
from chalicelib.domain.ledger import LedgerTransaction
from chalicelib.domain.membership import Member
from chalicelib.store.records import JournalLine, QueuedMail
from chalicelib.store.refusals import MAX_ACTIONS, ConditionFailed, Refusal

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
