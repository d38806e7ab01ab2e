"""The mail outbox: every mail the platform sends is first written here, and a delivery job
sends what is pending, retrying failures later.

A mail's id is its idempotency key (`distribution:2026:<member>`, `announcement:<opp>:<member>`)
and its outbox item can be written in the same TransactWriteItems as the change it announces
(a payout and its mail exist together or not at all). Pending mails sit in a sparse index
ordered by when they may next be tried; a sent mail leaves the index and stays as the record
of what was sent.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.errors import Conflict
from chalicelib.mail.message import OutgoingMail
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.records import QueuedMail as QueuedMail
from chalicelib.store.schema import GSI_BY_STATUS
from chalicelib.store.timestamps import maybe_unstamp, stamp
from chalicelib.store.uow import MAX_ACTIONS, AlreadyDone, Refusal, UnitOfWork

PENDING = "OUTBOX#pending"
FAILED = "OUTBOX#failed"
NEW = "attribute_not_exists(PK)"


def _key(mail_id: str) -> tuple[str, str]:
    return f"OUTBOX#{mail_id}", "MAIL"


class OutboxStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def register_enqueue(
        self,
        uow: UnitOfWork,
        mail_id: str,
        kind: str,
        member_id: str | None,
        mail: OutgoingMail,
        at: datetime,
        *,
        claimed_until: datetime | None = None,
        refusal: Refusal | None = None,
    ) -> None:
        """Queues the mail in the caller's unit of work ("mail.<mail id>"), once: the mail's
        id is keyed on what it announces, so it exists exactly when that change does.
        `claimed_until`: queued already taken for one attempt by the caller that sends it
        right after (as `claim` would), so no other worker sends it meanwhile. `refusal`:
        what a mail queued before means to the caller (none: a bug)."""
        item = _queue_item(mail_id, kind, member_id, mail, at)
        if claimed_until is not None:
            item |= {"claimed_until": stamp(claimed_until), "attempts": 1}
        uow.put(f"mail.{mail_id}", self.table, item, condition=NEW, refusal=refusal)

    def mark_sent_many(self, sent: list[tuple[str, str]], at: datetime) -> None:
        """Records mails sent (mail id, message id), up to 100 per request; a batch another
        writer touched at the same moment is recorded mail by mail."""
        for start in range(0, len(sent), MAX_ACTIONS):
            batch = sent[start : start + MAX_ACTIONS]
            if len(batch) == 1:
                self.mark_sent(*batch[0], at)
                continue
            try:
                with UnitOfWork(self.table.client) as uow:
                    for mail_id, message_id in batch:
                        uow.update(
                            f"mail.{mail_id}",
                            self.table,
                            _key(mail_id),
                            _SENT,
                            {":at": stamp(at), ":message": message_id},
                        )
                    uow.commit()
            except Conflict:  # busy: each on its own
                for mail_id, message_id in batch:
                    self.mark_sent(mail_id, message_id, at)

    def enqueue(
        self, mail_id: str, kind: str, member_id: str | None, mail: OutgoingMail, at: datetime
    ) -> bool:
        """Queues the mail once; False when that mail id was queued before."""
        with UnitOfWork(self.table.client) as uow:
            self.register_enqueue(
                uow, mail_id, kind, member_id, mail, at, refusal=lambda: AlreadyDone(mail_id)
            )
            try:
                uow.commit()
            except AlreadyDone:
                return False
        return True

    def due(self, now: datetime, limit: int) -> list[QueuedMail]:
        """Pending mails whose next try is due, oldest first."""
        page = self.table.query_page(PENDING, index=GSI_BY_STATUS, limit=limit)
        # sorted by the time each may next be tried: the due ones come first
        due = [i for i in page.items if str(i["GSI1SK"]).partition("#")[0] <= stamp(now)]
        return [_queued_from(i) for i in due]

    def get(self, mail_id: str) -> QueuedMail | None:
        item = self.table.get(*_key(mail_id))
        return _queued_from(item) if item else None

    def claim(self, mail_id: str, now: datetime, lease_until: datetime) -> bool:
        """Takes the mail for one delivery attempt, unless another worker holds it."""
        with UnitOfWork(self.table.client) as uow:
            uow.update(
                f"mail.{mail_id}",
                self.table,
                _key(mail_id),
                "SET claimed_until = :until ADD attempts :one",
                {":until": stamp(lease_until), ":now": stamp(now), ":pending": PENDING, ":one": 1},
                condition=(
                    "GSI1PK = :pending AND "
                    "(attribute_not_exists(claimed_until) OR claimed_until < :now)"
                ),
                refusal=lambda: AlreadyDone(f"mail.{mail_id}"),
            )
            try:
                uow.commit()
            except AlreadyDone:
                return False
        return True

    def mark_sent(self, mail_id: str, message_id: str, at: datetime) -> None:
        self.table.update(*_key(mail_id), _SENT, {":at": stamp(at), ":message": message_id})

    def mark_failed(self, mail_id: str, error: str, retry_at: datetime | None) -> None:
        """Records a failed attempt: tried again from `retry_at`, or given up when None."""
        partition, when = (PENDING, retry_at) if retry_at else (FAILED, None)
        sort_key = f"{stamp(when)}#{mail_id}" if when else mail_id
        self.table.update(
            *_key(mail_id),
            "SET last_error = :error, GSI1PK = :partition, GSI1SK = :sort REMOVE claimed_until",
            {":error": error[:1000], ":partition": partition, ":sort": sort_key},
        )


_SENT = "SET sent_at = :at, message_id = :message REMOVE GSI1PK, GSI1SK, claimed_until"


def _queue_item(
    mail_id: str, kind: str, member_id: str | None, mail: OutgoingMail, at: datetime
) -> Item:
    pk, sk = _key(mail_id)
    return {
        "PK": pk,
        "SK": sk,
        "GSI1PK": PENDING,
        "GSI1SK": f"{stamp(at)}#{mail_id}",
        "mail_id": mail_id,
        "kind": kind,
        "member_id": member_id,
        "queued_at": stamp(at),
        "attempts": 0,
        "mail": mail.to_item(),
    }


def _queued_from(item: Item) -> QueuedMail:
    queued_at = maybe_unstamp(item["queued_at"])
    assert queued_at is not None
    return QueuedMail(
        mail_id=item["mail_id"],
        kind=item["kind"],
        member_id=item.get("member_id"),
        mail=OutgoingMail.from_item(item["mail"]),
        queued_at=queued_at,
        attempts=int(item.get("attempts", 0)),
        sent_at=maybe_unstamp(item.get("sent_at")),
        message_id=item.get("message_id"),
        last_error=item.get("last_error"),
    )
