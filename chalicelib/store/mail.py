"""Reminder bookkeeping and the record of mails sent to members."""

from __future__ import annotations

import contextlib
from datetime import datetime

from chalicelib.store.dynamo import DynamoTable, TransactionCancelled
from chalicelib.store.timestamps import maybe_unstamp, stamp


class MailLog:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def last_reminder_at(self, member_id: str) -> datetime | None:
        item = self.table.get(f"MEMBER#{member_id}", "REMINDER")
        return maybe_unstamp(item.get("last_sent_at")) if item else None

    def claim_reminder(self, member_id: str, now: datetime, previous: datetime | None) -> bool:
        """Takes the member's reminder slot, unless another run took it since `previous` was
        read: two runs at once send one mail."""
        t = self.table
        condition = (
            "attribute_not_exists(last_sent_at)" if previous is None else "last_sent_at = :previous"
        )
        values = {":now": stamp(now)} | ({":previous": stamp(previous)} if previous else {})
        try:
            t.transact(
                [
                    t.update_op(
                        f"MEMBER#{member_id}",
                        "REMINDER",
                        "SET last_sent_at = :now",
                        values,
                        condition=condition,
                    )
                ]
            )
        except TransactionCancelled:
            return False
        return True

    def release_reminder(
        self, member_id: str, claimed_at: datetime, previous: datetime | None
    ) -> None:
        """Gives the slot back after a failed send, so the next run tries again."""
        t = self.table
        update = "REMOVE last_sent_at" if previous is None else "SET last_sent_at = :previous"
        values = {":claimed": stamp(claimed_at)} | (
            {":previous": stamp(previous)} if previous else {}
        )
        operation = t.update_op(
            f"MEMBER#{member_id}", "REMINDER", update, values, condition="last_sent_at = :claimed"
        )
        with contextlib.suppress(TransactionCancelled):  # another run moved on; its state wins
            t.transact([operation])

    def record(
        self,
        member_id: str,
        kind: str,
        to: str,
        subject: str,
        text: str,
        message_id: str,
        at: datetime,
    ) -> None:
        self.table.put(
            {
                "PK": f"MEMBER#{member_id}",
                "SK": f"MAIL#{stamp(at)}#{kind}",
                "kind": kind,
                "to": to,
                "subject": subject,
                "text": text,
                "message_id": message_id,
                "sent_at": stamp(at),
            }
        )
