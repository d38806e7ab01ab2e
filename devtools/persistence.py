"""Keeps the local runtime's moto state on disk so it survives Ctrl-C, restarts and hard kills.

moto keeps everything in memory, and its server runs in our own process, so the simplest faithful
snapshot is read straight from moto's backends: DynamoDB items of every table, S3 objects of
every bucket, and Cognito users with their (plaintext, in moto) passwords, attributes, status and
groups. Restore writes them straight back, which takes a second for 50,000 items where the API
would take minutes.

Layout under the state directory:
  state.pickle   everything except S3 bodies (plain builtins only, loaded without any classes)
  blobs/<sha256> S3 object bodies, content-addressed so unchanged objects are never rewritten
Every file is written to a temporary name and renamed, so a kill never leaves half a snapshot.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from moto.cognitoidp.models import CognitoIdpUser, UserStatus, cognitoidp_backends
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.s3.models import s3_backends

log = logging.getLogger(__name__)

ACCOUNT_ID = "123456789012"  # moto's default account; every local client uses it
STATE_FILE = "state.pickle"
BLOB_DIR = "blobs"
FORMAT_VERSION = 1

State = dict[str, Any]
WsgiApp = Callable[[dict[str, Any], Any], Iterable[bytes]]

# Operations (X-Amz-Target suffixes) that never change state; everything else counts as a change,
# so an unknown operation costs at most one needless snapshot.
READ_ONLY_OPERATIONS = frozenset(
    {
        # DynamoDB
        "GetItem",
        "BatchGetItem",
        "Query",
        "Scan",
        "TransactGetItems",
        "DescribeTable",
        "ListTables",
        "DescribeTimeToLive",
        "DescribeContinuousBackups",
        "ListTagsOfResource",
        # Cognito
        "InitiateAuth",
        "AdminInitiateAuth",
        "GetUser",
        "AdminGetUser",
        "ListUsers",
        "ListGroups",
        "GetGroup",
        "ListUsersInGroup",
        "AdminListGroupsForUser",
        "DescribeUserPool",
        "DescribeUserPoolClient",
        "ListUserPools",
        "ListUserPoolClients",
    }
)


def is_mutating(environ: dict[str, Any]) -> bool:
    if environ.get("REQUEST_METHOD", "GET") in {"GET", "HEAD", "OPTIONS"}:
        return False
    operation = str(environ.get("HTTP_X_AMZ_TARGET", "")).rsplit(".", 1)[-1]
    return operation not in READ_ONLY_OPERATIONS


class ChangeTracker:
    """WSGI middleware in front of moto: one request at a time, and a count of possible changes.

    moto's backends are not thread-safe and its server is threaded; serialising requests also
    lets a snapshot read a consistent state by holding the same lock. The counter is the cheap
    dirty flag: the snapshotter compares it with the value it last saved.
    """

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self.lock = threading.RLock()
        self.generation = 0
        self.changed_at_s = time.monotonic()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        with self.lock:
            if is_mutating(environ):
                self.generation += 1
                self.changed_at_s = time.monotonic()
            return self._app(environ, start_response)

    def mark_changed(self) -> None:
        """For changes made in-process, past the HTTP server."""
        with self.lock:
            self.generation += 1


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
    half-way, but that change also bumped the generation, so the next snapshot (at the
    latest the final one, taken under the lock) saves it whole."""
    for table in state["dynamodb"]:
        table["items"] = [
            Item.to_json(SimpleNamespace(attrs=attrs))["Attributes"]  # type: ignore[arg-type]
            for attrs in table["items"]
        ]
    return state


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
            "users": [_user_record(user) for user in pool.users.values()],
        }
        for pool in list(backend.user_pools.values())
    ]


def _user_record(user: Any) -> dict[str, Any]:
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


def write_snapshot(state_dir: Path, encoded_state: bytes, blobs: dict[str, bytes]) -> None:
    blob_dir = state_dir / BLOB_DIR
    blob_dir.mkdir(parents=True, exist_ok=True)
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
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class _PlainDataUnpickler(pickle.Unpickler):
    """Snapshots hold only builtins; refusing every class keeps loading them harmless."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"unexpected object in state file: {module}.{name}")


def read_snapshot(state_dir: Path) -> State | None:
    path = state_dir / STATE_FILE
    if not path.exists():
        return None
    state: State = _PlainDataUnpickler(io.BytesIO(path.read_bytes())).load()
    if state.get("format") != FORMAT_VERSION:
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
            _put_object(client, bucket["name"], obj, (blob_dir / obj["sha256"]).read_bytes())


def _put_object(client: Any, bucket: str, obj: dict[str, Any], body: bytes) -> None:
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
            _restore_user(pool, record)


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


def _restore_user(pool: Any, record: dict[str, Any]) -> None:
    # Built directly rather than via AdminCreateUser so that sub, status and password are exact.
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


# --- the snapshotter ---------------------------------------------------------------------------


QUIET_S = 1.0
MAX_UNSAVED_S = 60.0


class Snapshotter:
    """Saves the state when it changed: checked every `interval` seconds, saved in a quiet
    moment (or after MAX_UNSAVED_S at the latest), and once more at shutdown."""

    def __init__(
        self, tracker: ChangeTracker, state_dir: Path, region: str, interval: float = 5.0
    ) -> None:
        self._tracker = tracker
        self._state_dir = state_dir
        self._region = region
        self._interval = interval
        self._saved_generation = tracker.generation
        self._save_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="snapshotter", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # A snapshot holds moto for about 100 ms at 30,000 items, so it waits for a quiet
        # second (a person between two clicks) unless changes have gone unsaved for too long.
        last_saved_s = time.monotonic()
        while not self._stop.wait(self._interval):
            now_s = time.monotonic()
            quiet = now_s - self._tracker.changed_at_s >= QUIET_S
            if not quiet and now_s - last_saved_s < MAX_UNSAVED_S:
                continue
            try:
                if self.save_if_changed():
                    last_saved_s = now_s
            except Exception:  # a failed snapshot must not kill the runtime; retry next tick
                log.exception("snapshot failed")

    def save_if_changed(self, consistent: bool = False) -> bool:
        """Saves when something changed. Only the capture holds moto's lock, so requests are
        not held up for the whole save; `consistent` converts under the lock as well."""
        with self._save_lock:
            with self._tracker.lock:
                generation = self._tracker.generation
                if generation == self._saved_generation:
                    return False
                state, blobs = capture(self._region)
                if consistent:
                    encoded = encode(plain(state))
            if not consistent:
                encoded = encode(plain(state))
            # Disk I/O happens outside the lock; moto keeps serving meanwhile.
            write_snapshot(self._state_dir, encoded, blobs)
            self._saved_generation = generation
            return True

    def stop(self) -> None:
        """Stop the timer and save what is left (safe to call more than once)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self.save_if_changed(consistent=True)
