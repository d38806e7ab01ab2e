"""Co-op coins: a ledger of their own, per member per year (Europe/Amsterdam).

An award's id is its idempotency key (recruitment of member X, publicity claim Y, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from chalicelib.domain.errors import Conflict, FieldProblem, InvalidInput
from chalicelib.domain.ledger import request_hash
from chalicelib.periods import year_containing
from chalicelib.policy import Policy


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


ClaimStatus = Literal["pending", "approved", "rejected"]


@dataclass(frozen=True)
class CoinClaim:
    """A member's claim of coins for publicity; an admin sets the amount on approval."""

    id: str
    member_id: str
    activity: str
    description: str
    url: str | None
    status: ClaimStatus
    filed_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    coins: int | None = None
    rejection_reason: str | None = None

    def approved(self, coins: int, by: str, at: datetime, policy: Policy) -> CoinClaim:
        self._must_be_pending("approve")
        if by == self.member_id:
            raise Conflict("own_claim")
        low, high = policy.publicity_coins_min, policy.publicity_coins_max
        if not low <= coins <= high:
            problem = FieldProblem("coins", "out_of_range", {"minimum": low, "maximum": high})
            raise InvalidInput("invalid_input", problems=[problem])
        return replace(self, status="approved", coins=coins, decided_at=at, decided_by=by)

    def rejected(self, reason: str, by: str, at: datetime) -> CoinClaim:
        self._must_be_pending("reject")
        return replace(
            self, status="rejected", rejection_reason=reason, decided_at=at, decided_by=by
        )

    def award(self) -> CoinAward:
        assert self.status == "approved" and self.coins and self.decided_at
        return CoinAward(
            award_id=f"publicity:{self.id}",
            member_id=self.member_id,
            year=year_containing(self.decided_at),
            coins=self.coins,
            reason=self.activity,
            description=self.description,
            awarded_at=self.decided_at,
            request_hash=request_hash({"claim": self.id, "coins": self.coins}),
        )

    def _must_be_pending(self, action: str) -> None:
        if self.status != "pending":
            raise Conflict(f"claim_{self.status}", action=action)  # claim_approved, claim_rejected
