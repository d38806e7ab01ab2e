"""Meetings: planning, signing up, attendance, the calendar link and the quarters' coverage."""

from __future__ import annotations

from datetime import UTC, date, datetime
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
    A_LINE,
    NOT_IN_A_LINE,
    Answer,
    Body,
    LongText,
    PageQuery,
    Text,
    WholeNumber,
    never_null,
    refusing,
)
from chalicelib.periods import AMSTERDAM, FIRST_YEAR, LAST_YEAR


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
    refusing(NOT_IN_A_LINE),
    A_LINE,
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
        json_schema_extra=lambda schema: never_null(
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
