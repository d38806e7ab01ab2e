"""Members: the directory, one's own profile, the treasurer's member list and history."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from chalicelib.api.models.common import (
    _LINE_NOT_BLANK,
    NOT_IN_A_LINE,
    Answer,
    Body,
    Headline,
    PageQuery,
    SearchTerm,
    Tag,
    described,
    refusing,
)
from chalicelib.domain.vocabulary import normalise_tags


class DirectoryEntry(Answer):
    id: str
    name: str
    headline: str
    disciplines: list[str]
    sectors: list[str]
    available: bool
    email: str
    pitched_at_last_meeting: bool = Field(
        description="whether the member pitched for work at the latest meeting held"
    )
    last_meeting_pitch: str | None = Field(description="that pitch: the work they look for")


class DirectoryList(Answer):
    items: list[DirectoryEntry]
    next: str | None


class DirectoryQuery(PageQuery):
    discipline: SearchTerm | None = None
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
    language: Literal["nl", "en"] = Field(description="language of the mails the member gets")
    notify_meetings: bool = Field(
        description="invitations to newly planned meetings; mails about meetings one signed up "
        "for (reminder, change, moved up) come regardless"
    )
    opportunity_mail: Literal["each", "weekly"] = Field(
        description="with notify_opportunities: one mail per new opportunity, or a weekly digest"
    )


class ProfilePatch(Body):
    # At least one field with a value (a null names no change), told in the schema too.
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        defer_build=True,
        json_schema_extra={
            "anyOf": [
                {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
                for name in (
                    "headline",
                    "disciplines",
                    "sectors",
                    "available",
                    "notify_opportunities",
                    "language",
                    "notify_meetings",
                    "opportunity_mail",
                )
            ]
        },
    )

    headline: Headline | None = None
    disciplines: Annotated[list[Tag], Field(min_length=1, max_length=10)] | None = None
    sectors: Annotated[list[Tag], Field(max_length=10)] | None = None
    available: bool | None = None
    notify_opportunities: bool | None = None
    language: Literal["nl", "en"] | None = None
    notify_meetings: bool | None = None
    opportunity_mail: Literal["each", "weekly"] | None = None

    @model_validator(mode="after")
    def _names_a_change(self) -> ProfilePatch:
        if not self.changes():
            raise PydanticCustomError("nothing_to_change", "name at least one field to change")
        return self

    def changes(self) -> dict[str, object]:
        changed = self.model_dump(exclude_unset=True, exclude_none=True)
        for name in ("disciplines", "sectors"):
            if name in changed:
                changed[name] = normalise_tags(changed[name])
        return changed


class AdminMembersQuery(PageQuery):
    status: Literal["active", "cancelled"] = "active"
    q: SearchTerm | None = Field(
        default=None, description="part of a name or e-mail address, or a payment reference"
    )


class MemberList(Answer):
    items: list[MemberOut]
    next: str | None


class MemberEventOut(Answer):
    kind: Literal["applied", "admitted", "cancelled", "payment", "payout"]
    at: datetime
    amount_cents: int | None = Field(description="of a payment or payout; null otherwise")
    reference: str | None = Field(description="of a payment or payout: the bank statement line")
    by: str | None = Field(description="member id of the admin who did it; null: member or system")


class MemberHistoryOut(Answer):
    member_id: str
    events: list[MemberEventOut] = Field(description="newest first")


# bank-refs: a member's bank account (the IBAN and account holder payouts go to) ----------
_IBAN_SHAPE = r"^ *[A-Za-z]{2} *[0-9]{2}( *[A-Za-z0-9]){11,30} *$"


def _an_iban(value: str) -> str:
    """Compact and uppercase when the IBAN checks out (country, its length there, mod 97)."""
    from chalicelib.domain.bank_accounts import normalise_iban
    from chalicelib.domain.errors import InvalidInput

    try:
        return normalise_iban(value)
    except InvalidInput:
        # the type is the API's field code (see chalicelib/api/errors.py)
        raise PydanticCustomError("not_an_iban", "must be a valid IBAN") from None


_Iban = Annotated[
    str,
    StringConstraints(max_length=64),
    AfterValidator(_an_iban),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": 64,
            "pattern": _IBAN_SHAPE,
            "description": "an IBAN, spaces allowed; its check digits (mod 97) must hold",
        }
    ),
]
_AccountHolder = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=70),
    refusing(NOT_IN_A_LINE),
    described(_LINE_NOT_BLANK),
]


class BankAccountIn(Body):
    iban: _Iban
    account_holder: _AccountHolder = Field(description="the name the bank knows the account by")


class BankAccountOut(Answer):
    """A member's payout account; the IBAN masked but its last four characters, except to
    admins (`GET /members/{member_id}/bank-account`)."""

    iban: str | None = Field(description="null: no account registered")
    account_holder: str | None
    changed_at: datetime | None = Field(description="when it was registered or last changed")
