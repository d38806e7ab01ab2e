"""Counts the proof tests report at the end of a run (see conftest.py's terminal summary):
how many stateful sequences ran, how many fault points were tried, and how long each took."""

from __future__ import annotations

import json
from collections import Counter

COUNTS: Counter[str] = Counter()
SECONDS: Counter[str] = Counter()
NOTES: list[str] = []


def add(what: str, count: int = 1) -> None:
    COUNTS[what] += count


def took(what: str, seconds: float) -> None:
    SECONDS[what] += seconds


def note(text: str) -> None:
    NOTES.append(text)


def lines() -> list[str]:
    found = [f"{what}: {count}" for what, count in sorted(COUNTS.items())] + NOTES
    found += [f"{what}: {seconds:.1f} s" for what, seconds in sorted(SECONDS.items())]
    return found


def dump() -> str:
    """Everything counted, as JSON (a pytest-xdist worker's share)."""
    return json.dumps({"counts": COUNTS, "seconds": SECONDS, "notes": NOTES})


def merge(dumped: str) -> None:
    if dumped:
        share = json.loads(dumped)
        COUNTS.update(share["counts"])
        SECONDS.update(share["seconds"])
        NOTES.extend(share["notes"])
