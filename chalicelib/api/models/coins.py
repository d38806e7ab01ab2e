"""Coins, claims, the pot and its distribution."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.api.models.common import Answer, Body, PageQuery, Query, Reason, Url, WholeNumber
from chalicelib.periods import FIRST_YEAR, LAST_YEAR


class CoinAwardOut(Answer):
    award_id: str
    coins: int
    reason: str
    description: str
    awarded_at: datetime


class CoinsOut(Answer):
    year: int
    total: int
    awards: list[CoinAwardOut]


class CoinsQuery(Query):
    year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)


class ClaimIn(Body):
    activity: Literal["publicity"]
    description: Reason
    url: Url | None = None


class ClaimOut(Answer):
    id: str
    member_id: str
    activity: str
    description: str
    url: str | None
    status: Literal["pending", "approved", "rejected"]
    filed_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    coins: int | None
    rejection_reason: str | None


class ClaimList(Answer):
    items: list[ClaimOut]
    next: str | None


class ClaimsQuery(PageQuery):
    status: Literal["pending", "approved", "rejected"] = "pending"


class ApproveClaimIn(Body):
    coins: Annotated[int, Field(strict=True), WholeNumber]


class PotOut(Answer):
    year: int
    balance_cents: int
    total_coins: int
    status: Literal["open", "distributed"]
    indicative_cents_per_coin: int | None = Field(
        description="the pot divided by the coins so far, rounded down; indicative only"
    )


class PayoutOut(Answer):
    member_id: str
    coins: int
    amount_cents: int


class DistributionOut(Answer):
    year: int
    pot_cents: int
    total_coins: int
    payouts: list[PayoutOut]
