"""Reminder bookkeeping: when each member was last reminded of what they owe."""

from __future__ import annotations

from datetime import datetime

from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.timestamps import maybe_unstamp, stamp
from chalicelib.store.uow import AlreadyDone, UnitOfWork


class ReminderLog:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def last_reminder_at(self, member_id: str) -> datetime | None:
        item = self.table.get(f"MEMBER#{member_id}", "REMINDER")
        return maybe_unstamp(item.get("last_sent_at")) if item else None

    def register_reminder(
        self, uow: UnitOfWork, member_id: str, now: datetime, previous: datetime | None
    ) -> None:
        """Takes the member's reminder slot ("reminder"), unless another run took it since
        `previous` was read (AlreadyDone): with the reminder's mail in the same unit of work,
        two runs at once queue one mail."""
        condition = (
            "attribute_not_exists(last_sent_at)" if previous is None else "last_sent_at = :previous"
        )
        values = {":now": stamp(now)} | ({":previous": stamp(previous)} if previous else {})
        uow.update(
            "reminder",
            self.table,
            (f"MEMBER#{member_id}", "REMINDER"),
            "SET last_sent_at = :now",
            values,
            condition=condition,
            refusal=lambda: AlreadyDone("reminder"),
        )
