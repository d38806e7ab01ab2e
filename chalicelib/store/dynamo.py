"""Thin, typed access to the one DynamoDB table: get, paginated query, conditional writes.

The only module (with the stores beside it) that speaks DynamoDB. Values go in as plain
Python (int, str, bool, list, dict) and come back the same way: numbers come back as int,
because nothing here stores fractions (money is integer cents).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from chalicelib.domain.errors import FieldProblem, InvalidInput

Item = dict[str, Any]
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_dynamo(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValueError(f"non-integer number {value} in the table")
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, set):
        return {_plain(v) for v in value}
    return value


def from_dynamo(item: Mapping[str, Any]) -> Item:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


@dataclass(frozen=True)
class Page:
    items: list[Item]
    next_cursor: str | None


def _encode_cursor(partition: str, last_key: Item) -> str:
    raw = json.dumps({"p": partition, "k": from_dynamo(last_key)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(partition: str, cursor: str, key_names: set[str]) -> dict[str, Any]:
    """The DynamoDB start key inside a cursor, checked to belong to this very query."""
    bad = InvalidInput("invalid_input", problems=[FieldProblem("cursor", "not_a_cursor")])
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise bad from error
    if not isinstance(decoded, dict) or decoded.get("p") != partition:
        raise bad
    key = decoded.get("k")
    if not isinstance(key, dict) or set(key) != key_names:
        raise bad
    if not all(isinstance(v, str) and 0 < len(v) <= 1024 for v in key.values()):
        raise bad
    return to_dynamo(key)


class DynamoTable:
    def __init__(self, client: Any, table_name: str) -> None:
        self.client = client
        self.name = table_name

    def get(self, pk: str, sk: str) -> Item | None:
        answer = self.client.get_item(
            TableName=self.name, Key=to_dynamo({"PK": pk, "SK": sk}), ConsistentRead=True
        )
        return from_dynamo(answer["Item"]) if "Item" in answer else None

    def put(self, item: Item) -> None:
        self.client.put_item(TableName=self.name, Item=to_dynamo(item))

    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Item]:
        """Several items by key (strongly consistent), in batches of 100; missing ones absent."""
        found: dict[tuple[str, str], Item] = {}
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), 100):
            request: dict[str, Any] = {
                self.name: {
                    "Keys": [
                        to_dynamo({"PK": pk, "SK": sk}) for pk, sk in wanted[start : start + 100]
                    ],
                    "ConsistentRead": True,
                }
            }
            while request:
                answer = self.client.batch_get_item(RequestItems=request)
                for raw in answer.get("Responses", {}).get(self.name, []):
                    item = from_dynamo(raw)
                    found[(item["PK"], item["SK"])] = item
                request = answer.get("UnprocessedKeys") or {}
        return found

    def increment(self, pk: str, sk: str, attribute: str, condition: str | None = None) -> int:
        """Atomically adds 1 to a number attribute of an item and answers the new value (a
        sequence number no two callers get twice)."""
        args: dict[str, Any] = {
            "TableName": self.name,
            "Key": to_dynamo({"PK": pk, "SK": sk}),
            "UpdateExpression": "ADD #counter :one",
            "ExpressionAttributeNames": {"#counter": attribute},
            "ExpressionAttributeValues": to_dynamo({":one": 1}),
            "ReturnValues": "UPDATED_NEW",
        }
        if condition:
            args["ConditionExpression"] = condition
        answer = self.client.update_item(**args)
        return int(from_dynamo(answer["Attributes"])[attribute])

    def update(self, pk: str, sk: str, update: str, values: Item) -> None:
        """An unconditioned single-item update, for bookkeeping that is not money."""
        self.client.update_item(
            TableName=self.name,
            Key=to_dynamo({"PK": pk, "SK": sk}),
            UpdateExpression=update,
            ExpressionAttributeValues=to_dynamo(values),
        )

    def query_page(
        self,
        partition: str,
        *,
        index: str | None = None,
        sk_prefix: str | None = None,
        sk_from: str | None = None,
        sk_before: str | None = None,
        limit: int,
        cursor: str | None = None,
        newest_first: bool = False,
        keep: Any = None,
    ) -> Page:
        """One page of up to `limit` items of a partition, optionally filtered by `keep`.

        Filtering happens here rather than in a FilterExpression so that a page is always
        full when more items exist; DynamoDB pages are read until the page fills.
        """
        pk_name, sk_name = (f"{index}PK", f"{index}SK") if index else ("PK", "SK")
        key_names = {"PK", "SK"} | ({pk_name, sk_name} if index else set())
        start = _decode_cursor(partition, cursor, key_names) if cursor else None
        items: list[Item] = []
        while True:
            answer = self.client.query(
                **self._query_args(
                    partition, index, pk_name, sk_name, sk_prefix, newest_first, sk_from, sk_before
                ),
                Limit=limit - len(items),
                **({"ExclusiveStartKey": start} if start else {}),
            )
            for raw in answer.get("Items", []):
                item = from_dynamo(raw)
                if keep is None or keep(item):
                    items.append(item)
            start = answer.get("LastEvaluatedKey")
            if start is None:
                return Page(items, None)
            if len(items) >= limit:
                return Page(items, _encode_cursor(partition, start))

    def query_all(
        self,
        partition: str,
        *,
        index: str | None = None,
        sk_prefix: str | None = None,
        sk_from: str | None = None,
        page_size: int = 500,
    ) -> Iterator[Item]:
        """Every item of a partition (from a sort key on), one DynamoDB page at a time."""
        pk_name, sk_name = (f"{index}PK", f"{index}SK") if index else ("PK", "SK")
        start: dict[str, Any] | None = None
        while True:
            answer = self.client.query(
                **self._query_args(partition, index, pk_name, sk_name, sk_prefix, False, sk_from),
                Limit=page_size,
                **({"ExclusiveStartKey": start} if start else {}),
            )
            for raw in answer.get("Items", []):
                yield from_dynamo(raw)
            start = answer.get("LastEvaluatedKey")
            if start is None:
                return

    def _query_args(
        self,
        partition: str,
        index: str | None,
        pk_name: str,
        sk_name: str,
        sk_prefix: str | None,
        newest_first: bool,
        sk_from: str | None = None,
        sk_before: str | None = None,
    ) -> dict[str, Any]:
        condition = "#pk = :pk"
        names = {"#pk": pk_name}
        values: dict[str, Any] = {":pk": partition}
        if sk_prefix is not None:
            condition += " AND begins_with(#sk, :prefix)"
            names["#sk"] = sk_name
            values[":prefix"] = sk_prefix
        elif sk_from is not None:
            condition += " AND #sk >= :from"
            names["#sk"] = sk_name
            values[":from"] = sk_from
        elif sk_before is not None:
            condition += " AND #sk < :before"
            names["#sk"] = sk_name
            values[":before"] = sk_before
        args: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_dynamo(values),
            "ScanIndexForward": not newest_first,
        }
        if index:
            args["IndexName"] = index
        else:
            args["ConsistentRead"] = True
        return args
