"""Delivering the mail outbox: send what is due, retry failures with growing pauses.

Money never waits for mail: the change that causes a mail queues it (in the same unit of work
where it matters) and is done. This service sends queued mail right after (best effort) and
from a schedule every few minutes, so a mail that failed goes out later without holding up
anything else. A mail that keeps failing is given up after MAX_ATTEMPTS and stays visible.
Delivery is at least once: a worker that dies between SES accepting a mail and recording it
leaves the mail to be sent again after its lease.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic

from chalicelib.clock import Clock
from chalicelib.mail.message import OutgoingMail
from chalicelib.services.mailer import Mailer
from chalicelib.store.ports import OutboxRepository, U
from chalicelib.store.records import QueuedMail
from chalicelib.store.refusals import Refusal

log = logging.getLogger("coop.outbox")
MAX_ATTEMPTS = 12  # about two days of growing pauses
LEASE = timedelta(minutes=2)
PAGE = 100
# Mails sent and not yet recorded as sent are sent again after their lease if the sender
# dies: a small batch keeps that rare double small, and still one request for many mails.
SENT_BATCH = 25


@dataclass(frozen=True)
class PreparedMail:
    queued: QueuedMail  # queued by `register` in the caller's unit of work


@dataclass
class OutboxReport:
    sent: int = 0
    failed: int = 0
    given_up: int = 0
    complete: bool = True
    failed_mail_ids: list[str] = field(default_factory=list)
    failed_member_ids: list[str] = field(default_factory=list, repr=False)


def retry_pause(attempts: int) -> timedelta:
    """2, 4, 8 ... minutes after the n-th failed attempt, at most six hours."""
    return min(timedelta(minutes=2**attempts), timedelta(hours=6))


class MailOutbox(Generic[U]):
    def __init__(self, store: OutboxRepository[U], mailer: Mailer, clock: Clock) -> None:
        self.store = store
        self.mailer = mailer
        self.clock = clock

    def prepare(
        self, mail_id: str, kind: str, member_id: str | None, mail: OutgoingMail
    ) -> PreparedMail:
        """The mail as it will be queued: for a caller that queues it in its own unit of work
        (`register`) and then hands it to `send_now`."""
        now = self.clock.now()
        return PreparedMail(QueuedMail(mail_id, kind, member_id, mail, now, 0, None, None, None))

    def register(
        self,
        uow: U,
        prepared: PreparedMail,
        *,
        claimed: bool = False,
        refusal: Refusal | None = None,
    ) -> None:
        """Queues the prepared mail in the caller's unit of work: it exists exactly when the
        change it announces does. `claimed`: queued already taken for its first attempt, for
        a caller that hands it to `send_claimed` right after the commit (no claim request
        per mail); if that caller dies first, the outbox job sends it after the lease.
        `refusal`: what a mail of that id queued before means to the caller."""
        q = prepared.queued
        until = q.queued_at + LEASE if claimed else None
        self.store.register_enqueue(
            uow,
            q.mail_id,
            q.kind,
            q.member_id,
            q.mail,
            q.queued_at,
            claimed_until=until,
            refusal=refusal,
        )

    def send_claimed(self, claimed: Iterable[QueuedMail]) -> OutboxReport:
        """Sends mails queued `claimed` by this caller; what is sent is recorded in batches
        (a few requests for many mails), what fails stays queued for the job."""
        report = OutboxReport()
        sent: list[tuple[str, str]] = []
        for queued in claimed:
            try:
                sent.append((queued.mail_id, self.mailer.send(queued.mail)))
            except Exception as error:  # any failure of the provider: try again later
                self._failed(queued, error, self.clock.now(), report)
                continue
            report.sent += 1
            if len(sent) >= SENT_BATCH:
                self.store.mark_sent_many(sent, self.clock.now())
                sent = []
        self.store.mark_sent_many(sent, self.clock.now())
        return report

    def queue(
        self, mail_id: str, kind: str, member_id: str | None, mail: OutgoingMail
    ) -> QueuedMail | None:
        """Queues the mail once; None when that mail id was queued before."""
        prepared = self.prepare(mail_id, kind, member_id, mail)
        if not self.store.enqueue(mail_id, kind, member_id, mail, prepared.queued.queued_at):
            return None
        return prepared.queued

    def queue_and_send(
        self, mail_id: str, kind: str, member_id: str | None, mail: OutgoingMail
    ) -> bool:
        """Queues the mail once and tries it at once (a failure stays queued for the job);
        False when that mail id was queued before, so a replayed request mails nothing."""
        queued = self.queue(mail_id, kind, member_id, mail)
        if queued is None:
            return False
        self.send_now([queued])
        return True

    def deliver(self, out_of_time: Callable[[], bool] = lambda: False) -> OutboxReport:
        """Sends every mail that is due, page by page, until none is left or time runs out."""
        report = OutboxReport()
        tried: set[str] = set()
        while True:
            due = [m for m in self.store.due(self.clock.now(), PAGE) if m.mail_id not in tried]
            if not due:
                return report
            for queued in due:
                if out_of_time():
                    report.complete = False
                    return report
                tried.add(queued.mail_id)
                self._attempt(queued, report)

    def send_now(self, just_queued: Iterable[QueuedMail]) -> OutboxReport:
        """Sends mails right after they were queued; what fails stays queued for the job."""
        report = OutboxReport()
        for queued in just_queued:
            self._attempt(queued, report)
        return report

    def _attempt(self, queued: QueuedMail, report: OutboxReport) -> None:
        now = self.clock.now()
        if not self.store.claim(queued.mail_id, now, now + LEASE):
            return  # another worker has it, or it was sent meanwhile
        try:
            message_id = self.mailer.send(queued.mail)
        except Exception as error:  # any failure of the provider: try again later
            self._failed(queued, error, now, report)
            return
        self.store.mark_sent(queued.mail_id, message_id, self.clock.now())
        report.sent += 1

    def _failed(
        self, queued: QueuedMail, error: Exception, now: datetime, report: OutboxReport
    ) -> None:
        attempts = queued.attempts + 1
        give_up = attempts >= MAX_ATTEMPTS
        log.warning(
            "mail %s (%s) failed on attempt %d%s: %s",
            queued.mail_id,
            queued.kind,
            attempts,
            ", giving up" if give_up else "",
            type(error).__name__,
        )
        retry_at = None if give_up else now + retry_pause(attempts)
        self.store.mark_failed(queued.mail_id, f"{type(error).__name__}: {error}", retry_at)
        report.failed += 1
        report.given_up += int(give_up)
        report.failed_mail_ids.append(queued.mail_id)
        if queued.member_id is not None:
            report.failed_member_ids.append(queued.member_id)
