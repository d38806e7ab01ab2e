"""The SPEC's money rules written out again for the proof tests, from SPEC section 1 only.

Nothing here imports the code under test: the stateful test compares what the platform booked
with what these few lines say it should have booked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REGISTRATION_CENTS = 5000
DUES_CENTS = 5000
FEE_PERCENT = 15
CAP_CENTS = {"small": 500_000, "medium": 750_000, "large": 1_000_000}
REFERRER_PERCENT = 50
POT_PERCENT_OF_COLLECTIVE = 50
RECRUITMENT_COINS = 10
NO_DEAL_COINS = 3


def fee_totals(revenue_cents: int, tier: str, has_referrer: bool) -> dict[str, int]:
    """SPEC 'Fees: computed on cumulative totals', verbatim."""
    fee = min(CAP_CENTS[tier], revenue_cents * FEE_PERCENT // 100)
    referrer = fee * REFERRER_PERCENT // 100 if has_referrer else 0
    collective = fee - referrer
    pot = collective * POT_PERCENT_OF_COLLECTIVE // 100
    return {
        "fee": fee,
        "referrer": referrer,
        "collective": collective,
        "pot": pot,
        "operations": collective - pot,
    }


def largest_remainder(pot_cents: int, coins: dict[str, int]) -> dict[str, int]:
    """SPEC 'The pot and the December 31 distribution': floors, then one cent each to the
    largest fractional remainders, ties by member id ascending."""
    holders = {m: c for m, c in coins.items() if c > 0}
    total = sum(holders.values())
    shares = {m: pot_cents * c // total for m, c in holders.items()}
    left = pot_cents - sum(shares.values())
    order = sorted(holders, key=lambda m: (-(pot_cents * holders[m] % total), m))
    for member_id in order[:left]:
        shares[member_id] += 1
    return shares


def year_of(at: datetime) -> int:
    return at.astimezone(AMSTERDAM).year


def quarter_of(at: datetime) -> tuple[int, int]:
    local = at.astimezone(AMSTERDAM)
    return local.year, (local.month - 1) // 3 + 1


def quarter_start(quarter: tuple[int, int]) -> datetime:
    year, number = quarter
    return datetime.combine(date(year, 3 * number - 2, 1), time(0), tzinfo=AMSTERDAM)


def next_quarter(quarter: tuple[int, int]) -> tuple[int, int]:
    year, number = quarter
    return (year + 1, 1) if number == 4 else (year, number + 1)


def active_in(joined_at: datetime, cancelled_at: datetime | None, q: tuple[int, int]) -> bool:
    """A member is active at some moment of the quarter: joined before it ended, and had not
    left when it began."""
    joined_by_end = joined_at < quarter_start(next_quarter(q))
    there_at_start = cancelled_at is None or cancelled_at > quarter_start(q)
    return joined_by_end and there_at_start


def quarter_label(q: tuple[int, int]) -> str:
    return f"{q[0]}-Q{q[1]}"


def new_year_after(at: datetime) -> datetime:
    """Midnight of the next January 1 in Amsterdam, as UTC."""
    return datetime(year_of(at) + 1, 1, 1, tzinfo=AMSTERDAM).astimezone(UTC)


def next_quarter_start(at: datetime) -> datetime:
    return quarter_start(next_quarter(quarter_of(at))).astimezone(UTC)


MINUTE = timedelta(minutes=1)
