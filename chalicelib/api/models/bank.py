"""Bank statements in: the imported file, its report, the lines waiting and the decisions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chalicelib.api.models.common import Answer, Body, PageQuery, Reason

_LineStatus = Literal["unmatched", "booked", "set_aside", "executed", "returned"]
_MemberId = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[\w-]+$")]


class StatementFile(BaseModel):
    """The camt.053 file as it was sent (application/xml): its reader judges the bytes."""

    model_config = ConfigDict(defer_build=True)

    content: bytes


class StatementImported(Answer):
    id: str = Field(description="the import's id: the same file always gets the same id")
    account_iban: str
    lines: int = Field(description="lines in the file")
    booked: int = Field(description="credits booked now as members' payments")
    already_booked: int = Field(description="lines imported before: nothing done again")
    unmatched: int = Field(description="lines now waiting for an admin")
    executed: int = Field(description="debits that executed a payout")
    returned: int = Field(description="transfers of ours that came back")


class BankLinesQuery(PageQuery):
    status: _LineStatus = "unmatched"


class MemberNamed(Answer):
    member_id: str
    name: str


class BankLineOut(Answer):
    id: str = Field(description="the line's key: the bank's reference, else a digest of it")
    status: _LineStatus
    direction: Literal["credit", "debit"]
    amount_cents: int
    booked_on: date
    counterparty_name: str | None
    counterparty_iban: str | None
    remittance_text: str
    structured_reference: str | None
    end_to_end_id: str | None
    return_reason: str | None
    member: MemberNamed | None = Field(description="whose payment it was booked as")
    suggested_member: MemberNamed | None = Field(
        description="for a waiting line: the member whose IBAN or name the payer's matches"
    )
    reason: str | None = Field(description="why it was set aside")


class BankLineList(Answer):
    items: list[BankLineOut]
    next: str | None


class AssignIn(Body):
    member_id: _MemberId


class SetAsideIn(Body):
    reason: Reason
