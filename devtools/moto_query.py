"""A cheaper Query for moto's DynamoDB backend.

moto 5.2.5 answers every Query by listing the whole table through `Table.all_items()`, which
also sorts all of it, before it looks at the partition asked for: about 1 s per Query once a
local ledger holds 30,000 items. `install()` keeps moto's own Query code and only narrows what
`all_items()` hands it for the duration of one call:

- a Query on the table gets the items of its one partition (moto keeps them in a dict by
  hash key, so this is a lookup);
- a Query on an index gets, unsorted, the items whose index hash key matches; moto filters
  and sorts them itself as before.

moto's filtering, ordering, pagination and projection are untouched, so the answers are the
same (tests/test_moto_query.py compares them with the original).

It also gives GetItem, Query and BatchGetItem answers a fast way out: moto serialises every
answer by walking botocore's shape model, about 2.5 ms per item of ten attributes, which made
a statement page of 50 lines cost over 100 ms. Those answers are already in DynamoDB's wire
format (attribute values as {"S": ...}, {"N": "..."}), so they are written with json.dumps;
anything json cannot take falls back to moto's serializer.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoResult

_ORIGINAL = Table.query
_ORIGINAL_EXECUTE = DynamoResult.execute_result
_FAST_OPERATIONS = frozenset({"GetItem", "Query", "BatchGetItem"})
# all_items is swapped on the table object for the length of one call; the lock keeps two
# concurrent queries of the same table from seeing each other's swap.
_LOCK = threading.RLock()


def _raw(value: Any) -> Any:
    """A DynamoType's plain value for a cheap sort key (moto's own comparisons cost ~5 µs)."""
    return (value.type, value.value) if value is not None else ("", "")


def _partition(table: Any, hash_key: Any) -> list[Any]:
    bucket = table.items.get(hash_key)
    if bucket is None:
        return []
    if not table.range_key_attr:
        return [bucket]
    # Handed over in range-key order, so moto's own sort (which it still does, with its
    # expensive comparisons) finds the list sorted and makes one pass instead of n log n.
    return sorted(bucket.values(), key=lambda item: _raw(item.range_key))


def _index_partition(table: Any, index_name: str, hash_key: Any) -> list[Any]:
    """Items whose index hash key equals the one asked for (moto filters them again)."""
    index = next((i for i in table.all_indexes() if i.name == index_name), None)
    if index is None or hash_key is None:
        return _every_item(table)  # let moto report or handle it
    hash_attrs = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
    if len(hash_attrs) != 1:
        return _every_item(table)  # multi-attribute keys: let moto do all the work
    name, kind, wanted = hash_attrs[0], hash_key.type, hash_key.value
    found = []
    for bucket in table.items.values():
        for item in bucket.values() if table.range_key_attr else (bucket,):
            value = item.attrs.get(name)
            if value is not None and value.value == wanted and value.type == kind:
                found.append(item)
    range_attrs = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
    range_attrs += [table.range_key_attr] if table.range_key_attr else []
    # pre-sorted for the same reason as a table partition
    return sorted(found, key=lambda item: [_raw(item.attrs.get(a)) for a in range_attrs])


def _every_item(table: Any) -> list[Any]:
    if not table.range_key_attr:
        return list(table.items.values())
    return [item for bucket in table.items.values() for item in bucket.values()]


def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    # moto's backend passes index_name as the eighth positional argument
    index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
    if index_name:
        candidates = _index_partition(self, index_name, hash_key)
    else:
        candidates = _partition(self, hash_key)
    with _LOCK:
        self.all_items = lambda: candidates
        try:
            return _ORIGINAL(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items


def execute_result(self: Any, context: Any) -> Any:
    if context.operation_model.name in _FAST_OPERATIONS:
        try:
            body = json.dumps(self.result, separators=(",", ":"))
        except TypeError:  # e.g. bytes of a binary attribute: moto knows how
            pass
        else:
            return 200, {"Content-Type": "application/x-amz-json-1.0"}, body
    return _ORIGINAL_EXECUTE(self, context)


def install() -> None:
    """Replace moto's Query entry point and read serialisation (idempotent)."""
    setattr(Table, "query", query)  # noqa: B010
    setattr(DynamoResult, "execute_result", execute_result)  # noqa: B010


def uninstall() -> None:
    setattr(Table, "query", _ORIGINAL)  # noqa: B010
    setattr(DynamoResult, "execute_result", _ORIGINAL_EXECUTE)  # noqa: B010


def is_installed() -> bool:
    return Table.query is query
