"""A member's own view of their activity: their assignments in either role, their standing
on an opportunity, their coin claims. Read-only; what the web app's member pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from chalicelib.domain import ledger
from chalicelib.domain.errors import NotFound
from chalicelib.domain.membership import Member
from chalicelib.domain.opportunities import Assignment, InvolvementStage, involvement_stage
from chalicelib.domain.search import member_matches
from chalicelib.domain.teams import TeamMember
from chalicelib.services.member_numbers import MemberNumbers
from chalicelib.store.ports import (
    ClaimRepository,
    LedgerRepository,
    MemberRepository,
    OpportunityRepository,
)
from chalicelib.store.records import AssignmentRole, ClaimPage, MemberPage
from chalicelib.store.timestamps import unstamp

HistoryKind = Literal["applied", "admitted", "cancelled", "payment", "payout"]


@dataclass(frozen=True)
class MyAssignment:
    assignment: Assignment
    role: AssignmentRole
    opportunity_title: str
    membership: TeamMember | None = None  # on a joint assignment the member does not lead


@dataclass(frozen=True)
class MyAssignmentPage:
    items: list[MyAssignment]
    next_cursor: str | None


@dataclass(frozen=True)
class Involvement:
    opportunity_id: str
    interested: bool
    introduced: bool
    note: str
    stage: InvolvementStage = "none"


@dataclass(frozen=True)
class HistoryEvent:
    """One step of a member's history, for the treasurer's member page."""

    kind: HistoryKind
    at: datetime
    amount_cents: int | None = None
    reference: str | None = None
    by: str | None = None  # member id of the admin who did it; None: the member or the system


class MemberOverviewService:
    def __init__(
        self,
        opportunities: OpportunityRepository,
        claims: ClaimRepository,
        members: MemberRepository,
        ledger_store: LedgerRepository,
        numbers: MemberNumbers | None = None,
    ) -> None:
        self.opportunities = opportunities
        self.claim_store = claims
        self.members = members
        self.ledger = ledger_store
        self.numbers = numbers  # a search by payment reference (RF) finds its member

    def history(self, member_id: str) -> list[HistoryEvent]:
        """Application, admission, cancellation, payments and payouts; newest first. Reads
        the member, their application and their own journal (one partition, paginated)."""
        member = self.members.get_member(member_id)  # 404 for an unknown member
        events: list[HistoryEvent] = []
        try:
            application = self.members.get_application(member_id)  # a member keeps its id
        except NotFound:
            application = None  # members seeded or imported without an application
        if application is not None:
            events.append(HistoryEvent("applied", application.created_at))
        admitted_by = application.decided_by if application else None
        events.append(HistoryEvent("admitted", member.joined_at, by=admitted_by))
        owes = ledger.member_owes_account(member_id)
        receives = ledger.member_receives_account(member_id)
        for line in self.ledger.iter_journal(owes):
            if line.kind == "payment" and line.account == owes:
                amount = -line.amount_cents
            elif line.kind == "payout" and line.account == receives:
                amount = line.amount_cents
            else:
                continue
            events.append(
                HistoryEvent(
                    "payment" if line.kind == "payment" else "payout",
                    unstamp(line.booked_at_s),
                    amount_cents=amount,
                    reference=line.reference,
                    by=line.booked_by,
                )
            )
        if member.cancelled_at is not None:
            events.append(HistoryEvent("cancelled", member.cancelled_at))
        # newest first; at the same moment the later step first (the order they were added)
        order = {id(e): n for n, e in enumerate(events)}
        events.sort(key=lambda e: (e.at, order[id(e)]), reverse=True)
        return events

    def find_members(
        self, status: str, search: str | None, limit: int, cursor: str | None
    ) -> MemberPage:
        """Members of a status by name, those a search finds by name, e-mail or reference."""

        named = self.numbers.members_named_in(search) if search and self.numbers else set()

        def keep(member: Member) -> bool:
            if search is None or member.id in named:
                return True
            return member_matches(search, member.name, member.email, member.id)

        return self.members.list_members(status, limit, cursor, keep)

    def assignments(
        self, member_id: str, role: AssignmentRole, limit: int, cursor: str | None
    ) -> MyAssignmentPage:
        page = self.opportunities.assignments_of(member_id, role, limit, cursor)
        titles: dict[str, str] = {}
        for a in page.assignments:
            if a.opportunity_id not in titles:
                titles[a.opportunity_id] = self.opportunities.get(a.opportunity_id).title
        items = [
            MyAssignment(a, role, titles[a.opportunity_id], page.memberships.get(a.id))
            for a in page.assignments
        ]
        return MyAssignmentPage(items, page.next_cursor)

    def involvement(self, opportunity_id: str, member_id: str) -> Involvement:
        """Whether the member expressed interest (with which note) or was introduced."""
        opportunity = self.opportunities.get(opportunity_id)  # 404 for an unknown one
        interest = self.opportunities.interest_of(opportunity_id, member_id)
        introduced = self.opportunities.was_introduced(opportunity_id, member_id)
        return Involvement(
            opportunity_id,
            interested=interest is not None,
            introduced=introduced,
            note=interest.note if interest else "",
            stage=involvement_stage(opportunity, member_id, interest is not None, introduced),
        )

    def claims(self, member_id: str, limit: int, cursor: str | None) -> ClaimPage:
        return self.claim_store.of_member(member_id, limit, cursor)
