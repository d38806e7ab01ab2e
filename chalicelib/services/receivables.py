"""What members owe, since when, and the reminders about it."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.bank_accounts import format_iban
from chalicelib.domain.errors import FieldProblem, InvalidInput
from chalicelib.domain.membership import Member
from chalicelib.domain.receivables import (
    Movement,
    UnpaidCharge,
    is_due_for_reminder,
    unpaid_charges,
)
from chalicelib.domain.references import formatted
from chalicelib.domain.search import member_matches
from chalicelib.i18n import descriptions, language_or_default
from chalicelib.mail.letters import Recipient, UnpaidLine, reminder_letter
from chalicelib.mail.links import Links
from chalicelib.mail.message import OutgoingMail
from chalicelib.periods import local_date
from chalicelib.policy import Policy
from chalicelib.services.member_numbers import MemberNumbers
from chalicelib.services.outbox import MailOutbox
from chalicelib.store.outbox import QueuedMail
from chalicelib.store.ports import LedgerRepository, MemberDirectory
from chalicelib.store.reminders import ReminderLog
from chalicelib.store.timestamps import stamp, unstamp
from chalicelib.store.uow import AlreadyDone, UnitOfWork

log = logging.getLogger("coop.receivables")
SortKey = Literal["amount", "age"]


@dataclass(frozen=True)
class Receivable:
    member: Member
    owed_cents: int
    unpaid: list[UnpaidCharge]
    last_reminder_at: datetime | None

    @property
    def oldest_unpaid_at(self) -> datetime | None:
        return self.unpaid[0].booked_at if self.unpaid else None


@dataclass(frozen=True)
class ReceivablePage:
    items: list[Receivable]
    next_cursor: str | None
    total_cents: int = 0  # of every member on the list (all pages), not only this page
    count: int = 0


@dataclass
class ReminderReport:
    members_owing: int = 0
    reminded: int = 0
    not_due: int = 0
    failed: int = 0
    failed_member_ids: list[str] = field(default_factory=list)


class ReceivablesService:
    def __init__(
        self,
        members: MemberDirectory,
        ledger_store: LedgerRepository,
        reminders: ReminderLog,
        outbox: MailOutbox,
        links: Links,
        clock: Clock,
        policy: Policy,
        uow: Callable[[], UnitOfWork],
        numbers: MemberNumbers | None = None,
    ) -> None:
        self.uow = uow
        self.members = members
        self.ledger = ledger_store
        self.reminders = reminders
        # the payment reference a reminder names (without: the member id, as before numbers)
        self.numbers = numbers
        self.outbox = outbox
        self.links = links
        self.clock = clock
        self.policy = policy

    def receivable(self, member_id: str, owed_cents: int) -> Receivable:
        owes = ledger.member_owes_account(member_id)
        member = self.members.get_member(member_id)
        lang = language_or_default(member.language)  # what the reminder lists, in their words
        movements = [
            Movement(
                unstamp(line.booked_at_s),
                line.amount_cents,
                descriptions.ledger_line(
                    line.kind, line.transaction_id, line.reference, owes, line.description, lang
                ),
            )
            for line in self.ledger.iter_journal(owes)
            if line.account == owes
        ]
        return Receivable(
            member,
            owed_cents,
            unpaid_charges(movements),
            self.reminders.last_reminder_at(member_id),
        )

    def owing(self) -> list[Receivable]:
        return [
            self.receivable(member_id, owed)
            for member_id, owed in self.ledger.iter_owed_balances()
            if owed > 0
        ]

    def page(
        self, sort: SortKey, limit: int, cursor: str | None, search: str | None = None
    ) -> ReceivablePage:
        """Members owing something, largest amount or oldest debt first; with `search`, only
        those whose name, e-mail address or payment reference it finds. The total and count
        are of the whole list, summed in the same pass that reads it (no extra reads)."""
        start = _offset(cursor, sort)
        everyone = self.owing()
        if search:
            named = self.numbers.members_named_in(search) if self.numbers else set()
            everyone = [
                r
                for r in everyone
                if r.member.id in named
                or member_matches(search, r.member.name, r.member.email, r.member.id)
            ]
        if sort == "amount":
            everyone.sort(key=lambda r: (-r.owed_cents, r.member.id))
        else:
            everyone.sort(key=lambda r: (r.oldest_unpaid_at or self.clock.now(), r.member.id))
        items = everyone[start : start + limit]
        more = start + limit < len(everyone)
        return ReceivablePage(
            items,
            _cursor(start + limit, sort) if more else None,
            total_cents=sum(r.owed_cents for r in everyone),
            count=len(everyone),
        )

    def send_reminders(self) -> ReminderReport:
        report = ReminderReport()
        queued: list[QueuedMail] = []
        for receivable in self.owing():
            report.members_owing += 1
            mail = self._remind(receivable)
            if mail is None:
                report.not_due += 1
            else:
                queued.append(mail)
        delivery = self.outbox.send_now(queued)
        report.reminded = len(queued)
        # a failed send stays queued: the outbox job tries it again
        report.failed, report.failed_member_ids = delivery.failed, delivery.failed_member_ids
        log.info("job report", extra={"job": "reminders", **report.__dict__})
        return report

    def _remind(self, receivable: Receivable) -> QueuedMail | None:
        """Queues a reminder when one is due; the queued mail, or None when none is due."""
        now, previous = self.clock.now(), receivable.last_reminder_at
        due = is_due_for_reminder(
            receivable.unpaid,
            previous,
            now,
            self.policy.reminder_overdue_days,
            self.policy.reminder_interval_days,
        )
        if not due:
            return None
        member = receivable.member
        mail_id = f"reminder:{member.id}:{stamp(now)}"
        mail = self.outbox.prepare(mail_id, "reminder", member.id, self._letter(receivable))
        with self.uow() as uow:
            self.reminders.register_reminder(uow, member.id, now, previous)
            self.outbox.register(uow, mail)
            try:
                uow.commit()
            except AlreadyDone:
                return None  # another run reminded them just now
        return mail.queued

    def _letter(self, receivable: Receivable) -> OutgoingMail:
        member = receivable.member
        recipient = Recipient.of(member)
        unpaid = [
            UnpaidLine(local_date(c.booked_at), c.description, c.unpaid_cents)
            for c in receivable.unpaid
        ]
        # the member's RF reference (their number is given now if they had none yet)
        reference = self.numbers.reference_of(member.id) if self.numbers else member.id
        letter = reminder_letter(
            recipient,
            self.links,
            receivable.owed_cents,
            unpaid,
            format_iban(self.policy.bank_iban),
            formatted(reference) if self.numbers else reference,
            self.policy.bank_account_name,
        )
        return letter.to(member.email)


def _cursor(offset: int, sort: str) -> str:
    return base64.urlsafe_b64encode(f"{sort}:{offset}".encode()).decode()


def _offset(cursor: str | None, sort: str) -> int:
    if cursor is None:
        return 0
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind == sort and number.isdigit():
            return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise InvalidInput("invalid_input", problems=[FieldProblem("cursor", "not_a_cursor")])
