"""Both DynamoDB tables, derived from chalicelib/store/schema.py so app and stack agree."""

from __future__ import annotations

from chalicelib.store import schema
from infra import ids
from infra.cfn import Json, retained
from infra.stages import Stage


def table(name: str, stage: Stage) -> Json:
    definition = schema.table_definition(name)
    properties = {
        key: definition[key]
        for key in (
            "TableName",
            "BillingMode",
            "KeySchema",
            "AttributeDefinitions",
            "GlobalSecondaryIndexes",
        )
    }
    properties |= {
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
        "DeletionProtectionEnabled": stage.prod,
    }
    return retained({"Type": "AWS::DynamoDB::Table", "Properties": properties}, stage.prod)


def resources(stage: Stage) -> Json:
    return {
        ids.MAIN_TABLE: table(stage.table_name, stage),
        ids.LEDGER_TABLE: table(stage.ledger_table_name, stage),
    }
