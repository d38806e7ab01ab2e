"""Payout batches (SPEC "Money through the bank", "Payouts out"): what an admin prepares,
reviews and approves, and what each member in it is paid."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from chalicelib.api.models.common import Answer


class PayoutItemOut(Answer):
    number: int
    member_id: str
    name: str | None = Field(description="the member's name (null: no longer known)")
    account_holder: str = Field(description="the name on the account the transfer goes to")
    iban: str
    amount_cents: int = Field(description="paid by transfer; 0 when the offset took it all")
    offset_cents: int = Field(description="what the member owed, offset against it first")
    end_to_end_id: str = Field(description="the transfer's reference at the bank")
    status: Literal["pending", "booked", "executed", "returned", "dropped"]
    reason: str | None = Field(
        description="dropped: balances_changed (paid in a later batch); returned: the bank's code"
    )


class SkippedMemberOut(Answer):
    member_id: str
    name: str | None
    to_receive_cents: int
    reason: Literal["no_bank_account"]


class PayoutBatchOut(Answer):
    id: str = Field(description="the batch id (the file's MsgId; end-to-end ids start with it)")
    status: Literal["prepared", "approved", "executed"]
    prepared_by: str
    prepared_by_name: str | None
    prepared_at: datetime
    approved_by: str | None
    approved_by_name: str | None
    approved_at: datetime | None
    execution_date: date | None = Field(description="the day the transfers are requested for")
    total_cents: int = Field(description="paid by transfer (the file's CtrlSum)")
    offset_cents: int = Field(description="offset against what members owed")
    transfer_count: int = Field(description="transfers in the file (its NbOfTxs)")
    items: list[PayoutItemOut]
    skipped: list[SkippedMemberOut]
    may_approve: bool = Field(description="whether the caller may approve it now (four eyes)")
    replayed: bool = Field(default=False, description="approved before: this answers it")


class PayoutBatchList(Answer):
    items: list[PayoutBatchOut]
    next: str | None
