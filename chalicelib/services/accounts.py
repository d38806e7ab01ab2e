"""Members' money: statements, payments received and payouts made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.store.ledger import Booking, JournalLine, LedgerStore
from chalicelib.store.members import MemberStore


@dataclass(frozen=True)
class MemberStatement:
    member_id: str
    owed_cents: int
    to_receive_cents: int
    lines: list[JournalLine]
    next_cursor: str | None


class AccountsService:
    def __init__(self, members: MemberStore, ledger_store: LedgerStore, clock: Clock) -> None:
        self.members = members
        self.ledger = ledger_store
        self.clock = clock

    def statement(self, member_id: str, limit: int, cursor: str | None) -> MemberStatement:
        self.members.get_member(member_id)  # 404 for an unknown member
        owes = ledger.member_owes_account(member_id)
        receives = ledger.member_receives_account(member_id)
        page = self.ledger.journal(owes, limit, cursor)
        return MemberStatement(
            member_id=member_id,
            owed_cents=self.ledger.balance_cents(owes),
            # credit-normal: the collective owes the member the negated balance
            to_receive_cents=-self.ledger.balance_cents(receives),
            lines=page.lines,
            next_cursor=page.next_cursor,
        )

    def record_payment(
        self,
        member_id: str,
        amount_cents: int,
        received_on: date,
        reference: str,
        booked_by: str | None = None,
    ) -> Booking:
        self.members.get_member(member_id)
        transaction = ledger.payment_received(
            member_id, amount_cents, received_on, reference, self.clock.now(), booked_by
        )
        return self.ledger.book(transaction)

    def record_payout(
        self,
        member_id: str,
        amount_cents: int,
        paid_on: date,
        reference: str,
        booked_by: str | None = None,
    ) -> Booking:
        self.members.get_member(member_id)
        transaction = ledger.payout_made(
            member_id, amount_cents, paid_on, reference, self.clock.now(), booked_by
        )
        return self.ledger.book(transaction)
