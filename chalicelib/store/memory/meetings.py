"""Meetings, registrations and waiting lists in memory (`chalicelib.store.meetings.
MeetingStore`'s methods and refusals).

Seats are kept by guards, as the DynamoDB store keeps them by conditions: taking a seat
checks, when committing, that a seat is free and nobody waits; joining the waiting list that
the meeting is full or others wait; leaving that the registration is the one read, and hands
the seat to the first waiting member in the same commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.meetings import Meeting, Registration
from chalicelib.store.memory.paging import page_of
from chalicelib.store.memory.uow import Guard, MemoryState, MemoryUnitOfWork
from chalicelib.store.records import MeetingPage, News, Outcome
from chalicelib.store.refusals import SeatsChanged, SignedUpAlready
from chalicelib.store.timestamps import stamp


@dataclass
class _Pending:
    news: News
    sort_key: str


class MemoryMeetings:
    def __init__(self, state: MemoryState) -> None:
        self.state = state
        self.meetings: dict[str, Meeting] = {}
        self.registrations_by_meeting: dict[str, dict[str, Registration]] = {}
        self.signups: dict[str, int] = {}
        self.news: dict[tuple[str, int], _Pending] = {}
        self.feeds: dict[str, int] = {}

    # Meetings ------------------------------------------------------------------------------

    def add(self, meeting: Meeting) -> None:
        stored = _as_stored(meeting)
        meetings = self.meetings
        with MemoryUnitOfWork(self.state) as uow:
            uow.register(
                "meeting.new",
                lambda: meetings.__setitem__(stored.id, stored),
                guard=lambda: stored.id not in meetings,
            )
            news = News(meeting.id, meeting.sequence, "published")
            self.register_news(uow, news, meeting.created_at)
            uow.commit()

    def get(self, meeting_id: str) -> Meeting:
        meeting = self.meetings.get(meeting_id)
        if meeting is None:
            raise NotFound("meeting_not_found")
        return meeting

    def get_many(self, meeting_ids: list[str]) -> dict[str, Meeting]:
        return {m: self.meetings[m] for m in meeting_ids if m in self.meetings}

    def _by_end(self) -> list[tuple[str, Meeting]]:
        with self.state.lock:
            return [(f"{stamp(m.ends_at)}#{m.id}", m) for m in self.meetings.values()]

    def upcoming(self, now: datetime, limit: int, cursor: str | None) -> MeetingPage:
        keyed = [(k, m) for k, m in self._by_end() if k >= stamp(now)]
        found, next_cursor = page_of(keyed, limit, cursor)
        return MeetingPage(found, next_cursor)

    def past(self, now: datetime, limit: int, cursor: str | None) -> MeetingPage:
        keyed = [(k, m) for k, m in self._by_end() if k < stamp(now)]
        found, next_cursor = page_of(keyed, limit, cursor, newest_first=True)
        return MeetingPage(found, next_cursor)

    def ending_from(self, instant: datetime) -> Iterator[Meeting]:
        for _, meeting in sorted((k, m) for k, m in self._by_end() if k >= stamp(instant)):
            yield meeting

    def last_ended(self, now: datetime) -> Meeting | None:
        ended = sorted((k, m) for k, m in self._by_end() if k < stamp(now))
        for _, meeting in reversed(ended):
            if meeting.status != "cancelled":
                return meeting
        return None

    def save_details(self, changed: Meeting, news: News | None) -> bool:
        """Nobody changed the meeting since it was read, it is planned, and the new capacity
        holds everyone registered; False otherwise."""
        meetings, changed = self.meetings, _as_stored(changed)

        def as_read() -> bool:
            current = meetings.get(changed.id)
            return (
                current is not None
                and current.version == changed.version - 1
                and current.status == "planned"
                and current.registered_count <= changed.capacity
            )

        def apply() -> None:
            current = meetings[changed.id]
            meetings[changed.id] = replace(
                changed,
                created_at=current.created_at,
                created_by=current.created_by,
                registered_count=current.registered_count,
                waitlist_count=current.waitlist_count,
            )

        with MemoryUnitOfWork(self.state) as uow:
            uow.register("meeting", apply, guard=as_read, refusal=SeatsChanged)
            if news:
                self.register_news(uow, news, changed.updated_at)
            return self.outcome(uow) is Outcome.DONE

    def mark_held(self, meeting_id: str, at: datetime) -> bool:
        meetings = self.meetings

        def holdable() -> bool:
            current = meetings.get(meeting_id)
            return current is not None and current.status in ("planned", "held")

        def apply() -> None:
            current = meetings[meeting_id]
            meetings[meeting_id] = replace(
                current, status="held", updated_at=at, version=current.version + 1
            )

        with MemoryUnitOfWork(self.state) as uow:
            uow.register("meeting", apply, guard=holdable, refusal=SeatsChanged)
            return self.outcome(uow) is Outcome.DONE

    # Registrations ---------------------------------------------------------------------------

    def next_seq(self, meeting_id: str) -> int:
        with self.state.lock:
            if meeting_id not in self.meetings:
                raise NotFound("meeting_not_found")
            self.signups[meeting_id] = self.signups.get(meeting_id, 0) + 1
            return self.signups[meeting_id]

    def get_registration(self, meeting_id: str, member_id: str) -> Registration | None:
        return self.registrations_by_meeting.get(meeting_id, {}).get(member_id)

    def registrations_of_many(
        self, meeting_ids: list[str], member_id: str
    ) -> dict[str, Registration]:
        found = {m: self.get_registration(m, member_id) for m in meeting_ids}
        return {m: r for m, r in found.items() if r is not None}

    def registrations(self, meeting_id: str) -> list[Registration]:
        with self.state.lock:
            return list(self.registrations_by_meeting.get(meeting_id, {}).values())

    def _of_member(self, member_id: str) -> list[Registration]:
        """A member's registrations, oldest sign-up first."""
        with self.state.lock:
            found = [
                (f"{stamp(r.registered_at)}#{r.meeting_id}", r)
                for regs in self.registrations_by_meeting.values()
                for r in regs.values()
                if r.member_id == member_id
            ]
        return [r for _, r in sorted(found, key=lambda pair: pair[0])]

    def registrations_of(self, member_id: str) -> Iterator[Registration]:
        yield from self._of_member(member_id)

    def recent_registrations_of(self, member_id: str, limit: int) -> list[Registration]:
        return list(reversed(self._of_member(member_id)))[:limit]

    def take_seat(self, registration: Registration) -> Outcome:
        """Registers the member on a free seat, if there is one and nobody is waiting."""

        def free_seat(m: Meeting) -> bool:
            return m.registered_count < m.capacity and m.waitlist_count == 0

        with MemoryUnitOfWork(self.state) as uow:
            self._register_new_registration(uow, registration)
            self._register_seats(
                uow, registration.meeting_id, free_seat, registered=1, planned=True
            )
            return self.outcome(uow)

    def join_waitlist(self, registration: Registration) -> Outcome:
        """Puts the member on the waiting list, if the meeting is full or others wait."""

        def full(m: Meeting) -> bool:
            return m.registered_count >= m.capacity or m.waitlist_count > 0

        with MemoryUnitOfWork(self.state) as uow:
            self._register_new_registration(uow, registration)
            self._register_seats(uow, registration.meeting_id, full, waiting=1, planned=True)
            return self.outcome(uow)

    def leave(self, registration: Registration) -> Outcome:
        with MemoryUnitOfWork(self.state) as uow:
            self.register_leave(uow, registration, None)
            return self.outcome(uow)

    def register_leave(
        self, uow: MemoryUnitOfWork, registration: Registration, promoted: Registration | None
    ) -> None:
        meeting_id, member_id = registration.meeting_id, registration.member_id
        registrations = self.registrations_by_meeting

        def as_read() -> bool:
            current = registrations.get(meeting_id, {}).get(member_id)
            return current is not None and current.seq == registration.seq

        def remove() -> None:
            del registrations[meeting_id][member_id]

        uow.register("meeting.registration", remove, guard=as_read, refusal=SeatsChanged)
        if registration.status == "waitlisted":
            self._register_seats(uow, meeting_id, lambda m: m.waitlist_count > 0, waiting=-1)
        elif promoted is None:
            self._register_seats(uow, meeting_id, lambda m: m.waitlist_count == 0, registered=-1)
        else:
            self._register_seats(uow, meeting_id, lambda m: m.waitlist_count > 0, waiting=-1)
            self._register_promoted(uow, promoted)

    def register_promotion(self, uow: MemoryUnitOfWork, promoted: Registration) -> None:
        def free_seat(m: Meeting) -> bool:
            return m.status == "planned" and m.registered_count < m.capacity

        self._register_seats(uow, promoted.meeting_id, free_seat, registered=1, waiting=-1)
        self._register_promoted(uow, promoted)

    @staticmethod
    def outcome(uow: MemoryUnitOfWork) -> Outcome:
        """Commits the unit of work and says how it went."""
        try:
            uow.commit()
        except SignedUpAlready:
            return Outcome.EXISTS
        except SeatsChanged:
            return Outcome.REFUSED
        except Conflict as error:
            if error.code != "busy":
                raise
            return Outcome.CONFLICT
        return Outcome.DONE

    def set_attended(self, meeting_id: str, member_id: str, attended: bool) -> None:
        with self.state.lock:
            current = self.get_registration(meeting_id, member_id)
            if current is not None:
                self.registrations_by_meeting[meeting_id][member_id] = replace(
                    current, attended=attended
                )

    # News for the mail job -------------------------------------------------------------------

    def register_news(self, uow: MemoryUnitOfWork, news: News, at: datetime) -> None:
        pending = _Pending(news, f"{stamp(at)}#{news.meeting_id}#{news.sequence:06d}")
        store = self.news
        uow.register(
            "meeting.news", lambda: store.__setitem__((news.meeting_id, news.sequence), pending)
        )

    def pending_news(self) -> list[News]:
        with self.state.lock:
            found = sorted(self.news.values(), key=lambda p: p.sort_key)
        return [p.news for p in found]

    def finish_news(self, news: News) -> None:
        with self.state.lock:
            self.news.pop((news.meeting_id, news.sequence), None)

    # Calendar feeds --------------------------------------------------------------------------

    def feed_version(self, member_id: str) -> int:
        return self.feeds.get(member_id, 0)

    def next_feed_version(self, member_id: str) -> int:
        with self.state.lock:
            self.feeds[member_id] = self.feeds.get(member_id, 0) + 1
            return self.feeds[member_id]

    # Helpers ---------------------------------------------------------------------------------

    def _register_new_registration(self, uow: MemoryUnitOfWork, registration: Registration) -> None:
        """Registered first: signed up already explains everything else that fails."""
        meeting_id, member_id = registration.meeting_id, registration.member_id
        registrations = self.registrations_by_meeting
        stored = replace(registration, attended=None)

        def put() -> None:
            registrations.setdefault(meeting_id, {})[member_id] = stored

        uow.register(
            "meeting.registration",
            put,
            guard=lambda: member_id not in registrations.get(meeting_id, {}),
            refusal=lambda: SignedUpAlready("meeting.registration"),
        )

    def _register_seats(
        self,
        uow: MemoryUnitOfWork,
        meeting_id: str,
        holds: Callable[[Meeting], bool],
        *,
        registered: int = 0,
        waiting: int = 0,
        planned: bool = False,
    ) -> None:
        """ "meeting.seats": the counters move by `registered` and `waiting` when `holds` (and,
        `planned`, the meeting is planned) for the meeting as it is; else SeatsChanged."""
        meetings = self.meetings

        def guard() -> bool:
            m = meetings.get(meeting_id)
            return m is not None and (not planned or m.status == "planned") and holds(m)

        def apply() -> None:
            m = meetings[meeting_id]
            meetings[meeting_id] = replace(
                m,
                registered_count=m.registered_count + registered,
                waitlist_count=m.waitlist_count + waiting,
            )

        uow.register("meeting.seats", apply, guard=guard, refusal=SeatsChanged)

    def _register_promoted(self, uow: MemoryUnitOfWork, promoted: Registration) -> None:
        meeting_id, member_id = promoted.meeting_id, promoted.member_id
        registrations = self.registrations_by_meeting

        def still_waiting() -> bool:
            current = registrations.get(meeting_id, {}).get(member_id)
            return (
                current is not None
                and current.status == "waitlisted"
                and current.seq == promoted.seq
            )

        def promote() -> None:
            current = registrations[meeting_id][member_id]
            registrations[meeting_id][member_id] = replace(current, status="registered")

        guard: Guard = still_waiting
        uow.register("meeting.promoted", promote, guard=guard, refusal=SeatsChanged)


def _as_stored(m: Meeting) -> Meeting:
    """As the DynamoDB store reads a meeting back: an empty theme, description or organiser
    is none."""
    return replace(
        m,
        theme=m.theme or None,
        description=m.description or None,
        organiser_member_id=m.organiser_member_id or None,
    )
