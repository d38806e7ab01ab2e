"""Calendar periods (quarters, years) in the collective's local time (Europe/Amsterdam)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The calendar years the platform books in. Far wider than its lifetime, narrow enough that
# every period arithmetic (next month, next year) stays inside what `date` can hold.
FIRST_YEAR, LAST_YEAR = 2000, 2999
_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")  # ASCII digits: "²⁰²⁶".isdigit() is True
_YEAR = re.compile(r"^[0-9]{4}$")


def parse_year(text: str) -> int:
    """A year like 2026 within FIRST_YEAR..LAST_YEAR; ValueError otherwise."""
    if not _YEAR.match(text) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise ValueError(f"{text!r} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
    return int(text)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text)
        if match is None or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
            raise ValueError(
                f"{text!r} is not a quarter like 2026-Q1 (years {FIRST_YEAR} to {LAST_YEAR})"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, instant: datetime, tz: ZoneInfo = AMSTERDAM) -> Quarter:
        local = instant.astimezone(tz)
        return cls(local.year, (local.month - 1) // 3 + 1)

    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    def starts_at(self, tz: ZoneInfo = AMSTERDAM) -> datetime:
        return datetime.combine(self.first_day(), time(0), tzinfo=tz)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def year_containing(instant: datetime, tz: ZoneInfo = AMSTERDAM) -> int:
    return instant.astimezone(tz).year


def local_date(instant: datetime, tz: ZoneInfo = AMSTERDAM) -> date:
    return instant.astimezone(tz).date()


_WEEK = re.compile(r"^([0-9]{4})-W([0-9]{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    """An ISO 8601 week (Monday to Sunday) in Amsterdam time, written 2026-W19."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = _WEEK.match(text)
        if match is not None and FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
            try:
                date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
                return cls(int(match.group(1)), int(match.group(2)))
            except ValueError:
                pass
        raise ValueError(f"{text!r} is not a week like 2026-W19")

    @classmethod
    def containing(cls, instant: datetime, tz: ZoneInfo = AMSTERDAM) -> IsoWeek:
        year, week, _ = instant.astimezone(tz).isocalendar()
        return cls(year, week)

    def starts_at(self, tz: ZoneInfo = AMSTERDAM) -> datetime:
        return datetime.combine(date.fromisocalendar(self.year, self.number, 1), time(0), tz)

    def next(self) -> IsoWeek:
        return IsoWeek.containing(self.starts_at() + timedelta(days=7, hours=12))

    def previous(self) -> IsoWeek:
        return IsoWeek.containing(self.starts_at() - timedelta(days=3))

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"
