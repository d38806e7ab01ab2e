"""Meetings, their registrations and waiting lists, pending meeting news, calendar feeds.

Seats are kept by conditions, never by reading and then writing: taking a seat is one
unit of work that adds 1 to the meeting's `registered_count` on condition that it is below
`capacity` (and nobody is waiting), together with the registration item on condition that
it is new. Two members taking the last seat at once: one transaction wins, the other's
condition fails and it joins the waiting list instead (a transaction with the opposite
condition). Leaving hands the seat to the first waiting member in the same transaction, with
the mail that tells them, or gives the seat back when nobody waits.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.meetings import Meeting, Registration
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.records import MeetingPage as MeetingPage
from chalicelib.store.records import News as News
from chalicelib.store.records import Outcome as Outcome
from chalicelib.store.refusals import SeatsChanged as SeatsChanged
from chalicelib.store.refusals import SignedUpAlready as SignedUpAlready
from chalicelib.store.schema import GSI_BY_STATUS, GSI_BY_TIME
from chalicelib.store.timestamps import maybe_unstamp, stamp, unstamp
from chalicelib.store.uow import UnitOfWork

ALL_MEETINGS = "MEETINGS"
PENDING_NEWS = "MEETINGNEWS#pending"
NEW = "attribute_not_exists(PK)"
STATUS = {"#status": "status", "#capacity": "capacity"}  # DynamoDB reserved words


def meeting_key(meeting_id: str) -> tuple[str, str]:
    return f"MEETING#{meeting_id}", "MEETING"


def registration_key(meeting_id: str, member_id: str) -> tuple[str, str]:
    return f"MEETING#{meeting_id}", f"REG#{member_id}"


def member_meetings_partition(member_id: str) -> str:
    return f"MEMBERMEETINGS#{member_id}"


class MeetingStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    # Meetings ------------------------------------------------------------------------------

    def add(self, meeting: Meeting) -> None:
        """The meeting and its pending invitation news, together."""
        with UnitOfWork(self.table.client) as uow:
            uow.put("meeting.new", self.table, _meeting_item(meeting), condition=NEW)
            news = News(meeting.id, meeting.sequence, "published")
            self.register_news(uow, news, meeting.created_at)
            uow.commit()

    def get(self, meeting_id: str) -> Meeting:
        item = self.table.get(*meeting_key(meeting_id))
        if item is None:
            raise NotFound("meeting_not_found")
        return _meeting_from(item)

    def get_many(self, meeting_ids: list[str]) -> dict[str, Meeting]:
        found = self.table.get_many([meeting_key(m) for m in meeting_ids])
        return {item["meeting_id"]: _meeting_from(item) for item in found.values()}

    def upcoming(self, now: datetime, limit: int, cursor: str | None) -> MeetingPage:
        """Meetings that have not ended, soonest first."""
        page = self.table.query_page(
            ALL_MEETINGS, index=GSI_BY_TIME, sk_from=stamp(now), limit=limit, cursor=cursor
        )
        return MeetingPage([_meeting_from(i) for i in page.items], page.next_cursor)

    def past(self, now: datetime, limit: int, cursor: str | None) -> MeetingPage:
        """Meetings that have ended, latest first."""
        page = self.table.query_page(
            ALL_MEETINGS,
            index=GSI_BY_TIME,
            sk_before=stamp(now),
            limit=limit,
            cursor=cursor,
            newest_first=True,
        )
        return MeetingPage([_meeting_from(i) for i in page.items], page.next_cursor)

    def ending_from(self, instant: datetime) -> Iterator[Meeting]:
        """Every meeting that ends at or after the instant, in order (jobs)."""
        for item in self.table.query_all(ALL_MEETINGS, index=GSI_BY_TIME, sk_from=stamp(instant)):
            yield _meeting_from(item)

    def last_ended(self, now: datetime) -> Meeting | None:
        """The latest meeting that took place (ended, not cancelled)."""
        cursor: str | None = None
        while True:
            page = self.past(now, 10, cursor)
            for meeting in page.meetings:
                if meeting.status != "cancelled":
                    return meeting
            if page.next_cursor is None:
                return None
            cursor = page.next_cursor

    def save_details(self, changed: Meeting, news: News | None) -> bool:
        """Writes edited fields if nobody changed the meeting since it was read and the new
        capacity still holds everyone registered; False otherwise (re-read and decide)."""
        fields = _detail_fields(changed)
        sets = ", ".join(f"#{name} = :{name}" for name in fields)
        with UnitOfWork(self.table.client) as uow:
            uow.update(
                "meeting",
                self.table,
                meeting_key(changed.id),
                f"SET {sets}",
                {f":{name}": value for name, value in fields.items()}
                | {":read": changed.version - 1, ":planned": "planned"},
                condition=(
                    "#version = :read AND #status = :planned AND registered_count <= :capacity"
                ),
                names={f"#{name}": name for name in fields} | STATUS,
                refusal=SeatsChanged,
            )
            if news:
                self.register_news(uow, news, changed.updated_at)
            return self.outcome(uow) is Outcome.DONE

    def mark_held(self, meeting_id: str, at: datetime) -> bool:
        """Status `held` (again), unless the meeting was cancelled meanwhile."""
        with UnitOfWork(self.table.client) as uow:
            uow.update(
                "meeting",
                self.table,
                meeting_key(meeting_id),
                "SET #status = :held, held_at = :at, updated_at = :at ADD #version :one",
                {":held": "held", ":planned": "planned", ":at": stamp(at), ":one": 1},
                condition="#status IN (:planned, :held)",
                names={"#status": "status", "#version": "version"},
                refusal=SeatsChanged,
            )
            return self.outcome(uow) is Outcome.DONE

    # Registrations ---------------------------------------------------------------------------

    def next_seq(self, meeting_id: str) -> int:
        """A number for a new sign-up; later sign-ups get higher numbers."""
        pk, sk = meeting_key(meeting_id)
        return self.table.increment(pk, sk, "signups", "attribute_exists(PK)")

    def get_registration(self, meeting_id: str, member_id: str) -> Registration | None:
        item = self.table.get(*registration_key(meeting_id, member_id))
        return _registration_from(item) if item else None

    def registrations_of_many(
        self, meeting_ids: list[str], member_id: str
    ) -> dict[str, Registration]:
        found = self.table.get_many([registration_key(m, member_id) for m in meeting_ids])
        return {item["meeting_id"]: _registration_from(item) for item in found.values()}

    def registrations(self, meeting_id: str) -> list[Registration]:
        """Everyone signed up for a meeting (registered and waiting), unordered."""
        items = self.table.query_all(f"MEETING#{meeting_id}", sk_prefix="REG#")
        return [_registration_from(i) for i in items]

    def registrations_of(self, member_id: str) -> Iterator[Registration]:
        """Every registration of a member, oldest sign-up first."""
        partition = member_meetings_partition(member_id)
        for item in self.table.query_all(partition, index=GSI_BY_TIME):
            yield _registration_from(item)

    def recent_registrations_of(self, member_id: str, limit: int) -> list[Registration]:
        page = self.table.query_page(
            member_meetings_partition(member_id), index=GSI_BY_TIME, limit=limit, newest_first=True
        )
        return [_registration_from(i) for i in page.items]

    def take_seat(self, registration: Registration) -> Outcome:
        """Registers the member on a free seat, if there is one and nobody is waiting."""
        with UnitOfWork(self.table.client) as uow:
            self._register_new_registration(uow, registration)
            uow.update(
                "meeting.seats",
                self.table,
                meeting_key(registration.meeting_id),
                "ADD registered_count :one",
                {":one": 1, ":zero": 0, ":planned": "planned"},
                condition=(
                    "#status = :planned AND registered_count < #capacity AND waitlist_count = :zero"
                ),
                names=STATUS,
                refusal=SeatsChanged,
            )
            return self.outcome(uow)

    def join_waitlist(self, registration: Registration) -> Outcome:
        """Puts the member on the waiting list, if the meeting is full or others wait."""
        with UnitOfWork(self.table.client) as uow:
            self._register_new_registration(uow, registration)
            uow.update(
                "meeting.seats",
                self.table,
                meeting_key(registration.meeting_id),
                "ADD waitlist_count :one",
                {":one": 1, ":zero": 0, ":planned": "planned"},
                condition=(
                    "#status = :planned AND "
                    "(registered_count >= #capacity OR waitlist_count > :zero)"
                ),
                names=STATUS,
                refusal=SeatsChanged,
            )
            return self.outcome(uow)

    def leave(self, registration: Registration) -> Outcome:
        """Removes a registration nobody moves up for (a waiting one, or a seat given back
        to the meeting when nobody waits)."""
        with UnitOfWork(self.table.client) as uow:
            self.register_leave(uow, registration, None)
            return self.outcome(uow)

    def register_leave(
        self, uow: UnitOfWork, registration: Registration, promoted: Registration | None
    ) -> None:
        """Removes a registration ("meeting.registration"). A registered member's seat goes
        to `promoted` (the first on the waiting list; register the mail that tells them
        beside it), or back to the meeting when nobody waits. Seats not as read: SeatsChanged
        (see `outcome`)."""
        meeting_id = registration.meeting_id
        uow.delete(
            "meeting.registration",
            self.table,
            registration_key(meeting_id, registration.member_id),
            condition="attribute_exists(PK) AND seq = :seq",
            values={":seq": registration.seq},
            refusal=SeatsChanged,
        )
        if registration.status == "waitlisted":
            self._register_counter(uow, meeting_id, "waitlist_count", "waitlist_count > :zero")
        elif promoted is None:
            self._register_counter(uow, meeting_id, "registered_count", "waitlist_count = :zero")
        else:
            self._register_counter(uow, meeting_id, "waitlist_count", "waitlist_count > :zero")
            self._register_promotion(uow, promoted)

    def register_promotion(self, uow: UnitOfWork, promoted: Registration) -> None:
        """Moves the first waiting member onto a seat that is free (capacity was raised);
        register the mail that tells them beside it. Seats not as read: SeatsChanged."""
        uow.update(
            "meeting.seats",
            self.table,
            meeting_key(promoted.meeting_id),
            "ADD registered_count :one, waitlist_count :minus",
            {":one": 1, ":minus": -1, ":planned": "planned"},
            condition="#status = :planned AND registered_count < #capacity",
            names=STATUS,
            refusal=SeatsChanged,
        )
        self._register_promotion(uow, promoted)

    @staticmethod
    def outcome(uow: UnitOfWork) -> Outcome:
        """Commits the unit of work and says how it went (for a caller that decides again
        when the seats were not as it read them)."""
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
        self.table.update(
            *registration_key(meeting_id, member_id), "SET attended = :a", {":a": attended}
        )

    # News for the mail job -------------------------------------------------------------------

    def register_news(self, uow: UnitOfWork, news: News, at: datetime) -> None:
        item = {
            "PK": f"MEETING#{news.meeting_id}",
            "SK": f"NEWS#{news.sequence:06d}",
            "GSI1PK": PENDING_NEWS,
            "GSI1SK": f"{stamp(at)}#{news.meeting_id}#{news.sequence:06d}",
            "meeting_id": news.meeting_id,
            "sequence": news.sequence,
            "kind": news.kind,
        }
        uow.put("meeting.news", self.table, item)

    def pending_news(self) -> list[News]:
        """Pending news, oldest first."""
        return [
            News(i["meeting_id"], int(i["sequence"]), i["kind"])
            for i in self.table.query_all(PENDING_NEWS, index=GSI_BY_STATUS)
        ]

    def finish_news(self, news: News) -> None:
        with UnitOfWork(self.table.client) as uow:
            key = (f"MEETING#{news.meeting_id}", f"NEWS#{news.sequence:06d}")
            uow.delete("meeting.news", self.table, key)
            uow.commit()

    # Calendar feeds --------------------------------------------------------------------------

    def feed_version(self, member_id: str) -> int:
        item = self.table.get(f"MEMBER#{member_id}", "CALENDAR")
        return int(item["version"]) if item else 0

    def next_feed_version(self, member_id: str) -> int:
        return self.table.increment(f"MEMBER#{member_id}", "CALENDAR", "version")

    # Helpers ---------------------------------------------------------------------------------

    def _register_new_registration(self, uow: UnitOfWork, registration: Registration) -> None:
        """Registered first: signed up already explains everything else that fails."""
        uow.put(
            "meeting.registration",
            self.table,
            _registration_item(registration),
            condition=NEW,
            refusal=lambda: SignedUpAlready("meeting.registration"),
        )

    def _register_promotion(self, uow: UnitOfWork, promoted: Registration) -> None:
        uow.update(
            "meeting.promoted",
            self.table,
            registration_key(promoted.meeting_id, promoted.member_id),
            "SET #status = :registered",
            {":registered": "registered", ":waitlisted": "waitlisted", ":seq": promoted.seq},
            condition="#status = :waitlisted AND seq = :seq",
            names={"#status": "status"},
            refusal=SeatsChanged,
        )

    def _register_counter(
        self, uow: UnitOfWork, meeting_id: str, counter: str, condition: str
    ) -> None:
        uow.update(
            "meeting.seats",
            self.table,
            meeting_key(meeting_id),
            f"ADD {counter} :by",
            {":by": -1, ":zero": 0},
            condition=condition,
            refusal=SeatsChanged,
        )


def _detail_fields(m: Meeting) -> dict[str, Any]:
    return {
        "title": m.title,
        "theme": m.theme or "",
        "starts_at": stamp(m.starts_at),
        "ends_at": stamp(m.ends_at),
        "venue": m.venue,
        "address": m.address,
        "city": m.city,
        "capacity": m.capacity,
        "description": m.description or "",
        "organiser_member_id": m.organiser_member_id or "",
        "sequence": m.sequence,
        "version": m.version,
        "updated_at": stamp(m.updated_at),
        "status": m.status,
        "GSI2SK": f"{stamp(m.ends_at)}#{m.id}",
    }


def _meeting_item(m: Meeting) -> Item:
    pk, sk = meeting_key(m.id)
    return {
        "PK": pk,
        "SK": sk,
        "GSI2PK": ALL_MEETINGS,
        "meeting_id": m.id,
        "created_at": stamp(m.created_at),
        "created_by": m.created_by,
        "registered_count": m.registered_count,
        "waitlist_count": m.waitlist_count,
        "signups": 0,
        **_detail_fields(m),
    }


def _meeting_from(item: Item) -> Meeting:
    return Meeting(
        id=item["meeting_id"],
        title=item["title"],
        theme=item.get("theme") or None,
        starts_at=unstamp(item["starts_at"]),
        ends_at=unstamp(item["ends_at"]),
        venue=item["venue"],
        address=item["address"],
        city=item["city"],
        capacity=int(item["capacity"]),
        description=item.get("description") or None,
        organiser_member_id=item.get("organiser_member_id") or None,
        status=item["status"],
        created_at=unstamp(item["created_at"]),
        created_by=item["created_by"],
        updated_at=unstamp(item["updated_at"]),
        sequence=int(item.get("sequence", 0)),
        version=int(item.get("version", 1)),
        registered_count=int(item.get("registered_count", 0)),
        waitlist_count=int(item.get("waitlist_count", 0)),
    )


def _registration_item(r: Registration) -> Item:
    pk, sk = registration_key(r.meeting_id, r.member_id)
    registered_at = stamp(r.registered_at)
    return {
        "PK": pk,
        "SK": sk,
        "GSI2PK": member_meetings_partition(r.member_id),
        "GSI2SK": f"{registered_at}#{r.meeting_id}",
        "meeting_id": r.meeting_id,
        "member_id": r.member_id,
        "status": r.status,
        "seq": r.seq,
        "pitch": r.pitch,
        "registered_at": registered_at,
    }


def _registration_from(item: Item) -> Registration:
    registered_at = maybe_unstamp(item.get("registered_at"))
    assert registered_at is not None
    attended = item.get("attended")
    return Registration(
        meeting_id=item["meeting_id"],
        member_id=item["member_id"],
        status=item["status"],
        seq=int(item["seq"]),
        pitch=item.get("pitch", ""),
        registered_at=registered_at,
        attended=bool(attended) if attended is not None else None,
    )
