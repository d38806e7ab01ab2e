"""One in-memory collective: every in-memory repository over one state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.store.memory.claims import MemoryClaims
from chalicelib.store.memory.coins import MemoryCoins
from chalicelib.store.memory.distributions import MemoryDistributions
from chalicelib.store.memory.intake import MemoryIntake
from chalicelib.store.memory.ledger import MemoryLedger
from chalicelib.store.memory.meetings import MemoryMeetings
from chalicelib.store.memory.members import MemoryMembers
from chalicelib.store.memory.opportunities import MemoryOpportunities
from chalicelib.store.memory.outbox import MemoryOutbox
from chalicelib.store.memory.pots import MemoryPots
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork
from chalicelib.store.memory.vocabulary import MemoryVocabulary

if TYPE_CHECKING:
    from chalicelib.store import ports


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
        self.meetings = MemoryMeetings(self.state)
        self.intake = MemoryIntake(self.state)
        self.distributions = MemoryDistributions(self.state, self.pots, self.ledger)
        self.vocabulary = MemoryVocabulary(self.state)
        self.opportunities = MemoryOpportunities(self.state)

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.state)


def _keeps_the_ports(s: MemoryStores) -> None:
    """Never called: the type checker proves here that each in-memory repository is what
    the services ask for (`chalicelib.store.ports`), as bootstrap proves it of the
    DynamoDB ones."""
    if TYPE_CHECKING:
        members: ports.MemberRepository[MemoryUnitOfWork] = s.members
        ledger: ports.LedgerRepository[MemoryUnitOfWork] = s.ledger
        coins: ports.CoinRepository[MemoryUnitOfWork] = s.coins
        claims: ports.ClaimRepository[MemoryUnitOfWork] = s.claims
        pots: ports.PotYears = s.pots
        distributions: ports.DistributionRepository[MemoryUnitOfWork] = s.distributions
        outbox: ports.OutboxRepository[MemoryUnitOfWork] = s.outbox
        meetings: ports.MeetingRepository[MemoryUnitOfWork] = s.meetings
        intake: ports.IntakeRepository[MemoryUnitOfWork] = s.intake
        vocabulary: ports.VocabularyRepository = s.vocabulary
        opportunities: ports.OpportunityRepository[MemoryUnitOfWork] = s.opportunities
        uow: ports.UnitOfWorkPort = s.uow()
        del members, ledger, coins, claims, pots, distributions, outbox, meetings, intake
        del vocabulary, opportunities, uow
