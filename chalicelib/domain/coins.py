"""Co-op coins: a ledger of their own, per member per year (Europe/Amsterdam).

An award's id is its idempotency key (recruitment of member X, publicity claim Y, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.ledger import request_hash
from chalicelib.periods import year_containing


class CoinInvariantError(AssertionError):
    pass


@dataclass(frozen=True)
class CoinAward:
    award_id: str
    member_id: str
    year: int
    coins: int
    reason: str
    description: str
    awarded_at: datetime
    request_hash: str

    def __post_init__(self) -> None:
        if type(self.coins) is not int or self.coins <= 0:
            raise CoinInvariantError(f"{self.award_id}: coins must be a positive integer")


def recruitment_award(recruiter_id: str, recruit_id: str, coins: int, at: datetime) -> CoinAward:
    return CoinAward(
        award_id=f"recruitment:{recruit_id}",
        member_id=recruiter_id,
        year=year_containing(at),
        coins=coins,
        reason="recruitment",
        description=f"Recruited member {recruit_id}",
        awarded_at=at,
        request_hash=request_hash({"recruiter": recruiter_id, "recruit": recruit_id}),
    )


def no_deal_award(referrer_id: str, opportunity_id: str, coins: int, at: datetime) -> CoinAward:
    return CoinAward(
        award_id=f"no_deal:{opportunity_id}",
        member_id=referrer_id,
        year=year_containing(at),
        coins=coins,
        reason="no_deal_after_conversation",
        description=f"Opportunity {opportunity_id} led to a conversation, closed without a deal",
        awarded_at=at,
        request_hash=request_hash({"referrer": referrer_id, "opportunity": opportunity_id}),
    )
