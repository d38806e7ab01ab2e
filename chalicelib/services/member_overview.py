"""A member's own view of their activity: their assignments in either role, their standing
on an opportunity, their coin claims. Read-only; what the web app's member pages show."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.opportunities import Assignment, InvolvementStage, involvement_stage
from chalicelib.store.claims import ClaimPage, ClaimStore
from chalicelib.store.opportunities import AssignmentRole, OpportunityStore


@dataclass(frozen=True)
class MyAssignment:
    assignment: Assignment
    role: AssignmentRole
    opportunity_title: str


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


class MemberOverviewService:
    def __init__(self, opportunities: OpportunityStore, claims: ClaimStore) -> None:
        self.opportunities = opportunities
        self.claim_store = claims

    def assignments(
        self, member_id: str, role: AssignmentRole, limit: int, cursor: str | None
    ) -> MyAssignmentPage:
        page = self.opportunities.assignments_of(member_id, role, limit, cursor)
        titles: dict[str, str] = {}
        for a in page.assignments:
            if a.opportunity_id not in titles:
                titles[a.opportunity_id] = self.opportunities.get(a.opportunity_id).title
        items = [MyAssignment(a, role, titles[a.opportunity_id]) for a in page.assignments]
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
