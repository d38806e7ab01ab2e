"""Members' money: statements, payments received and payouts made."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Generic

from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.notices import payment_received_letter, payout_made_letter
from chalicelib.services.outbox import MailOutbox, PreparedMail
from chalicelib.store.ports import LedgerRepository, MemberDirectory, U
from chalicelib.store.records import Booking, JournalLine
from chalicelib.store.refusals import BookingReplayed


@dataclass(frozen=True)
class MemberStatement:
    member_id: str
    owed_cents: int
    to_receive_cents: int
    lines: list[JournalLine]
    next_cursor: str | None


class AccountsService(Generic[U]):
    def __init__(
        self,
        members: MemberDirectory,
        ledger_store: LedgerRepository[U],
        clock: Clock,
        outbox: MailOutbox[U],
        links: Links,
        uow: Callable[[], U],
    ) -> None:
        self.uow = uow
        self.members = members
        self.ledger = ledger_store
        self.clock = clock
        self.outbox = outbox
        self.links = links

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
        member = self.members.get_member(member_id)
        transaction = ledger.payment_received(
            member_id, amount_cents, received_on, reference, self.clock.now(), booked_by
        )
        # The mail is queued in the booking's own write: both or neither, and a replayed
        # request (the booking exists) mails nothing. What is still owed is read just before;
        # another booking at the same moment can make the mail's figure a moment old.
        owed_after = self.ledger.balance_cents(ledger.member_owes_account(member_id)) - amount_cents
        letter = payment_received_letter(
            Recipient.of(member), self.links, amount_cents, received_on, reference, owed_after
        )
        mail = self.outbox.prepare(
            f"{transaction.transaction_id}:mail",
            "payment_received",
            member_id,
            letter.to(member.email),
        )
        booking = self._book(transaction, mail)
        if not booking.replayed:
            self.outbox.send_now([mail.queued])  # a failed send stays queued for the job
        return booking

    def _book(self, transaction: ledger.LedgerTransaction, mail: PreparedMail) -> Booking:
        """Books with its mail queued beside it; a replay answers the original booking; a
        refusal that concerns a member names them (by name, never by id)."""
        try:
            with self.uow() as uow:
                self.ledger.register_booking(uow, transaction)
                self.outbox.register(uow, mail)
                uow.commit()
            return Booking(transaction, replayed=False)
        except BookingReplayed:
            return self.ledger.replay(transaction)
        except Conflict as refused:
            member_id = refused.params.pop("member_id", None)
            if member_id:
                known = self.members.get_members([member_id]).get(member_id)
                if known is not None:
                    refused.params["member"] = known.name
            raise

    def record_payout(
        self,
        member_id: str,
        amount_cents: int,
        paid_on: date,
        reference: str,
        booked_by: str | None = None,
    ) -> Booking:
        member = self.members.get_member(member_id)
        transaction = ledger.payout_made(
            member_id, amount_cents, paid_on, reference, self.clock.now(), booked_by
        )
        receives = ledger.member_receives_account(member_id)
        left_after = -self.ledger.balance_cents(receives) - amount_cents
        letter = payout_made_letter(
            Recipient.of(member), self.links, amount_cents, paid_on, reference, left_after
        )
        mail = self.outbox.prepare(
            f"{transaction.transaction_id}:mail",
            "payout_made",
            member_id,
            letter.to(member.email),
        )
        booking = self._book(transaction, mail)
        if not booking.replayed:
            self.outbox.send_now([mail.queued])  # a failed send stays queued for the job
        return booking
