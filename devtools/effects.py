"""What a request to moto changed, as redo records ("effects"), and how to apply them again.

The journal stores effects, not requests: replaying AWS requests would not give the same state
(AdminCreateUser draws a random sub and temporary password; S3 and Cognito stamp times). An
effect is the state, after the request, of one thing the request may have touched:

- DynamoDB item writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems):
  the keys are in the request; the effect is each of those items as it is now, or its absence.
- Cognito, any change: every pool's users and groups are compared with what was last
  recorded; a changed user is recorded whole (sub, password, status, attributes, groups).
- S3, any change: every bucket's objects are compared the same way; a new or changed object
  is recorded with its body and metadata, a deleted one as a deletion.

Applying an effect sets that one thing to its recorded state: exact whatever moto's randomness,
and idempotent. Record n holds the state after request n, so replaying records in order
rebuilds the state after the last one.

A change of shape (a table, bucket or user pool created or deleted; any other DynamoDB write,
such as UpdateTable or PartiQL; moto's own /moto-api, e.g. its reset) is not put into effects:
`BARRIER` asks the caller for a full snapshot before the answer leaves. So does anything this
module cannot read with certainty. Both are rare: the runtime creates its resources before the
journal starts.

The effects cover what the snapshot holds (devtools.persistence: DynamoDB, S3, Cognito, in
the runtime's region); what neither holds (mail SES sent, SNS) does not survive a restart.
"""

from __future__ import annotations

import json
from typing import Any

from moto.cognitoidp.models import cognitoidp_backends
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.s3.models import s3_backends

from devtools import persistence
from devtools.persistence import ACCOUNT_ID

Effect = dict[str, Any]


class Barrier:
    """The request changed something effects do not express: snapshot before answering."""

    def __repr__(self) -> str:
        return "BARRIER"


BARRIER = Barrier()

DYNAMODB_TARGET = "DynamoDB_"
COGNITO_TARGET = "AWSCognitoIdentityProviderService."
_DEFAULT_HOST = "s3.us-east-1.amazonaws.com"  # where moto sends what it cannot place


def service_of(environ: dict[str, Any], dispatcher: Any) -> str | None:
    """The moto backend a request goes to, found the way moto's dispatcher finds it."""
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    if target.startswith(DYNAMODB_TARGET):
        return "dynamodb"
    if target.startswith(COGNITO_TARGET):
        return "cognito-idp"
    path = str(environ.get("PATH_INFO", ""))
    if path.startswith("/moto-api"):
        return "moto_api"
    host = dispatcher.infer_service_region_host(environ, path) or _DEFAULT_HOST
    backend = dispatcher.get_backend_for_host(host)
    return str(backend) if backend else None


def needs_body(environ: dict[str, Any]) -> bool:
    """Only DynamoDB's item writes are read from the request itself."""
    return str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith(DYNAMODB_TARGET)


class Recorder:
    """Turns each change moto made into effects. Call with moto's lock held."""

    def __init__(self, region: str, dispatcher: Any) -> None:
        self._region = region
        self._dispatcher = dispatcher
        self._cognito: dict[str, Any] = {}
        self._s3: dict[str, Any] = {}
        self.reset()

    def reset(self) -> None:
        """Take moto's current Cognito and S3 state as recorded (at start, after a barrier)."""
        self._cognito = _cognito_view(self._region)
        self._s3 = _s3_view()

    def changes(self, environ: dict[str, Any], body: bytes) -> list[Effect] | Barrier:
        service = service_of(environ, self._dispatcher)
        if service == "dynamodb":
            operation = str(environ["HTTP_X_AMZ_TARGET"]).rsplit(".", 1)[-1]
            return self._dynamodb(operation, body)
        if service == "cognito-idp":
            return self._diff_cognito()
        if service == "s3":
            return self._diff_s3()
        if service == "moto_api" or service is None:
            return BARRIER
        return []  # a service whose state is not kept (SES, SNS, ...)

    # --- DynamoDB --------------------------------------------------------------------------

    def _dynamodb(self, operation: str, body: bytes) -> list[Effect] | Barrier:
        try:
            targets = item_targets(operation, json.loads(body))
        except (ValueError, KeyError, TypeError, AttributeError):
            return BARRIER  # moto most likely refused it too; a snapshot is the safe answer
        if targets is None:
            return BARRIER
        backend = dynamodb_backends[ACCOUNT_ID][self._region]
        effects: list[Effect] = []
        for table_name, attrs in targets:
            effect = _item_effect(backend, table_name, attrs)
            if effect is None:
                return BARRIER
            effects.append(effect)
        return effects

    # --- Cognito ---------------------------------------------------------------------------

    def _diff_cognito(self) -> list[Effect] | Barrier:
        before, after = self._cognito, _cognito_view(self._region)
        self._cognito = after
        if before.keys() != after.keys():
            return BARRIER  # a pool created or deleted
        effects: list[Effect] = []
        for pool_id, pool in after.items():
            old = before[pool_id]
            if pool["groups"] != old["groups"]:  # groups first: users refer to them
                effects.append(
                    {"kind": "cognito_groups", "pool": pool_id, "groups": list(pool["groups"])}
                )
            for username, record in pool["users"].items():
                if old["users"].get(username) != record:
                    effects.append(_user_effect(pool_id, username, record))
            for username in old["users"].keys() - pool["users"].keys():
                effects.append(_user_effect(pool_id, username, None))
        return effects

    # --- S3 --------------------------------------------------------------------------------

    def _diff_s3(self) -> list[Effect] | Barrier:
        before, after = self._s3, _s3_view()
        self._s3 = after
        if before.keys() != after.keys():
            return BARRIER  # a bucket created or deleted
        effects: list[Effect] = []
        for bucket, objects in after.items():
            old = before[bucket]
            for name, (key, metadata) in objects.items():
                previous = old.get(name)
                if previous is None or previous[0] is not key or previous[1] != metadata:
                    effects.append(_object_effect(bucket, name, key.value, metadata))
            for name in old.keys() - objects.keys():
                effects.append(_object_effect(bucket, name, None, {}))
        return effects


def item_targets(operation: str, request: dict[str, Any]) -> list[tuple[str, Any]] | None:
    """(table name, attributes holding the key) of every item an item write names; None for
    any other operation."""
    if operation == "PutItem":
        return [(request["TableName"], request["Item"])]
    if operation in ("UpdateItem", "DeleteItem"):
        return [(request["TableName"], request["Key"])]
    if operation == "BatchWriteItem":
        return [
            (table, _batch_write_key(write))
            for table, writes in request["RequestItems"].items()
            for write in writes
        ]
    if operation == "TransactWriteItems":
        return [
            (op["TableName"], op.get("Item") or op["Key"])
            for entry in request["TransactItems"]
            for op in entry.values()
        ]
    return None


def _batch_write_key(write: dict[str, Any]) -> Any:
    if "PutRequest" in write:
        return write["PutRequest"]["Item"]
    return write["DeleteRequest"]["Key"]


def _item_effect(backend: Any, table_name: str, attrs: Any) -> Effect | None:
    """The item's state now; None when the request names it in a way not understood here."""
    table = backend.tables.get(table_name)
    if table is None or not isinstance(attrs, dict):
        return None
    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    try:
        key = {name: attrs[name] for name in names}
        hash_key = DynamoType(key[table.hash_key_attr])
        if table.range_key_attr is None:
            item = table.items.get(hash_key)
        else:
            item = table.items.get(hash_key, {}).get(DynamoType(key[table.range_key_attr]))
    except (KeyError, TypeError, AttributeError):
        return None
    return {
        "kind": "dynamodb_item",
        "table": table_name,
        "key": key,
        "item": None if item is None else persistence.plain_item(item.attrs),
    }


def _cognito_view(region: str) -> dict[str, Any]:
    backend = cognitoidp_backends[ACCOUNT_ID][region]
    return {
        pool.id: {
            "groups": tuple(sorted(pool.groups)),
            "users": {name: persistence.user_record(user) for name, user in pool.users.items()},
        }
        for pool in list(backend.user_pools.values())
    }


def _user_effect(pool_id: str, username: str, record: dict[str, Any] | None) -> Effect:
    return {"kind": "cognito_user", "pool": pool_id, "username": username, "user": record}


def _s3_view() -> dict[str, dict[str, tuple[Any, dict[str, str]]]]:
    """Per bucket, per object name: moto's key object (a new one on every put) and metadata."""
    backend = s3_backends[ACCOUNT_ID]["aws"]
    return {
        bucket.name: {
            key.name: (key, dict(key.metadata))
            for key in bucket.keys.values()
            if hasattr(key, "value")  # not a delete marker of a versioned bucket
        }
        for bucket in list(backend.buckets.values())
    }


def _object_effect(bucket: str, name: str, body: bytes | None, metadata: dict[str, str]) -> Effect:
    return {"kind": "s3_object", "bucket": bucket, "key": name, "body": body, "metadata": metadata}


# --- replay ------------------------------------------------------------------------------------


class Replayer:
    """Applies effects to a moto that holds the state they were recorded after (or later)."""

    def __init__(self, region: str, session: Any, endpoint_url: str) -> None:
        self._region = region
        self._s3 = session.client("s3", endpoint_url=endpoint_url, region_name=region)

    def apply(self, effect: Effect) -> None:
        kind = effect["kind"]
        if kind == "dynamodb_item":
            self._dynamodb_item(effect)
        elif kind == "cognito_user":
            self._cognito_user(effect)
        elif kind == "cognito_groups":
            self._cognito_groups(effect)
        elif kind == "s3_object":
            self._s3_object(effect)
        else:
            raise ValueError(f"unknown journal effect {kind!r}")

    def _dynamodb_item(self, effect: Effect) -> None:
        table = dynamodb_backends[ACCOUNT_ID][self._region].get_table(effect["table"])
        if effect["item"] is None:
            persistence.delete_item(table, effect["key"])
        else:
            persistence.load_items(table, [effect["item"]])

    def _pool(self, pool_id: str) -> Any:
        return cognitoidp_backends[ACCOUNT_ID][self._region].user_pools[pool_id]

    def _cognito_user(self, effect: Effect) -> None:
        pool = self._pool(effect["pool"])
        if effect["user"] is None:
            persistence.remove_user(pool, effect["username"])
        else:
            persistence.put_user(pool, effect["user"])

    def _cognito_groups(self, effect: Effect) -> None:
        backend: Any = cognitoidp_backends[ACCOUNT_ID][self._region]
        pool, wanted = self._pool(effect["pool"]), set(effect["groups"])
        for name in set(pool.groups) - wanted:
            backend.delete_group(pool.id, name)
        for name in sorted(wanted - set(pool.groups)):
            backend.create_group(pool.id, name, None, None, None)

    def _s3_object(self, effect: Effect) -> None:
        if effect["body"] is None:
            self._s3.delete_object(Bucket=effect["bucket"], Key=effect["key"])
        else:
            obj = {"key": effect["key"], "metadata": effect["metadata"]}
            persistence.put_object(self._s3, effect["bucket"], obj, effect["body"])
