"""The local runtime's write-ahead journal: a change is on disk before its answer leaves.

Records are opaque bytes here (devtools.effects says what they hold); each gets the next
sequence number. Layout under the journal directory:

    <first seq, 20 digits>.log   segments; a new one starts at every compaction (rotate)

A frame is: payload length (4 bytes, big-endian) | seq (8) | CRC-32 of seq and payload (4) |
payload. A frame cut short by a crash, or one that fails its CRC, ends its segment: reading
stops there, and a restart begins a fresh segment after the last good record.

Durability and group commit: `append()` hands the frame to the OS in one write while the
caller holds the lock that orders the changes (so the file order is the order they were made
in); `wait_durable(seq)` then syncs outside that lock. Whoever finds no sync under way syncs
everything appended so far (fdatasync; F_FULLFSYNC on macOS, where fsync does not reach the
disk), and the requests that arrived meanwhile wait for that one sync instead of each doing
their own. A single write still waits for its own sync: nothing is answered before it is on
disk, whether the process is killed or the power fails.

Compaction (devtools.durability) snapshots the state, then `rotate()`s and `drop_through()`s the
segments the snapshot covers. A crash between the two leaves segments whose records the
snapshot already holds; the snapshot names the last sequence number it includes, and replay
skips everything up to it, so nothing is lost or applied twice.

Files are created 0600 in a 0700 directory: records hold what the state holds (passwords).
"""

from __future__ import annotations

import itertools
import logging
import os
import struct
import sys
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIX = ".log"
_HEADER = struct.Struct(">IQI")  # payload length, seq, crc32(seq + payload)
_SEQ = struct.Struct(">Q")


def durable_sync(fd: int) -> None:
    """Flush a file's data to the disk itself (not only to the OS)."""
    if sys.platform == "darwin":  # pragma: no cover - fsync on macOS stops at the drive cache
        import fcntl

        fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
    else:
        os.fdatasync(fd)


def sync_directory(directory: Path) -> None:
    """Make the names in a directory durable (a new or renamed file survives a power cut)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def frame(seq: int, payload: bytes) -> bytes:
    checksum = zlib.crc32(payload, zlib.crc32(_SEQ.pack(seq)))
    return _HEADER.pack(len(payload), seq, checksum) + payload


class JournalClosed(RuntimeError):
    pass


@dataclass(frozen=True)
class Record:
    seq: int
    payload: bytes


def _segment_path(directory: Path, first_seq: int) -> Path:
    return directory / f"{first_seq:020d}{SUFFIX}"


def segments(directory: Path) -> list[tuple[int, Path]]:
    """(first seq, path) of every segment, oldest first."""
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        if path.suffix == SUFFIX and path.stem.isdigit():
            found.append((int(path.stem), path))
    return sorted(found)


def read_segment(path: Path) -> Iterator[Record]:
    """The good records of one segment, up to the first torn or corrupt frame."""
    data = path.read_bytes()
    offset = 0
    while offset < len(data):
        if offset + _HEADER.size > len(data):
            log.warning("%s: torn record at byte %d ignored", path.name, offset)
            return
        length, seq, checksum = _HEADER.unpack_from(data, offset)
        start, end = offset + _HEADER.size, offset + _HEADER.size + length
        payload = data[start:end]
        if end > len(data) or zlib.crc32(payload, zlib.crc32(_SEQ.pack(seq))) != checksum:
            log.warning("%s: torn or corrupt record at byte %d ignored", path.name, offset)
            return
        yield Record(seq, payload)
        offset = end


def read_records(directory: Path) -> Iterator[Record]:
    """Every good record of every segment, in sequence order."""
    for _, path in segments(directory):
        yield from read_segment(path)


class Journal:
    """Appends records to the current segment; see the module docstring."""

    def __init__(self, directory: Path, next_seq: int) -> None:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._dir = directory
        self._lock = threading.Lock()
        self._synced = threading.Condition(self._lock)
        self._syncing = False
        self.appended_seq = next_seq - 1
        self.durable_seq = next_seq - 1
        self._segment_first_seq = next_seq
        self._fd = self._open_segment(next_seq)
        self.syncs = 0  # how many syncs were done (group commit makes it fewer than records)

    def _open_segment(self, first_seq: int) -> int:
        # O_TRUNC: a file of this name can only hold a torn record from before a crash (a
        # segment with good records is named after its first one, which is below first_seq).
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | os.O_CLOEXEC
        fd = os.open(_segment_path(self._dir, first_seq), flags, 0o600)
        sync_directory(self._dir)
        return fd

    def append(self, payload: bytes) -> int:
        """Hands one record to the OS; returns its seq. Not durable until wait_durable()."""
        with self._lock:
            if self._fd < 0:
                raise JournalClosed("the journal is closed: the runtime is shutting down")
            seq = self.appended_seq + 1
            data = memoryview(frame(seq, payload))
            while data:
                written = os.write(self._fd, data)
                data = data[written:]
            self.appended_seq = seq
            return seq

    def wait_durable(self, seq: int) -> None:
        """Returns once every record up to `seq` is on disk (syncing, or waiting for a sync)."""
        with self._lock:
            while self.durable_seq < seq:
                if self._syncing:
                    self._synced.wait()
                else:
                    self._sync_appended()

    def _sync_appended(self) -> None:
        """Call with the lock held and no sync under way; releases the lock while syncing."""
        self._syncing = True
        fd, target = self._fd, self.appended_seq
        self._lock.release()
        try:
            durable_sync(fd)
        finally:
            self._lock.acquire()
            self._syncing = False
            self._synced.notify_all()
        self.syncs += 1
        self.durable_seq = max(self.durable_seq, target)

    def rotate(self) -> int:
        """Syncs and closes the current segment and starts the next one (unless nothing was
        appended to it); returns the last seq written before the new segment."""
        with self._lock:
            while self._syncing:
                self._synced.wait()
            if self.appended_seq < self._segment_first_seq:
                return self.appended_seq
            durable_sync(self._fd)
            self.syncs += 1
            self.durable_seq = self.appended_seq
            self._synced.notify_all()
            os.close(self._fd)
            self._segment_first_seq = self.appended_seq + 1
            self._fd = self._open_segment(self._segment_first_seq)
            return self.appended_seq

    def drop_through(self, last_seq: int) -> int:
        """Deletes the segments whose records all have seq <= last_seq; returns how many."""
        with self._lock:
            found = segments(self._dir)
            dropped = 0
            for (first, path), (next_first, _) in itertools.pairwise(found):
                if next_first <= last_seq + 1 and first != self._segment_first_seq:
                    path.unlink(missing_ok=True)
                    dropped += 1
            if dropped:
                sync_directory(self._dir)
            return dropped

    def close(self) -> None:
        with self._lock:
            while self._syncing:
                self._synced.wait()
            if self._fd >= 0:
                durable_sync(self._fd)
                os.close(self._fd)
                self._fd = -1
                self.durable_seq = self.appended_seq
