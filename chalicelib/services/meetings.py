"""Quarterly meetings: planning, signing up with a pitch, the waiting list, attendance.

Seats are decided by conditional writes in the store (see chalicelib/store/meetings.py):
this service only chooses which write to try next. A member who leaves hands their seat to
the first active member on the waiting list in the same unit of work that queues the mail
telling them; the mail is sent right after and retried by the outbox job if it fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Generic

from chalicelib.clock import Clock
from chalicelib.domain.errors import Conflict, FieldProblem, Forbidden, InvalidInput, NotFound
from chalicelib.domain.ids import new_id
from chalicelib.domain.meetings import (
    SHOWN_FIELDS,
    Meeting,
    QuarterCoverage,
    Registration,
    RegistrationStatus,
    check_times,
    in_order,
    meetings_in,
    next_quarter_needs_warning,
    quarter_middle,
    waiting_position,
)
from chalicelib.domain.membership import Member
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.meeting_letters import MeetingMailContext, moved_up_letter
from chalicelib.periods import Quarter
from chalicelib.policy import Policy
from chalicelib.services.outbox import MailOutbox, PreparedMail
from chalicelib.store.ports import MeetingRepository, MemberDirectory, U
from chalicelib.store.records import MeetingPage, News, Outcome
from chalicelib.store.refusals import SeatsChanged

# Simultaneous sign-ups for one meeting all write its item; each retry re-reads the state.
_RETRIES = 40


@dataclass(frozen=True)
class NewMeeting:
    title: str
    theme: str | None
    starts_at: datetime
    ends_at: datetime
    venue: str
    address: str
    city: str
    capacity: int
    description: str | None
    organiser_member_id: str | None


@dataclass(frozen=True)
class SignUp:
    meeting_id: str
    status: RegistrationStatus
    position: int | None  # on the waiting list; None when registered
    pitch: str


@dataclass(frozen=True)
class MeetingView:
    """A meeting as one member sees it: with their own sign-up and what they may do."""

    meeting: Meeting
    mine: SignUp | None
    organiser_name: str | None
    can_manage: bool


@dataclass(frozen=True)
class Attendee:
    registration: Registration
    member: Member | None
    position: int | None


@dataclass(frozen=True)
class Coverage:
    current: QuarterCoverage
    next: QuarterCoverage
    next_needs_meeting: bool  # past the middle of this quarter and nothing planned for the next
    warn_from: date


def _pause(attempt: int) -> None:
    time.sleep(0.005 * (attempt % 8))  # spread simultaneous contenders out a little


class MeetingService(Generic[U]):
    def __init__(
        self,
        store: MeetingRepository[U],
        members: MemberDirectory,
        outbox: MailOutbox[U],
        links: Links,
        clock: Clock,
        policy: Policy,
        uow: Callable[[], U],
    ) -> None:
        self.uow = uow
        self.store = store
        self.members = members
        self.outbox = outbox
        self.links = links
        self.clock = clock
        self.policy = policy

    # Planning ------------------------------------------------------------------------------

    def create(self, form: NewMeeting, by: str) -> Meeting:
        now = self.clock.now()
        check_times(form.starts_at, form.ends_at, now)
        self._check_capacity(form.capacity)
        self._check_organiser(form.organiser_member_id)
        meeting = Meeting(
            id=new_id(),
            title=form.title,
            theme=form.theme,
            starts_at=form.starts_at,
            ends_at=form.ends_at,
            venue=form.venue,
            address=form.address,
            city=form.city,
            capacity=form.capacity,
            description=form.description,
            organiser_member_id=form.organiser_member_id,
            status="planned",
            created_at=now,
            created_by=by,
            updated_at=now,
        )
        self.store.add(meeting)
        return meeting

    def get(self, meeting_id: str) -> Meeting:
        return self.store.get(meeting_id)

    def browse(
        self, when: str, member_id: str, is_admin: bool, limit: int, cursor: str | None
    ) -> tuple[list[MeetingView], str | None]:
        """A page of upcoming (soonest first) or past (latest first) meetings, as the caller
        sees them, and the cursor of the next page."""
        now = self.clock.now()
        page: MeetingPage
        if when == "past":
            page = self.store.past(now, limit, cursor)
        else:
            page = self.store.upcoming(now, limit, cursor)
        return self.seen_by(page.meetings, member_id, is_admin), page.next_cursor

    def view(self, meeting_id: str, member_id: str, is_admin: bool) -> MeetingView:
        return self.seen_by([self.store.get(meeting_id)], member_id, is_admin)[0]

    def seen_by(self, meetings: list[Meeting], member_id: str, is_admin: bool) -> list[MeetingView]:
        """With the member's own registrations and the organisers' names (two batch reads)."""
        mine = self.store.registrations_of_many([m.id for m in meetings], member_id)
        organiser_ids = [m.organiser_member_id for m in meetings if m.organiser_member_id]
        organisers = self.members.get_members(organiser_ids)
        views = []
        for m in meetings:
            registration = mine.get(m.id)
            organiser = organisers.get(m.organiser_member_id or "")
            views.append(
                MeetingView(
                    m,
                    self._sign_up_of(registration) if registration else None,
                    organiser.name if organiser else None,
                    is_admin or m.is_organiser(member_id),
                )
            )
        return views

    def edit(self, meeting_id: str, changes: dict[str, Any], by: str, is_admin: bool) -> Meeting:
        before = self.store.get(meeting_id)
        for attempt in range(_RETRIES):
            meeting = self.store.get(meeting_id)
            changed = self._edited(meeting, changes, by, is_admin)
            shown = changed.sequence != meeting.sequence
            news = News(meeting.id, changed.sequence, "changed") if shown else None
            if self.store.save_details(changed, news):
                break
            _pause(attempt)
        else:
            raise Conflict("busy")
        if changed.capacity > before.capacity:
            self._fill_free_seats(meeting_id)
        return self.store.get(meeting_id)

    def _edited(
        self, meeting: Meeting, changes: dict[str, Any], by: str, is_admin: bool
    ) -> Meeting:
        now = self.clock.now()
        meeting.require_manager(by, is_admin)
        meeting.require_changeable(now)
        if "organiser_member_id" in changes:
            if not is_admin:
                raise Forbidden("admins_choose_organiser")
            self._check_organiser(changes["organiser_member_id"])
        if "capacity" in changes:
            self._check_capacity(changes["capacity"])
        changed = replace(meeting, **changes)
        check_times(changed.starts_at, changed.ends_at, now)
        if changed.capacity < meeting.registered_count:
            raise Conflict(
                "capacity_below_registered",
                registered=meeting.registered_count,
                capacity=changed.capacity,
            )
        shown = any(getattr(changed, f) != getattr(meeting, f) for f in SHOWN_FIELDS)
        return replace(
            changed,
            sequence=meeting.sequence + int(shown),
            version=meeting.version + 1,
            updated_at=now,
        )

    def cancel(self, meeting_id: str, by: str, is_admin: bool) -> Meeting:
        """Cancelled for good; everyone signed up hears of it (the mail job) and calendars
        show the event as cancelled. Registrations stay as the record of who had signed up."""
        for attempt in range(_RETRIES):
            meeting = self.store.get(meeting_id)
            meeting.require_manager(by, is_admin)
            meeting.require_changeable(self.clock.now())
            cancelled = replace(
                meeting,
                status="cancelled",
                sequence=meeting.sequence + 1,
                version=meeting.version + 1,
                updated_at=self.clock.now(),
            )
            news = News(meeting.id, cancelled.sequence, "cancelled")
            if self.store.save_details(cancelled, news):
                return cancelled
            _pause(attempt)
        raise Conflict("busy")

    def _check_capacity(self, capacity: int) -> None:
        most = self.policy.meeting_capacity_max
        if capacity > most:
            problem = FieldProblem("capacity", "above_maximum", {"maximum": most})
            raise InvalidInput("invalid_input", problems=[problem])

    def _check_organiser(self, member_id: str | None) -> None:
        if member_id is None:
            return
        try:
            active = self.members.get_member(member_id).is_active
        except NotFound:
            active = False
        if not active:
            problem = FieldProblem("organiser_member_id", "not_an_active_member")
            raise InvalidInput("invalid_input", problems=[problem])

    # Signing up ----------------------------------------------------------------------------

    def register(self, meeting_id: str, member: Member, pitch: str) -> SignUp:
        """A seat if one is free and nobody waits, else the waiting list; a repeat answers
        the registration as it stands and changes nothing."""
        existing = self.store.get_registration(meeting_id, member.id)
        if existing is not None:
            return self._sign_up_of(existing)
        meeting = self.store.get(meeting_id)
        meeting.require_open_for_sign_up(self.clock.now())
        if pitch and not member.available:
            raise Conflict("pitch_needs_available")
        registration = Registration(
            meeting_id, member.id, "registered", self.store.next_seq(meeting_id), pitch,
            self.clock.now(),
        )  # fmt: skip
        for attempt in range(_RETRIES):
            outcome = self.store.take_seat(registration)
            if outcome is Outcome.REFUSED:
                outcome = self.store.join_waitlist(replace(registration, status="waitlisted"))
                if outcome is Outcome.DONE:
                    return self._waiting(meeting_id, member.id)
            if outcome is Outcome.DONE:
                return SignUp(meeting_id, "registered", None, pitch)
            if outcome is Outcome.EXISTS:
                return self.register(meeting_id, member, pitch)
            # refused both ways (a seat came free, or the meeting was cancelled) or a collision
            self.store.get(meeting_id).require_open_for_sign_up(self.clock.now())
            _pause(attempt)
        raise Conflict("busy")

    def _waiting(self, meeting_id: str, member_id: str) -> SignUp:
        """Just put on the waiting list; a seat that is free after all (capacity raised while
        we wrote) goes to the first in line at once."""
        if self.store.get(meeting_id).free_seats > 0:
            self._fill_free_seats(meeting_id)
        registration = self.store.get_registration(meeting_id, member_id)
        assert registration is not None
        return self._sign_up_of(registration)

    def _sign_up_of(self, registration: Registration) -> SignUp:
        position = None
        if registration.status == "waitlisted":
            everyone = self.store.registrations(registration.meeting_id)
            position = waiting_position(everyone, registration.member_id)
        return SignUp(registration.meeting_id, registration.status, position, registration.pitch)

    def my_sign_up(self, meeting_id: str, member_id: str) -> SignUp | None:
        registration = self.store.get_registration(meeting_id, member_id)
        return self._sign_up_of(registration) if registration else None

    def unregister(self, meeting_id: str, member_id: str) -> Meeting:
        """Frees the seat (the first waiting member moves up and is mailed) or the place on
        the waiting list; not signed up is fine (a repeat changes nothing)."""
        for attempt in range(_RETRIES):
            registration = self.store.get_registration(meeting_id, member_id)
            if registration is None:
                return self.store.get(meeting_id)
            self.store.get(meeting_id).require_changeable(self.clock.now())
            promoted, mail = None, None
            if registration.status == "registered":
                promoted = self._first_waiting(meeting_id)
                mail = self._moved_up_mail(promoted) if promoted else None
            with self.uow() as uow:
                self.store.register_leave(uow, registration, promoted)
                if mail is not None:
                    self.outbox.register(uow, mail, refusal=SeatsChanged)
                outcome = self.store.outcome(uow)
            if outcome is Outcome.DONE:
                if mail is not None:
                    self.outbox.send_now([mail.queued])
                return self.store.get(meeting_id)
            _pause(attempt)
        raise Conflict("busy")

    def _first_waiting(self, meeting_id: str) -> Registration | None:
        """The first member on the waiting list who is still a member; waiting entries of
        members who have left are cleared on the way."""
        everyone = self.store.registrations(meeting_id)
        waiting = [r for r in in_order(everyone) if r.status == "waitlisted"]
        people = self.members.get_members([r.member_id for r in waiting])
        for registration in waiting:
            member = people.get(registration.member_id)
            if member is not None and member.is_active:
                return registration
            self.store.leave(registration)
        return None

    def _fill_free_seats(self, meeting_id: str) -> None:
        for attempt in range(_RETRIES):
            meeting = self.store.get(meeting_id)
            if meeting.status != "planned" or meeting.free_seats == 0:
                return
            first = self._first_waiting(meeting_id)
            if first is None:
                return
            mail = self._moved_up_mail(first)
            with self.uow() as uow:
                self.store.register_promotion(uow, first)
                self.outbox.register(uow, mail, refusal=SeatsChanged)
                outcome = self.store.outcome(uow)
            if outcome is Outcome.DONE:
                self.outbox.send_now([mail.queued])
            else:
                _pause(attempt)

    def _moved_up_mail(self, promoted: Registration) -> PreparedMail:
        member = self.members.get_member(promoted.member_id)
        meeting = self.store.get(promoted.meeting_id)
        letter = moved_up_letter(Recipient.of(member), meeting, self.mail_context(meeting))
        mail_id = f"meeting:{meeting.id}:moved-up:{member.id}:{promoted.seq}"
        return self.outbox.prepare(mail_id, "meeting_moved_up", member.id, letter.to(member.email))

    def mail_context(self, meeting: Meeting) -> MeetingMailContext:
        name = None
        if meeting.organiser_member_id:
            try:
                name = self.members.get_member(meeting.organiser_member_id).name
            except NotFound:
                name = None
        return MeetingMailContext(self.links, name)

    def release_member(self, member_id: str) -> int:
        """A member who left the collective gives up their seats and waiting places for
        meetings still to come (the waiting lists move up); answers how many."""
        registrations = list(self.store.registrations_of(member_id))
        meetings = self.store.get_many([r.meeting_id for r in registrations])
        now, released = self.clock.now(), 0
        for registration in registrations:
            meeting = meetings.get(registration.meeting_id)
            if meeting is None or meeting.status != "planned" or meeting.starts_at <= now:
                continue
            self.unregister(meeting.id, member_id)
            released += 1
        return released

    # The evening ---------------------------------------------------------------------------

    def attendees(self, meeting_id: str, by: str, is_admin: bool) -> list[Attendee]:
        """Registered members in order of signing up, then the waiting list in order, with
        their pitches (admins and the organiser)."""
        self.store.get(meeting_id).require_manager(by, is_admin)
        return self._attendees(meeting_id)

    def _attendees(self, meeting_id: str) -> list[Attendee]:
        everyone = in_order(self.store.registrations(meeting_id))
        people = self.members.get_members([r.member_id for r in everyone])
        place = 0
        found = []
        for registration in everyone:
            position = None
            if registration.status == "waitlisted":
                place += 1
                position = place
            found.append(Attendee(registration, people.get(registration.member_id), position))
        return found

    def mark_attendance(self, meeting_id: str, member_ids: list[str]) -> list[Attendee]:
        """After the meeting an admin names who came: the meeting is `held`. Marking again
        replaces the earlier marks."""
        meeting = self.store.get(meeting_id)
        meeting.require_attendance_markable(self.clock.now())
        signed_up = {r.member_id for r in self.store.registrations(meeting_id)}
        unknown = [m for m in member_ids if m not in signed_up]
        if unknown:
            problem = FieldProblem("member_ids", "not_signed_up", {"count": len(unknown)})
            raise InvalidInput("invalid_input", problems=[problem])
        if not self.store.mark_held(meeting_id, self.clock.now()):
            raise Conflict("meeting_cancelled")
        came = set(member_ids)
        for member_id in sorted(signed_up):
            self.store.set_attended(meeting_id, member_id, member_id in came)
        return self._attendees(meeting_id)

    def last_meeting_pitches(self) -> dict[str, str]:
        """Who pitched at the latest meeting that took place: registered members with a pitch
        (of those who came, once attendance is marked)."""
        meeting = self.store.last_ended(self.clock.now())
        if meeting is None:
            return {}
        return {
            r.member_id: r.pitch
            for r in self.store.registrations(meeting.id)
            if r.pitch and r.status == "registered" and r.attended is not False
        }

    # Quarters ------------------------------------------------------------------------------

    def coverage(self) -> Coverage:
        """Meetings in this quarter and the next, and whether the next one needs a meeting."""
        now = self.clock.now()
        current = Quarter.containing(now)
        following = current.next()
        meetings = list(self.store.ending_from(current.starts_at()))
        this_one = QuarterCoverage(current, meetings_in(current, meetings))
        next_one = QuarterCoverage(following, meetings_in(following, meetings))
        return Coverage(
            this_one,
            next_one,
            next_quarter_needs_warning(now, next_one),
            quarter_middle(current),
        )
