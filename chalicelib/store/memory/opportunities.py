"""Opportunities, interest, conversations, announcements, assignments, teams and revenue
reports in memory (`chalicelib.store.opportunities.OpportunityStore`'s methods, write names
and refusals).

Every change is kept by the guard the DynamoDB store keeps as a condition: an opportunity or
an assignment is written only at the version it was read (else VersionConflict), a new one,
an interest and a report only once (a report twice is ReportReplayed), an invitation only
for someone not on the team (already_on_team), an acceptance or a withdrawal only of a
standing invitation, a departure only of an active member without reports
(team_member_has_revenue). Sort keys are the DynamoDB ones, so pages and orders match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.opportunities import Assignment, Opportunity, RevenueReport
from chalicelib.domain.teams import Team, TeamMember
from chalicelib.store.memory.paging import page_of
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork
from chalicelib.store.records import (
    AssignmentPage,
    AssignmentRole,
    Conversation,
    Interest,
    OpportunityPage,
    figures_as_read,
    may_have_moved,
    moved_by,
    replayed_report,
)
from chalicelib.store.refusals import AlreadyDone, ReportReplayed, VersionConflict
from chalicelib.store.timestamps import stamp

_CONSISTENT_READS = 5
T = TypeVar("T")


def _drop(found: dict[str, T], key: str) -> None:
    found.pop(key, None)


def _by_time(o: Opportunity) -> str:
    return f"{stamp(o.created_at)}#{o.id}"


def _assignment_sort_key(a: Assignment) -> str:
    return f"{stamp(a.created_at)}#{a.id}"


def _report_sort_key(r: RevenueReport) -> str:
    """The DynamoDB sort key: the lead's REPORT#<invoice>, another's REPORT#~<member>#<invoice>."""
    if r.keyed_by_member and r.member_id is not None:
        return f"REPORT#~{r.member_id}#{r.invoice_ref}"
    return f"REPORT#{r.invoice_ref}"


def _report_key(invoice_ref: str, member_key: str | None) -> str:
    if member_key is None:
        return f"REPORT#{invoice_ref}"
    return f"REPORT#~{member_key}#{invoice_ref}"


class MemoryOpportunities:
    def __init__(self, state: MemoryState) -> None:
        self.state = state
        self.opportunities: dict[str, Opportunity] = {}
        self.announcements: dict[str, str] = {}  # opportunity id: sort key (pending)
        self.interest: dict[str, dict[str, Interest]] = {}  # opportunity: member: interest
        # opportunity: (member, held on): conversation (one a member a day, as the SK keeps)
        self.talks: dict[str, dict[tuple[str, str], Conversation]] = {}
        self.assignments: dict[str, Assignment] = {}
        self.team_members: dict[str, dict[str, TeamMember]] = {}  # assignment: member: place
        self.report_records: dict[str, dict[str, RevenueReport]] = {}  # assignment: SK: report

    # Opportunities -----------------------------------------------------------------------

    def add(self, opportunity: Opportunity) -> None:
        with MemoryUnitOfWork(self.state) as uow:
            self.register_new(uow, opportunity)
            uow.commit()

    def register_new(self, uow: MemoryUnitOfWork, opportunity: Opportunity) -> None:
        """A new opportunity ("opportunity.new") and its pending announcement."""
        opportunities, announcements = self.opportunities, self.announcements
        uow.register(
            "opportunity.new",
            lambda: opportunities.__setitem__(opportunity.id, opportunity),
            guard=lambda: opportunity.id not in opportunities,
        )
        uow.register(
            "opportunity.announcement",
            lambda: announcements.__setitem__(opportunity.id, _by_time(opportunity)),
            guard=lambda: opportunity.id not in announcements,
        )

    # Announcements -------------------------------------------------------------------------

    def register_announcement(self, uow: MemoryUnitOfWork, opportunity: Opportunity) -> None:
        announcements = self.announcements
        uow.register(
            "opportunity.announcement",
            lambda: announcements.__setitem__(opportunity.id, _by_time(opportunity)),
        )

    def pending_announcements(self) -> list[str]:
        with self.state.lock:
            return [o for o, _ in sorted(self.announcements.items(), key=lambda p: p[1])]

    def finish_announcement(self, opportunity_id: str) -> None:
        announcements = self.announcements
        with MemoryUnitOfWork(self.state) as uow:
            uow.register("announcement", lambda: _drop(announcements, opportunity_id))
            uow.commit()

    def get(self, opportunity_id: str) -> Opportunity:
        found = self.opportunities.get(opportunity_id)
        if found is None:
            raise NotFound("opportunity_not_found")
        return found

    def browse(
        self,
        status: str | None,
        discipline: str | Callable[[list[str]], bool] | None,
        limit: int,
        cursor: str | None,
    ) -> OpportunityPage:
        """A page, newest first, of one status or all; `discipline` a name or a test."""

        def keep(o: Opportunity) -> bool:
            if discipline is None:
                return True
            stored = list(o.disciplines)
            return discipline(stored) if callable(discipline) else discipline in stored

        with self.state.lock:
            keyed = [
                (_by_time(o), o)
                for o in self.opportunities.values()
                if (status is None or o.status == status) and keep(o)
            ]
        found, next_cursor = page_of(keyed, limit, cursor, newest_first=True)
        return OpportunityPage(found, next_cursor)

    def created_between(self, start: datetime, end: datetime) -> Iterator[Opportunity]:
        """Opportunities posted in [start, end), oldest first."""
        since, until = stamp(start), stamp(end)
        with self.state.lock:
            keyed = sorted((_by_time(o), o) for o in self.opportunities.values())
        for key, opportunity in keyed:
            if key < since:
                continue
            if key >= until:
                return
            yield opportunity

    def register_save(self, uow: MemoryUnitOfWork, changed: Opportunity) -> None:
        """The changed opportunity, if nobody changed it since it was read (VersionConflict)."""
        opportunities = self.opportunities

        def as_read() -> bool:
            current = opportunities.get(changed.id)
            return current is not None and current.version == changed.version - 1

        uow.register(
            "opportunity",
            lambda: opportunities.__setitem__(changed.id, changed),
            guard=as_read,
            refusal=lambda: VersionConflict(changed.id),
        )

    # Interest and conversations ------------------------------------------------------------

    def add_interest(self, opportunity_id: str, member_id: str, note: str, at_s: str) -> bool:
        """Records interest once; False when the member had already expressed it."""
        shown = self.interest.setdefault(opportunity_id, {})
        interest = Interest(member_id, note, at_s)
        with MemoryUnitOfWork(self.state) as uow:
            uow.register(
                "interest",
                lambda: shown.__setitem__(member_id, interest),
                guard=lambda: member_id not in shown,
                refusal=lambda: AlreadyDone("interest"),
            )
            try:
                uow.commit()
            except AlreadyDone:
                return False
        return True

    def interests(self, opportunity_id: str) -> list[Interest]:
        with self.state.lock:
            shown = self.interest.get(opportunity_id, {})
            return [shown[m] for m in sorted(shown)]

    def interest_of(self, opportunity_id: str, member_id: str) -> Interest | None:
        return self.interest.get(opportunity_id, {}).get(member_id)

    def has_interest(self, opportunity_id: str, member_id: str) -> bool:
        return self.interest_of(opportunity_id, member_id) is not None

    def register_conversation(
        self, uow: MemoryUnitOfWork, opportunity_id: str, conversation: Conversation
    ) -> None:
        talks = self.talks.setdefault(opportunity_id, {})
        key = (conversation.member_id, conversation.held_on.isoformat())
        uow.register("opportunity.conversation", lambda: talks.__setitem__(key, conversation))

    def conversations(self, opportunity_id: str) -> list[Conversation]:
        with self.state.lock:
            talks = self.talks.get(opportunity_id, {})
            return [talks[k] for k in sorted(talks, key=lambda k: f"{k[0]}#{k[1]}")]

    def was_introduced(self, opportunity_id: str, member_id: str) -> bool:
        with self.state.lock:
            return any(m == member_id for m, _ in self.talks.get(opportunity_id, {}))

    # Assignments ---------------------------------------------------------------------------

    def register_assignment(self, uow: MemoryUnitOfWork, assignment: Assignment) -> None:
        assignments = self.assignments
        uow.register(
            "assignment.new",
            lambda: assignments.__setitem__(assignment.id, assignment),
            guard=lambda: assignment.id not in assignments,
        )

    def get_assignment(self, assignment_id: str) -> Assignment:
        found = self.assignments.get(assignment_id)
        if found is None:
            raise NotFound("assignment_not_found")
        return found

    def assignments_of(
        self, member_id: str, role: AssignmentRole, limit: int, cursor: str | None
    ) -> AssignmentPage:
        """A member's assignments in one role, newest first: as executing member, those they
        lead and those whose team they are invited to or on (not one they left)."""
        memberships: dict[str, TeamMember] = {}
        with self.state.lock:
            keyed: list[tuple[str, Assignment]] = []
            for a in self.assignments.values():
                if role == "referrer":
                    if a.referrer_id == member_id:
                        keyed.append((_assignment_sort_key(a), a))
                    continue
                place = self.team_members.get(a.id, {}).get(member_id)
                if a.member_id == member_id or (place is not None and place.on_team):
                    keyed.append((_assignment_sort_key(a), a))
        found, next_cursor = page_of(keyed, limit, cursor, newest_first=True)
        if role == "executing":
            for a in found:
                place = self.team_members.get(a.id, {}).get(member_id)
                if a.member_id != member_id and place is not None:
                    memberships[a.id] = place
        return AssignmentPage(found, next_cursor, memberships)

    # Teams -----------------------------------------------------------------------------------

    def with_team(self, assignment_id: str) -> tuple[Assignment, Team]:
        """The assignment and its team as of one moment (read under the state's lock)."""
        for _ in range(_CONSISTENT_READS):
            with self.state.lock:
                assignment = self.get_assignment(assignment_id)
                team = self.team(assignment)
            if team.matches(assignment.totals):
                return assignment, team
        raise VersionConflict(assignment_id)

    def team(self, assignment: Assignment) -> Team:
        with self.state.lock:
            places = self.team_members.get(assignment.id, {})
            others = [places[m] for m in sorted(places)]
        return Team.of(
            assignment.id,
            assignment.member_id,
            assignment.referrer_id,
            assignment.totals,
            others,
            assignment.lead_revenue_cents,
            assignment.lead_fee_cents,
        )

    def _place(self, assignment_id: str, member_id: str) -> TeamMember | None:
        return self.team_members.get(assignment_id, {}).get(member_id)

    def _put_place(self, assignment_id: str, member: TeamMember) -> Callable[[], None]:
        places = self.team_members.setdefault(assignment_id, {})
        return lambda: places.__setitem__(member.member_id, member)

    def register_invitation(
        self, uow: MemoryUnitOfWork, assignment: Assignment, invited: TeamMember
    ) -> None:
        """New, or one who left before; invited or active already is already_on_team."""

        def free() -> bool:
            current = self._place(assignment.id, invited.member_id)
            return current is None or current.status == "left"

        uow.register(
            "team.invite",
            self._put_place(assignment.id, invited),
            guard=free,
            refusal=lambda: Conflict("already_on_team"),
        )

    def _has_status(self, assignment_id: str, member_id: str, status: str) -> Callable[[], bool]:
        def guard() -> bool:
            current = self._place(assignment_id, member_id)
            return current is not None and current.status == status

        return guard

    def register_acceptance(
        self, uow: MemoryUnitOfWork, assignment: Assignment, joined: TeamMember
    ) -> None:
        uow.register(
            "team.accept",
            self._put_place(assignment.id, joined),
            guard=self._has_status(assignment.id, joined.member_id, "invited"),
            refusal=lambda: VersionConflict(assignment.id),
        )

    def register_withdrawal(
        self, uow: MemoryUnitOfWork, assignment: Assignment, member: TeamMember
    ) -> None:
        places = self.team_members.setdefault(assignment.id, {})
        uow.register(
            "team.withdraw",
            lambda: _drop(places, member.member_id),
            guard=self._has_status(assignment.id, member.member_id, "invited"),
            refusal=lambda: VersionConflict(assignment.id),
        )

    def register_departure(
        self, uow: MemoryUnitOfWork, assignment: Assignment, left: TeamMember
    ) -> None:
        def without_reports() -> bool:
            current = self._place(assignment.id, left.member_id)
            return current is not None and current.status == "active" and current.reports == 0

        uow.register(
            "team.leave",
            self._put_place(assignment.id, left),
            guard=without_reports,
            refusal=lambda: Conflict("team_member_has_revenue"),
        )

    # Reports -----------------------------------------------------------------------------

    def reports(self, assignment_id: str) -> list[RevenueReport]:
        with self.state.lock:
            records = self.report_records.get(assignment_id, {})
            return [records[k] for k in sorted(records)]

    def get_report(
        self, assignment_id: str, invoice_ref: str, member_key: str | None = None
    ) -> RevenueReport | None:
        key = _report_key(invoice_ref, member_key)
        return self.report_records.get(assignment_id, {}).get(key)

    def register_report(
        self,
        uow: MemoryUnitOfWork,
        assignment: Assignment,
        report: RevenueReport,
        team_after: Team | None = None,
    ) -> None:
        """The report ("revenue.report", ReportReplayed), the assignment's new totals
        ("assignment.totals", VersionConflict) and on a joint assignment each moved member's
        figures ("team.figures.<member>"; the reporter's only while active) and a check of
        each other member ("team.as_read.<member>"): each only while the place holds the
        figures the report was computed from, else VersionConflict."""
        records = self.report_records.setdefault(assignment.id, {})
        key = _report_sort_key(report)
        uow.register(
            "revenue.report",
            lambda: records.__setitem__(key, report),
            guard=lambda: key not in records,
            refusal=lambda: ReportReplayed("revenue.report", report),
        )
        assignments = self.assignments

        def as_read() -> bool:
            current = assignments.get(assignment.id)
            return current is not None and current.version == assignment.version

        def new_totals() -> None:
            current = assignments[assignment.id]
            changed = replace(current, totals=report.booking.after, version=current.version + 1)
            if team_after is not None:
                changed = replace(
                    changed,
                    lead_revenue_cents=team_after.lead.revenue_cents,
                    lead_fee_cents=team_after.lead.fee_cents,
                )
            assignments[assignment.id] = changed

        uow.register(
            "assignment.totals",
            new_totals,
            guard=as_read,
            refusal=lambda: VersionConflict(assignment.id),
        )
        if team_after is None:
            return
        # as DynamoDB: every member item the figures came from holds them still, or the
        # report is refused (VersionConflict) and computed again from a fresh read
        figures_read, moved = figures_as_read(team_after, report), moved_by(report)
        for member in team_after.members[1:]:
            read = figures_read[member.member_id]
            if member.member_id in moved:
                self._register_figures(
                    uow, assignment, member, member.member_id == report.member_id, read
                )
            elif may_have_moved(member, read):
                uow.register(
                    f"team.as_read.{member.member_id}",
                    lambda: None,
                    guard=self._holds(assignment.id, member.member_id, read),
                    refusal=lambda: VersionConflict(assignment.id),
                )

    def _holds(
        self, assignment_id: str, member_id: str, read: tuple[int, int, int]
    ) -> Callable[[], bool]:
        """The member's place holds the figures read (no place at all holds no figures)."""

        def guard() -> bool:
            current = self._place(assignment_id, member_id)
            if current is None:
                return read == (0, 0, 0)
            return (current.revenue_cents, current.fee_cents, current.reports) == read

        return guard

    def _register_figures(
        self,
        uow: MemoryUnitOfWork,
        assignment: Assignment,
        member: TeamMember,
        reporting: bool,
        read: tuple[int, int, int],
    ) -> None:
        places = self.team_members.setdefault(assignment.id, {})
        holds = self._holds(assignment.id, member.member_id, read)

        def standing() -> bool:  # never recreate a place that went; the reporter's active
            current = places.get(member.member_id)
            if current is None or (reporting and current.status != "active"):
                return False
            return holds()

        def apply() -> None:
            current = places[member.member_id]
            places[member.member_id] = replace(
                current,
                revenue_cents=member.revenue_cents,
                fee_cents=member.fee_cents,
                reports=member.reports,
            )

        uow.register(
            f"team.figures.{member.member_id}",
            apply,
            guard=standing,
            refusal=lambda: VersionConflict(assignment.id),
        )

    def replay_report(self, report: RevenueReport) -> RevenueReport:
        """The report booked before under its invoice (its request must be the same)."""
        original = self.get_report(
            report.assignment_id,
            report.invoice_ref,
            report.member_id if report.keyed_by_member else None,
        )
        return replayed_report(original, report)
