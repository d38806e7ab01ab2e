"""Reminder bookkeeping: when each member was last reminded of what they owe."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.store.dynamo import DynamoTable, TransactionCancelled
from chalicelib.store.timestamps import maybe_unstamp, stamp


class ReminderLog:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def last_reminder_at(self, member_id: str) -> datetime | None:
        item = self.table.get(f"MEMBER#{member_id}", "REMINDER")
        return maybe_unstamp(item.get("last_sent_at")) if item else None

    def claim_reminder(
        self,
        member_id: str,
        now: datetime,
        previous: datetime | None,
        mail: dict[str, Any],
    ) -> bool:
        """Takes the member's reminder slot and queues the reminder `mail` (an outbox write) in
        one transaction, unless another run took the slot since `previous` was read: two runs
        at once queue one mail."""
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
                    ),
                    mail,
                ]
            )
        except TransactionCancelled as cancelled:
            if cancelled.failed_at(0):
                return False
            raise
        return True
