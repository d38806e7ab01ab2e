"""The mail outbox in memory (`chalicelib.store.outbox.OutboxStore`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.mail.message import OutgoingMail
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork
from chalicelib.store.records import QueuedMail
from chalicelib.store.refusals import AlreadyDone, Refusal
from chalicelib.store.timestamps import stamp


class MemoryOutbox:
    """The mail outbox (`OutboxStore`'s methods `MailOutbox` calls) in memory."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state
        # When each pending mail may next be tried (queued, or a failure's retry); a mail
        # given up has none and is never due again, as the DynamoDB outbox's failed index.
        self.next_try: dict[str, datetime | None] = {}

    def register_enqueue(
        self,
        uow: MemoryUnitOfWork,
        mail_id: str,
        kind: str,
        member_id: str | None,
        mail: OutgoingMail,
        at: datetime,
        *,
        claimed_until: datetime | None = None,
        refusal: Refusal | None = None,
    ) -> None:
        mails, leases = self.state.mails, self.state.mail_leases
        queued = QueuedMail(
            mail_id, kind, member_id, mail, at, int(claimed_until is not None), None, None, None
        )

        def apply() -> None:
            mails[mail_id] = queued
            self.next_try[mail_id] = at
            if claimed_until is not None:
                leases[mail_id] = claimed_until

        uow.register(f"mail.{mail_id}", apply, guard=lambda: mail_id not in mails, refusal=refusal)

    def enqueue(
        self, mail_id: str, kind: str, member_id: str | None, mail: OutgoingMail, at: datetime
    ) -> bool:
        with MemoryUnitOfWork(self.state) as uow:
            self.register_enqueue(
                uow, mail_id, kind, member_id, mail, at, refusal=lambda: AlreadyDone(mail_id)
            )
            try:
                uow.commit()
            except AlreadyDone:
                return False
        return True

    def get(self, mail_id: str) -> QueuedMail | None:
        return self.state.mails.get(mail_id)

    def sent(self) -> list[QueuedMail]:
        """The mails sent, in the order they were queued."""
        return [m for m in self.state.mails.values() if m.sent_at is not None]

    def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        """Of the first `limit` pending mails by next try, those due now (as the DynamoDB
        outbox reads one page of its pending index)."""
        with self.state.lock:
            pending = sorted(
                (f"{stamp(when)}#{m.mail_id}", m)
                for m in self.state.mails.values()
                if m.sent_at is None and (when := self.next_try.get(m.mail_id)) is not None
            )
        return [m for key, m in pending[:limit] if key.partition("#")[0] <= stamp(now)]

    def claim(self, mail_id: str, now: datetime, lease_until: datetime) -> bool:
        with self.state.lock:
            queued = self.state.mails.get(mail_id)
            lease = self.state.mail_leases.get(mail_id)
            given_up = self.next_try.get(mail_id) is None
            if queued is None or queued.sent_at is not None or given_up or (lease and lease >= now):
                return False
            self.state.mail_leases[mail_id] = lease_until
            self.state.mails[mail_id] = replace(queued, attempts=queued.attempts + 1)
        return True

    def mark_sent(self, mail_id: str, message_id: str, at: datetime) -> None:
        with self.state.lock:
            queued = self.state.mails[mail_id]
            self.state.mails[mail_id] = replace(queued, sent_at=at, message_id=message_id)
            self.state.mail_leases.pop(mail_id, None)
            self.next_try.pop(mail_id, None)

    def mark_sent_many(self, sent: list[tuple[str, str]], at: datetime) -> None:
        for mail_id, message_id in sent:
            self.mark_sent(mail_id, message_id, at)

    def mark_failed(self, mail_id: str, error: str, retry_at: datetime | None) -> None:
        with self.state.lock:
            queued = self.state.mails[mail_id]
            self.state.mails[mail_id] = replace(queued, last_error=error[:1000])
            self.state.mail_leases.pop(mail_id, None)
            self.next_try[mail_id] = retry_at  # None: given up
