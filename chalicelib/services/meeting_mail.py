"""The mail jobs of meetings: invitations and change notices, reminders, the board's warning.

Every mail has a deterministic outbox id, so a run cut off anywhere is finished by the next
and nobody is mailed twice:
- `meeting:<id>:invite:<member>`: a new meeting, to active members who want invitations
  (`notify_meetings`);
- `meeting:<id>:v<sequence>:notice:<member>`: a change or the cancellation, to everyone
  signed up (registered or waiting), whatever their preference: they asked for this meeting;
- `meeting:<id>:v<sequence>:reminder:<member>`: two days before, to the registered;
- `meeting-warning:<quarter>:<recipient>`: to the board (admins), once per quarter, when
  the next quarter has no meeting by the middle of the current one.
Creating, changing or cancelling a meeting writes a pending news item in the same
unit of work; the news job mails it and then removes it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from chalicelib.clock import Clock
from chalicelib.domain.meetings import Meeting
from chalicelib.domain.membership import Member, normalise_email
from chalicelib.mail.letter import Letter
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.meeting_letters import (
    MeetingMailContext,
    board_warning_letter,
    invitation_letter,
    notice_letter,
    reminder_letter,
)
from chalicelib.policy import Policy
from chalicelib.services.meetings import MeetingService
from chalicelib.services.outbox import MailOutbox
from chalicelib.store.ports import MeetingRepository, MemberRepository
from chalicelib.store.records import News, QueuedMail

log = logging.getLogger("coop.meetings")
OutOfTime = Callable[[], bool]
LetterFor = Callable[[Recipient, Meeting, MeetingMailContext], Letter]


@dataclass
class MeetingMailReport:
    meetings: int = 0
    mailed: int = 0
    failed: int = 0
    complete: bool = True
    failed_mail_ids: list[str] = field(default_factory=list)


@dataclass
class BoardWarningReport:
    quarter: str
    meetings_planned: int
    warning_due: bool
    mailed: int = 0
    failed: int = 0


class Board:
    """The board's addresses: the members of the Cognito group `admin`."""

    def __init__(self, cognito: object, user_pool_id: str) -> None:
        self._cognito = cognito
        self._pool = user_pool_id

    def emails(self) -> list[str]:
        paginator = self._cognito.get_paginator("list_users_in_group")  # type: ignore[attr-defined]
        found = []
        for page in paginator.paginate(UserPoolId=self._pool, GroupName="admin"):
            for user in page.get("Users", []):
                attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
                found.append(attributes.get("email") or user["Username"])
        return sorted({normalise_email(email) for email in found})


class MeetingMailService:
    def __init__(
        self,
        store: MeetingRepository,
        meetings: MeetingService,
        members: MemberRepository,
        board: Board,
        outbox: MailOutbox,
        links: Links,
        clock: Clock,
        policy: Policy,
    ) -> None:
        self.store = store
        self.meetings = meetings
        self.members = members
        self.board = board
        self.outbox = outbox
        self.links = links
        self.clock = clock
        self.policy = policy

    # Invitations and notices ---------------------------------------------------------------

    def send_news(self, out_of_time: OutOfTime = lambda: False) -> MeetingMailReport:
        """Mails every pending publication, change and cancellation, oldest first."""
        report, queued = MeetingMailReport(), list[QueuedMail]()
        for news in self.store.pending_news():
            if out_of_time():
                report.complete = False
                break
            report.meetings += 1
            finished = self._mail_news(news, queued, out_of_time)
            if not finished:
                report.complete = False  # the news stays pending: the next run goes on
                break
            self.store.finish_news(news)
        return self._deliver("meeting_news", report, queued)

    def _mail_news(self, news: News, queued: list[QueuedMail], out_of_time: OutOfTime) -> bool:
        meeting = self.store.get(news.meeting_id)
        if news.sequence != meeting.sequence and news.kind != "published":
            return True  # a later change follows: its notice tells the news once
        if news.kind == "published":
            if meeting.status != "planned" or meeting.starts_at <= self.clock.now():
                return True  # cancelled or over before anyone was invited
            recipients = (m for m in self.members.iter_members("active") if m.notify_meetings)
            return self._queue(
                meeting, recipients, "invite", invitation_letter, queued, out_of_time
            )
        signed_up = self._signed_up(meeting, ("registered", "waitlisted"))
        kind = f"v{meeting.sequence}:notice"
        return self._queue(meeting, signed_up, kind, notice_letter, queued, out_of_time)

    # Reminders -----------------------------------------------------------------------------

    def send_reminders(self, out_of_time: OutOfTime = lambda: False) -> MeetingMailReport:
        """Reminds the registered of every planned meeting that starts within the policy's
        hours (48): once per member and version of the meeting."""
        now = self.clock.now()
        horizon = now + timedelta(hours=self.policy.meeting_reminder_hours_before)
        report, queued = MeetingMailReport(), list[QueuedMail]()
        for meeting in self.store.ending_from(now):
            if not (meeting.status == "planned" and now < meeting.starts_at <= horizon):
                continue
            if out_of_time():
                report.complete = False
                break
            report.meetings += 1
            registered = self._signed_up(meeting, ("registered",))
            kind = f"v{meeting.sequence}:reminder"
            if not self._queue(meeting, registered, kind, reminder_letter, queued, out_of_time):
                report.complete = False
                break
        return self._deliver("meeting_reminders", report, queued)

    # The board's warning -------------------------------------------------------------------

    def warn_board(self) -> BoardWarningReport:
        """From the middle of a quarter on, the board hears (once) when the next quarter has
        no meeting planned yet."""
        coverage = self.meetings.coverage()
        quarter = str(coverage.next.quarter)
        report = BoardWarningReport(quarter, coverage.next.meetings, coverage.next_needs_meeting)
        if coverage.next_needs_meeting:
            queued = []
            for email in self.board.emails():
                to = self._board_recipient(email)
                mail = board_warning_letter(to, self.links, quarter).to(email)
                mail_id = f"meeting-warning:{quarter}:{email}"
                done = self.outbox.queue(mail_id, "meeting_board_warning", to.member_id, mail)
                queued += [done] if done else []
            delivery = self.outbox.send_now(queued)
            report.mailed, report.failed = len(queued), delivery.failed
        log.info("job report", extra={"job": "meeting_warning", **report.__dict__})
        return report

    def _board_recipient(self, email: str) -> Recipient:
        member_id = self.members.member_id_for_email(email)
        if member_id is None:
            return Recipient("", email, email, "nl")
        return Recipient.of(self.members.get_member(member_id))

    # Helpers -------------------------------------------------------------------------------

    def _signed_up(self, meeting: Meeting, statuses: tuple[str, ...]) -> list[Member]:
        wanted = [r.member_id for r in self.store.registrations(meeting.id) if r.status in statuses]
        people = self.members.get_members(wanted)
        return [people[m] for m in sorted(people) if people[m].is_active]

    def _queue(
        self,
        meeting: Meeting,
        recipients: Iterable[Member],
        kind: str,
        letter_for: LetterFor,
        queued: list[QueuedMail],
        out_of_time: OutOfTime,
    ) -> bool:
        """Queues one mail per recipient once (a re-run finds them queued); False when time
        ran out before every recipient had theirs."""
        context = self.meetings.mail_context(meeting)
        for member in recipients:
            if out_of_time():
                return False
            letter = letter_for(Recipient.of(member), meeting, context)
            mail_id = f"meeting:{meeting.id}:{kind}:{member.id}"
            mail_kind = f"meeting_{kind.rpartition(':')[2]}"
            mail = self.outbox.queue(mail_id, mail_kind, member.id, letter.to(member.email))
            if mail is not None:
                queued.append(mail)
        return True

    def _deliver(
        self, job: str, report: MeetingMailReport, queued: list[QueuedMail]
    ) -> MeetingMailReport:
        delivery = self.outbox.send_now(queued)
        report.mailed = len(queued)
        report.failed = delivery.failed  # a failed send stays queued for the outbox job
        report.failed_mail_ids = delivery.failed_mail_ids
        log.info("job report", extra={"job": job, **report.__dict__})
        return report
