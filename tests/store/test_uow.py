"""The unit of work: named writes, committed all or nothing, failures raised by name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from chalicelib.domain.errors import Conflict
from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.schema import create_tables, ledger_table_name
from chalicelib.store.uow import MAX_ACTIONS, AlreadyDone, ConditionFailed, UnitOfWork
from tests.conftest import SESSION, TABLE

NEW = "attribute_not_exists(PK)"


class CapReached(Conflict):
    def __init__(self) -> None:
        super().__init__("cap_reached")


@pytest.fixture
def tables() -> Iterator[tuple[Any, DynamoTable, DynamoTable]]:
    with mock_aws():
        client = SESSION.client("dynamodb")
        create_tables(client, TABLE)
        yield client, DynamoTable(client, TABLE), DynamoTable(client, ledger_table_name(TABLE))


def booking(uow: UnitOfWork, main: DynamoTable, ledger: DynamoTable, key: str, amount: int) -> None:
    """A booking as a repository registers it: the idempotency record first, then the balance
    it moves (never above 100) and a record in the other table."""
    record = {"PK": f"TX#{key}", "SK": "TX"}
    uow.put("tx", ledger, record, condition=NEW, refusal=lambda: AlreadyDone("tx"))
    uow.update(
        "balance",
        ledger,
        ("ACCOUNT#a", "BALANCE"),
        "ADD balance_cents :amount",
        {":amount": amount, ":limit": 100 - amount},
        condition="attribute_not_exists(balance_cents) OR balance_cents <= :limit",
        refusal=CapReached,
    )
    uow.put("note", main, {"PK": f"NOTE#{key}", "SK": "NOTE"})


def balance(ledger: DynamoTable) -> int:
    item = ledger.get("ACCOUNT#a", "BALANCE")
    return int(item["balance_cents"]) if item else 0


def test_a_commit_writes_every_registered_write_across_both_tables(tables: Any) -> None:
    client, main, ledger = tables
    with UnitOfWork(client) as uow:
        booking(uow, main, ledger, "k1", 40)
        assert uow.names == ("tx", "balance", "note")
        uow.commit()
    assert balance(ledger) == 40
    assert main.get("NOTE#k1", "NOTE") is not None


def test_a_replay_is_raised_by_its_name_and_writes_nothing(tables: Any) -> None:
    client, main, ledger = tables
    with UnitOfWork(client) as uow:
        booking(uow, main, ledger, "k1", 40)
        uow.commit()
    with UnitOfWork(client) as uow, pytest.raises(AlreadyDone) as raised:
        booking(uow, main, ledger, "k1", 40)
        uow.commit()
    assert raised.value.name == "tx"
    assert balance(ledger) == 40


def test_a_failed_ceiling_is_raised_as_its_domain_error_and_nothing_is_written(
    tables: Any,
) -> None:
    client, main, ledger = tables
    with UnitOfWork(client) as uow:
        booking(uow, main, ledger, "k1", 80)
        uow.commit()
    with UnitOfWork(client) as uow, pytest.raises(CapReached):
        booking(uow, main, ledger, "k2", 30)
        uow.commit()
    assert balance(ledger) == 80
    assert ledger.get("TX#k2", "TX") is None  # all or nothing
    assert main.get("NOTE#k2", "NOTE") is None


def test_the_error_follows_the_name_not_the_position(tables: Any) -> None:
    """The same writes registered in another order fail with the same domain error."""
    client, main, ledger = tables
    with UnitOfWork(client) as uow:
        booking(uow, main, ledger, "k1", 80)
        uow.commit()
    with UnitOfWork(client) as uow, pytest.raises(CapReached):
        uow.put("note", main, {"PK": "NOTE#k2", "SK": "NOTE"})
        uow.update(
            "balance",
            ledger,
            ("ACCOUNT#a", "BALANCE"),
            "ADD balance_cents :amount",
            {":amount": 30, ":limit": 70},
            condition="balance_cents <= :limit",
            refusal=CapReached,
        )
        uow.commit()


def test_a_condition_nobody_explained_is_a_bug_not_a_persons_mistake(tables: Any) -> None:
    client, main, _ = tables
    main.put({"PK": "X", "SK": "X"})
    with UnitOfWork(client) as uow, pytest.raises(ConditionFailed) as raised:
        uow.put("x.create", main, {"PK": "X", "SK": "X"}, condition=NEW)
        uow.commit()
    assert raised.value.names == ("x.create",)


@pytest.mark.parametrize("reason", ["TransactionConflict", "ThrottlingError"])
def test_colliding_transactions_are_sent_again_then_answer_busy(tables: Any, reason: str) -> None:
    client, main, _ = tables
    collisions = {"left": 2}

    def collide(**_: Any) -> None:
        if collisions["left"]:
            collisions["left"] -= 1
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "conflict"},
                    "CancellationReasons": [{"Code": reason}],
                },
                "TransactWriteItems",
            )

    client.meta.events.register("before-call.dynamodb.TransactWriteItems", collide)
    try:
        with UnitOfWork(client) as uow:
            uow.put("a", main, {"PK": "A", "SK": "A"}, condition=NEW)
            uow.commit()  # two collisions, then written
        assert main.get("A", "A") is not None
        collisions["left"] = 99
        with UnitOfWork(client) as uow, pytest.raises(Conflict) as raised:
            uow.put("b", main, {"PK": "B", "SK": "B"}, condition=NEW)
            uow.commit()
        assert raised.value.code == "busy"
        assert main.get("B", "B") is None
    finally:
        client.meta.events.unregister("before-call.dynamodb.TransactWriteItems", collide)


def test_leaving_without_commit_writes_nothing(tables: Any) -> None:
    client, main, _ = tables
    with pytest.raises(RuntimeError), UnitOfWork(client) as uow:
        uow.put("a", main, {"PK": "A", "SK": "A"})
        raise RuntimeError("the service changed its mind")
    assert main.get("A", "A") is None
    assert len(uow) == 0


def test_names_are_unique_and_a_transaction_holds_at_most_100(tables: Any) -> None:
    client, main, _ = tables
    with UnitOfWork(client) as uow:
        uow.put("a", main, {"PK": "A", "SK": "A"})
        with pytest.raises(ValueError, match="registered already"):
            uow.put("a", main, {"PK": "A2", "SK": "A"})
    with UnitOfWork(client) as uow:
        for i in range(MAX_ACTIONS + 1):
            uow.put(f"w{i}", main, {"PK": f"P{i}", "SK": "S"})
        with pytest.raises(ValueError, match="holds 100"):
            uow.commit()
    assert main.get("P0", "S") is None
