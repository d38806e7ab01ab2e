"""The local runtime loses nothing it answered: each change is journaled before its answer.

What "answered" means here. The runtime is one process: moto's server (behind `DurableMoto`,
which serialises moto's requests with one lock) and the Chalice API, which talks to moto over
loopback HTTP. An API request is answered after every moto request it made has been answered,
so it is enough that no moto request that changed something is answered before that change is
on disk. `DurableMoto` makes it so:

1. under moto's lock: moto handles the request and its answer is buffered (nothing is sent
   yet); what it changed is turned into redo records (devtools.effects) and appended to the
   journal (devtools.journal) in the order moto made the changes;
2. outside the lock: the journal is synced up to the last record appended so far, then the
   answer goes out. Requests that pile up meanwhile share one sync (group commit). A read
   waits too if it saw something not yet synced, so no answer ever shows a change that a
   crash could still take back.

A change effects do not express (a table created, moto's reset) makes a snapshot instead,
still before the answer.

Compaction (`Compactor`) takes snapshots: in a quiet second (or at the latest a minute after
the first unsaved change) and at shutdown. Under moto's lock it starts a new journal segment
and captures the state; the snapshot records the last sequence number it includes
(`last_seq`), and only once it is written are the segments it covers deleted. Recovery
(`recover`) loads the snapshot and replays the journal records after `last_seq`: a crash
anywhere in between loses nothing and applies nothing twice.

Each record also carries the business clock's time (COOP_NOW or now); the newest of them is
kept (`high_water`) so that a start-up with an earlier clock can warn about data from its
future (`future_data_warning`).
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from chalicelib.clock import Clock, parse_instant
from devtools import effects, journal, persistence

log = logging.getLogger(__name__)

JOURNAL_DIR = "journal"
QUIET_S = 1.0
MAX_UNSAVED_S = 60.0

WsgiApp = Callable[[dict[str, Any], Any], Iterable[bytes]]

# Operations (X-Amz-Target suffixes) that never change state; everything else counts as a change,
# so an unknown operation costs at most a look for changes that are not there.
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
        "DescribeEndpoints",
        "DescribeLimits",
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


@dataclass
class JournalStats:
    """What journaling cost so far (for bench/): records, bytes and seconds."""

    records: int = 0
    bytes: int = 0
    record_s: float = 0.0  # finding the effects and appending them, under moto's lock
    sync_wait_s: float = 0.0  # waiting for the sync, outside the lock
    barriers: int = 0


class DurableMoto:
    """WSGI middleware in front of moto: one request at a time; nothing changed is answered
    before it is journaled and synced (once `attach`ed; until then it only serialises)."""

    def __init__(self, app: Any) -> None:
        self._app = app  # moto's DomainDispatcherApplication
        self.lock = threading.RLock()
        self.changed_at_s = time.monotonic()
        self.high_water: str | None = None
        self.stats = JournalStats()
        self._journal: journal.Journal | None = None
        self._recorder: effects.Recorder | None = None
        self._clock: Clock | None = None
        self._barrier: Callable[[], object] = lambda: None

    @property
    def dispatcher(self) -> Any:
        return self._app

    @property
    def attached_journal(self) -> journal.Journal | None:
        return self._journal

    def attach(
        self,
        log_: journal.Journal,
        recorder: effects.Recorder,
        clock: Clock,
        barrier: Callable[[], object],
    ) -> None:
        with self.lock:
            self._journal, self._recorder, self._clock = log_, recorder, clock
            self._barrier = barrier

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        mutating = is_mutating(environ)
        body = _buffer_body(environ) if mutating and effects.needs_body(environ) else b""
        with self.lock:
            if mutating:
                self.changed_at_s = time.monotonic()
            # werkzeug sends nothing before the first chunk is written, after we return
            answer = _materialise(self._app(environ, start_response))
            log_ = self._journal
            if log_ is None:
                return answer
            if mutating:
                self._record(environ, body, log_)
            synced_up_to = log_.appended_seq
        started = time.perf_counter()
        log_.wait_durable(synced_up_to)
        self.stats.sync_wait_s += time.perf_counter() - started
        return answer

    def _record(self, environ: dict[str, Any], body: bytes, log_: journal.Journal) -> None:
        assert self._recorder is not None and self._clock is not None
        started = time.perf_counter()
        try:
            changes = self._recorder.changes(environ, body)
        except Exception:
            log.exception("could not tell what a request changed; taking a snapshot instead")
            changes = effects.BARRIER
        if isinstance(changes, effects.Barrier):
            self.stats.barriers += 1
            self._barrier()
            self._recorder.reset()
        elif changes:
            at = self._clock.now().isoformat()
            self.high_water = later(self.high_water, at)
            payload = persistence.encode({"at": at, "effects": changes})
            log_.append(payload)
            self.stats.records += 1
            self.stats.bytes += len(payload)
        self.stats.record_s += time.perf_counter() - started


def later(a: str | None, b: str | None) -> str | None:
    """The later of two ISO timestamps (None: unknown)."""
    if a is None or b is None:
        return a or b
    return a if parse_instant(a) >= parse_instant(b) else b


def _buffer_body(environ: dict[str, Any]) -> bytes:
    """Reads the request body and puts it back for moto to read again."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        body: bytes = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _materialise(answer: Iterable[bytes]) -> list[bytes]:
    try:
        return list(answer)
    finally:
        close = getattr(answer, "close", None)
        if close is not None:
            close()


# --- compaction --------------------------------------------------------------------------------


@dataclass
class _Capture:
    epoch: int
    last_seq: int
    state: persistence.State
    blobs: dict[str, bytes]
    converted: bool = False


class Compactor:
    """Snapshots the state and drops the journal segments a snapshot covers.

    Locks: moto's lock, then the save lock, never the other way round. A background snapshot
    holds moto's lock only to capture; a barrier or the final snapshot holds it throughout."""

    def __init__(
        self,
        moto: DurableMoto,
        log_: journal.Journal,
        state_dir: Path,
        region: str,
        saved_seq: int,
        interval: float = 5.0,
    ) -> None:
        self._moto = moto
        self._journal = log_
        self._state_dir = state_dir
        self._region = region
        self._interval = interval
        self.saved_seq = saved_seq  # the last record the snapshot on disk includes
        self._epoch = 0
        self._saved_epoch = 0
        self._save_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def pending(self) -> bool:
        return self._journal.appended_seq > self.saved_seq

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="compactor", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # A capture holds moto for about 100 ms at 30,000 items, so it waits for a quiet second
        # (a person between two clicks) unless changes have gone uncompacted for too long.
        last_saved_s = time.monotonic()
        while not self._stop.wait(self._interval):
            now_s = time.monotonic()
            quiet = now_s - self._moto.changed_at_s >= QUIET_S
            if not quiet and now_s - last_saved_s < MAX_UNSAVED_S:
                continue
            try:
                if self.compact():
                    last_saved_s = now_s
            except Exception:  # the journal still holds everything; retry next tick
                log.exception("snapshot failed")

    def compact(self) -> bool:
        """Snapshot if the journal has records the snapshot lacks; moto is held only while the
        state is captured (the items' conversion and the writing happen outside)."""
        with self._moto.lock:
            taken = self._take(force=False)
        return taken is not None and self._save(taken)

    def compact_locked(self, force: bool = False) -> bool:
        """Snapshot with moto held throughout (barriers, shutdown): exactly the current state."""
        with self._moto.lock:
            taken = self._take(force)
            if taken is None:
                return False
            persistence.plain(taken.state)
            taken.converted = True
            return self._save(taken)

    def _take(self, force: bool) -> _Capture | None:
        if not force and not self.pending():
            return None
        last_seq = self._journal.rotate()
        state, blobs = persistence.capture(self._region)
        state["last_seq"] = last_seq
        state["high_water"] = self._moto.high_water
        self._epoch += 1
        return _Capture(self._epoch, last_seq, state, blobs)

    def _save(self, taken: _Capture) -> bool:
        with self._save_lock:
            if taken.epoch <= self._saved_epoch:
                return False  # a later capture is on disk already
            if not taken.converted:
                persistence.plain(taken.state)
            encoded = persistence.encode(taken.state)
            persistence.write_snapshot(self._state_dir, encoded, taken.blobs)
            self._journal.drop_through(taken.last_seq)
            self._saved_epoch = taken.epoch
            self.saved_seq = max(self.saved_seq, taken.last_seq)
            return True

    def stop(self) -> None:
        """Stop the timer and snapshot what is left (safe to call more than once)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self.compact_locked()


# --- recovery ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recovered:
    snapshot_seq: int  # the last record the snapshot included (0: no snapshot)
    replayed: int  # journal records applied on top of it
    next_seq: int
    high_water: str | None  # business time of the newest write, if known


def recover(state_dir: Path, region: str, session: Any, endpoint_url: str) -> Recovered:
    """Loads the snapshot, then replays the journal after it. Run before the journal is
    attached, on a moto that holds only the runtime's resources."""
    saved = persistence.read_snapshot(state_dir)
    if saved is not None:
        persistence.restore(saved, state_dir, region, session, endpoint_url)
    snapshot_seq = int(saved.get("last_seq", 0)) if saved else 0
    replayer = effects.Replayer(region, session, endpoint_url)
    replayed = replay(state_dir / JOURNAL_DIR, snapshot_seq, replayer)
    high_water = later(saved.get("high_water") if saved else None, replayed.high_water)
    return Recovered(snapshot_seq, replayed.replayed, replayed.next_seq, high_water)


def replay(journal_dir: Path, after_seq: int, replayer: effects.Replayer) -> Recovered:
    """Applies the journal's records after `after_seq`, in order."""
    newest, replayed, high_water = after_seq, 0, None
    for record in journal.read_records(journal_dir):
        if record.seq > after_seq:
            if record.seq != newest + 1:
                log.warning("journal: records %d to %d are missing", newest + 1, record.seq - 1)
            entry = persistence.decode(record.payload)
            for effect in entry["effects"]:
                replayer.apply(effect)
            high_water = later(high_water, entry["at"])
            replayed += 1
        newest = max(newest, record.seq)
    return Recovered(after_seq, replayed, newest + 1, high_water)


class DurableState:
    """The state directory of a local runtime: recovery, journal and compaction together."""

    def __init__(
        self, moto: DurableMoto, state_dir: Path, region: str, clock: Clock, interval: float
    ) -> None:
        self._moto = moto
        self._state_dir = state_dir
        self._region = region
        self._clock = clock
        self._interval = interval
        self._journal: journal.Journal | None = None
        self.compactor: Compactor | None = None

    def open(self, session: Any, endpoint_url: str) -> Recovered:
        """Recover the saved state, then journal every change from here on."""
        persistence.secure_state_dir(self._state_dir)
        recovered = recover(self._state_dir, self._region, session, endpoint_url)
        self._moto.high_water = recovered.high_water
        self._journal = journal.Journal(self._state_dir / JOURNAL_DIR, recovered.next_seq)
        self.compactor = Compactor(
            self._moto,
            self._journal,
            self._state_dir,
            self._region,
            saved_seq=recovered.snapshot_seq,
            interval=self._interval,
        )
        recorder = effects.Recorder(self._region, self._moto.dispatcher)
        compactor = self.compactor
        self._moto.attach(
            self._journal, recorder, self._clock, lambda: compactor.compact_locked(force=True)
        )
        self.compactor.start()
        return recovered

    def close(self) -> None:
        """Final snapshot, then the journal closes: a change moto is still asked for after
        this fails (journal.JournalClosed) rather than being answered and lost."""
        try:
            if self.compactor is not None:
                self.compactor.stop()
                self.compactor = None
        finally:
            if self._journal is not None:
                self._journal.close()
                self._journal = None


def future_data_warning(high_water: str | None, now: datetime, local_dir: Path) -> str | None:
    """A warning when stored data was written at a business time after `now`."""
    if high_water is None or parse_instant(high_water) <= now:
        return None
    written = parse_instant(high_water)
    resume = written.replace(microsecond=0) + timedelta(seconds=1)
    return (
        f"the data in {local_dir} was written up to {written:%Y-%m-%d %H:%M:%S %Z} (business "
        f"time), after this run's clock ({now:%Y-%m-%d %H:%M:%S %Z}): statements and lists will "
        f"show those entries ahead of today's. Start clean with `rm -rf {local_dir}`, or keep "
        f"travelling with COOP_NOW={resume:%Y-%m-%dT%H:%M:%SZ} make run."
    )
