"""The quarterly dues run: every member active at the run is charged the quarter's dues once.

The charge's id is `dues:<quarter>:<member>`, the same id admission uses for the joining
quarter, so a re-run, a run that overlaps an admission, and a run cut off half-way all end
with each member charged exactly once. Members are read page by page from the status index;
the run can stop at a deadline and hand back a cursor to continue from.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict
from chalicelib.domain.membership import Member
from chalicelib.periods import Quarter
from chalicelib.policy import Policy
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.members import MemberStore

log = logging.getLogger("coop.dues")
PAGE_SIZE = 100


@dataclass
class DuesReport:
    quarter: str
    members_seen: int = 0
    charged: int = 0
    already_charged: int = 0
    not_due: int = 0  # joined after the quarter ended (a late run of an old quarter)
    failed: int = 0
    failed_member_ids: list[str] = field(default_factory=list)
    complete: bool = False
    resume_cursor: str | None = None  # where a continuation picks up when not complete


class DuesService:
    def __init__(
        self, members: MemberStore, ledger_store: LedgerStore, clock: Clock, policy: Policy
    ) -> None:
        self.members = members
        self.ledger = ledger_store
        self.clock = clock
        self.policy = policy

    def current_quarter(self) -> Quarter:
        return Quarter.containing(self.clock.now())

    def run(
        self,
        quarter: Quarter,
        *,
        cursor: str | None = None,
        out_of_time: Callable[[], bool] = lambda: False,
        progress: Callable[[Member, str], None] | None = None,
    ) -> DuesReport:
        if quarter.starts_at() > self.clock.now():
            raise Conflict(f"quarter {quarter} has not started yet")
        report = DuesReport(str(quarter))
        while True:
            page = self.members.list_members("active", PAGE_SIZE, cursor)
            for member in page.members:
                outcome = self._charge(member, quarter)
                _count(report, member, outcome)
                if progress:
                    progress(member, outcome)
            cursor = page.next_cursor
            if cursor is None:
                report.complete = True
                break
            if out_of_time():
                report.resume_cursor = cursor
                break
        log.info(json.dumps({"job": "dues", **report.__dict__}))
        return report

    def _charge(self, member: Member, quarter: Quarter) -> str:
        if Quarter.containing(member.joined_at) > quarter:
            return "not_due"
        charge = ledger.quarterly_dues(
            member.id, quarter, self.policy.quarterly_dues_cents, self.clock.now()
        )
        try:
            booking = self.ledger.book(charge)
        except Exception:  # one member's failure must not stop everybody's run
            log.exception("dues %s for member %s failed", quarter, member.id)
            return "failed"
        return "already_charged" if booking.replayed else "charged"


def _count(report: DuesReport, member: Member, outcome: str) -> None:
    report.members_seen += 1
    setattr(report, outcome, getattr(report, outcome) + 1)
    if outcome == "failed":
        report.failed_member_ids.append(member.id)
