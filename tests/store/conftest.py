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
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.memory import MemoryStores
from chalicelib.store.schema import create_tables, ledger_table_name
from chalicelib.store.uow import UnitOfWork
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


@pytest.fixture(params=["dynamodb", "memory"])
def stores(request: pytest.FixtureRequest) -> Iterator[Stores]:
    if request.param == "memory":
        memory = MemoryStores()
        yield Stores(
            "memory", memory.ledger, memory.coins, memory.claims, memory.uow, memory.pots.freeze_pot
        )
        return
    with mock_aws():
        client = SESSION.client("dynamodb")
        create_tables(client, TABLE)
        main = DynamoTable(client, TABLE)
        ledger = LedgerStore(DynamoTable(client, ledger_table_name(TABLE)), pots=main)
        yield Stores(
            "dynamodb",
            ledger,
            CoinStore(main),
            ClaimStore(main),
            lambda: UnitOfWork(client),
            DistributionStore(main, ledger).freeze_pot,
        )
