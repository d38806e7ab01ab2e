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
    # The collective's bank account (SPEC "Money through the bank"): members pay into it,
    # statements of it are imported, payouts and collections leave from it. A demo account
    # with valid check digits; a stage names its real one in COOP_POLICY_JSON.
    bank_iban: str = "NL91ABNA0417164300"
    bank_bic: str = "ABNANL2A"
    bank_account_name: str = "Co-operations"
    sepa_creditor_id: str = "NL69ZZZ123456780000"  # SEPA creditor identifier (direct debit)
    collection_lead_days: int = 5  # a collection date at least this many days ahead
    # Four eyes: a payout or collection batch is approved by another admin than its preparer,
    # unless the collective has a single admin and says so here.
    single_admin_approval: bool = False
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
        self._check_bank_account()

    @property
    def payment_iban(self) -> str:
        """The IBAN members pay into (older name of bank_iban)."""
        return self.bank_iban

    @property
    def payment_account_holder(self) -> str:
        """The name of that account (older name of bank_account_name)."""
        return self.bank_account_name

    def _check_bank_account(self) -> None:
        # Stored compact and uppercase, so every comparison with a statement's IBAN is exact.
        checks = (
            ("bank_iban", "a valid IBAN (country, length, mod 97)"),
            ("bank_bic", "a valid BIC"),
            ("sepa_creditor_id", "a valid SEPA creditor identifier"),
        )
        defaults = {f.name: f.default for f in fields(self)}
        for name, what in checks:
            value = getattr(self, name)
            if value == defaults[name]:
                # the built-in demo account is valid and compact (test_bank_policy checks it):
                # python-stdnum is imported only for an account a stage names itself
                continue
            scheme = _bank_schemes()[name]
            if not isinstance(value, str) or not scheme.is_valid(value):
                raise PolicyError(f"policy {name} must be {what}")
            object.__setattr__(self, name, scheme.compact(value))
        name = self.bank_account_name
        if not isinstance(name, str) or not name.strip() or len(name) > 70:
            raise PolicyError("policy bank_account_name must be a name of 1 to 70 characters")
        _require_count("collection_lead_days", self.collection_lead_days, minimum=1)
        if type(self.single_admin_approval) is not bool:
            raise PolicyError("policy single_admin_approval must be true or false")

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


def _bank_schemes() -> dict[str, Any]:
    """python-stdnum's checks of the bank settings, imported on first use (at import of the
    app only the built-in account is seen, which needs no check)."""
    from stdnum import bic, iban
    from stdnum.eu import at_02

    return {"bank_iban": iban, "bank_bic": bic, "sepa_creditor_id": at_02}
