"""Year-end distributions in memory (`chalicelib.store.distributions.DistributionStore`):
the year's header written once, each payout booked once with its record."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.ledger import LedgerTransaction
from chalicelib.store.memory.ledger import MemoryLedger
from chalicelib.store.memory.pots import MemoryPots
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork
from chalicelib.store.records import DistributionHeader, Payout


class MemoryDistributions:
    def __init__(self, state: MemoryState, pots: MemoryPots, ledger: MemoryLedger) -> None:
        self.state = state
        self.pots = pots
        self.ledger = ledger
        self.headers: dict[int, DistributionHeader] = {}
        self.payouts_by_year: dict[int, dict[str, Payout]] = {}

    def freeze_pot(self, year: int, at: datetime) -> None:
        """From now on the year takes no coins and no pot money (idempotent)."""
        self.pots.freeze_pot(year, at)

    def header(self, year: int) -> DistributionHeader | None:
        return self.headers.get(year)

    def put_header(self, header: DistributionHeader) -> DistributionHeader:
        """Writes the header once; a second writer gets the first one's header back."""
        with self.state.lock:
            return self.headers.setdefault(header.year, replace(header, completed_at=None))

    def complete(self, year: int, at: datetime) -> None:
        with self.state.lock:
            header = self.headers.get(year)
            if header is not None and header.completed_at is None:
                self.headers[year] = replace(header, completed_at=at)

    def register_payouts(
        self, uow: MemoryUnitOfWork, year: int, payouts: list[tuple[Payout, LedgerTransaction]]
    ) -> None:
        """Each payout its own ledger booking (booked before: BookingReplayed) with its
        record, in the caller's unit of work."""
        self.ledger.register_bookings(uow, [transaction for _, transaction in payouts])
        records = self.payouts_by_year.setdefault(year, {})
        for payout, _ in payouts:
            self._register_payout(uow, records, payout)

    @staticmethod
    def _register_payout(uow: MemoryUnitOfWork, records: dict[str, Payout], payout: Payout) -> None:
        uow.register(
            f"distribution.payout.{payout.member_id}",
            lambda: records.__setitem__(payout.member_id, payout),
            guard=lambda: payout.member_id not in records,
        )

    def payouts(self, year: int) -> list[Payout]:
        with self.state.lock:
            found = sorted(self.payouts_by_year.get(year, {}).items())
        return [payout for _, payout in found]

    def payout(self, year: int, member_id: str) -> Payout | None:
        return self.payouts_by_year.get(year, {}).get(member_id)
