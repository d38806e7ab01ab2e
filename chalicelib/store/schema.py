"""The two DynamoDB tables and their indexes (see docs/dynamodb.md for the access patterns).

`coop-<stage>` holds members, opportunities, coins and pots; `coop-<stage>-ledger` holds the
ledger (transactions, journal lines, balances). The ledger grows with every money movement
and is read by partition; keeping it apart keeps the main table's index queries small, lets
the ledger have its own backups and streams, and is what keeps the local runtime (moto)
fast. Both have the same key schema. Used by infra, the local runtime and tests.
"""

from __future__ import annotations

from typing import Any

GSI_BY_STATUS = "GSI1"  # members by status (directory, dues run), applications by status
GSI_BY_TIME = "GSI2"  # time-ordered collections: ledger by month, all opportunities


def ledger_table_name(table_name: str) -> str:
    return f"{table_name}-ledger"


def create_tables(client: Any, table_name: str) -> None:
    """Creates the main and the ledger table where they do not exist yet."""
    existing = set(client.list_tables()["TableNames"])
    for name in (table_name, ledger_table_name(table_name)):
        if name not in existing:
            client.create_table(**table_definition(name))


def table_definition(table_name: str) -> dict[str, Any]:
    """Keyword arguments for DynamoDB CreateTable."""
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"}
            for name in ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": f"{index}PK", "KeyType": "HASH"},
                    {"AttributeName": f"{index}SK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in (GSI_BY_STATUS, GSI_BY_TIME)
        ],
    }
