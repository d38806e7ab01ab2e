"""The weekly digest: one mail per member who chose it, listing the week's new opportunities
that match their disciplines (SPEC section 3, "asked for it" as a weekly overview).

A run covers one ISO week in Amsterdam time (by default the last one that has ended). Each
member's mail is queued under `digest:<member>:<week>`, so a re-run, or a run cut off and
run again, mails nobody twice; a send that fails stays queued for the outbox job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib.clock import Clock
from chalicelib.domain.errors import Conflict
from chalicelib.domain.membership import Member
from chalicelib.domain.opportunities import Opportunity
from chalicelib.mail.letters import Recipient, digest_letter
from chalicelib.mail.links import Links
from chalicelib.mail.unsubscribe import Unsubscribes
from chalicelib.periods import IsoWeek
from chalicelib.services.announcements import matches
from chalicelib.services.outbox import MailOutbox
from chalicelib.store.outbox import QueuedMail
from chalicelib.store.ports import MemberRepository, OpportunityRepository

log = logging.getLogger("coop.digest")


@dataclass
class DigestReport:
    week: str
    opportunities: int = 0
    members_seen: int = 0
    mailed: int = 0
    already_mailed: int = 0
    nothing_new: int = 0
    failed: int = 0
    complete: bool = True
    failed_member_ids: list[str] = field(default_factory=list)


class DigestService:
    def __init__(
        self,
        opportunities: OpportunityRepository,
        members: MemberRepository,
        outbox: MailOutbox,
        links: Links,
        unsubscribes: Unsubscribes,
        clock: Clock,
    ) -> None:
        self.opportunities = opportunities
        self.members = members
        self.outbox = outbox
        self.links = links
        self.unsubscribes = unsubscribes
        self.clock = clock

    def last_week(self) -> IsoWeek:
        """The most recent week that has ended (Amsterdam)."""
        return IsoWeek.containing(self.clock.now()).previous()

    def run(
        self, week: IsoWeek | None = None, out_of_time: Callable[[], bool] = lambda: False
    ) -> DigestReport:
        week = week or self.last_week()
        if week.next().starts_at() > self.clock.now():
            raise Conflict("week_not_ended", week=str(week))
        new = [
            o
            for o in self.opportunities.created_between(week.starts_at(), week.next().starts_at())
            if o.status in ("open", "in_conversation")
        ]
        report = DigestReport(str(week), opportunities=len(new))
        queued: list[QueuedMail] = []
        for member in self.members.iter_members("active"):
            if out_of_time():
                report.complete = False
                break
            if member.opportunity_mail != "weekly" or not member.notify_opportunities:
                continue
            report.members_seen += 1
            queued += self._queue(member, week, new, report)
        delivery = self.outbox.send_now(queued)
        # a failed send stays queued: the outbox job tries it again
        report.failed, report.failed_member_ids = delivery.failed, delivery.failed_member_ids
        log.info("job report", extra={"job": "digest", **report.__dict__})
        return report

    def _queue(
        self, member: Member, week: IsoWeek, new: list[Opportunity], report: DigestReport
    ) -> list[QueuedMail]:
        theirs = [o for o in new if matches(member, o)]
        if not theirs:
            report.nothing_new += 1
            return []
        letter = digest_letter(
            Recipient.of(member), self.links, str(week), theirs, self.unsubscribes.link(member.id)
        )
        mail_id = f"digest:{member.id}:{week}"
        queued = self.outbox.queue(mail_id, "digest", member.id, letter.to(member.email))
        if queued is None:
            report.already_mailed += 1
            return []
        report.mailed += 1
        return [queued]
