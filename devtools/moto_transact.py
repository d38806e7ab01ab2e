"""A cheaper TransactWriteItems for moto's DynamoDB backend.

moto 5.2.5 deep-copies every table a transaction touches, once per transaction item, as its
rollback snapshot. That is O(table size) per item: 13 ms per transaction at 400 items, 271 ms at
4,000 and gigabytes of garbage after a thousand ledger bookings, so the local runtime would grind
to a halt after a few days of demo use.

`install()` swaps in a replacement with the same observable behaviour (limits, unicity checks,
condition evaluation, cancellation reasons, ALL_OLD) that snapshots only the items it touches and
puts them back on failure. One process-wide lock makes transactions atomic with respect to each
other, which matters because moto's server handles requests on several threads.

Deliberate difference: moto raises TransactWriteSingleOpException without rolling back earlier
items of the same transaction; here nothing is applied on any failure, as DynamoDB does.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend

MAX_TRANSACTION_ITEMS = 100
OPERATIONS = frozenset({"ConditionCheck", "Put", "Delete", "Update"})

# Serialises whole transactions; see the module docstring.
TRANSACTION_LOCK = threading.Lock()

_ORIGINAL = DynamoDBBackend.transact_write_items

Reason = tuple[str, str, Any] | tuple[None, None, None]


def install() -> None:
    """Replace moto's implementation (idempotent)."""
    setattr(DynamoDBBackend, "transact_write_items", transact_write_items)  # noqa: B010


def uninstall() -> None:
    """Put moto's own implementation back (used by the bench and the tests for contrast)."""
    setattr(DynamoDBBackend, "transact_write_items", _ORIGINAL)  # noqa: B010


def is_installed() -> bool:
    return DynamoDBBackend.transact_write_items is transact_write_items


@dataclass
class _Before:
    """An item as it was before the transaction first touched it (None: it did not exist)."""

    table: Any
    hash_key: Any
    range_key: Any
    item: Any


class _UndoLog:
    def __init__(self) -> None:
        self._items: dict[tuple[int, Any, Any], _Before] = {}
        self._stream_lengths: dict[int, tuple[Any, int]] = {}

    def remember(self, backend: Any, table_name: str, key: dict[str, Any]) -> None:
        table = backend.get_table(table_name)
        hash_key, range_key = backend.get_keys_value(table, key)
        slot = (id(table), hash_key, range_key)
        if slot not in self._items:
            # Update mutates the stored Item in place, so a reference would not do.
            current = copy.deepcopy(table.get_item(hash_key, range_key))
            self._items[slot] = _Before(table, hash_key, range_key, current)
        if table.stream_shard is not None and id(table) not in self._stream_lengths:
            self._stream_lengths[id(table)] = (table, len(table.stream_shard.items))

    def rollback(self) -> None:
        for before in reversed(list(self._items.values())):
            _put_back(before)
        # moto's whole-table restore also dropped the stream records of the failed transaction.
        for table, length in self._stream_lengths.values():
            if table.stream_shard is not None:
                del table.stream_shard.items[length:]


def _put_back(before: _Before) -> None:
    items = before.table.items
    if before.table.range_key_attr is None:
        if before.item is None:
            items.pop(before.hash_key, None)
        else:
            items[before.hash_key] = before.item
        return
    bucket = items[before.hash_key]
    if before.item is None:
        bucket.pop(before.range_key, None)
    else:
        bucket[before.range_key] = before.item


def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """Drop-in for DynamoDBBackend.transact_write_items (``self`` is the backend)."""
    if len(transact_items) > MAX_TRANSACTION_ITEMS:
        raise TooManyTransactionsException()
    with TRANSACTION_LOCK:
        undo = _UndoLog()
        try:
            reasons = _apply_all(self, transact_items, undo)
        except BaseException:
            undo.rollback()
            raise
        if any(code is not None for code, _, _ in reasons):
            undo.rollback()
            raise TransactionCanceledException(reasons)


def _apply_all(backend: Any, transact_items: list[dict[str, Any]], undo: _UndoLog) -> list[Reason]:
    # Like moto, later items are still evaluated after one fails, so every reason is reported.
    targets: set[tuple[str, str]] = set()
    reasons: list[Reason] = []
    for item in transact_items:
        if len(item) > 1:
            raise TransactWriteSingleOpException
        reasons.append(_apply_one(backend, item, targets, undo))
    return reasons


def _check_unicity(targets: set[tuple[str, str]], table_name: str, key: dict[str, Any]) -> None:
    target = (str(table_name), str(dict(sorted(key.items()))))
    if target in targets:
        raise MultipleTransactionsException()
    targets.add(target)


def _item_key(backend: Any, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        key: dict[str, Any] = op["Key"]
        return key
    attrs = op["Item"]
    table = backend.get_table(op["TableName"])
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


def _apply_one(
    backend: Any, item: dict[str, Any], targets: set[tuple[str, str]], undo: _UndoLog
) -> Reason:
    """One transaction item; mirrors the loop body of moto's transact_write_items."""
    original_item: dict[str, Any] | None = None
    try:
        op_type, op = next(iter(item.items()))
        if op_type not in OPERATIONS:
            raise ValueError("Unsupported transaction operation")
        table_name = op["TableName"]
        key = _item_key(backend, op_type, op)
        _check_unicity(targets, table_name, key)
        current = backend.get_item(table_name, key)
        undo.remember(backend, table_name, key)
        condition = op.get("ConditionExpression")
        names = op.get("ExpressionAttributeNames")
        values = op.get("ExpressionAttributeValues")
        if condition is not None:
            condition_op = get_filter_expression(condition, names, values)
            if not condition_op.expr(current):
                if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                    original_item = current.to_json()["Attributes"]
                raise ConditionalCheckFailed(item=original_item)
        _write(backend, op_type, op, key)
        return (None, None, None)
    except (MultipleTransactionsException, MockValidationException):
        raise
    except ConditionalCheckFailed as e:
        return ("ConditionalCheckFailed", str(e.message), original_item)
    except Exception as e:
        return (type(e).__name__, str(e), original_item)


def _write(backend: Any, op_type: str, op: dict[str, Any], key: dict[str, Any]) -> None:
    table_name = op["TableName"]
    expression = {
        "condition_expression": op.get("ConditionExpression"),
        "expression_attribute_names": op.get("ExpressionAttributeNames"),
        "expression_attribute_values": op.get("ExpressionAttributeValues"),
    }
    if op_type == "Put":
        backend.put_item(table_name, op["Item"], **expression)
    elif op_type == "Delete":
        backend.delete_item(table_name, key, **expression)
    elif op_type == "Update":
        backend.update_item(table_name, key, update_expression=op["UpdateExpression"], **expression)
