"""Quarterly meetings: what a meeting is, who may change it, and when a quarter lacks one.

A meeting is `planned` when it is created (that is its publication), and becomes `cancelled`
(by its organiser or an admin) or `held` (when an admin marks attendance afterwards).
Times are instants (UTC); people enter and read them in Europe/Amsterdam.

`sequence` counts the changes a calendar must see (iCalendar SEQUENCE): it starts at 0 and
goes up with every edit of a shown field and with a cancellation. Seats are counted on the
meeting itself (`registered_count`, `waitlist_count`), changed only by conditional writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from chalicelib.domain.errors import Conflict, FieldProblem, Forbidden, InvalidInput
from chalicelib.periods import AMSTERDAM, Quarter, local_date

MeetingStatus = Literal["planned", "cancelled", "held"]
RegistrationStatus = Literal["registered", "waitlisted"]
MAX_DURATION = timedelta(hours=24)
# Fields whose change a calendar (and the people registered) must hear about.
SHOWN_FIELDS = ("title", "theme", "starts_at", "ends_at", "venue", "address", "city", "description")


@dataclass(frozen=True)
class Meeting:
    id: str
    title: str
    theme: str | None
    starts_at: datetime
    ends_at: datetime
    venue: str
    address: str
    city: str
    capacity: int
    description: str | None
    organiser_member_id: str | None  # None: the board organises it
    status: MeetingStatus
    created_at: datetime
    created_by: str
    updated_at: datetime
    sequence: int = 0
    version: int = 1  # goes up with every write of the details: edits never overwrite edits
    registered_count: int = 0
    waitlist_count: int = 0

    def is_organiser(self, member_id: str) -> bool:
        return self.organiser_member_id == member_id

    def require_manager(self, member_id: str, is_admin: bool) -> None:
        """Admins and the organiser edit and cancel a meeting and see who comes."""
        if not (is_admin or self.is_organiser(member_id)):
            raise Forbidden("organiser_or_admin_only")

    def require_changeable(self, now: datetime) -> None:
        if self.status != "planned":
            raise Conflict(f"meeting_{self.status}")  # meeting_cancelled, meeting_held
        if self.starts_at <= now:
            raise Conflict("meeting_started")

    def require_open_for_sign_up(self, now: datetime) -> None:
        if self.status != "planned":
            raise Conflict(f"meeting_{self.status}")
        if self.starts_at <= now:
            raise Conflict("meeting_started")

    def require_attendance_markable(self, now: datetime) -> None:
        if self.status == "cancelled":
            raise Conflict("meeting_cancelled")
        if self.starts_at > now:
            raise Conflict("meeting_not_started")

    @property
    def free_seats(self) -> int:
        return max(0, self.capacity - self.registered_count)

    def is_upcoming(self, now: datetime) -> bool:
        return self.ends_at > now


@dataclass(frozen=True)
class Registration:
    meeting_id: str
    member_id: str
    status: RegistrationStatus
    seq: int  # order of signing up (an atomic counter per meeting)
    pitch: str
    registered_at: datetime
    attended: bool | None = None

    @property
    def order(self) -> tuple[int, str]:
        return (self.seq, self.member_id)


def waiting_position(registrations: list[Registration], member_id: str) -> int | None:
    """1 for the first on the waiting list; None when the member is not waiting."""
    waiting = sorted((r for r in registrations if r.status == "waitlisted"), key=lambda r: r.order)
    for place, registration in enumerate(waiting, start=1):
        if registration.member_id == member_id:
            return place
    return None


def in_order(registrations: list[Registration]) -> list[Registration]:
    """Registered members in order of signing up, then the waiting list in order."""
    return sorted(registrations, key=lambda r: (r.status != "registered", r.order))


def check_times(starts_at: datetime, ends_at: datetime, now: datetime | None) -> None:
    """A meeting ends after it starts, lasts at most a day, and (new) lies in the future."""
    if ends_at <= starts_at:
        raise InvalidInput("invalid_input", problems=[FieldProblem("ends_at", "ends_before_start")])
    if ends_at - starts_at > MAX_DURATION:
        raise InvalidInput("invalid_input", problems=[FieldProblem("ends_at", "longer_than_a_day")])
    if now is not None and starts_at <= now:
        raise InvalidInput("invalid_input", problems=[FieldProblem("starts_at", "not_in_future")])


def quarter_middle(quarter: Quarter) -> date:
    """The day halfway through a quarter (the 46th day of a 91-day quarter)."""
    first, next_first = quarter.first_day(), quarter.next().first_day()
    return first + (next_first - first) // 2


@dataclass(frozen=True)
class QuarterCoverage:
    quarter: Quarter
    meetings: int  # planned or held, not cancelled

    @property
    def covered(self) -> bool:
        return self.meetings > 0


def next_quarter_needs_warning(now: datetime, next_quarter: QuarterCoverage) -> bool:
    """From the middle of the current quarter on, the next one should have a meeting."""
    current = Quarter.containing(now)
    assert next_quarter.quarter == current.next()
    return local_date(now) >= quarter_middle(current) and not next_quarter.covered


def meetings_in(quarter: Quarter, meetings: list[Meeting]) -> int:
    """The meetings that take place (start) in the quarter and are not cancelled."""
    start, end = quarter.starts_at(), quarter.next().starts_at()
    return sum(1 for m in meetings if m.status != "cancelled" and start <= m.starts_at < end)


def local_time(instant: datetime) -> datetime:
    return instant.astimezone(AMSTERDAM)
