"""Joint assignments: a team of members under one cap (SPEC section 1, "Joint assignments").

The member who took the assignment is its lead; the lead (or an admin) invites active members,
who accept or decline. Every active team member reports their own invoices and credit notes.
The fee rules of `fees` apply to the team's cumulative revenue and the assignment's one cap;
each member bears a share of `fee_total` in proportion to their own cumulative revenue, split
by the largest-remainder method the pot uses (floors, the cents left over one each to the
largest remainders, ties by member id ascending). A report books each member's burden
difference besides the assignment's differences, so the outcome depends on the members'
cumulative revenues only: never on the order or the split of the reports.

An assignment without team data is a team of one: its lead's revenue and fee are the
assignment's totals, so every assignment made before teams existed answers as it did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from chalicelib.domain import fees
from chalicelib.domain.allocation import allocate_pot
from chalicelib.domain.errors import Cents, Conflict, Forbidden, NotFound
from chalicelib.domain.fees import FeeBooking, FeeTotals
from chalicelib.policy import Policy

TeamRole = Literal["lead", "member"]
TeamStatus = Literal["invited", "active", "left"]

# A report writes one item per team member besides its ledger lines and balances, all in one
# transaction (at most 100 writes): ten members keep a report well inside that.
MAX_TEAM_SIZE = 10


class TeamInvariantError(AssertionError):
    """Burdens that do not add up to the fee: always a bug, never the caller's fault."""


@dataclass(frozen=True)
class TeamMember:
    """One member's place on a team, with their cumulative revenue and the fee they bear."""

    member_id: str
    role: TeamRole
    status: TeamStatus
    revenue_cents: int = 0
    fee_cents: int = 0
    reports: int = 0  # how many reports were booked as theirs: one is enough to stay on
    invited_by: str | None = None
    changed_at: datetime | None = None

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"

    @property
    def on_team(self) -> bool:
        """Invited or active: someone whom a new invitation would duplicate."""
        return self.status in ("invited", "active")

    @property
    def has_revenue(self) -> bool:
        return self.reports > 0 or self.revenue_cents != 0


def burdens_for(fee_total_cents: int, revenues_cents: Mapping[str, int]) -> dict[str, int]:
    """Each member's share of `fee_total_cents` in proportion to their revenue, to the cent.

    The same largest-remainder split as the pot's: floors, then the cents left over one each
    to the largest remainders, ties by member id ascending. Every member given appears (0 for
    one without revenue); the shares add up to the fee exactly.
    """
    for member_id, revenue_cents in revenues_cents.items():
        if type(revenue_cents) is not int or revenue_cents < 0:
            raise ValueError(f"revenue of member {member_id!r} must be a non-negative int")
    split = allocate_pot(fee_total_cents, revenues_cents) if fee_total_cents else {}
    burdens = {member_id: split.get(member_id, 0) for member_id in sorted(revenues_cents)}
    if sum(burdens.values()) != fee_total_cents:
        # a fee without any revenue to bear it: the fee rules never give one
        raise TeamInvariantError(f"burdens do not add up to the fee of {fee_total_cents}")
    return burdens


@dataclass(frozen=True)
class TeamBooking:
    """What one report books: the assignment's differences (as for one member) and each
    member's burden difference, with everybody's figures after it."""

    member_id: str  # whose revenue it is
    fee: FeeBooking
    revenues_after: dict[str, int]
    burdens_after: dict[str, int]
    burden_changes: dict[str, int]  # member -> difference, only those that moved

    def __post_init__(self) -> None:
        if sum(self.burden_changes.values()) != self.fee.fee_cents:
            raise TeamInvariantError("burden differences do not add up to the fee booked")
        if sum(self.burdens_after.values()) != self.fee.after.fee_cents:
            raise TeamInvariantError("burdens do not add up to the fee total")
        if sum(self.revenues_after.values()) != self.fee.after.revenue_cents:
            raise TeamInvariantError("members' revenues do not add up to the team's")
        if any(v < 0 for v in (*self.burdens_after.values(), *self.revenues_after.values())):
            raise TeamInvariantError("a negative burden or revenue")

    @property
    def my_revenue_cents(self) -> int:
        return self.revenues_after[self.member_id]

    @property
    def my_fee_cents(self) -> int:
        return self.burdens_after[self.member_id]


@dataclass(frozen=True)
class Team:
    """The lead and the other members (invited, active or left) of one assignment."""

    assignment_id: str
    lead_id: str
    referrer_id: str | None
    members: tuple[TeamMember, ...]  # the lead first, then the others by member id

    @classmethod
    def of(
        cls,
        assignment_id: str,
        lead_id: str,
        referrer_id: str | None,
        totals: FeeTotals,
        others: list[TeamMember],
        lead_revenue_cents: int | None = None,
        lead_fee_cents: int | None = None,
    ) -> Team:
        """The team as stored: the lead's own figures where they were written, else (an
        assignment from before teams, or one nobody else reported on) what the others leave
        of the assignment's totals."""
        rest = sorted((m for m in others if m.member_id != lead_id), key=lambda m: m.member_id)
        if lead_revenue_cents is None:
            lead_revenue_cents = totals.revenue_cents - sum(m.revenue_cents for m in rest)
        if lead_fee_cents is None:
            lead_fee_cents = totals.fee_cents - sum(m.fee_cents for m in rest)
        lead = TeamMember(lead_id, "lead", "active", lead_revenue_cents, lead_fee_cents)
        return cls(assignment_id, lead_id, referrer_id, (lead, *rest))

    def matches(self, totals: FeeTotals) -> bool:
        """The members' figures add up to the assignment's totals: false only for a read
        torn by a report committed between reading the assignment and its team."""
        return (
            sum(m.revenue_cents for m in self.members) == totals.revenue_cents
            and sum(m.fee_cents for m in self.members) == totals.fee_cents
            and all(m.revenue_cents >= 0 and m.fee_cents >= 0 for m in self.members)
        )

    # Who is on it ---------------------------------------------------------------------------

    def member(self, member_id: str) -> TeamMember | None:
        return next((m for m in self.members if m.member_id == member_id), None)

    @property
    def lead(self) -> TeamMember:
        return self.members[0]

    @property
    def active(self) -> tuple[TeamMember, ...]:
        return tuple(m for m in self.members if m.status == "active")

    def is_active_member(self, member_id: str) -> bool:
        found = self.member(member_id)
        return found is not None and found.status == "active"

    def sees(self, member_id: str) -> bool:
        """Team members (invited ones too: they decide whether to join) see the assignment."""
        found = self.member(member_id)
        return found is not None and found.on_team

    @property
    def is_joint(self) -> bool:
        """More than the lead was ever on it (a team of one answers as before teams)."""
        return len(self.members) > 1

    # Changes --------------------------------------------------------------------------------

    def invite(
        self,
        invitee_id: str,
        by: str,
        is_admin: bool,
        invitee_active: bool,
        invitee_name: str,
        at: datetime,
    ) -> TeamMember:
        """The invitation of `invitee_id` by the lead or an admin."""
        if not (is_admin or by == self.lead_id):
            raise Forbidden("team_lead_or_admin_only")
        existing = self.member(invitee_id)
        if existing is not None and existing.on_team:
            raise Conflict("already_on_team", member=invitee_name)
        if invitee_id == self.referrer_id:
            raise Conflict("referrer_cannot_join_team")
        if not invitee_active:
            raise Conflict("member_not_active", member=invitee_name)
        if len([m for m in self.members if m.on_team or m.has_revenue]) >= MAX_TEAM_SIZE:
            raise Conflict("team_full", maximum=MAX_TEAM_SIZE)
        return TeamMember(invitee_id, "member", "invited", invited_by=by, changed_at=at)

    def accept(self, member_id: str, at: datetime) -> TeamMember | None:
        """The invitee joins; None when they had joined already (a repeat changes nothing)."""
        found = self.member(member_id)
        if found is not None and found.status == "active" and not found.is_lead:
            return None
        if found is None or found.status != "invited":
            raise Forbidden("team_invitation_not_yours")
        return replace(found, status="active", changed_at=at)

    def decline(self, member_id: str) -> TeamMember:
        """The invitee does not join: the invitation is withdrawn (they were never on it)."""
        found = self.member(member_id)
        if found is not None and found.status == "active" and not found.is_lead:
            raise Conflict("team_already_joined")
        if found is None or found.status != "invited":
            raise Forbidden("team_invitation_not_yours")
        return found

    def remove(self, member_id: str, by: str, is_admin: bool, at: datetime) -> TeamMember | None:
        """`member_id` leaves (by themselves) or is removed (by the lead or an admin): an
        invitation is withdrawn (None: the item goes), an active member becomes `left`.
        A member with revenue reported stays: their revenue bears part of the fee."""
        if not (is_admin or by in (self.lead_id, member_id)):
            raise Forbidden("team_lead_admin_or_self")
        found = self.member(member_id)
        if found is None or found.status == "left":
            raise NotFound("team_member_not_found")
        if found.is_lead:
            raise Conflict("team_lead_stays")
        if found.has_revenue:
            raise Conflict("team_member_has_revenue")
        if found.status == "invited":
            return None
        return replace(found, status="left", changed_at=at)

    # Revenue ----------------------------------------------------------------------------------

    def require_reporter(self, member_id: str) -> None:
        """Only an active team member's revenue can be reported (by them or an admin)."""
        if not self.is_active_member(member_id):
            raise Conflict("revenue_member_not_on_team")

    def book(
        self,
        totals: FeeTotals,
        member_id: str,
        amount_cents: int,
        cap_cents: int,
        policy: Policy,
    ) -> TeamBooking:
        """One report of `amount_cents` (negative: a credit note) as `member_id`'s revenue.

        The assignment's differences are those of `fees.book_report` on the team's totals;
        every member's burden is recomputed from the revenues after it and books its
        difference against the burden they bore before. A credit note above the member's own
        revenue is refused, even when the team's revenue would cover it.
        """
        self.require_reporter(member_id)
        mine = self.member(member_id)
        assert mine is not None  # require_reporter found them
        if mine.revenue_cents + amount_cents < 0:
            raise Conflict(
                "credit_above_revenue",
                amount=Cents(-amount_cents),
                revenue=Cents(mine.revenue_cents),
            )
        booking = fees.book_report(
            totals, amount_cents, cap_cents, self.referrer_id is not None, policy
        )
        revenues = {m.member_id: m.revenue_cents for m in self.members}
        revenues[member_id] += amount_cents
        burdens = burdens_for(booking.after.fee_cents, revenues)
        before = {m.member_id: m.fee_cents for m in self.members}
        changes = {m: burdens[m] - before[m] for m in sorted(burdens) if burdens[m] != before[m]}
        return TeamBooking(member_id, booking, revenues, burdens, changes)

    def after(self, booked: TeamBooking, at: datetime) -> Team:
        """The team with the figures after `booked` (the reporter counts one report more)."""
        members = tuple(
            replace(
                m,
                revenue_cents=booked.revenues_after[m.member_id],
                fee_cents=booked.burdens_after[m.member_id],
                reports=m.reports + int(m.member_id == booked.member_id),
                changed_at=at if m.member_id == booked.member_id else m.changed_at,
            )
            for m in self.members
        )
        return replace(self, members=members)
