"""Opportunities and the assignments they turn into: who may do what, in which state.

State machine of an opportunity:
    open ──conversation──> in_conversation
    open / in_conversation ──award──> awarded
    open / in_conversation ──close(no_deal | withdrawn)──> closed
Anything else is refused with a 409 that names the refused transition.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

from chalicelib.domain.disciplines import Recognised
from chalicelib.domain.errors import Conflict, Forbidden
from chalicelib.domain.fees import FeeBooking, FeeTotals
from chalicelib.domain.intake import StoredAttachment

OpportunityStatus = Literal["open", "in_conversation", "awarded", "closed"]
Outcome = Literal["no_deal", "withdrawn"]
Tier = Literal["small", "medium", "large"]

TRANSITIONS: dict[str, dict[str, str]] = {
    "open": {"conversation": "in_conversation", "award": "awarded", "close": "closed"},
    "in_conversation": {"conversation": "in_conversation", "award": "awarded", "close": "closed"},
    "awarded": {},
    "closed": {},
}


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    by: str | None  # member id; None for the system
    action: str
    from_status: str | None
    to_status: str
    note: str = ""
    member: str | None = None  # the member it is about: in conversation, or awarded


@dataclass(frozen=True)
class Opportunity:
    id: str
    title: str
    description: str
    disciplines: tuple[str, ...]
    sector: str | None
    location: str | None
    client: str | None
    starts_on: date | None
    referrer_id: str | None  # None: the collective itself brought it
    posted_by: str
    status: OpportunityStatus
    created_at: datetime
    version: int = 1
    outcome: Outcome | None = None
    history: tuple[HistoryEvent, ...] = field(default=())
    # Mailed in: the intake record, its files, and which words of the mail gave which discipline.
    intake_id: str | None = None
    attachments: tuple[StoredAttachment, ...] = ()
    recognised: tuple[Recognised, ...] = ()

    def next_status(self, action: str) -> str:
        target = TRANSITIONS[self.status].get(action)
        if target is None:
            # opportunity_awarded, opportunity_closed: nothing moves it any more
            raise Conflict(f"opportunity_{self.status}", action=action)
        return target

    def moved(
        self,
        action: str,
        by: str | None,
        at: datetime,
        note: str = "",
        member: str | None = None,
    ) -> Opportunity:
        target = self.next_status(action)
        event = HistoryEvent(at, by, action, self.status, target, note, member)
        return replace(
            self,
            status=target,  # type: ignore[arg-type]
            version=self.version + 1,
            history=(*self.history, event),
        )

    def is_referrer(self, member_id: str) -> bool:
        return self.referrer_id == member_id

    def require_manager(self, member_id: str, is_admin: bool) -> None:
        """The referrer and admins manage an opportunity (candidates, conversations, close)."""
        if not (is_admin or self.is_referrer(member_id)):
            raise Forbidden("referrer_or_admin_only")

    def require_open_for_interest(self) -> None:
        if self.status not in ("open", "in_conversation"):
            raise Conflict("opportunity_not_taking_interest", status=self.status)


InvolvementStage = Literal[
    "none", "interested", "in_conversation", "awarded_to_me", "awarded_to_other", "closed"
]


def involvement_stage(
    opportunity: Opportunity, member_id: str, interested: bool, introduced: bool
) -> InvolvementStage:
    """Where it stands for a member who showed interest: the referrer's steps as they see them."""
    if opportunity.status == "awarded":
        awarded = [e.member for e in opportunity.history if e.action == "award"]
        return "awarded_to_me" if awarded and awarded[-1] == member_id else "awarded_to_other"
    if opportunity.status == "closed":
        return "closed"
    if introduced:
        return "in_conversation"
    return "interested" if interested else "none"


def award_check(
    opportunity: Opportunity, member_id: str, interested: bool, introduced: bool
) -> None:
    if opportunity.is_referrer(member_id):
        raise Forbidden("referrer_cannot_take_own")
    if not (interested or introduced):
        raise Forbidden("award_needs_interest")
    opportunity.next_status("award")


def match_score(
    opportunity: Opportunity,
    disciplines: tuple[str, ...],
    sectors: tuple[str, ...],
    available: bool,
) -> tuple[list[str], bool, bool]:
    """What a candidate has in common with the opportunity: shared disciplines (first),
    the sector (then), availability (last)."""
    shared = [d for d in opportunity.disciplines if d in disciplines]
    sector_match = opportunity.sector is not None and opportunity.sector in sectors
    return shared, sector_match, available


@dataclass(frozen=True)
class Assignment:
    id: str
    opportunity_id: str
    member_id: str
    referrer_id: str | None
    contribution: Tier
    fee_cap_cents: int
    starts_on: date
    created_at: datetime
    totals: FeeTotals = field(default_factory=FeeTotals.zero)
    version: int = 1  # bumped by every revenue report; reports condition on it
    # The lead's own cumulative revenue and fee on a joint assignment (domain.teams); None
    # until a report writes them: then the lead's figures are what the others leave.
    lead_revenue_cents: int | None = None
    lead_fee_cents: int | None = None

    @property
    def has_referrer(self) -> bool:
        return self.referrer_id is not None

    def visible_to(self, member_id: str, is_admin: bool) -> bool:
        return is_admin or member_id in (self.member_id, self.referrer_id)


@dataclass(frozen=True)
class RevenueReport:
    """One invoice (or credit note) and what it booked; its invoice_ref is the idempotency key."""

    assignment_id: str
    invoice_ref: str
    amount_cents: int
    invoiced_on: date
    reported_at: datetime
    booking: FeeBooking
    request_hash: str
    reported_by: str | None = None  # the executing member, or the admin on their behalf
    # Joint assignments (domain.teams). Whose revenue it is (None on reports from before
    # teams: the lead's); a team member other than the lead numbers their own invoices, so
    # their report is keyed by member and invoice; and their figures after it.
    member_id: str | None = None
    keyed_by_member: bool = False
    my_revenue_cents: int | None = None
    my_fee_cents: int | None = None
    burden_changes: tuple[tuple[str, int], ...] = ()

    @property
    def transaction_id(self) -> str:
        return transaction_id_of(
            self.assignment_id, self.invoice_ref, self.member_id if self.keyed_by_member else None
        )


def transaction_id_of(assignment_id: str, invoice_ref: str, member_key: str | None) -> str:
    """The ledger transaction of a report. The lead's reports keep the id they always had;
    another member's carries a `~` (never part of an invoice number) before their id."""
    if member_key is None:
        return f"revenue:{assignment_id}:{invoice_ref}"
    return f"revenue:{assignment_id}:~{member_key}:{invoice_ref}"
