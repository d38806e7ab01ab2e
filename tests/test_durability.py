"""devtools.durability.DurableMoto: moto's answer to a change leaves only once the change is on
disk, and no answer shows a change that is not on disk yet.

A kill -9 test (tests/e2e/test_local_kill9.py) cannot tell a synced record from one still in the
OS's cache, which survives a killed process but not a power cut; these tests hold the sync back.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from chalicelib.clock import FixedClock
from devtools import durability, journal


class Moto:
    """Stands in for moto's WSGI app: answers every request with one chunk."""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]


class OneEffectPerChange:
    def changes(self, environ: dict[str, Any], body: bytes) -> list[dict[str, Any]]:
        return [{"kind": "dynamodb_item", "table": "t", "key": {}, "item": None}]

    def reset(self) -> None:
        pass


def request(target: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "HTTP_X_AMZ_TARGET": f"DynamoDB_20120810.{target}",
        "CONTENT_LENGTH": "2",
        "wsgi.input": io.BytesIO(b"{}"),
    }


@pytest.fixture
def held_sync(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Syncs wait until the event is set."""
    release = threading.Event()
    real_sync = journal.durable_sync

    def sync(fd: int) -> None:
        release.wait(10)
        real_sync(fd)

    monkeypatch.setattr(journal, "durable_sync", sync)
    return release


def answer_in_thread(moto: durability.DurableMoto, environ: dict[str, Any]) -> list[Any]:
    answers: list[Any] = []
    threading.Thread(
        target=lambda: answers.append(moto(environ, lambda *_: None)), daemon=True
    ).start()
    return answers


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_no_answer_leaves_before_the_change_is_synced(
    tmp_path: Path, held_sync: threading.Event
) -> None:
    # Given moto behind DurableMoto, with a disk that has not synced yet
    log = journal.Journal(tmp_path / "journal", next_seq=1)
    moto = durability.DurableMoto(Moto())
    clock = FixedClock(datetime(2026, 5, 1, tzinfo=UTC))
    moto.attach(log, OneEffectPerChange(), clock, barrier=lambda: None)  # type: ignore[arg-type]
    # When a write is made, and then a read that sees it
    write = answer_in_thread(moto, request("PutItem"))
    wait_until(lambda: log.appended_seq == 1)
    read = answer_in_thread(moto, request("GetItem"))
    time.sleep(0.2)  # time enough for a wrong answer to leave
    # Then neither is answered while the write is not on disk
    assert (write, read) == ([], [])
    assert log.durable_seq == 0
    held_sync.set()
    wait_until(lambda: bool(write and read))
    assert write == read == [[b"{}"]]
    assert log.durable_seq == 1
    assert [r.seq for r in journal.read_records(tmp_path / "journal")] == [1]
    assert moto.high_water == "2026-05-01T00:00:00+00:00"


def test_reads_are_not_held_up_when_everything_is_synced(tmp_path: Path) -> None:
    log = journal.Journal(tmp_path / "journal", next_seq=1)
    moto = durability.DurableMoto(Moto())
    clock = FixedClock(datetime(2026, 5, 1, tzinfo=UTC))
    moto.attach(log, OneEffectPerChange(), clock, barrier=lambda: None)  # type: ignore[arg-type]
    assert moto(request("PutItem"), lambda *_: None) == [b"{}"]
    syncs = log.syncs
    assert moto(request("GetItem"), lambda *_: None) == [b"{}"]
    assert log.syncs == syncs  # the read found nothing to wait for
