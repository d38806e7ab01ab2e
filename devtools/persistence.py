"""Snapshots of the local runtime's moto state: what survives Ctrl-C and restarts.

moto keeps everything in memory, and its server runs in our own process, so the simplest faithful
snapshot is read straight from moto's backends: DynamoDB items of every table, S3 objects of
every bucket, and Cognito users with their (plaintext, in moto) passwords, attributes, status and
groups. Restore writes them straight back, which takes a second for 50,000 items where the API
would take minutes. Between snapshots every change is journaled (devtools.durability); a
snapshot names the last journal record it includes (`last_seq`).

Layout under the state directory (0700; files 0600: the state holds every local password):
  state.pickle   everything except S3 bodies (plain builtins only, loaded without any classes)
  blobs/<sha256> S3 object bodies, content-addressed so unchanged objects are never rewritten
  journal/       the write-ahead journal (devtools.journal)
Every file is written to a temporary name, synced and renamed (and the directory synced), so
neither a kill nor a power cut leaves half a snapshot.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from moto.cognitoidp.models import CognitoIdpUser, UserStatus, cognitoidp_backends
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.s3.models import s3_backends

from devtools.journal import sync_directory

log = logging.getLogger(__name__)

ACCOUNT_ID = "123456789012"  # moto's default account; every local client uses it
STATE_FILE = "state.pickle"
BLOB_DIR = "blobs"
FORMAT_VERSION = 2  # 2 adds last_seq and high_water; 1 (no journal) is still read
READABLE_FORMATS = (1, 2)
DIR_MODE = 0o700
FILE_MODE = 0o600

State = dict[str, Any]

# --- capture -----------------------------------------------------------------------------------


def capture(region: str) -> tuple[State, dict[str, bytes]]:
    """The whole state as plain data, plus S3 bodies by sha256. Call with the tracker's lock."""
    blobs: dict[str, bytes] = {}
    state: State = {
        "format": FORMAT_VERSION,
        "dynamodb": _capture_dynamodb(region),
        "s3": _capture_s3(blobs),
        "cognito": _capture_cognito(region),
    }
    return state, blobs


def _capture_dynamodb(region: str) -> list[dict[str, Any]]:
    backend = dynamodb_backends[ACCOUNT_ID][region]
    return [
        {"definition": _table_definition(table), "items": _table_items(table)}
        for table in list(backend.tables.values())
    ]


def _table_definition(table: Any) -> dict[str, Any]:
    """CreateTable arguments that recreate the table's keys and indexes (on-demand billing)."""
    description = table.describe()["TableDescription"]
    definition: dict[str, Any] = {
        "TableName": table.name,
        "KeySchema": description["KeySchema"],
        "AttributeDefinitions": description["AttributeDefinitions"],
        "BillingMode": "PAY_PER_REQUEST",
    }
    for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        indexes = description.get(kind)
        if indexes:
            definition[kind] = [
                {name: index[name] for name in ("IndexName", "KeySchema", "Projection")}
                for index in indexes
            ]
    return definition


def _table_items(table: Any) -> list[dict[str, Any]]:
    """Shallow copies of the items' attributes: cheap enough to take under the lock (about
    10 ms for 50,000 items); `plain()` turns them into JSON-shaped data afterwards."""
    buckets = table.items.values()
    if table.range_key_attr is None:
        return [dict(item.attrs) for item in buckets]
    return [dict(item.attrs) for bucket in buckets for item in bucket.values()]


def plain(state: State) -> State:
    """Converts the captured DynamoDB attributes to plain data, in place; returns the state.

    Done outside the lock for periodic snapshots: an item changed meanwhile may be caught
    half-way, but that change is journaled after the snapshot's `last_seq` with the item's
    whole new state, and replay puts that over it."""
    for table in state["dynamodb"]:
        table["items"] = [plain_item(attrs) for attrs in table["items"]]
    return state


def plain_item(attrs: dict[str, Any]) -> dict[str, Any]:
    """An item's attributes (DynamoType values) in DynamoDB's JSON shape, freshly built."""
    return Item.to_json(SimpleNamespace(attrs=attrs))["Attributes"]  # type: ignore[arg-type,no-any-return]


def _capture_s3(blobs: dict[str, bytes]) -> list[dict[str, Any]]:
    backend = s3_backends[ACCOUNT_ID]["aws"]
    buckets = []
    for bucket in list(backend.buckets.values()):
        objects = []
        for key in bucket.keys.values():
            if not hasattr(key, "value"):  # delete markers of versioned buckets
                continue
            body: bytes = key.value
            digest = hashlib.sha256(body).hexdigest()
            blobs[digest] = body
            objects.append({"key": key.name, "sha256": digest, "metadata": dict(key.metadata)})
        buckets.append({"name": bucket.name, "region": bucket.region_name, "objects": objects})
    return buckets


def _capture_cognito(region: str) -> list[dict[str, Any]]:
    backend = cognitoidp_backends[ACCOUNT_ID][region]
    return [
        {
            "id": pool.id,
            "name": pool.name,
            "groups": list(pool.groups),
            "users": [user_record(user) for user in pool.users.values()],
        }
        for pool in list(backend.user_pools.values())
    ]


def user_record(user: Any) -> dict[str, Any]:
    return {
        "username": user.username,
        "sub": user.id,
        "password": user.password,
        "status": UserStatus(user.status).value,
        "enabled": user.enabled,
        "attributes": [dict(a) for a in user.attributes],
        "groups": sorted(group.group_name for group in user.groups),
    }


# --- files -------------------------------------------------------------------------------------


class _PlainDataPickler(pickle.Pickler):
    """Fails at save time on anything but builtins (the loader would refuse it later).

    pickle skips this hook for exact builtin types, so plain data costs nothing extra.
    """

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) in (bool, type(None)):
            return NotImplemented
        raise pickle.PicklingError(f"not plain data: {type(obj).__module__}.{type(obj).__name__}")


def encode(state: State) -> bytes:
    buffer = io.BytesIO()
    _PlainDataPickler(buffer, protocol=5).dump(state)
    return buffer.getvalue()


def decode(data: bytes) -> Any:
    return _PlainDataUnpickler(io.BytesIO(data)).load()


def secure_state_dir(state_dir: Path) -> None:
    """Creates the state directory, or closes up one an older version left readable to all."""
    state_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    for directory, _, files in os.walk(state_dir):
        os.chmod(directory, DIR_MODE)
        for name in files:
            os.chmod(os.path.join(directory, name), FILE_MODE)


def write_snapshot(state_dir: Path, encoded_state: bytes, blobs: dict[str, bytes]) -> None:
    blob_dir = state_dir / BLOB_DIR
    blob_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    for digest, body in blobs.items():
        if not (blob_dir / digest).exists():
            _write_atomically(blob_dir / digest, body)
    _write_atomically(state_dir / STATE_FILE, encoded_state)
    # Only after the new state is in place may bodies it no longer references go.
    for stale in blob_dir.iterdir():
        if stale.name not in blobs and not stale.name.endswith(".tmp"):
            stale.unlink(missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    sync_directory(path.parent)


class _PlainDataUnpickler(pickle.Unpickler):
    """Snapshots hold only builtins; refusing every class keeps loading them harmless."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"unexpected object in state file: {module}.{name}")


def read_snapshot(state_dir: Path) -> State | None:
    path = state_dir / STATE_FILE
    if not path.exists():
        return None
    state: State = decode(path.read_bytes())
    if state.get("format") not in READABLE_FORMATS:
        raise ValueError(f"{path}: unknown state format {state.get('format')!r}")
    return state


# --- restore -----------------------------------------------------------------------------------


def restore(state: State, state_dir: Path, region: str, session: Any, endpoint_url: str) -> None:
    """Load a snapshot into a fresh moto. Run before serving; resources may already exist."""
    dynamodb = session.client("dynamodb", endpoint_url=endpoint_url, region_name=region)
    _restore_dynamodb(state["dynamodb"], region, dynamodb)
    s3 = session.client("s3", endpoint_url=endpoint_url, region_name=region)
    _restore_s3(state["s3"], state_dir / BLOB_DIR, s3)
    cognito = session.client("cognito-idp", endpoint_url=endpoint_url, region_name=region)
    _restore_cognito(state["cognito"], region, cognito)


def _restore_dynamodb(tables: list[dict[str, Any]], region: str, client: Any) -> None:
    backend = dynamodb_backends[ACCOUNT_ID][region]
    for saved in tables:
        name = saved["definition"]["TableName"]
        if name not in backend.tables:
            client.create_table(**saved["definition"])
        load_items(backend.get_table(name), saved["items"])


def load_items(table: Any, items: list[dict[str, Any]]) -> None:
    """Put items straight into a moto table: no request parsing, no per-item validation."""
    hash_attr, range_attr = table.hash_key_attr, table.range_key_attr
    for attrs in items:
        hash_key = DynamoType(attrs[hash_attr])
        if range_attr is None:
            table.items[hash_key] = _saved_item(hash_key, None, attrs)
        else:
            range_key = DynamoType(attrs[range_attr])
            table.items[hash_key][range_key] = _saved_item(hash_key, range_key, attrs)


def _saved_item(hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]) -> Item:
    # Item() re-measures the whole item on every attribute (LimitedSizeDict.__setitem__), which
    # makes 50,000 items take many seconds. These items passed that check when first written, so
    # build them the way moto's own Item.__deepcopy__ does, without it.
    item: Item = cast(Item, Item.__new__(Item))
    item.hash_key, item.range_key = hash_key, range_key
    values = LimitedSizeDict.__new__(LimitedSizeDict)
    dict.__init__(values, {name: DynamoType(value) for name, value in attrs.items()})
    item.attrs = values
    return item


def _restore_s3(buckets: list[dict[str, Any]], blob_dir: Path, client: Any) -> None:
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    for bucket in buckets:
        if bucket["name"] not in existing:
            config = {}
            if bucket["region"] != "us-east-1":
                config = {"CreateBucketConfiguration": {"LocationConstraint": bucket["region"]}}
            client.create_bucket(Bucket=bucket["name"], **config)
        for obj in bucket["objects"]:
            put_object(client, bucket["name"], obj, (blob_dir / obj["sha256"]).read_bytes())


def put_object(client: Any, bucket: str, obj: dict[str, Any], body: bytes) -> None:
    metadata: dict[str, str] = obj["metadata"]
    extra: dict[str, Any] = {
        "Metadata": {
            name.removeprefix("x-amz-meta-"): value
            for name, value in metadata.items()
            if name.startswith("x-amz-meta-")
        }
    }
    for header, argument in (
        ("content-type", "ContentType"),
        ("content-encoding", "ContentEncoding"),
        ("content-disposition", "ContentDisposition"),
    ):
        if header in metadata:
            extra[argument] = metadata[header]
    client.put_object(Bucket=bucket, Key=obj["key"], Body=body, **extra)


def _restore_cognito(pools: list[dict[str, Any]], region: str, client: Any) -> None:
    backend = cognitoidp_backends[ACCOUNT_ID][region]
    for saved in pools:
        pool = _find_or_create_pool(backend, client, saved)
        for group in saved["groups"]:
            if group not in pool.groups:
                client.create_group(UserPoolId=pool.id, GroupName=group)
        for record in saved["users"]:
            put_user(pool, record)


def _find_or_create_pool(backend: Any, client: Any, saved: dict[str, Any]) -> Any:
    # The runtime recreates its own pool first; with the HASH id strategy it gets the same id.
    if saved["id"] in backend.user_pools:
        return backend.user_pools[saved["id"]]
    for pool in backend.user_pools.values():
        if pool.name == saved["name"]:
            return pool
    created = client.create_user_pool(PoolName=saved["name"])["UserPool"]["Id"]
    log.warning("user pool %s recreated with default settings as %s", saved["name"], created)
    return backend.user_pools[created]


def put_user(pool: Any, record: dict[str, Any]) -> None:
    """Puts a user (user_record's shape) into a pool, replacing one of the same name.

    Built directly rather than via AdminCreateUser so that sub, status and password are exact."""
    remove_user(pool, record["username"])
    user = CognitoIdpUser(
        pool.id,
        record["username"],
        record["password"],
        UserStatus(record["status"]),
        record["attributes"],
    )
    user.id = record["sub"]
    user.update_attributes([{"Name": "sub", "Value": record["sub"]}])
    user.enabled = record["enabled"]
    pool.users[user.username] = user
    for name in record["groups"]:
        group = pool.groups[name]
        group.users.add(user)
        user.groups.add(group)


def remove_user(pool: Any, username: str) -> None:
    user = pool.users.pop(username, None)
    if user is not None:
        for group in user.groups:
            group.users.discard(user)


def delete_item(table: Any, key: dict[str, Any]) -> None:
    """Remove an item straight from a moto table (as moto does: its partition may stay)."""
    hash_key = DynamoType(key[table.hash_key_attr])
    if table.range_key_attr is None:
        table.items.pop(hash_key, None)
    elif hash_key in table.items:
        table.items[hash_key].pop(DynamoType(key[table.range_key_attr]), None)
