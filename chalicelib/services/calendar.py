"""Meetings as iCalendar (RFC 5545): one meeting to download, and each member's private feed.

Each meeting is one VEVENT with a stable UID, local times with the Europe/Amsterdam
VTIMEZONE, SEQUENCE raised on every change and STATUS:CANCELLED once cancelled, so Outlook,
Google and Apple calendars update the event instead of adding a second one.

A feed URL carries a token signed with the stage's signing secret over the member id and
the member's feed version; resetting the feed raises the version, so every earlier URL stops
working. `icalendar` is imported only when a calendar is rendered (it costs ~170 ms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.clock import Clock
from chalicelib.domain.meetings import Meeting, Registration, local_time
from chalicelib.mail.links import Links, Signer
from chalicelib.mail.meeting_letters import meeting_page
from chalicelib.mail.texts import Language, language_or_default, text
from chalicelib.periods import AMSTERDAM
from chalicelib.store.ports import MeetingRepository, MemberDirectory

FEED_PURPOSE = "calendar-feed"
FEED_SIZE = 200  # a member's latest sign-ups in their feed (about fifty years of meetings)
PRODUCT = "-//Co-operations//Meetings//NL"


@dataclass(frozen=True)
class CalendarEntry:
    meeting: Meeting
    registration: Registration | None  # the member's own, in a feed


class CalendarService:
    def __init__(
        self,
        store: MeetingRepository,
        members: MemberDirectory,
        signer: Signer,
        links: Links,
        uid_domain: str,
        clock: Clock,
    ) -> None:
        self.store = store
        self.members = members
        self.signer = signer
        self.links = links
        self.uid_domain = uid_domain
        self.clock = clock

    # Feed tokens -----------------------------------------------------------------------------

    def feed_token(self, member_id: str) -> str:
        return self._token(member_id, self.store.feed_version(member_id))

    def reset_feed(self, member_id: str) -> str:
        """A new feed URL; the old ones stop working."""
        return self._token(member_id, self.store.next_feed_version(member_id))

    def _token(self, member_id: str, version: int) -> str:
        return self.signer.sign(FEED_PURPOSE, f"{member_id}-{version}")

    def member_of(self, token: str) -> str | None:
        """The member whose current, still valid feed this is; None for anything else."""
        subject = self.signer.verify(FEED_PURPOSE, token)
        if subject is None:
            return None
        member_id, _, version = subject.rpartition("-")
        if not version.isdigit() or int(version) != self.store.feed_version(member_id):
            return None
        return member_id

    # Calendars -------------------------------------------------------------------------------

    def feed(self, member_id: str) -> str:
        """The meetings the member signed up for (registered, or tentatively on the waiting
        list), in their language; a cancelled membership's feed is empty."""
        member = self.members.get_member(member_id)
        entries: list[CalendarEntry] = []
        if member.is_active:
            registrations = self.store.recent_registrations_of(member_id, FEED_SIZE)
            meetings = self.store.get_many([r.meeting_id for r in registrations])
            entries = [
                CalendarEntry(meetings[r.meeting_id], r)
                for r in registrations
                if r.meeting_id in meetings
            ]
        return self.render(entries, language_or_default(member.language))

    def event(self, meeting_id: str, language: str) -> str:
        meeting = self.store.get(meeting_id)
        return self.render([CalendarEntry(meeting, None)], language_or_default(language))

    def render(self, entries: Sequence[CalendarEntry], lang: Language) -> str:
        from icalendar import Calendar  # lazily: only calendar requests pay for the import

        calendar = Calendar()
        calendar.add("prodid", PRODUCT)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", text(lang, "meeting.calendar.name"))
        calendar.add("x-wr-timezone", str(AMSTERDAM))
        # Outlook and Google re-read a subscribed feed about this often.
        calendar.add("refresh-interval", _hour(), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
        for entry in sorted(entries, key=lambda e: e.meeting.starts_at):
            calendar.add_component(self._event(entry, lang))
        first, last = _years_spanned(entries, self.clock.now().date())
        calendar.add_missing_timezones(first_date=first, last_date=last)
        return str(calendar.to_ical().decode("utf-8"))

    def _event(self, entry: CalendarEntry, lang: Language) -> Any:
        from icalendar import Event

        m, waiting = (
            entry.meeting,
            entry.registration is not None and (entry.registration.status == "waitlisted"),
        )
        event = Event()
        event.add("uid", f"meeting-{m.id}@{self.uid_domain}")
        # With METHOD:PUBLISH, DTSTAMP is when this calendar was made (RFC 5545 3.8.7.2).
        event.add("dtstamp", self.clock.now())
        event.add("created", m.created_at)
        event.add("last-modified", m.updated_at)
        event.add("sequence", m.sequence)
        event.add("dtstart", local_time(m.starts_at))
        event.add("dtend", local_time(m.ends_at))
        title = text(lang, "meeting.calendar.waitlisted", title=m.title) if waiting else m.title
        event.add("summary", title)
        event.add("location", f"{m.venue}, {m.address}, {m.city}")
        page = meeting_page(self.links, m.id)
        event.add("description", "\n\n".join(p for p in (m.theme, m.description, page) if p))
        event.add("url", page)
        event.add("status", _status(m, waiting))
        event.add("transp", "OPAQUE")
        return event


def _status(meeting: Meeting, waiting: bool) -> str:
    if meeting.status == "cancelled":
        return "CANCELLED"
    return "TENTATIVE" if waiting else "CONFIRMED"


def _hour() -> Any:
    from datetime import timedelta

    return timedelta(hours=1)


def _years_spanned(entries: Sequence[CalendarEntry], today: date) -> tuple[date, date]:
    """The VTIMEZONE's range: the years of the events (just this year for an empty feed)."""
    years = [local_time(e.meeting.starts_at).year for e in entries] or [today.year]
    return date(min(years), 1, 1), date(max(years) + 1, 12, 31)
