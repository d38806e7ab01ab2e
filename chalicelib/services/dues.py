"""The quarterly dues run: every member who was active at any moment of the quarter is charged
the quarter's dues once, whenever the run happens.

Those members are found by two queries on the status index, never a scan: the members active
now, and the members who cancelled after the quarter began (cancelled members are indexed by
the time they left). The charge's id is `dues:<quarter>:<member>`, the same id admission uses
for the joining quarter, so a re-run, a run that overlaps an admission or a cancellation, and
a run cut off half-way all end with each member charged exactly once. The run can stop at a
deadline and hand back an opaque cursor to continue from.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from chalicelib import observability
from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict, FieldProblem, InvalidInput
from chalicelib.domain.membership import Member
from chalicelib.periods import Quarter
from chalicelib.policy import Policy
from chalicelib.store.ports import LedgerRepository, MemberRepository
from chalicelib.store.records import MemberPage

log = logging.getLogger("coop.dues")
PAGE_SIZE = 100


@dataclass
class DuesReport:
    quarter: str
    members_seen: int = 0
    charged: int = 0
    already_charged: int = 0
    not_due: int = 0  # not a member at any moment of the quarter
    failed: int = 0
    failed_member_ids: list[str] = field(default_factory=list)
    complete: bool = False
    resume_cursor: str | None = None  # where a continuation picks up when not complete


class DuesService:
    def __init__(
        self,
        members: MemberRepository,
        ledger_store: LedgerRepository,
        clock: Clock,
        policy: Policy,
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
            raise Conflict("quarter_not_started", quarter=str(quarter))
        report = DuesReport(str(quarter))
        position: _Position | None = _Position.decode(cursor)
        while position is not None:
            page = self._page(quarter, position)
            for member in page.members:
                outcome = self._charge(member, quarter)
                _count(report, member, outcome)
                if progress:
                    progress(member, outcome)
            position = position.after(page.next_cursor)
            if position is not None and out_of_time():
                report.resume_cursor = position.encode()
                break
        report.complete = position is None
        log.info("job report", extra={"job": "dues", **report.__dict__})
        return report

    def _page(self, quarter: Quarter, position: _Position) -> MemberPage:
        if position.source == "active":
            return self.members.list_members("active", PAGE_SIZE, position.cursor)
        return self.members.list_cancelled_since(quarter.starts_at(), PAGE_SIZE, position.cursor)

    def _charge(self, member: Member, quarter: Quarter) -> str:
        if not member.owes_dues_for(quarter) or self.policy.quarterly_dues_cents == 0:
            return "not_due"
        charge = ledger.quarterly_dues(
            member.id, quarter, self.policy.quarterly_dues_cents, self.clock.now()
        )
        try:
            # one conditional write: refused means charged before (by admission or a run)
            booked = self.ledger.book_if_new(charge)
        except Exception:  # one member's failure must not stop everybody's run
            log.exception("dues %s for member %s failed", quarter, member.id)
            return "failed"
        if not booked:
            return "already_charged"
        observability.count("DuesCharged")
        return "charged"


@dataclass(frozen=True)
class _Position:
    """Where a run is: which source of members (active ones first, then those who cancelled
    since the quarter began) and the page cursor within it."""

    source: str
    cursor: str | None = None

    SOURCES: ClassVar[tuple[str, ...]] = ("active", "cancelled")

    def after(self, next_cursor: str | None) -> _Position | None:
        if next_cursor is not None:
            return _Position(self.source, next_cursor)
        following = self.SOURCES.index(self.source) + 1
        return _Position(self.SOURCES[following]) if following < len(self.SOURCES) else None

    def encode(self) -> str:
        raw = json.dumps({"s": self.source, "c": self.cursor}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode()

    @classmethod
    def decode(cls, cursor: str | None) -> _Position:
        if cursor is None:
            return cls("active")
        try:
            raw = json.loads(base64.urlsafe_b64decode(cursor.encode()))
            source, inner = raw["s"], raw["c"]
        except (ValueError, KeyError, TypeError, binascii.Error) as error:
            raise _bad_cursor() from error
        if source not in cls.SOURCES or not isinstance(inner, str | None):
            raise _bad_cursor()
        return cls(source, inner)


def _bad_cursor() -> InvalidInput:
    return InvalidInput("invalid_input", problems=[FieldProblem("cursor", "not_a_cursor")])


def _count(report: DuesReport, member: Member, outcome: str) -> None:
    report.members_seen += 1
    setattr(report, outcome, getattr(report, outcome) + 1)
    if outcome == "failed":
        report.failed_member_ids.append(member.id)
