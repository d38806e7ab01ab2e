"""New opportunities announced by mail to the members whose disciplines match and who asked
for it (SPEC section 3).

Posting only records a pending announcement, in the same unit of work as the opportunity, so
a post stays fast however many members match. A job queues one outbox mail per recipient
under a deterministic id (a re-run queues nobody twice), finishes the announcement, and sends
the mails; a send that fails stays queued for the outbox job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib.domain.membership import Member
from chalicelib.domain.opportunities import Opportunity
from chalicelib.mail.letters import Recipient, announcement_letter
from chalicelib.mail.links import Links
from chalicelib.mail.unsubscribe import Unsubscribes
from chalicelib.services.outbox import MailOutbox
from chalicelib.store.outbox import QueuedMail
from chalicelib.store.ports import MemberRepository, OpportunityRepository

log = logging.getLogger("coop.announcements")


@dataclass
class AnnouncementReport:
    opportunities: int = 0
    mailed: int = 0
    failed: int = 0
    complete: bool = True
    failed_member_ids: list[str] = field(default_factory=list)


def matches(member: Member, opportunity: Opportunity) -> bool:
    """The member asked to hear of new opportunities, did not bring this one, and has one of
    its disciplines."""
    if not member.notify_opportunities or member.id in (
        opportunity.referrer_id,
        opportunity.posted_by,
    ):
        return False
    return any(d in member.disciplines for d in opportunity.disciplines)


def wants_to_hear(member: Member, opportunity: Opportunity) -> bool:
    """A mail of its own; members who chose the weekly digest hear of it there."""
    return member.opportunity_mail != "weekly" and matches(member, opportunity)


class AnnouncementService:
    def __init__(
        self,
        store: OpportunityRepository,
        members: MemberRepository,
        outbox: MailOutbox,
        links: Links,
        unsubscribes: Unsubscribes,
    ) -> None:
        self.store = store
        self.members = members
        self.outbox = outbox
        self.links = links
        self.unsubscribes = unsubscribes

    def run(self, out_of_time: Callable[[], bool] = lambda: False) -> AnnouncementReport:
        report = AnnouncementReport()
        queued: list[QueuedMail] = []
        for opportunity_id in self.store.pending_announcements():
            if out_of_time():
                report.complete = False
                break
            report.opportunities += 1
            opportunity = self.store.get(opportunity_id)
            if opportunity.status in ("open", "in_conversation"):
                queued += self._queue(opportunity)
            self.store.finish_announcement(opportunity_id)
        delivery = self.outbox.send_now(queued)
        report.mailed = len(queued)
        # a failed send stays queued: the outbox job tries it again
        report.failed, report.failed_member_ids = delivery.failed, delivery.failed_member_ids
        log.info("job report", extra={"job": "announcements", **report.__dict__})
        return report

    def _queue(self, opportunity: Opportunity) -> list[QueuedMail]:
        """Queues one mail per interested member, once: a re-run finds them queued."""
        queued = []
        for member in self.members.iter_members("active"):
            if not wants_to_hear(member, opportunity):
                continue
            mail_id = f"announcement:{opportunity.id}:{member.id}"
            recipient = Recipient.of(member)
            unsubscribe = self.unsubscribes.link(member.id)
            letter = announcement_letter(recipient, self.links, opportunity, unsubscribe)
            mail = self.outbox.queue(mail_id, "announcement", member.id, letter.to(member.email))
            if mail is not None:
                queued.append(mail)
        return queued
