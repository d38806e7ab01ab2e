"""New opportunities announced by mail to the members whose disciplines match and who asked
for it (SPEC section 3).

Posting only records a pending announcement, in the same transaction as the opportunity, so
a post stays fast however many members match. A job mails them: each recipient is claimed
before the mail goes out (a re-run mails nobody twice) and released when the send fails (the
next run tries again); the announcement is finished once everybody is handled.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib.domain.membership import Member
from chalicelib.domain.opportunities import Opportunity
from chalicelib.services.mailer import Mailer
from chalicelib.store.members import MemberStore
from chalicelib.store.opportunities import OpportunityStore

log = logging.getLogger("coop.announcements")


@dataclass
class AnnouncementReport:
    opportunities: int = 0
    mailed: int = 0
    failed: int = 0
    complete: bool = True
    failed_member_ids: list[str] = field(default_factory=list)


def wants_to_hear(member: Member, opportunity: Opportunity) -> bool:
    if not member.notify_opportunities or member.id in (
        opportunity.referrer_id,
        opportunity.posted_by,
    ):
        return False
    return any(d in member.disciplines for d in opportunity.disciplines)


class AnnouncementService:
    def __init__(self, store: OpportunityStore, members: MemberStore, mailer: Mailer) -> None:
        self.store = store
        self.members = members
        self.mailer = mailer

    def run(self, out_of_time: Callable[[], bool] = lambda: False) -> AnnouncementReport:
        report = AnnouncementReport()
        for opportunity_id in self.store.pending_announcements():
            if out_of_time():
                report.complete = False
                break
            report.opportunities += 1
            opportunity = self.store.get(opportunity_id)
            failures_before = report.failed
            if opportunity.status in ("open", "in_conversation"):
                self._announce(opportunity, report)
            if report.failed == failures_before:
                self.store.finish_announcement(opportunity_id)
        log.info(json.dumps({"job": "announcements", **report.__dict__}))
        return report

    def _announce(self, opportunity: Opportunity, report: AnnouncementReport) -> None:
        for member in self.members.iter_members("active"):
            if not wants_to_hear(member, opportunity):
                continue
            if not self.store.claim_announcement(opportunity.id, member.id):
                continue  # mailed by an earlier run
            try:
                self.mailer.send(member.email, *announcement_mail(member, opportunity))
            except Exception:
                log.exception("announcement to %s failed", member.id)
                self.store.release_announcement(opportunity.id, member.id)
                report.failed += 1
                report.failed_member_ids.append(member.id)
                continue
            report.mailed += 1


def announcement_mail(member: Member, opportunity: Opportunity) -> tuple[str, str]:
    details = [
        f"Disciplines: {', '.join(opportunity.disciplines)}",
        *([f"Sector: {opportunity.sector}"] if opportunity.sector else []),
        *([f"Locatie: {opportunity.location}"] if opportunity.location else []),
        *([f"Start: {opportunity.starts_on.isoformat()}"] if opportunity.starts_on else []),
    ]
    text = "\n".join(
        [
            f"Beste {member.name},",
            "",
            "Er is een nieuwe kans binnen Co-operations die bij je past:",
            "",
            opportunity.title,
            *details,
            "",
            opportunity.description,
            "",
            f"Interesse? Meld je in de app bij kans {opportunity.id}.",
            "Geen berichten meer? Zet 'notify_opportunities' uit in je profiel.",
        ]
    )
    return f"Nieuwe kans: {opportunity.title}", text
