"""The store contract tests run on both implementations: the DynamoDB repositories on moto,
and the in-memory ones (`chalicelib.store.memory`). A test asks for `stores` and gets each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from moto import mock_aws

from chalicelib.store.claims import ClaimStore
from chalicelib.store.coins import CoinStore
from chalicelib.store.distributions import DistributionStore
from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.intake import IntakeStore
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.meetings import MeetingStore
from chalicelib.store.members import MemberStore
from chalicelib.store.memory import MemoryStores
from chalicelib.store.opportunities import OpportunityStore
from chalicelib.store.outbox import OutboxStore
from chalicelib.store.pots import PotStore
from chalicelib.store.schema import create_tables, ledger_table_name
from chalicelib.store.uow import UnitOfWork
from chalicelib.store.vocabulary import VocabularyStore
from tests.conftest import SESSION, TABLE


@dataclass
class Stores:
    """The repositories of one implementation, its unit of work, and how a year is frozen
    (the distribution's first step) there."""

    kind: str
    ledger: Any  # LedgerStore | MemoryLedger
    coins: Any  # CoinStore | MemoryCoins
    claims: Any  # ClaimStore | MemoryClaims
    uow: Callable[[], Any]  # UnitOfWork | MemoryUnitOfWork
    freeze: Callable[[int, datetime], None]
    members: Any = None  # MemberStore | MemoryMembers
    meetings: Any = None  # MeetingStore | MemoryMeetings
    intake: Any = None  # IntakeStore | MemoryIntake
    distributions: Any = None  # DistributionStore | MemoryDistributions
    pots: Any = None  # PotStore | MemoryPots
    outbox: Any = None  # OutboxStore | MemoryOutbox
    vocabulary: Any = None  # VocabularyStore | MemoryVocabulary
    opportunities: Any = None  # OpportunityStore | MemoryOpportunities


@pytest.fixture(params=["dynamodb", "memory"])
def stores(request: pytest.FixtureRequest) -> Iterator[Stores]:
    if request.param == "memory":
        memory = MemoryStores()
        yield Stores(
            "memory",
            memory.ledger,
            memory.coins,
            memory.claims,
            memory.uow,
            memory.pots.freeze_pot,
            members=memory.members,
            meetings=memory.meetings,
            intake=memory.intake,
            distributions=memory.distributions,
            pots=memory.pots,
            outbox=memory.outbox,
            vocabulary=memory.vocabulary,
            opportunities=memory.opportunities,
        )
        return
    with mock_aws():
        client = SESSION.client("dynamodb")
        create_tables(client, TABLE)
        main = DynamoTable(client, TABLE)
        ledger = LedgerStore(DynamoTable(client, ledger_table_name(TABLE)), pots=main)
        distributions = DistributionStore(main, ledger)
        yield Stores(
            "dynamodb",
            ledger,
            CoinStore(main),
            ClaimStore(main),
            lambda: UnitOfWork(client),
            distributions.freeze_pot,
            members=MemberStore(main),
            meetings=MeetingStore(main),
            intake=IntakeStore(main),
            distributions=distributions,
            pots=PotStore(main),
            outbox=OutboxStore(main),
            vocabulary=VocabularyStore(main),
            opportunities=OpportunityStore(main, ledger),
        )
