"""The local runtime's cheaper moto Query answers exactly what moto's own Query answers."""

from __future__ import annotations

import itertools
from typing import Any

from moto import mock_aws

from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.schema import GSI_BY_STATUS, table_definition
from devtools import moto_query
from tests.conftest import SESSION


def fill(table: DynamoTable) -> None:
    for n in range(60):
        table.put(
            {
                "PK": f"P#{n % 4}",
                "SK": f"S#{n:03d}",
                "GSI1PK": f"G#{n % 3}" if n % 5 else None,
                "GSI1SK": f"{(n * 7) % 11:02d}#{n}",
                "n": n,
            }
        )


def everything(table: DynamoTable) -> list[Any]:
    """Every page of a set of queries, as plain data."""
    answers: list[Any] = []
    for partition, prefix, newest, limit in itertools.product(
        ("P#1", "P#3", "P#9"), (None, "S#01"), (False, True), (1, 7, 100)
    ):
        cursor = None
        while True:
            page = table.query_page(
                partition, sk_prefix=prefix, limit=limit, cursor=cursor, newest_first=newest
            )
            answers.append([i["n"] for i in page.items])
            if (cursor := page.next_cursor) is None:
                break
    for partition, limit in itertools.product(("G#0", "G#2", "G#7"), (2, 50)):
        cursor = None
        while True:
            page = table.query_page(partition, index=GSI_BY_STATUS, limit=limit, cursor=cursor)
            answers.append([i["n"] for i in page.items])
            if (cursor := page.next_cursor) is None:
                break
    return answers


def test_patched_queries_answer_like_moto() -> None:
    results = {}
    for install in (False, True):
        with mock_aws():
            SESSION.client("dynamodb").create_table(**table_definition("q"))
            table = DynamoTable(SESSION.client("dynamodb"), "q")
            fill(table)
            if install:
                moto_query.install()
            try:
                results[install] = everything(table)
            finally:
                moto_query.uninstall()
    assert results[True] == results[False]
    assert any(len(page) > 1 for page in results[True])
    assert not moto_query.is_installed()
