"""Intake records (one per mail received, keyed on the SES message id) in DynamoDB.

A record is written once with `attribute_not_exists`, in the same unit of work as the
opportunity it became (and that opportunity's pending announcement and the confirmation
mail), so a mail delivered twice makes one of each. Admins list records by status (GSI1) or
all of them (GSI2), newest first.
"""

from __future__ import annotations

import hashlib

from chalicelib.domain.disciplines import Recognised
from chalicelib.domain.intake import IntakeRecord, SkippedAttachment, StoredAttachment
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.records import IntakePage as IntakePage
from chalicelib.store.refusals import MessageClaimed as MessageClaimed
from chalicelib.store.schema import GSI_BY_STATUS, GSI_BY_TIME
from chalicelib.store.timestamps import maybe_unstamp, stamp, unstamp
from chalicelib.store.uow import AlreadyDone, UnitOfWork

ALL_INTAKE = "INTAKE"
STATUS = {"#status": "status"}
NEW = "attribute_not_exists(PK)"


def _key(intake_id: str) -> tuple[str, str]:
    return f"INTAKE#{intake_id}", "INTAKE"


def _message_key(sender: str, message_id: str) -> tuple[str, str]:
    """One item per (sender, Message-ID header) that became an opportunity: the same
    message sent twice (not only redelivered by SES) makes one."""
    digest = hashlib.sha256(f"{sender.lower()}\n{message_id}".encode()).hexdigest()[:40]
    return f"INTAKEMSG#{digest}", "INTAKEMSG"


class IntakeStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def add(self, record: IntakeRecord) -> bool:
        """Writes a new record alone (a rejected mail); False when it existed."""
        with UnitOfWork(self.table.client) as uow:
            self.register_new(uow, record)
            try:
                uow.commit()
            except AlreadyDone:
                return False
        return True

    def register_new(self, uow: UnitOfWork, record: IntakeRecord) -> None:
        """A new record ("intake.record"; it exists: AlreadyDone, the mail was handled
        before). Register it first: a redelivery makes the rest fail too."""
        uow.put(
            "intake.record",
            self.table,
            _item(record),
            condition=NEW,
            refusal=lambda: AlreadyDone("intake.record"),
        )

    def register_accept(self, uow: UnitOfWork, accepted: IntakeRecord) -> None:
        """A rejected record turned accepted ("intake.record"; no longer rejected:
        AlreadyDone, accepted before). Register it first."""
        uow.put(
            "intake.record",
            self.table,
            _item(accepted),
            condition="#status = :rejected",
            values={":rejected": "rejected"},
            names=STATUS,
            refusal=lambda: AlreadyDone("intake.record"),
        )

    def register_message_claim(self, uow: UnitOfWork, record: IntakeRecord) -> None:
        """Claims the mail's Message-ID for its sender ("intake.message"; claimed before:
        MessageClaimed, the same message sent twice); nothing when the mail has none."""
        if not record.mail_message_id or not record.from_address:
            return
        pk, sk = _message_key(record.from_address, record.mail_message_id)
        item = {"PK": pk, "SK": sk, "intake_id": record.id, "opportunity_id": record.opportunity_id}
        uow.put(
            "intake.message",
            self.table,
            item,
            condition=NEW,
            refusal=lambda: MessageClaimed("intake.message"),
        )

    def first_with_message(self, record: IntakeRecord) -> str | None:
        """The intake record that claimed this mail's Message-ID, if any."""
        if not record.mail_message_id or not record.from_address:
            return None
        item = self.table.get(*_message_key(record.from_address, record.mail_message_id))
        return str(item["intake_id"]) if item else None

    def get(self, intake_id: str) -> IntakeRecord | None:
        item = self.table.get(*_key(intake_id))
        return _record_from(item) if item else None

    def browse(self, status: str | None, limit: int, cursor: str | None) -> IntakePage:
        if status is None:
            partition, index = ALL_INTAKE, GSI_BY_TIME
        else:
            partition, index = f"INTAKE#{status}", GSI_BY_STATUS
        page = self.table.query_page(
            partition, index=index, limit=limit, cursor=cursor, newest_first=True
        )
        return IntakePage([_record_from(i) for i in page.items], page.next_cursor)


def _item(r: IntakeRecord) -> Item:
    pk, sk = _key(r.id)
    received = stamp(r.received_at)
    return {
        "PK": pk,
        "SK": sk,
        "GSI1PK": f"INTAKE#{r.status}",
        "GSI1SK": f"{received}#{r.id}",
        "GSI2PK": ALL_INTAKE,
        "GSI2SK": f"{received}#{r.id}",
        "intake_id": r.id,
        "received_at": received,
        "from_address": r.from_address,
        "subject": r.subject,
        "status": r.status,
        "reason": r.reason,
        "verdicts": dict(r.verdicts),
        "title": r.title,
        "description": r.description,
        "recognised": [{"discipline": x.discipline, "words": list(x.words)} for x in r.recognised],
        "attachments": [
            {"name": a.name, "content_type": a.content_type, "size": a.size, "key": a.key}
            for a in r.attachments
        ],
        "skipped_attachments": [
            {"name": a.name, "content_type": a.content_type, "size": a.size, "reason": a.reason}
            for a in r.skipped_attachments
        ],
        "sector": r.sector,
        "mail_message_id": r.mail_message_id,
        "duplicate_of": r.duplicate_of,
        "accept_request": r.accept_request,
        "member_id": r.member_id,
        "opportunity_id": r.opportunity_id,
        "decided_by": r.decided_by,
        "decided_at": stamp(r.decided_at) if r.decided_at else None,
    }


def _record_from(item: Item) -> IntakeRecord:
    return IntakeRecord(
        id=item["intake_id"],
        received_at=unstamp(item["received_at"]),
        from_address=item.get("from_address", ""),
        subject=item.get("subject", ""),
        status=item["status"],
        reason=item.get("reason"),
        verdicts=dict(item.get("verdicts", {})),
        title=item.get("title", ""),
        description=item.get("description", ""),
        recognised=tuple(
            Recognised(x["discipline"], tuple(x.get("words", [])))
            for x in item.get("recognised", [])
        ),
        attachments=tuple(attachment_from(a) for a in item.get("attachments", [])),
        skipped_attachments=tuple(
            SkippedAttachment(a["name"], a["content_type"], int(a["size"]), a["reason"])
            for a in item.get("skipped_attachments", [])
        ),
        sector=item.get("sector"),
        mail_message_id=item.get("mail_message_id"),
        duplicate_of=item.get("duplicate_of"),
        accept_request=item.get("accept_request"),
        member_id=item.get("member_id"),
        opportunity_id=item.get("opportunity_id"),
        decided_by=item.get("decided_by"),
        decided_at=maybe_unstamp(item.get("decided_at")),
    )


def attachment_from(a: Item) -> StoredAttachment:
    return StoredAttachment(a["name"], a["content_type"], int(a["size"]), a["key"])
