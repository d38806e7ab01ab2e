"""devtools.moto_transact must behave exactly like moto's own TransactWriteItems, only cheaper.

Every scenario runs against a private DynamoDBBackend instance (no mock_aws, no global patching),
so these tests cannot wipe or disturb a moto server another test runs in this process.
"""

from __future__ import annotations

import copy
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest
from moto.dynamodb.exceptions import DynamodbException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table

from devtools import moto_transact

TABLE = "tx-test"
Impl = Callable[[Any, list[dict[str, Any]]], None]
IMPLEMENTATIONS: dict[str, Impl] = {
    "moto": moto_transact._ORIGINAL,
    "patched": moto_transact.transact_write_items,
}


def new_backend() -> Any:
    backend = DynamoDBBackend("eu-west-1", "123456789012")
    backend.create_table(
        TABLE,
        schema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        throughput=None,
        attr=[
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "S"},
        ],
        global_indexes=None,
        indexes=None,
        streams=None,
        billing_mode="PAY_PER_REQUEST",
        sse_specification=None,
        tags=[],
        deletion_protection_enabled=None,
        warm_throughput=None,
    )
    return backend


def key(pk: str, sk: str = "A") -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def item(pk: str, sk: str = "A", **attrs: int) -> dict[str, Any]:
    return {**key(pk, sk), **{name: {"N": str(value)} for name, value in attrs.items()}}


def put(pk: str, sk: str = "A", condition: str | None = None, **attrs: int) -> dict[str, Any]:
    op: dict[str, Any] = {"TableName": TABLE, "Item": item(pk, sk, **attrs)}
    if condition:
        op["ConditionExpression"] = condition
    return {"Put": op}


def add(pk: str, amount: int, sk: str = "A") -> dict[str, Any]:
    return {
        "Update": {
            "TableName": TABLE,
            "Key": key(pk, sk),
            "UpdateExpression": "ADD balance :amount",
            "ExpressionAttributeValues": {":amount": {"N": str(amount)}},
        }
    }


def check(pk: str, condition: str, all_old: bool = False, **values: int) -> dict[str, Any]:
    op: dict[str, Any] = {"TableName": TABLE, "Key": key(pk), "ConditionExpression": condition}
    if all_old:
        op["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    if values:
        op["ExpressionAttributeValues"] = {f":{k}": {"N": str(v)} for k, v in values.items()}
    return {"ConditionCheck": op}


def dump(backend: Any) -> list[str]:
    table = backend.get_table(TABLE)
    return sorted(json.dumps(i.to_json(), sort_keys=True) for i in table.all_items())


def outcome(impl: Impl, seed: list[dict[str, Any]], tx: list[dict[str, Any]]) -> dict[str, Any]:
    """What a client can observe: the error (type and wire body) and the table afterwards."""
    backend = new_backend()
    for attrs in seed:
        backend.put_item(TABLE, attrs)
    error: dict[str, Any] | None = None
    try:
        impl(backend, tx)
    except DynamodbException as e:
        error = {"type": type(e).__name__, "body": json.loads(e.description)}
    return {"error": error, "items": dump(backend)}


def reason_codes(result: dict[str, Any]) -> list[str]:
    return [r["Code"] for r in result["error"]["body"]["CancellationReasons"]]


SEED = [
    item("acct-1", balance=10),
    item("acct-2", balance=20),
    item("gone", balance=1),
    item("member", balance=0),
]

SCENARIOS: dict[str, list[dict[str, Any]]] = {
    "success": [
        put("tx-1", condition="attribute_not_exists(PK)", amount=5),
        add("acct-1", -5),
        add("acct-2", 5),
        {"Delete": {"TableName": TABLE, "Key": key("gone")}},
        check("member", "attribute_exists(PK)"),
    ],
    "third_condition_fails": [
        add("acct-1", 7),
        put("acct-2", balance=99),
        check("nobody", "attribute_exists(PK)"),
    ],
    "same_key_twice": [put("new", balance=1), add("new", 1)],
    "too_many": [put(f"bulk-{n}", balance=n) for n in range(101)],
    "add_rolled_back": [add("acct-1", 5), put("acct-2", condition="attribute_not_exists(PK)")],
    "created_item_removed": [put("fresh", balance=1), check("nobody", "attribute_exists(PK)")],
    "all_old": [add("acct-2", 1), check("acct-1", "balance > :n", all_old=True, n=100)],
    "two_ops_in_one_item": [{**put("x"), **add("acct-1", 1)}, put("y")],
    "unknown_table": [put("z"), {"Put": {"TableName": "nope", "Item": item("z")}}],
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_patched_matches_moto(scenario: str) -> None:
    tx = SCENARIOS[scenario]
    expected = outcome(IMPLEMENTATIONS["moto"], SEED, copy.deepcopy(tx))
    actual = outcome(IMPLEMENTATIONS["patched"], SEED, copy.deepcopy(tx))
    assert actual == expected


@pytest.mark.parametrize("impl", sorted(IMPLEMENTATIONS))
def test_success_applies_everything(impl: str) -> None:
    result = outcome(IMPLEMENTATIONS[impl], SEED, SCENARIOS["success"])
    assert result["error"] is None
    assert result["items"] == sorted(
        json.dumps({"Attributes": a}, sort_keys=True)
        for a in [
            item("tx-1", amount=5),
            item("acct-1", balance=5),
            item("acct-2", balance=25),
            item("member", balance=0),
        ]
    )


@pytest.mark.parametrize("impl", sorted(IMPLEMENTATIONS))
@pytest.mark.parametrize(
    "scenario", ["third_condition_fails", "add_rolled_back", "created_item_removed", "all_old"]
)
def test_failure_applies_nothing(impl: str, scenario: str) -> None:
    untouched = outcome(IMPLEMENTATIONS[impl], SEED, [])["items"]
    result = outcome(IMPLEMENTATIONS[impl], SEED, SCENARIOS[scenario])
    assert result["error"]["type"] == "TransactionCanceledException"
    assert result["items"] == untouched


@pytest.mark.parametrize("impl", sorted(IMPLEMENTATIONS))
def test_reasons_per_item(impl: str) -> None:
    result = outcome(IMPLEMENTATIONS[impl], SEED, SCENARIOS["third_condition_fails"])
    assert reason_codes(result) == ["None", "None", "ConditionalCheckFailed"]
    all_old = outcome(IMPLEMENTATIONS[impl], SEED, SCENARIOS["all_old"])
    assert all_old["error"]["body"]["CancellationReasons"][1]["Item"] == item("acct-1", balance=10)


@pytest.mark.parametrize("impl", sorted(IMPLEMENTATIONS))
def test_rejected_requests(impl: str) -> None:
    twice = outcome(IMPLEMENTATIONS[impl], SEED, SCENARIOS["same_key_twice"])
    assert twice["error"]["type"] == "MultipleTransactionsException"
    assert not any("new" in i for i in twice["items"])
    too_many = outcome(IMPLEMENTATIONS[impl], SEED, SCENARIOS["too_many"])
    assert too_many["error"]["type"] == "TooManyTransactionsException"


def test_patched_rolls_back_on_two_ops_in_a_later_item() -> None:
    # moto leaves the first item applied here; the patch applies nothing (see module docstring).
    tx = [put("first", balance=1), {**put("x"), **add("acct-1", 1)}]
    result = outcome(IMPLEMENTATIONS["patched"], SEED, tx)
    assert result["error"]["type"] == "TransactWriteSingleOpException"
    assert result["items"] == outcome(IMPLEMENTATIONS["patched"], SEED, [])["items"]


def test_install_is_idempotent_and_reversible() -> None:
    was_installed = moto_transact.is_installed()
    try:
        moto_transact.install()
        moto_transact.install()
        assert DynamoDBBackend.transact_write_items is moto_transact.transact_write_items
        moto_transact.uninstall()
        assert DynamoDBBackend.transact_write_items is moto_transact._ORIGINAL
    finally:
        (moto_transact.install if was_installed else moto_transact.uninstall)()


def ledger_tx(n: int) -> list[dict[str, Any]]:
    return [
        put(f"TX#{n}", condition="attribute_not_exists(PK)", amount=n),
        put(f"TX#{n}", "ENTRY#1", amount=-n),
        put(f"TX#{n}", "ENTRY#2", amount=n),
        add("BAL#a", -n),
        add("BAL#b", n),
    ]


@pytest.mark.parametrize("impl", sorted(IMPLEMENTATIONS))
def test_never_copies_a_table(impl: str, monkeypatch: pytest.MonkeyPatch) -> None:
    table_copies = 0
    real_deepcopy = copy.deepcopy

    def counting_deepcopy(obj: Any, memo: Any = None) -> Any:
        nonlocal table_copies
        table_copies += isinstance(obj, Table)
        return real_deepcopy(obj, memo)

    backend = new_backend()
    monkeypatch.setattr(copy, "deepcopy", counting_deepcopy)
    for n in range(5):
        IMPLEMENTATIONS[impl](backend, ledger_tx(n))
    # The original copies the table once per transaction item; this proves the counter works.
    assert table_copies == (0 if impl == "patched" else 25)


def test_transaction_time_does_not_grow_with_the_table() -> None:
    backend = new_backend()
    durations = []
    for n in range(2000):
        tx = ledger_tx(n)
        started = time.perf_counter()
        moto_transact.transact_write_items(backend, tx)
        durations.append(time.perf_counter() - started)
    # Medians, not means: a GC pause or a busy neighbour must not fail the build.
    first, last = statistics.median(durations[:200]), statistics.median(durations[-200:])
    assert len(dump(backend)) == 3 * 2000 + 2
    assert last / first < 3
