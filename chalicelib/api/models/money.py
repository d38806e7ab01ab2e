"""The ledger as members and the treasurer see it: statements, payments and payouts,
receivables and payables, the export."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from chalicelib.api.models.common import (
    Answer,
    Body,
    Cents,
    Day,
    PageQuery,
    Query,
    Reference,
    SearchTerm,
)


class StatementLine(Answer):
    transaction_id: str
    booked_at: datetime
    kind: str
    description: str
    reference: str
    account: Literal["owed", "to_receive"]
    amount_cents: int = Field(description="change of owed_cents or to_receive_cents")
    booked_by: str | None = Field(
        description="member id of who booked it (the treasurer, or the member); null: the system"
    )


class Statement(Answer):
    member_id: str
    owed_cents: int = Field(description="what the member owes; negative when paid ahead")
    to_receive_cents: int = Field(description="what the collective owes the member")
    entries: list[StatementLine]
    next: str | None = Field(description="cursor of older entries")


class MoneyIn(Body):
    """Money received from a member (payments) or by a member (payouts)."""

    amount_cents: Cents
    received_on: Day
    reference: Reference


class TransactionOut(Answer):
    transaction_id: str
    kind: str
    member_id: str | None
    amount_cents: int
    reference: str
    description: str
    booked_at: datetime
    replayed: bool = Field(description="true when this answers an earlier identical request")


class ReceivableOut(Answer):
    member_id: str
    name: str
    email: str
    status: Literal["active", "cancelled"]
    owed_cents: int
    oldest_unpaid_on: date | None
    oldest_unpaid_age_days: int | None
    last_reminder_at: datetime | None


class ReceivableList(Answer):
    items: list[ReceivableOut]
    next: str | None
    total_cents: int = Field(description="what everyone on the list owes together (all pages)")
    count: int = Field(description="how many members are on the list (all pages)")


class ReceivablesQuery(PageQuery):
    sort: Literal["amount", "age"] = "amount"
    q: SearchTerm | None = Field(
        default=None, description="part of a name or e-mail address, or a payment reference"
    )


class ExportQuery(Query):
    from_: Day = Field(alias="from")
    to: Day

    @field_validator("to")
    @classmethod
    def _ordered(cls, to: date, info: ValidationInfo) -> date:
        first = info.data.get("from_")
        if first is not None and to < first:
            raise PydanticCustomError("before_from", "must not be before 'from'")
        if first is not None and (to - first).days > 400:
            raise PydanticCustomError(
                "range_too_long", "a range of at most {maximum} days", {"maximum": 400}
            )
        return to


class PaymentDetailsOut(Answer):
    iban: str = Field(description="the collective's IBAN, in groups of four")
    account_holder: str = Field(description="the name of the collective's account")
    reference: str = Field(
        description="what to mention with a transfer: the member's ISO 11649 creditor "
        "reference (RF, two check digits, the member number), in groups of four"
    )
    bic: str = Field(description="the BIC of the collective's bank")
    amount_cents: int = Field(ge=0, description="what the member owes now (0: nothing)")
    epc_qr_svg: str | None = Field(
        description="an EPC QR code (SVG) a banking app scans to pay amount_cents with the "
        "reference; null when nothing is owed"
    )


class PayableOut(Answer):
    member_id: str
    name: str
    email: str
    status: Literal["active", "cancelled"]
    to_receive_cents: int


class PayableList(Answer):
    items: list[PayableOut]
    next: str | None
    total_cents: int = Field(description="what the collective owes everyone on the list")
    count: int = Field(description="how many members are on the list (all pages)")


class PayablesQuery(PageQuery):
    q: SearchTerm | None = Field(
        default=None, description="part of a name or e-mail address, or a payment reference"
    )
