"""Assignments: awarding one, revenue reported on it, and a member's own assignments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.models.common import Answer, Body, Day, PageQuery, Reference, WholeNumber


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


class RevenueReportOut(RevenueBooked):
    invoice_ref: str
    amount_cents: int
    invoiced_on: date
    reported_at: datetime
    reported_by: str | None = Field(description="member id: the member, or an admin for them")


class AssignmentOut(AssignmentCreated):
    starts_on: date
    created_at: datetime
    cumulative_revenue_cents: int
    cumulative_fee_cents: int
    cumulative_referrer_share_cents: int
    cumulative_collective_share_cents: int
    cumulative_pot_share_cents: int
    remaining_to_cap_cents: int
    reports: list[RevenueReportOut]


class MyAssignmentsQuery(PageQuery):
    role: Literal["executing", "referrer"] = "executing"


class MyAssignmentOut(AssignmentCreated):
    role: Literal["executing", "referrer"]
    opportunity_title: str
    starts_on: date
    created_at: datetime
    cumulative_revenue_cents: int
    cumulative_fee_cents: int
    cumulative_referrer_share_cents: int


class MyAssignmentList(Answer):
    items: list[MyAssignmentOut]
    next: str | None
