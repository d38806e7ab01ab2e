"""Opportunities mailed in: the intake records, accepting one, attachment links."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.models.common import (
    PARAGRAPH_NOT_BLANK,
    Answer,
    Body,
    PageQuery,
    Paragraphs,
    Tag,
    Text,
    described,
)
from chalicelib.api.models.opportunities import AttachmentOut, RecognisedOut
from chalicelib.domain.vocabulary import normalise_tags


class IntakeOut(Answer):
    model_config = ConfigDict(extra="forbid", serialize_by_alias=True, populate_by_name=True)

    id: str
    message_id: str
    received_at: datetime
    from_: str = Field(alias="from", description="the sender's address")
    subject: str
    status: Literal["accepted", "rejected"]
    reason: str | None = Field(description="why it was rejected, a code (see reason_text)")
    reason_text: str | None
    opportunity_id: str | None
    member_id: str | None = Field(description="the sending member, when the sender is one")
    title: str
    description: str
    recognised: list[RecognisedOut]
    attachments: list[AttachmentOut]
    verdicts: dict[str, str] = Field(description="SES's spam, virus, spf, dkim, dmarc verdicts")
    decided_by: str | None
    # intake owner: files beyond the limit, the sector recognised, the first of a duplicate
    attachments_not_kept: list[SkippedAttachmentOut] = Field(
        default=[], description="attachments the intake did not keep: name, size and why"
    )
    sector: str | None = None
    duplicate_of: str | None = Field(
        default=None, description="a duplicate: the intake record that had this message first"
    )


class IntakeList(Answer):
    items: list[IntakeOut]
    next: str | None


class IntakeQuery(PageQuery):
    status: Literal["accepted", "rejected"] | None = None


class IntakeAcceptIn(Body):
    # Told in the schema too: a member as referrer, or the collective, never both.
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        defer_build=True,
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["referrer_member_id"],
                    "properties": {
                        "referrer_member_id": {"type": "string"},
                        "on_behalf_of_collective": {"const": False},
                    },
                },
                {
                    "required": ["on_behalf_of_collective"],
                    "properties": {
                        "on_behalf_of_collective": {"const": True},
                        "referrer_member_id": {"type": "null"},
                    },
                },
            ]
        },
    )

    referrer_member_id: (
        Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]
        | None
    ) = None
    on_behalf_of_collective: bool = False
    title: Text | None = Field(default=None, description="instead of the mail's")
    description: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, min_length=1, max_length=10000),
            Paragraphs,
            described(PARAGRAPH_NOT_BLANK),
        ]
        | None
    ) = Field(default=None, description="instead of the mail's")
    disciplines: Annotated[list[Tag], Field(max_length=10)] = Field(
        default=[], description="instead of those recognised (needed when none were)"
    )

    @model_validator(mode="after")
    def _one_referrer(self) -> IntakeAcceptIn:
        if (self.referrer_member_id is None) == (not self.on_behalf_of_collective):
            raise PydanticCustomError(
                "referrer_or_collective",
                "give either referrer_member_id or on_behalf_of_collective: true",
            )
        return self

    def tags(self) -> tuple[str, ...]:
        return normalise_tags(self.disciplines)


class AttachmentLinkOut(Answer):
    name: str
    content_type: str
    size: int
    url: str = Field(description="a signed download link; works until expires_at")
    expires_at: datetime


class SkippedAttachmentOut(Answer):
    name: str
    content_type: str
    size: int
    reason: str = Field(description="why it was not kept, a code (see reason_text)")
    reason_text: str
