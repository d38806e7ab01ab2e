"""Timestamps as stored: fixed-width ISO 8601 UTC, so that string order is time order."""

from __future__ import annotations

from datetime import UTC, datetime


def stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def unstamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def maybe_unstamp(text: str | None) -> datetime | None:
    return unstamp(text) if text else None
