"""The service routes' answers (health, the collective's rules) and the error body."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.api.models.common import Answer


class Health(Answer):
    status: Literal["ok"]
    stage: str
    time: datetime


class ErrorField(Answer):
    field: str = Field(description="the offending field (`disciplines.2` for a list's third)")
    code: str = Field(
        description="stable machine word: required, not_an_email, below_minimum, too_long, ..."
    )
    message: str = Field(description="what is wrong, in the caller's language")


class ErrorOut(Answer):
    error: str = Field(description="stable machine word (invalid_input, not_found, ...)")
    message: str = Field(
        description="in the caller's language (profile, else Accept-Language, else Dutch)"
    )
    fields: list[ErrorField] = Field(description="one per offending field (often none)")


class PolicyOut(Answer):
    """The collective's rules as clients show them (the web app explains fees and caps)."""

    admission_min_years_experience: int
    registration_fee_cents: int
    quarterly_dues_cents: int
    fee_percent: int
    fee_cap_cents_by_tier: dict[str, int]
    referrer_share_percent: int
    publicity_coins_min: int
    publicity_coins_max: int
    publicity_coins_suggested: int
