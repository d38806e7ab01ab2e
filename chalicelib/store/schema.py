"""The one DynamoDB table and its indexes (see docs/dynamodb.md for the access patterns).

Used by infra (deploy), the local runtime and tests to create the same table.
"""

from __future__ import annotations

from typing import Any

GSI_BY_STATUS = "GSI1"  # members by status (directory, dues run), applications by status
GSI_BY_TIME = "GSI2"  # time-ordered collections: ledger by month, all opportunities


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
