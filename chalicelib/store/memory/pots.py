"""The pots of coin years in memory (`chalicelib.store.pots`)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.errors import YearDistributed
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork, _always, _Pot
from chalicelib.store.records import PotYear


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

    def years(self) -> list[PotYear]:
        """Every year whose pot held money or coins, oldest first."""
        with self.state.lock:
            listed = sorted((y, p) for y, p in self.state.pots.items() if p.listed)
        return [PotYear(y, p.total_coins, p.distributed_at, p.completed_at) for y, p in listed]

    def mark_completed(self, year: int, at: datetime) -> None:
        with self.state.lock:
            pot = self._pot(year)
            if pot.completed_at is None:
                pot.completed_at = at
