"""Opportunities: posting, interest, candidates, conversations, closing; their attachments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from chalicelib.api.models.common import (
    PARAGRAPH_NOT_BLANK,
    Answer,
    Body,
    Day,
    LongText,
    PageQuery,
    Paragraphs,
    SearchTerm,
    Tag,
    Text,
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


class CloseIn(Body):
    outcome: Literal["no_deal", "withdrawn"]


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
