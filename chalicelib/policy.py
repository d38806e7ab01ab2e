"""The collective's rules and their numbers (SPEC section 1), in one place.

Defaults here; a stage may override any of them through configuration
(`COOP_POLICY_JSON`). No other module hard-codes these numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any


@dataclass(frozen=True)
class Policy:
    admission_min_years_experience: int = 5
    registration_fee_cents: int = 5000
    quarterly_dues_cents: int = 5000
    fee_percent: int = 15
    fee_cap_cents_by_tier: Mapping[str, int] = field(
        default_factory=lambda: {"small": 500_000, "medium": 750_000, "large": 1_000_000}
    )
    referrer_share_percent: int = 50
    pot_share_of_collective_percent: int = 50
    recruitment_coins: int = 10
    publicity_coins_min: int = 1
    publicity_coins_max: int = 50
    publicity_coins_suggested: int = 5
    no_deal_conversation_coins: int = 3
    reminder_overdue_days: int = 30  # remind when the oldest unpaid charge is this old
    reminder_interval_days: int = 30  # and at most once per this many days
    payment_iban: str = "NL00 BANK 0000 0000 00"
    timezone: str = "Europe/Amsterdam"
    first_pot_year: int = 2026  # the distribution catches up on every ended year from here

    def __post_init__(self) -> None:
        for name in (
            "registration_fee_cents",
            "quarterly_dues_cents",
            "recruitment_coins",
            "no_deal_conversation_coins",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"policy {name} must be a non-negative integer")
        for name in ("fee_percent", "referrer_share_percent", "pot_share_of_collective_percent"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 0 <= value <= 100:
                raise ValueError(f"policy {name} must be an integer percentage")
        if not 1 <= self.publicity_coins_min <= self.publicity_coins_max:
            raise ValueError("policy publicity coin range is empty")


def policy_with_overrides(overrides: Mapping[str, Any]) -> Policy:
    known = {f.name for f in fields(Policy)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"unknown policy settings: {sorted(unknown)}")
    return replace(Policy(), **dict(overrides))
