"""Test helpers that read and reset the AWS fakes directly (never used by the app).

`dump` lists every item of a table with a Scan: a test helper may scan, the app never does.
`MotoSnapshot` copies moto's in-memory DynamoDB tables, Cognito pools and SES outbox so a test
can put the same starting state back before each try, far faster than building it again.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer
from moto.cognitoidp.models import cognitoidp_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.ses.models import ses_backends

_deserializer = TypeDeserializer()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def scan(client: Any, table_name: str) -> list[dict[str, Any]]:
    """Every item of the table as plain Python, sorted by key, by a Scan (any DynamoDB)."""
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table_name):
        items += [
            {k: _plain(_deserializer.deserialize(v)) for k, v in raw.items()}
            for raw in page["Items"]
        ]
    return sorted(items, key=lambda i: (i["PK"], i["SK"]))


def dump(table_name: str, region: str = "eu-west-1") -> list[dict[str, Any]]:
    """The same as `scan` for in-process moto, read from its memory: a Scan answer costs
    moto about 2.5 ms an item to serialise, which the stateful test cannot afford per step."""
    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][region].get_table(table_name)
    items = [{k: _value(v) for k, v in item.attrs.items()} for item in table.all_items()]
    return sorted(items, key=lambda i: (i["PK"], i["SK"]))


def _value(attribute: Any) -> Any:
    """A moto DynamoType (or the plain JSON nested in one) as plain Python."""
    kind, value = (
        (attribute.type, attribute.value)
        if hasattr(attribute, "type")
        else next(iter(attribute.items()))
    )
    if kind == "N":
        return int(value)
    if kind == "M":
        return {k: _value(v) for k, v in value.items()}
    if kind == "L":
        return [_value(v) for v in value]
    if kind == "NULL":
        return None
    return value


class MotoSnapshot:
    """moto's state for one region: DynamoDB tables, Cognito user pools, SES sent mail."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.dynamodb = dynamodb_backends[DEFAULT_ACCOUNT_ID][region]
        self.cognito = cognitoidp_backends[DEFAULT_ACCOUNT_ID][region]
        self.ses = ses_backends[DEFAULT_ACCOUNT_ID][region]
        self._saved: tuple[Any, Any, list[Any]] | None = None
        self.sent_before = 0  # mails SES had sent when the state was saved

    def save(self) -> None:
        self._saved = (
            copy.deepcopy(self.dynamodb.tables),
            copy.deepcopy(self.cognito.user_pools),
            list(self.ses.sent_messages),
        )
        self.sent_before = len(self.ses.sent_messages)

    def restore(self) -> None:
        assert self._saved is not None, "save() first"
        tables, pools, sent = self._saved
        self.dynamodb.tables = copy.deepcopy(tables)
        self.cognito.user_pools = copy.deepcopy(pools)
        self.ses.sent_messages = list(sent)
