"""Every request body, query and answer of the API, as pydantic v2 models.

Bodies are strict (JSON `"10"` and `1.5` are not cents), forbid unknown fields, and are the
same models the OpenAPI document is generated from.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from chalicelib.domain.membership import normalise_email


def _normalise_tags(values: list[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        tag = " ".join(value.split()).lower()
        if tag not in seen:
            seen.append(tag)
    return seen


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=60)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    AfterValidator(normalise_email),
]
Url = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$", max_length=500)
]
Cents = Annotated[int, Field(strict=True, gt=0, le=100_000_000_00)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[\w./:#-]{1,100}$")]


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Query(BaseModel):
    """Query parameters arrive as strings, so these are validated in lax mode."""

    model_config = ConfigDict(extra="forbid")


class PageQuery(Query):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=2000)


# Applications ------------------------------------------------------------------------------


class ApplicationIn(Body):
    name: Text
    email: Email
    disciplines: Annotated[list[Tag], Field(min_length=1, max_length=10)]
    sectors: Annotated[list[Tag], Field(max_length=10)] = []
    years_experience: Annotated[int, Field(strict=True, ge=0, le=80)]
    linkedin_url: Url | None = None
    motivation: LongText | None = None
    referred_by_email: Email | None = None

    def tags(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return tuple(_normalise_tags(self.disciplines)), tuple(_normalise_tags(self.sectors))


class ApplicationCreated(Answer):
    id: str
    status: Literal["pending"]


class ApplicationOut(Answer):
    id: str
    name: str
    email: str
    disciplines: list[str]
    sectors: list[str]
    years_experience: int
    linkedin_url: str | None
    motivation: str | None
    referred_by_email: str | None
    status: Literal["pending", "approved", "rejected"]
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    rejection_reason: str | None
    member_id: str | None


class ApplicationList(Answer):
    items: list[ApplicationOut]
    next: str | None


class ApplicationsQuery(PageQuery):
    status: Literal["pending", "approved", "rejected"] = "pending"


class RejectIn(Body):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


# Members ----------------------------------------------------------------------------------


class DirectoryEntry(Answer):
    id: str
    name: str
    headline: str
    disciplines: list[str]
    sectors: list[str]
    available: bool
    email: str


class DirectoryList(Answer):
    items: list[DirectoryEntry]
    next: str | None


class DirectoryQuery(PageQuery):
    discipline: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    available: bool | None = None


class MemberOut(Answer):
    id: str
    name: str
    email: str
    headline: str
    disciplines: list[str]
    sectors: list[str]
    available: bool
    notify_opportunities: bool
    status: Literal["active", "cancelled"]
    joined_at: datetime
    cancelled_at: datetime | None
    recruited_by: str | None
    linkedin_url: str | None


class ProfilePatch(Body):
    headline: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    disciplines: Annotated[list[Tag], Field(min_length=1, max_length=10)] | None = None
    sectors: Annotated[list[Tag], Field(max_length=10)] | None = None
    available: bool | None = None
    notify_opportunities: bool | None = None

    def changes(self) -> dict[str, object]:
        changed = self.model_dump(exclude_unset=True, exclude_none=True)
        for name in ("disciplines", "sectors"):
            if name in changed:
                changed[name] = tuple(_normalise_tags(changed[name]))
        return changed


# Ledger -----------------------------------------------------------------------------------


class StatementLine(Answer):
    transaction_id: str
    booked_at: datetime
    kind: str
    description: str
    reference: str
    account: Literal["owed", "to_receive"]
    amount_cents: int = Field(description="change of owed_cents or to_receive_cents")


class Statement(Answer):
    member_id: str
    owed_cents: int = Field(description="what the member owes; negative when paid ahead")
    to_receive_cents: int = Field(description="what the collective owes the member")
    entries: list[StatementLine]
    next: str | None = Field(description="cursor of older entries")


class MoneyIn(Body):
    """Money received from a member (payments) or by a member (payouts)."""

    amount_cents: Cents
    received_on: date
    reference: Reference


class TransactionOut(Answer):
    transaction_id: str
    kind: str
    member_id: str | None
    amount_cents: int
    reference: str
    description: str
    booked_at: datetime
    replayed: bool = Field(description="true when this answers an earlier identical request")


# Coins ------------------------------------------------------------------------------------


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
    year: int | None = Field(default=None, ge=2000, le=9999)


# Service ------------------------------------------------------------------------------------


class Health(Answer):
    status: Literal["ok"]
    stage: str
    time: datetime


class ErrorField(Answer):
    field: str
    message: str


class ErrorOut(Answer):
    error: str
    message: str
    fields: list[ErrorField] = []


# Jobs -----------------------------------------------------------------------------------------


class DuesReportOut(Answer):
    quarter: str
    members_seen: int
    charged: int
    already_charged: int
    not_due: int = Field(description="members who joined after the quarter ended")
    failed: int
    failed_member_ids: list[str]
    complete: bool
    resume_cursor: str | None = Field(
        description="when not complete: pass as ?cursor= to continue where this run stopped"
    )


class JobQuery(Query):
    cursor: str | None = Field(default=None, max_length=2000)


class ReminderReportOut(Answer):
    members_owing: int
    reminded: int
    not_due: int
    failed: int
    failed_member_ids: list[str]


# Treasurer --------------------------------------------------------------------------------------


class ReceivableOut(Answer):
    member_id: str
    name: str
    email: str
    status: Literal["active", "cancelled"]
    owed_cents: int
    oldest_unpaid_on: date | None
    oldest_unpaid_age_days: int | None
    last_reminder_at: datetime | None


class ReceivableList(Answer):
    items: list[ReceivableOut]
    next: str | None


class ReceivablesQuery(PageQuery):
    sort: Literal["amount", "age"] = "amount"


class ExportQuery(Query):
    from_: date = Field(alias="from")
    to: date

    @field_validator("to")
    @classmethod
    def _ordered(cls, to: date, info: ValidationInfo) -> date:
        first = info.data.get("from_")
        if first is not None and to < first:
            raise ValueError("must not be before 'from'")
        if first is not None and (to - first).days > 400:
            raise ValueError("a range of at most 400 days, please (export year by year)")
        return to


# Opportunities ----------------------------------------------------------------------------------


class OpportunityIn(Body):
    title: Text
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)
    ]
    disciplines: Annotated[list[Tag], Field(min_length=1, max_length=10)]
    sector: Tag | None = None
    location: Text | None = None
    client: Text | None = None
    starts_on: date | None = None
    on_behalf_of_collective: bool = False

    def tags(self) -> tuple[str, ...]:
        return tuple(_normalise_tags(self.disciplines))


class HistoryEventOut(Answer):
    at: datetime
    by: str | None
    action: str
    from_status: str | None
    to_status: str
    note: str


class OpportunityOut(Answer):
    id: str
    title: str
    description: str
    disciplines: list[str]
    sector: str | None
    location: str | None
    client: str | None
    starts_on: date | None
    referrer_id: str | None = Field(description="null when the collective itself brought it")
    status: Literal["open", "in_conversation", "awarded", "closed"]
    outcome: Literal["no_deal", "withdrawn"] | None
    created_at: datetime
    history: list[HistoryEventOut]


class OpportunityList(Answer):
    items: list[OpportunityOut]
    next: str | None


class OpportunitiesQuery(PageQuery):
    status: Literal["open", "in_conversation", "awarded", "closed"] | None = None
    discipline: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None


class InterestIn(Body):
    note: LongText | None = None


class CandidateOut(Answer):
    member_id: str
    name: str
    email: str
    headline: str
    disciplines: list[str]
    available: bool
    interested: bool
    introduced: bool
    note: str
    shared_disciplines: list[str]
    sector_match: bool
    explanation: str


class CandidateList(Answer):
    items: list[CandidateOut]
    next: None = None


class ConversationIn(Body):
    member_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    held_on: date


class AssignmentIn(Body):
    contribution: Literal["small", "medium", "large"]
    starts_on: date


class AssignmentCreated(Answer):
    id: str
    opportunity_id: str
    member_id: str
    referrer_id: str | None
    contribution: Literal["small", "medium", "large"]
    fee_cap_cents: int


class CloseIn(Body):
    outcome: Literal["no_deal", "withdrawn"]


class RevenueIn(Body):
    amount_cents: Annotated[int, Field(strict=True, ge=-100_000_000_00, le=100_000_000_00)]
    invoice_ref: Reference
    invoiced_on: date

    @field_validator("amount_cents")
    @classmethod
    def _not_zero(cls, amount_cents: int) -> int:
        if amount_cents == 0:
            raise ValueError("must not be 0 (a credit note is negative)")
        return amount_cents


class RevenueBooked(Answer):
    fee_cents: int
    referrer_share_cents: int
    collective_share_cents: int
    pot_share_cents: int
    cumulative_revenue_cents: int
    cumulative_fee_cents: int
    fee_cap_cents: int


class RevenueReportOut(RevenueBooked):
    invoice_ref: str
    amount_cents: int
    invoiced_on: date
    reported_at: datetime


class AssignmentOut(AssignmentCreated):
    starts_on: date
    created_at: datetime
    cumulative_revenue_cents: int
    cumulative_fee_cents: int
    cumulative_referrer_share_cents: int
    cumulative_collective_share_cents: int
    cumulative_pot_share_cents: int
    remaining_to_cap_cents: int
    reports: list[RevenueReportOut]


# Coins, pots and distributions --------------------------------------------------------------------


class ClaimIn(Body):
    activity: Literal["publicity"]
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ]
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
    coins: Annotated[int, Field(strict=True)]


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


class DistributionReportOut(Answer):
    year: int
    pot_cents: int
    total_coins: int
    paid: int
    already_paid: int
    mailed: int
    mail_failed: int
    carried_over_cents: int
    complete: bool
    resume_after: str | None
    failed_member_ids: list[str]


class AnnouncementReportOut(Answer):
    opportunities: int
    mailed: int
    failed: int
    complete: bool
    failed_member_ids: list[str]


class DistributionRunOut(Answer):
    years: list[DistributionReportOut]
