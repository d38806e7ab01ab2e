"""Assignments: awarding one, revenue reported on it, and a member's own assignments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.models.common import Answer, Body, Day, PageQuery, Reference, WholeNumber

# A member's id as the directory gives it (letters, digits, dashes: nothing to echo back).
TeamMemberId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[\w-]+$")]


class AssignmentIn(Body):
    contribution: Literal["small", "medium", "large"]
    starts_on: Day


class AssignmentCreated(Answer):
    id: str
    opportunity_id: str
    member_id: str
    referrer_id: str | None
    contribution: Literal["small", "medium", "large"]
    fee_cap_cents: int


class RevenueIn(Body):
    amount_cents: Annotated[
        int,
        Field(
            strict=True,
            ge=-100_000_000_00,
            le=100_000_000_00,
            json_schema_extra={"not": {"const": 0}},
        ),
        WholeNumber,
    ]
    invoice_ref: Reference
    invoiced_on: Day
    member_id: TeamMemberId | None = Field(
        default=None,
        description=(
            "admins on a team: whose revenue it is (an active team member; the lead when "
            "not given). A member reports their own and may leave it out"
        ),
    )

    @field_validator("amount_cents")
    @classmethod
    def _not_zero(cls, amount_cents: int) -> int:
        if amount_cents == 0:
            raise PydanticCustomError("not_zero", "must not be 0 (a credit note is negative)")
        return amount_cents


class RevenueBooked(Answer):
    fee_cents: int
    referrer_share_cents: int
    collective_share_cents: int
    pot_share_cents: int
    cumulative_revenue_cents: int
    cumulative_fee_cents: int
    fee_cap_cents: int
    my_revenue_cents: int = Field(description="the reporting member's own revenue after it")
    my_fee_cents: int = Field(description="the part of the fee the reporting member bears")


class RevenueReportOut(RevenueBooked):
    invoice_ref: str
    amount_cents: int
    invoiced_on: date
    reported_at: datetime
    reported_by: str | None = Field(description="member id: the member, or an admin for them")
    member_id: str | None = Field(
        default=None, description="whose revenue it is (a team member); null: the lead's"
    )


TeamRole = Literal["lead", "member"]
TeamStatus = Literal["invited", "active", "left"]


class TeamMemberOut(Answer):
    member_id: str
    name: str
    role: TeamRole
    status: TeamStatus
    revenue_cents: int | None = Field(
        default=None, description="admins only: the member's cumulative revenue"
    )
    fee_cents: int | None = Field(
        default=None, description="admins only: the part of the fee the member bears"
    )
    has_revenue: bool | None = Field(
        default=None,
        description=(
            "whether revenue was ever reported as theirs (then they stay on the team, also "
            "at 0 after credit notes); never an amount. Given to whoever may take that member "
            "off the team: admins, the lead, the member on their own entry; null otherwise"
        ),
    )


class AssignmentOut(AssignmentCreated):
    starts_on: date
    created_at: datetime
    cumulative_revenue_cents: int
    cumulative_fee_cents: int
    cumulative_referrer_share_cents: int
    cumulative_collective_share_cents: int
    cumulative_pot_share_cents: int
    remaining_to_cap_cents: int
    reports: list[RevenueReportOut] = Field(
        description=(
            "admins: every report; a team member: their own (all of them on a team of one); "
            "the referrer: those of a team of one, none of a joint assignment's"
        )
    )
    team: list[TeamMemberOut] = Field(description="the lead first, then the others")
    my_team_role: TeamRole | None = Field(description="the caller's place on the team")
    my_team_status: TeamStatus | None
    my_revenue_cents: int | None = Field(description="team members: their own revenue")
    my_fee_cents: int | None = Field(description="team members: the part of the fee they bear")


class TeamInviteIn(Body):
    member_id: TeamMemberId = Field(description="an active member")


class TeamChangeOut(Answer):
    member_id: str
    status: Literal["invited", "active", "declined", "left"]


class MyAssignmentsQuery(PageQuery):
    role: Literal["executing", "referrer"] = Field(
        default="executing",
        description="executing: as lead or team member (invitations too); referrer",
    )


class MyAssignmentOut(AssignmentCreated):
    role: Literal["executing", "referrer"]
    opportunity_title: str
    starts_on: date
    created_at: datetime
    cumulative_revenue_cents: int
    cumulative_fee_cents: int
    cumulative_referrer_share_cents: int
    team_role: TeamRole | None = Field(
        default=None, description="executing: lead or team member; null as referrer"
    )
    team_status: TeamStatus | None = Field(default=None, description="invited or active")
    my_revenue_cents: int = Field(default=0, description="own revenue (0 as referrer)")
    my_fee_cents: int = Field(default=0, description="own part of the fee (0 as referrer)")


class MyAssignmentList(Answer):
    items: list[MyAssignmentOut]
    next: str | None
