"""The collective's rules and their numbers (SPEC section 1), in one place.

Defaults here; a stage may override any of them through configuration
(`COOP_POLICY_JSON`). No other module hard-codes these numbers. A policy that does not hang
together (a tier missing, a percentage of 150, a negative fee) is refused when it is built,
which is at start-up, never on a member's request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

# The contribution tiers a member picks from at award (SPEC section 1).
TIERS = ("small", "medium", "large")


class PolicyError(ValueError):
    """The configured policy is inconsistent; the message says which setting and why."""


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
    payment_account_holder: str = "Co-operations"
    meeting_reminder_hours_before: int = 48  # registered members are reminded this long before
    meeting_capacity_max: int = 500  # seats a meeting may offer at most
    # Mail intake (SPEC section 3): a mail larger than this is refused unread ("too large").
    intake_max_mail_bytes: int = 10 * 1024 * 1024
    # Signed download links to a mailed-in opportunity's attachments work this long.
    attachment_link_seconds: int = 300

    def __post_init__(self) -> None:
        for name in (
            "admission_min_years_experience",
            "registration_fee_cents",
            "quarterly_dues_cents",
            "recruitment_coins",
            "no_deal_conversation_coins",
        ):
            _require_count(name, getattr(self, name), minimum=0)
        for name in ("fee_percent", "referrer_share_percent", "pot_share_of_collective_percent"):
            _require_count(name, getattr(self, name), minimum=0, maximum=100)
        for name in (
            "reminder_overdue_days",
            "reminder_interval_days",
            "publicity_coins_min",
            "meeting_reminder_hours_before",
            "meeting_capacity_max",
            "intake_max_mail_bytes",
            "attachment_link_seconds",
        ):
            _require_count(name, getattr(self, name), minimum=1)
        for name in ("publicity_coins_max", "publicity_coins_suggested"):
            _require_count(name, getattr(self, name), minimum=self.publicity_coins_min)
        if self.publicity_coins_suggested > self.publicity_coins_max:
            raise PolicyError("policy publicity_coins_suggested is above publicity_coins_max")
        self._check_tiers()
        if not isinstance(self.payment_iban, str) or not self.payment_iban.strip():
            raise PolicyError("policy payment_iban must name the account members pay into")

    def _check_tiers(self) -> None:
        caps = self.fee_cap_cents_by_tier
        if not isinstance(caps, Mapping) or sorted(caps) != sorted(TIERS):
            raise PolicyError(
                f"policy fee_cap_cents_by_tier must give a cap for exactly {', '.join(TIERS)}"
            )
        for tier in TIERS:
            _require_count(f"fee_cap_cents_by_tier.{tier}", caps[tier], minimum=0)
        if [caps[t] for t in TIERS] != sorted(caps[t] for t in TIERS):
            raise PolicyError("policy fee caps must not fall from small to medium to large")


def _require_count(name: str, value: object, minimum: int, maximum: int | None = None) -> None:
    # bool is an int subclass: `true` in the JSON is a mistake, not 1.
    if type(value) is not int or value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise PolicyError(f"policy {name} must be an integer of at least {minimum}{upper}")


def policy_with_overrides(overrides: Mapping[str, Any]) -> Policy:
    if not isinstance(overrides, Mapping):
        raise PolicyError("policy overrides must be a JSON object of setting: value")
    known = {f.name for f in fields(Policy)}
    unknown = set(overrides) - known
    if unknown:
        raise PolicyError(f"unknown policy settings: {sorted(unknown)}")
    return replace(Policy(), **dict(overrides))
