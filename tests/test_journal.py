"""The local runtime's write-ahead journal (devtools.journal) on its own: what was appended and
synced is read back in order, a crash's torn record is dropped, compaction never deletes a record
a snapshot does not cover, and concurrent writers share syncs without any of them returning early.
"""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

from devtools import journal
from devtools.journal import Journal, read_records, segments


def payloads(directory: Path) -> list[tuple[int, bytes]]:
    return [(r.seq, r.payload) for r in read_records(directory)]


def test_appended_records_come_back_in_order_from_owner_only_files(tmp_path: Path) -> None:
    # Given a new journal
    directory = tmp_path / "journal"
    log = Journal(directory, next_seq=1)
    # When three records are appended and synced
    seqs = [log.append(f"record {n}".encode()) for n in range(3)]
    log.wait_durable(seqs[-1])
    # Then they read back in order, and no one else may read them (they hold passwords)
    assert payloads(directory) == [(1, b"record 0"), (2, b"record 1"), (3, b"record 2")]
    assert log.durable_seq == 3
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    [(_, path)] = segments(directory)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_torn_last_record_is_dropped_and_the_journal_goes_on_after_it(tmp_path: Path) -> None:
    # Given three records, the last one cut short by a crash half-way through its write
    directory = tmp_path / "journal"
    log = Journal(directory, next_seq=1)
    for n in range(3):
        log.append(b"x" * 100 + bytes([n]))
    log.close()
    [(_, path)] = segments(directory)
    path.write_bytes(path.read_bytes()[:-10])
    # When it is read, and a restarted runtime appends after the last good record
    assert [seq for seq, _ in payloads(directory)] == [1, 2]
    restarted = Journal(directory, next_seq=3)
    restarted.wait_durable(restarted.append(b"after the crash"))
    # Then the torn record is gone and the new one follows the good ones
    assert payloads(directory)[-1] == (3, b"after the crash")
    assert [seq for seq, _ in payloads(directory)] == [1, 2, 3]


def test_a_corrupt_record_ends_its_segment(tmp_path: Path) -> None:
    directory = tmp_path / "journal"
    log = Journal(directory, next_seq=1)
    for n in range(3):
        log.append(b"payload %d" % n)
    log.close()
    [(_, path)] = segments(directory)
    data = bytearray(path.read_bytes())
    second_frame = len(data) // 3
    data[second_frame + 20] ^= 0xFF  # a flipped bit inside the second record's payload
    path.write_bytes(bytes(data))
    assert [seq for seq, _ in payloads(directory)] == [1]


def test_a_segment_is_only_dropped_when_a_snapshot_covers_all_its_records(
    tmp_path: Path,
) -> None:
    # Given records 1-2 in a first segment, 3-4 in a second and 5 in the current one
    directory = tmp_path / "journal"
    log = Journal(directory, next_seq=1)
    log.append(b"1")
    log.append(b"2")
    assert log.rotate() == 2
    log.append(b"3")
    log.append(b"4")
    assert log.rotate() == 4
    log.append(b"5")
    # When a snapshot covering records up to 3 compacts, then one covering up to 4
    log.drop_through(3)
    after_first = [seq for seq, _ in payloads(directory)]
    log.drop_through(4)
    # Then the second segment stays until record 4 is covered; the current one always stays
    assert after_first == [3, 4, 5]
    assert [seq for seq, _ in payloads(directory)] == [5]
    assert log.rotate() == 5
    assert log.rotate() == 5  # nothing appended since: no new segment
    assert len(segments(directory)) == 2


def test_concurrent_writers_share_a_sync_and_none_returns_before_its_record_is_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a disk whose first sync takes until we release it
    release, first_sync_started = threading.Event(), threading.Event()
    synced_sizes: list[int] = []
    real_sync = journal.durable_sync

    def slow_first_sync(fd: int) -> None:
        if not first_sync_started.is_set():
            first_sync_started.set()
            release.wait(10)
        real_sync(fd)
        synced_sizes.append(journal.os.fstat(fd).st_size)

    monkeypatch.setattr(journal, "durable_sync", slow_first_sync)
    log = Journal(tmp_path / "journal", next_seq=1)
    done: list[int] = []

    def write(n: int) -> None:
        seq = log.append(b"write %d" % n)
        log.wait_durable(seq)
        done.append(seq)

    # When one writer is syncing and seven more append meanwhile
    first = threading.Thread(target=write, args=(0,))
    first.start()
    assert first_sync_started.wait(10)
    others = [threading.Thread(target=write, args=(n,)) for n in range(1, 8)]
    for thread in others:
        thread.start()
    while log.appended_seq < 8:
        threading.Event().wait(0.01)
    # Then none of them has returned while its record was not synced
    assert done == []
    release.set()
    for thread in [first, *others]:
        thread.join(10)
    # And the seven that waited were made durable together, by one more sync
    assert sorted(done) == list(range(1, 9))
    assert log.syncs == 2
    assert log.durable_seq == 8
    assert synced_sizes[-1] == sum(p.stat().st_size for _, p in segments(tmp_path / "journal"))
