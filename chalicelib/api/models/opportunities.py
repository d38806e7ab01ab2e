"""Opportunities, candidates, assignments and revenue (and a member's own assignments)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.models.common import (
    PARAGRAPH_NOT_BLANK,
    Answer,
    Body,
    Day,
    LongText,
    PageQuery,
    Paragraphs,
    Reference,
    SearchTerm,
    Tag,
    Text,
    WholeNumber,
    described,
)
from chalicelib.domain.vocabulary import normalise_tags


class RecognisedOut(Answer):
    discipline: str
    words: list[str] = Field(description="the words of the mail that gave this discipline")


class AttachmentOut(Answer):
    number: int = Field(description="for GET /opportunities/{id}/attachments/{number}")
    name: str
    content_type: str
    size: int


class OpportunityIn(Body):
    title: Text
    description: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=10000),
        Paragraphs,
        described(PARAGRAPH_NOT_BLANK),
    ]
    disciplines: Annotated[list[Tag], Field(min_length=1, max_length=10)]
    sector: Tag | None = None
    location: Text | None = None
    client: Text | None = None
    starts_on: Day | None = None
    on_behalf_of_collective: bool = False

    def tags(self) -> tuple[str, ...]:
        return normalise_tags(self.disciplines)


class HistoryEventOut(Answer):
    at: datetime
    by: str | None
    action: str
    from_status: str | None
    to_status: str
    note: str
    member_id: str | None = Field(
        default=None, description="the member it is about: the one in conversation, or awarded"
    )


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
    intake_id: str | None = Field(default=None, description="set when it was mailed in")
    attachments: list[AttachmentOut] = []
    recognised: list[RecognisedOut] = Field(
        default=[], description="mailed in: which words of the mail gave which discipline"
    )


class OpportunityList(Answer):
    items: list[OpportunityOut]
    next: str | None


class OpportunitiesQuery(PageQuery):
    status: Literal["open", "in_conversation", "awarded", "closed"] | None = None
    discipline: SearchTerm | None = None


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
    member_id: Annotated[
        str, StringConstraints(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")
    ]
    held_on: Day


class AssignmentIn(Body):
    contribution: Literal["small", "medium", "large"]
    starts_on: Day


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
    amount_cents: Annotated[
        int,
        Field(
            strict=True,
            ge=-100_000_000_00,
            le=100_000_000_00,
            json_schema_extra={"not": {"const": 0}},
        ),
        WholeNumber,
    ]
    invoice_ref: Reference
    invoiced_on: Day

    @field_validator("amount_cents")
    @classmethod
    def _not_zero(cls, amount_cents: int) -> int:
        if amount_cents == 0:
            raise PydanticCustomError("not_zero", "must not be 0 (a credit note is negative)")
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
    reported_by: str | None = Field(description="member id: the member, or an admin for them")


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


class MyAssignmentsQuery(PageQuery):
    role: Literal["executing", "referrer"] = "executing"


class MyAssignmentOut(AssignmentCreated):
    role: Literal["executing", "referrer"]
    opportunity_title: str
    starts_on: date
    created_at: datetime
    cumulative_revenue_cents: int
    cumulative_fee_cents: int
    cumulative_referrer_share_cents: int


class MyAssignmentList(Answer):
    items: list[MyAssignmentOut]
    next: str | None


class InvolvementOut(Answer):
    opportunity_id: str
    interested: bool
    introduced: bool
    note: str
    stage: Literal[
        "none", "interested", "in_conversation", "awarded_to_me", "awarded_to_other", "closed"
    ] = Field(
        default="none",
        description="where it stands for the caller: in conversation with them, awarded to "
        "them or to someone else, closed",
    )
