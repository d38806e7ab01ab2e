"""Pages of a sorted index, as `DynamoTable.query_page` answers them: up to `limit` items,
and a cursor when the page is full (the next page may be empty, as DynamoDB's may)."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def page_of(
    keyed: list[tuple[str, T]], limit: int, cursor: str | None, *, newest_first: bool = False
) -> tuple[list[T], str | None]:
    """`keyed`: (sort key, item) pairs, keys unique; the cursor is the last key answered."""
    ordered = sorted(keyed, key=lambda pair: pair[0], reverse=newest_first)
    if cursor is not None:
        if newest_first:
            ordered = [pair for pair in ordered if pair[0] < cursor]
        else:
            ordered = [pair for pair in ordered if pair[0] > cursor]
    page = ordered[:limit]
    next_cursor = page[-1][0] if page and len(page) == limit else None
    return [item for _, item in page], next_cursor
