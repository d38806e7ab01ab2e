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
"""

from __future__ import annotations

import threading
from typing import Any

from moto.dynamodb.models.table import Table

_ORIGINAL = Table.query
# all_items is swapped on the table object for the length of one call; the lock keeps two
# concurrent queries of the same table from seeing each other's swap.
_LOCK = threading.RLock()


def _partition(table: Any, hash_key: Any) -> list[Any]:
    bucket = table.items.get(hash_key)
    if bucket is None:
        return []
    return list(bucket.values()) if table.range_key_attr else [bucket]


def _index_partition(table: Any, index_name: str, hash_key: Any) -> list[Any]:
    """Items whose index hash key equals the one asked for (moto filters them again)."""
    index = next((i for i in table.all_indexes() if i.name == index_name), None)
    hash_attrs = (
        [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"] if index else []
    )
    if len(hash_attrs) != 1 or hash_key is None:
        return _every_item(table)  # unusual shapes: let moto do all the work
    name = hash_attrs[0]
    found = []
    for item in _every_item(table):
        value = item.attrs.get(name)
        if value is not None and value == hash_key:  # DynamoType cannot compare with None
            found.append(item)
    return found


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


def install() -> None:
    """Replace moto's Query entry point (idempotent)."""
    setattr(Table, "query", query)  # noqa: B010


def uninstall() -> None:
    setattr(Table, "query", _ORIGINAL)  # noqa: B010


def is_installed() -> bool:
    return Table.query is query
