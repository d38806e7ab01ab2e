"""What members owe, since when, and the reminders about it."""

from __future__ import annotations

import base64
import binascii
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.errors import FieldProblem, InvalidInput
from chalicelib.domain.membership import Member
from chalicelib.domain.receivables import (
    Movement,
    UnpaidCharge,
    euros,
    is_due_for_reminder,
    unpaid_charges,
)
from chalicelib.policy import Policy
from chalicelib.services.mailer import Mailer
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.mail import MailLog
from chalicelib.store.members import MemberStore
from chalicelib.store.timestamps import unstamp

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
        members: MemberStore,
        ledger_store: LedgerStore,
        mail_log: MailLog,
        mailer: Mailer,
        clock: Clock,
        policy: Policy,
    ) -> None:
        self.members = members
        self.ledger = ledger_store
        self.mail_log = mail_log
        self.mailer = mailer
        self.clock = clock
        self.policy = policy

    def receivable(self, member_id: str, owed_cents: int) -> Receivable:
        owes = ledger.member_owes_account(member_id)
        movements = [
            Movement(unstamp(line.booked_at_s), line.amount_cents, line.description)
            for line in self.ledger.iter_journal(owes)
            if line.account == owes
        ]
        return Receivable(
            self.members.get_member(member_id),
            owed_cents,
            unpaid_charges(movements),
            self.mail_log.last_reminder_at(member_id),
        )

    def owing(self) -> list[Receivable]:
        return [
            self.receivable(member_id, owed)
            for member_id, owed in self.ledger.iter_owed_balances()
            if owed > 0
        ]

    def page(self, sort: SortKey, limit: int, cursor: str | None) -> ReceivablePage:
        """Members owing something, largest amount or oldest debt first."""
        start = _offset(cursor, sort)
        everyone = self.owing()
        if sort == "amount":
            everyone.sort(key=lambda r: (-r.owed_cents, r.member.id))
        else:
            everyone.sort(key=lambda r: (r.oldest_unpaid_at or self.clock.now(), r.member.id))
        items = everyone[start : start + limit]
        more = start + limit < len(everyone)
        return ReceivablePage(items, _cursor(start + limit, sort) if more else None)

    def send_reminders(self) -> ReminderReport:
        report = ReminderReport()
        for receivable in self.owing():
            report.members_owing += 1
            outcome = self._remind(receivable)
            if outcome == "reminded":
                report.reminded += 1
            elif outcome == "not_due":
                report.not_due += 1
            else:
                report.failed += 1
                report.failed_member_ids.append(receivable.member.id)
        log.info(json.dumps({"job": "reminders", **report.__dict__}))
        return report

    def _remind(self, receivable: Receivable) -> str:
        now, previous = self.clock.now(), receivable.last_reminder_at
        due = is_due_for_reminder(
            receivable.unpaid,
            previous,
            now,
            self.policy.reminder_overdue_days,
            self.policy.reminder_interval_days,
        )
        member_id = receivable.member.id
        if not due or not self.mail_log.claim_reminder(member_id, now, previous):
            return "not_due"
        subject, text = reminder_mail(receivable, self.policy)
        try:
            message_id = self.mailer.send(receivable.member.email, subject, text)
        except Exception:
            log.exception("reminder to %s failed", member_id)
            self.mail_log.release_reminder(member_id, now, previous)
            return "failed"
        self.mail_log.record(
            member_id, "reminder", receivable.member.email, subject, text, message_id, now
        )
        return "reminded"


def reminder_mail(receivable: Receivable, policy: Policy) -> tuple[str, str]:
    lines = [
        f"  {c.booked_at.date().isoformat()}  {c.description}: {euros(c.unpaid_cents)}"
        for c in receivable.unpaid
    ]
    text = "\n".join(
        [
            f"Beste {receivable.member.name},",
            "",
            f"Volgens onze administratie staat er {euros(receivable.owed_cents)} open:",
            *lines,
            "",
            f"Wil je dit overmaken naar {policy.payment_iban} t.n.v. Co-operations,",
            f"onder vermelding van je lidnummer {receivable.member.id}?",
            "Heb je al betaald, dan kun je dit bericht negeren.",
            "",
            "Hartelijke groet,",
            "De penningmeester van Co-operations",
        ]
    )
    return f"Herinnering: {euros(receivable.owed_cents)} open bij Co-operations", text


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
    raise InvalidInput("cursor is not valid", [FieldProblem("cursor", "not a cursor of this list")])
