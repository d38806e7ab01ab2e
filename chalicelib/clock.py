"""The one source of time. Nothing else reads the wall clock.

Services receive a Clock; tests pass a FixedClock they can move; the local stage may start
its clock at `COOP_NOW` and let it run on from there.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class StartedClock:
    """Starts at a given instant and runs on at wall-clock speed (local stage's COOP_NOW)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the start instant needs a timezone")
        self._start = start.astimezone(UTC)
        self._started_monotonic_s = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._started_monotonic_s)


class FixedClock:
    """Stands still until moved; for tests."""

    def __init__(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def parse_instant(text: str) -> datetime:
    """An ISO 8601 timestamp; one without an offset is taken as UTC."""
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
