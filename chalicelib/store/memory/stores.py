"""One in-memory collective: every in-memory repository over one state."""

from __future__ import annotations

from chalicelib.store.memory.claims import MemoryClaims
from chalicelib.store.memory.coins import MemoryCoins
from chalicelib.store.memory.ledger import MemoryLedger
from chalicelib.store.memory.members import MemoryMembers
from chalicelib.store.memory.outbox import MemoryOutbox
from chalicelib.store.memory.pots import MemoryPots
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork


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
