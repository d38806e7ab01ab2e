"""Calendar periods (quarters, years) in the collective's local time (Europe/Amsterdam)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a quarter like 2026-Q1")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, instant: datetime, tz: ZoneInfo = AMSTERDAM) -> Quarter:
        local = instant.astimezone(tz)
        return cls(local.year, (local.month - 1) // 3 + 1)

    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    def starts_at(self, tz: ZoneInfo = AMSTERDAM) -> datetime:
        return datetime.combine(self.first_day(), time(0), tzinfo=tz)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


def year_containing(instant: datetime, tz: ZoneInfo = AMSTERDAM) -> int:
    return instant.astimezone(tz).year


def local_date(instant: datetime, tz: ZoneInfo = AMSTERDAM) -> date:
    return instant.astimezone(tz).date()
