"""Applying for membership and deciding on applications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from chalicelib.api.models.common import (
    Answer,
    Body,
    Email,
    LongText,
    PageQuery,
    Tag,
    Text,
    Url,
    WholeNumber,
)
from chalicelib.domain.membership import NewApplication
from chalicelib.domain.vocabulary import normalise_tags


class ApplicationIn(Body):
    name: Text
    email: Email
    disciplines: Annotated[list[Tag], Field(min_length=1, max_length=10)]
    sectors: Annotated[list[Tag], Field(max_length=10)] = []
    years_experience: Annotated[int, Field(strict=True, ge=0, le=80), WholeNumber]
    linkedin_url: Url | None = None
    motivation: LongText | None = None
    referred_by_email: Email | None = None
    # The applicant's language, for the mails about the application and after admission;
    # when the form does not say, the language the request asks for (Accept-Language).
    language: Literal["nl", "en"] | None = None

    def new_application(self) -> NewApplication:
        return NewApplication(
            name=self.name,
            email=self.email,
            disciplines=normalise_tags(self.disciplines),
            sectors=normalise_tags(self.sectors),
            years_experience=self.years_experience,
            linkedin_url=self.linkedin_url,
            motivation=self.motivation,
            referred_by_email=self.referred_by_email,
            language=self.language,
        )


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
