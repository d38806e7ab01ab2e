"""Payout batch store contract, the same assertions on moto and in memory: a batch is found
once whole, approved once, an item moves on only from the state it was read in, newest first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from moto import mock_aws

from chalicelib.domain.errors import NotFound
from chalicelib.domain.payout_batches import MemberBalances, PayoutBatch, plan_batch
from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.memory import MemoryStores
from chalicelib.store.memory.payout_batches import MemoryPayoutBatches
from chalicelib.store.payout_batches import BatchAlreadyApproved, ItemChanged, PayoutBatchStore
from chalicelib.store.schema import create_tables
from chalicelib.store.timestamps import stamp
from chalicelib.store.uow import UnitOfWork
from tests.conftest import SESSION, TABLE

AT = datetime(2026, 6, 1, 10, tzinfo=UTC)


@dataclass(frozen=True)
class Account:
    iban: str
    account_holder: str


@dataclass
class Batches:
    store: Any  # PayoutBatchStore | MemoryPayoutBatches
    uow: Callable[[], Any]

    def add(self, batch: PayoutBatch) -> None:
        with self.uow() as uow:
            self.store.register_items(uow, batch.batch_id, list(batch.items))
            self.store.register_header(uow, batch)
            uow.commit()

    def commit(self, register: Callable[[Any], None]) -> None:
        with self.uow() as uow:
            register(uow)
            uow.commit()


@pytest.fixture(params=["dynamodb", "memory"])
def batches(request: pytest.FixtureRequest) -> Iterator[Batches]:
    if request.param == "memory":
        memory = MemoryStores()
        yield Batches(MemoryPayoutBatches(memory.state), memory.uow)
        return
    with mock_aws():
        client = SESSION.client("dynamodb")
        create_tables(client, TABLE)
        yield Batches(PayoutBatchStore(DynamoTable(client, TABLE)), lambda: UnitOfWork(client))


def planned(batch_id: str, at: datetime = AT) -> PayoutBatch:
    balances = [MemberBalances("m1", 3000, 10000), MemberBalances("m2", 0, 500)]
    accounts = {m: Account("NL44RABO0123456789", m) for m in ("m1", "m2")}
    return plan_batch(batch_id, balances, accounts, "ann", at)


def test_a_batch_reads_back_whole_and_is_written_once(batches: Batches) -> None:
    batch = planned("00aa")
    batches.add(batch)
    assert batches.store.get("00aa") == batch
    assert batches.store.item("00aa", 2) == batch.items[1]
    with pytest.raises(NotFound):
        batches.store.get("00bb")
    with pytest.raises(Exception):  # noqa: B017 (the same id twice: a bug, never a person's)
        batches.add(batch)


def test_a_batch_is_approved_once(batches: Batches) -> None:
    batches.add(planned("00aa"))
    batches.commit(
        lambda uow: batches.store.register_approval(uow, "00aa", "bob", stamp(AT), date(2026, 6, 1))
    )
    with pytest.raises(BatchAlreadyApproved):
        batches.commit(
            lambda uow: batches.store.register_approval(uow, "00aa", "carl", stamp(AT), AT.date())
        )
    approved = batches.store.get("00aa")
    assert (approved.status, approved.approved_by, approved.approved_at) == ("approved", "bob", AT)
    assert approved.execution_date == date(2026, 6, 1)


def test_an_item_moves_on_only_from_the_state_it_was_read_in(batches: Batches) -> None:
    batches.add(planned("00aa"))
    store = batches.store
    batches.commit(
        lambda uow: store.register_item_step(
            uow, "00aa", 1, expected=("pending",), offset_booked=True, offset_not_booked=True
        )
    )
    with pytest.raises(ItemChanged):  # the offset was booked: a twin's step refuses
        batches.commit(
            lambda uow: store.register_item_step(
                uow, "00aa", 1, expected=("pending",), offset_booked=True, offset_not_booked=True
            )
        )
    batches.commit(
        lambda uow: store.register_item_step(uow, "00aa", 1, expected=("pending",), status="booked")
    )
    with pytest.raises(ItemChanged):
        batches.commit(
            lambda uow: store.register_item_step(
                uow, "00aa", 1, expected=("pending",), status="dropped", reason="balances_changed"
            )
        )
    item = store.item("00aa", 1)
    assert (item.status, item.offset_booked, item.reason) == ("booked", True, None)


def test_a_batch_reads_executed_once_every_transfer_was(batches: Batches) -> None:
    batches.add(planned("00aa"))
    store = batches.store
    batches.commit(lambda uow: store.register_approval(uow, "00aa", "bob", stamp(AT), AT.date()))
    for number, status in ((1, "executed"), (2, "returned")):
        batches.commit(
            lambda uow, n=number: store.register_item_step(
                uow, "00aa", n, expected=("pending",), status="booked"
            )
        )
        assert store.get("00aa").status == "approved"
        batches.commit(
            lambda uow, n=number, s=status: store.register_item_step(
                uow, "00aa", n, expected=("booked",), status=s
            )
        )
    assert store.get("00aa").status == "executed"


def test_batches_are_listed_newest_first_a_page_at_a_time(batches: Batches) -> None:
    for n in range(3):
        batches.add(planned(f"00a{n}", AT + timedelta(hours=n)))
    first, cursor = batches.store.page(2, None)
    assert [b.batch_id for b in first] == ["00a2", "00a1"] and cursor
    rest, end = batches.store.page(2, cursor)
    assert [b.batch_id for b in rest] == ["00a0"] and end is None
