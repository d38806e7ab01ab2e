"""Every request body, query and answer of the API, as pydantic v2 models.

Bodies are strict (JSON `"10"` and `1.5` are not cents), forbid unknown fields, and are the
same models the OpenAPI document is generated from.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from chalicelib.domain.membership import NewApplication, normalise_email
from chalicelib.domain.vocabulary import normalise_tags
from chalicelib.periods import AMSTERDAM, FIRST_YEAR, LAST_YEAR

# Control characters (C0, DEL, C1), line/paragraph separators, bidirectional embeddings,
# overrides and isolates (they can make "invoice 1234" display as "4321 eciovni"), and lone
# surrogates (not storable as UTF-8). Paragraphs may hold tabs and line breaks.
_NOT_IN_A_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NOT_IN_A_PARAGRAPH = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _refusing(pattern: re.Pattern[str]) -> AfterValidator:
    def check(value: str) -> str:
        found = pattern.search(value)
        if found is not None:
            # the type is the API's field code (see chalicelib/api/errors.py)
            raise PydanticCustomError(
                "control_characters",
                "must not contain control or bidirectional-override characters",
            )
        return value

    return AfterValidator(check)


def _described(*patterns: str) -> Any:
    """The same rules told in the JSON schema (regular expressions a client or a generator such
    as schemathesis can use), beside any pattern the field has already."""

    def extra(schema: dict[str, Any]) -> None:
        rules = [{"pattern": p} for p in patterns]
        if "pattern" in schema:
            rules.append({"pattern": schema.pop("pattern")})
        if len(rules) == 1:
            schema.update(rules[0])
        else:
            schema["allOf"] = rules

    return Field(json_schema_extra=extra)


# The characters refused above, as a regular-expression class body for the JSON schemas.
_CONTROL = r"\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL_BUT_BREAKS = (
    r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"
)
_LINE_PATTERN = f"^[^{_CONTROL}]*$"
_PARAGRAPH_PATTERN = f"^[^{_CONTROL_BUT_BREAKS}]*$"
# ... with something left once the surrounding whitespace is stripped (one, or two, characters)
_LINE_NOT_BLANK = f"^[^{_CONTROL}]*[^{_CONTROL}\\s][^{_CONTROL}]*$"
_LINE_TWO_CHARACTERS = (
    f"^[^{_CONTROL}]*[^{_CONTROL}\\s][^{_CONTROL}]*[^{_CONTROL}\\s][^{_CONTROL}]*$"
)
_PARAGRAPH_NOT_BLANK = (
    f"^[^{_CONTROL_BUT_BREAKS}]*[^\\s{_CONTROL_BUT_BREAKS}][^{_CONTROL_BUT_BREAKS}]*$"
)
_A_LINE = _described(_LINE_PATTERN)

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    _refusing(_NOT_IN_A_LINE),
    _described(_LINE_NOT_BLANK),
]
Paragraphs = _refusing(_NOT_IN_A_PARAGRAPH)
_PARAGRAPHS = _described(_PARAGRAPH_PATTERN)
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=4000), Paragraphs, _PARAGRAPHS
]
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=60),
    _refusing(_NOT_IN_A_LINE),
    _described(_LINE_TWO_CHARACTERS),
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    _refusing(_NOT_IN_A_LINE),
    AfterValidator(normalise_email),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": 254,
            "pattern": f"^[^@\\s{_CONTROL}]+@[^@\\s{_CONTROL}]+\\.[^@\\s{_CONTROL}]+$",
        }
    ),
]
Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$", max_length=500),
    _refusing(_NOT_IN_A_LINE),
    WithJsonSchema(
        {"type": "string", "maxLength": 500, "pattern": f"^https?://[^\\s{_CONTROL}]+$"}
    ),
]
SearchTerm = Annotated[
    str, StringConstraints(min_length=1, max_length=60), _refusing(_NOT_IN_A_LINE), _A_LINE
]


def _in_supported_years(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_out_of_range",
            "must be a date in the years {first} to {last}",
            {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return day


Day = Annotated[
    date,
    AfterValidator(_in_supported_years),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": "^2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        }
    ),
]
Headline = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    _refusing(_NOT_IN_A_LINE),
    _A_LINE,
]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    Paragraphs,
    _described(_PARAGRAPH_NOT_BLANK),
]


def _whole_number(value: Any) -> Any:
    """JSON has one kind of number: 2000.0 is the integer 2000 (JSON Schema says so too), while
    2000.5 and "2000" stay refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = BeforeValidator(_whole_number)
Cents = Annotated[int, Field(strict=True, gt=0, le=100_000_000_00), WholeNumber]
# As banks and invoices write them: letters, digits, spaces inside ("RF18 5390 0754",
# "INV 2026/017") and the usual marks; kept as typed (only the ends are trimmed).
Reference = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[\w ./:#+(),'&-]+$"
    ),
]


# defer_build: a model's validator and schema are built on its first use, not at import. The
# scheduled functions import this module (through the services) and use none of it, and a
# request builds only its own models: that keeps the Lambda's cold start near the floor.
class FileAnswer(BaseModel):
    """A non-JSON answer (a CSV export, an iCalendar file): the body as text, its media type,
    and whether a browser saves it (attachment) or shows it (inline, e.g. a calendar feed)."""

    model_config = ConfigDict(defer_build=True)

    body: str
    media_type: str
    filename: str
    disposition: Literal["attachment", "inline"] = "attachment"


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", defer_build=True)


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Query(BaseModel):
    """Query parameters arrive as strings, so these are validated in lax mode."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class PageQuery(Query):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(
        default=None, max_length=2000, description="opaque: the `next` of the previous page"
    )


# Applications ------------------------------------------------------------------------------


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


class RejectIn(Body):
    reason: Reason


# Members ----------------------------------------------------------------------------------


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


def _never_null(schema: dict[str, Any], *names: str) -> None:
    """A body's schema where these optional fields, when present, are not null, and which
    names at least one field."""
    schema["minProperties"] = 1
    for name in names:
        field = schema["properties"][name]
        options = [o for o in field.get("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            del field["anyOf"]
            field.pop("default", None)  # absent means no change; null is not allowed
            field.update(options[0])


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


# Ledger -----------------------------------------------------------------------------------


class StatementLine(Answer):
    transaction_id: str
    booked_at: datetime
    kind: str
    description: str
    reference: str
    account: Literal["owed", "to_receive"]
    amount_cents: int = Field(description="change of owed_cents or to_receive_cents")
    booked_by: str | None = Field(
        description="member id of who booked it (the treasurer, or the member); null: the system"
    )


class Statement(Answer):
    member_id: str
    owed_cents: int = Field(description="what the member owes; negative when paid ahead")
    to_receive_cents: int = Field(description="what the collective owes the member")
    entries: list[StatementLine]
    next: str | None = Field(description="cursor of older entries")


class MoneyIn(Body):
    """Money received from a member (payments) or by a member (payouts)."""

    amount_cents: Cents
    received_on: Day
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
    year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)


# Service ------------------------------------------------------------------------------------


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


# Jobs -----------------------------------------------------------------------------------------


class DuesReportOut(Answer):
    quarter: str
    members_seen: int
    charged: int
    already_charged: int
    not_due: int = Field(description="members seen who were not members at any moment of it")
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
    total_cents: int = Field(description="what everyone on the list owes together (all pages)")
    count: int = Field(description="how many members are on the list (all pages)")


class ReceivablesQuery(PageQuery):
    sort: Literal["amount", "age"] = "amount"
    q: SearchTerm | None = Field(
        default=None, description="part of a name or e-mail address, or a payment reference"
    )


class ExportQuery(Query):
    from_: Day = Field(alias="from")
    to: Day

    @field_validator("to")
    @classmethod
    def _ordered(cls, to: date, info: ValidationInfo) -> date:
        first = info.data.get("from_")
        if first is not None and to < first:
            raise PydanticCustomError("before_from", "must not be before 'from'")
        if first is not None and (to - first).days > 400:
            raise PydanticCustomError(
                "range_too_long", "a range of at most {maximum} days", {"maximum": 400}
            )
        return to


class RecognisedOut(Answer):
    discipline: str
    words: list[str] = Field(description="the words of the mail that gave this discipline")


class AttachmentOut(Answer):
    number: int = Field(description="for GET /opportunities/{id}/attachments/{number}")
    name: str
    content_type: str
    size: int


# Opportunities ----------------------------------------------------------------------------------


class OpportunityIn(Body):
    title: Text
    description: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=10000),
        Paragraphs,
        _described(_PARAGRAPH_NOT_BLANK),
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


# Coins, pots and distributions --------------------------------------------------------------------


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


class DistributionReportOut(Answer):
    year: int
    pot_cents: int
    total_coins: int
    paid: int = Field(description="payouts booked by this run")
    already_paid: int = Field(description="payouts booked before (a re-run books nothing)")
    carried_over_cents: int
    complete: bool
    resume_after: str | None
    mails_queued: int = Field(description="payout mails queued by this run")
    mails_sent: int = Field(description="of those, sent at once; the rest follow from the outbox")


class OutboxReportOut(Answer):
    sent: int
    failed: int = Field(description="failed now; tried again later with growing pauses")
    given_up: int = Field(description="failed too often; left for a person to look at")
    complete: bool
    failed_mail_ids: list[str]
    failed_member_ids: list[str]


class AnnouncementReportOut(Answer):
    opportunities: int
    mailed: int
    failed: int
    complete: bool
    failed_member_ids: list[str]


class DistributionRunOut(Answer):
    years: list[DistributionReportOut]


# What the members' web app needs besides the SPEC's routes -------------------------------------


class PaymentDetailsOut(Answer):
    iban: str
    account_holder: str
    reference: str = Field(description="what to mention with a transfer: the member id")


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


class PayableOut(Answer):
    member_id: str
    name: str
    email: str
    status: Literal["active", "cancelled"]
    to_receive_cents: int


class PayableList(Answer):
    items: list[PayableOut]
    next: str | None
    total_cents: int = Field(description="what the collective owes everyone on the list")
    count: int = Field(description="how many members are on the list (all pages)")


class PayablesQuery(PageQuery):
    q: SearchTerm | None = Field(
        default=None, description="part of a name or e-mail address, or a payment reference"
    )


# The treasurer's member page (owner: web-treasurer) -----------------------------------------


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


# Meetings -----------------------------------------------------------------------------------


def _meeting_time(value: datetime) -> datetime:
    """A time without an offset is Amsterdam time; every time is kept and answered in UTC."""
    if value.tzinfo is None:
        local = value.replace(tzinfo=AMSTERDAM)
        if local.astimezone(UTC).astimezone(AMSTERDAM).replace(tzinfo=None) != value:
            raise PydanticCustomError(
                "time_does_not_exist", "this time does not exist in Amsterdam"
            )
        value = local
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "time_out_of_range",
            "must be a time in the years {first} to {last}",
            {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value.astimezone(UTC)


# Days that exist in every year (29 February aside), the years the platform keeps.
_A_DAY = (
    "2[0-9]{3}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    "|02-(0[1-9]|1[0-9]|2[0-9]))"
)
MeetingTime = Annotated[
    datetime,
    AfterValidator(_meeting_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": (
                f"^{_A_DAY}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{{1,6}})?)?"
                "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$"
            ),
            "description": "ISO 8601; without an offset it is Europe/Amsterdam local time",
        }
    ),
]
MemberRef = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]
Seats = Annotated[int, Field(strict=True, ge=1, le=10_000), WholeNumber]
PitchLine = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    _refusing(_NOT_IN_A_LINE),
    _A_LINE,
    Field(description="one line: the work I am looking for"),
]
MeetingStatus = Literal["planned", "cancelled", "held"]
RegistrationStatus = Literal["registered", "waitlisted"]


class MeetingIn(Body):
    title: Text
    theme: Text | None = None
    starts_at: MeetingTime
    ends_at: MeetingTime
    venue: Text
    address: Text
    city: Text
    capacity: Seats
    description: LongText | None = None
    organiser_member_id: MemberRef | None = Field(
        default=None, description="a member who organises it; null: the board"
    )


class MeetingPatch(Body):
    """The fields to change; `theme`, `description` and `organiser_member_id` may be null."""

    # Told in the schema too: at least one field, and null only where it clears something.
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        defer_build=True,
        json_schema_extra=lambda schema: _never_null(
            schema, "title", "starts_at", "ends_at", "venue", "address", "city", "capacity"
        ),
    )

    title: Text | None = None
    theme: Text | None = None
    starts_at: MeetingTime | None = None
    ends_at: MeetingTime | None = None
    venue: Text | None = None
    address: Text | None = None
    city: Text | None = None
    capacity: Seats | None = None
    description: LongText | None = None
    organiser_member_id: MemberRef | None = None

    @model_validator(mode="after")
    def _names_a_change(self) -> MeetingPatch:
        if not self.model_fields_set:
            raise PydanticCustomError("nothing_to_change", "name at least one field to change")
        required = {"title", "starts_at", "ends_at", "venue", "address", "city", "capacity"}
        nulled = sorted(n for n in self.model_fields_set & required if getattr(self, n) is None)
        if nulled:
            raise PydanticCustomError(
                "cannot_be_empty", "these cannot be null: {fields}", {"fields": nulled}
            )
        return self

    def changes(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class MeetingOut(Answer):
    id: str
    title: str
    theme: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: Literal["Europe/Amsterdam"] = Field(description="where the times are local")
    venue: str
    address: str
    city: str
    capacity: int
    description: str | None
    organiser_member_id: str | None = Field(description="null: the board organises it")
    organiser_name: str | None
    status: MeetingStatus
    sequence: int = Field(description="changes so far (the iCalendar SEQUENCE)")
    registered_count: int
    waitlist_count: int
    free_seats: int
    my_status: RegistrationStatus | None = Field(description="null: not signed up")
    my_position: int | None = Field(description="place on the waiting list (1: next)")
    my_pitch: str | None
    can_manage: bool = Field(description="the caller may edit and cancel it and see who comes")
    created_at: datetime
    updated_at: datetime


class MeetingList(Answer):
    items: list[MeetingOut]
    next: str | None


class MeetingsQuery(PageQuery):
    when: Literal["upcoming", "past"] = "upcoming"


class RegistrationIn(Body):
    pitch: PitchLine | None = None


class RegistrationOut(Answer):
    meeting_id: str
    status: RegistrationStatus
    position: int | None = Field(description="place on the waiting list (1: next); null: a seat")
    pitch: str | None


class AttendeeOut(Answer):
    member_id: str
    name: str
    email: str
    headline: str
    status: RegistrationStatus
    position: int | None = Field(description="place on the waiting list; null: registered")
    pitch: str | None
    registered_at: datetime
    attended: bool | None = Field(description="null until attendance is marked")


class AttendeeList(Answer):
    items: list[AttendeeOut]
    next: None = None


class AttendanceIn(Body):
    member_ids: Annotated[list[MemberRef], Field(max_length=1000)] = Field(
        description="everyone who came; marking again replaces the earlier marks"
    )


class CalendarLinkOut(Answer):
    url: str = Field(description="private feed of my meetings (https)")
    webcal_url: str = Field(description="the same feed for calendar apps that subscribe")


class QuarterMeetingsOut(Answer):
    quarter: str
    meetings: int = Field(description="planned or held, not cancelled")


class MeetingCoverageOut(Answer):
    current: QuarterMeetingsOut
    next: QuarterMeetingsOut
    current_without_meeting: bool
    next_needs_meeting: bool = Field(
        description="the current quarter is past its middle and the next has no meeting yet"
    )
    warn_from: date = Field(description="the middle of the current quarter")


class MeetingMailReportOut(Answer):
    meetings: int
    mailed: int
    failed: int = Field(description="failed now; the outbox job tries again")
    complete: bool
    failed_mail_ids: list[str]


class BoardWarningReportOut(Answer):
    quarter: str
    meetings_planned: int
    warning_due: bool
    mailed: int
    failed: int


# Mail intake ----------------------------------------------------------------------------------


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
            _described(_PARAGRAPH_NOT_BLANK),
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


# Mail preferences ------------------------------------------------------------------------------


class UnsubscribeQuery(Query):
    token: Annotated[str, StringConstraints(min_length=3, max_length=300)]


class OneClickIn(Body):
    """RFC 8058: the body a mail client POSTs, as a form (or the same as JSON)."""

    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)

    list_unsubscribe: Literal["One-Click"] = Field(alias="List-Unsubscribe")


class UnsubscribedOut(Answer):
    status: Literal["unsubscribed"]


class DigestQuery(Query):
    week: (
        Annotated[str, StringConstraints(pattern=r"^2[0-9]{3}-W(0[1-9]|[1-4][0-9]|5[0-3])$")] | None
    ) = Field(
        default=None, description="an ISO week like 2026-W19; default: the last week that ended"
    )


class DigestReportOut(Answer):
    week: str
    opportunities: int
    members_seen: int = Field(description="members who chose the weekly digest")
    mailed: int
    already_mailed: int = Field(description="mailed before (a re-run mails nobody twice)")
    nothing_new: int
    failed: int
    complete: bool
    failed_member_ids: list[str]


# Vocabulary (intake owner) -----------------------------------------------------------------


class SkippedAttachmentOut(Answer):
    name: str
    content_type: str
    size: int
    reason: str = Field(description="why it was not kept, a code (see reason_text)")
    reason_text: str


class VocabularyTermOut(Answer):
    id: str = Field(description="what a member's discipline or sector is stored as")
    kind: Literal["discipline", "sector"]
    label: str = Field(description="in the caller's language")
    label_nl: str
    label_en: str
    names: list[str] = Field(description="every name people use for it (titles, synonyms)")
    built_in: bool


class VocabularyOut(Answer):
    disciplines: list[VocabularyTermOut]
    sectors: list[VocabularyTermOut]


class DisciplinesIn(Body):
    disciplines: Annotated[list[Tag], Field(min_length=1, max_length=10)]

    def tags(self) -> tuple[str, ...]:
        return normalise_tags(self.disciplines)


class VocabularyTermIn(Body):
    kind: Literal["discipline", "sector"]
    name: Tag = Field(description="the new name (a title, synonym or spelling)")
    term: Tag | None = Field(
        default=None,
        description="the known term it is a name of (its id or any name); absent: a new term",
    )
    label_nl: Text | None = None
    label_en: Text | None = None
