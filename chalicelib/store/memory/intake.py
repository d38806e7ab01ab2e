"""Mailed-in opportunities in memory (`chalicelib.store.intake.IntakeStore`'s methods and
refusals): a mail handled once, a rejected one accepted once, a Message-ID claimed once."""

from __future__ import annotations

from chalicelib.domain.intake import IntakeRecord
from chalicelib.store.memory.paging import page_of
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork
from chalicelib.store.records import IntakePage
from chalicelib.store.refusals import AlreadyDone, MessageClaimed
from chalicelib.store.timestamps import stamp


class MemoryIntake:
    def __init__(self, state: MemoryState) -> None:
        self.state = state
        self.records: dict[str, IntakeRecord] = {}
        self.messages: dict[tuple[str, str], str] = {}  # (sender, Message-ID): intake id

    def add(self, record: IntakeRecord) -> bool:
        """Writes a new record alone (a rejected mail); False when it existed."""
        with MemoryUnitOfWork(self.state) as uow:
            self.register_new(uow, record)
            try:
                uow.commit()
            except AlreadyDone:
                return False
        return True

    def register_new(self, uow: MemoryUnitOfWork, record: IntakeRecord) -> None:
        records = self.records
        uow.register(
            "intake.record",
            lambda: records.__setitem__(record.id, record),
            guard=lambda: record.id not in records,
            refusal=lambda: AlreadyDone("intake.record"),
        )

    def register_accept(self, uow: MemoryUnitOfWork, accepted: IntakeRecord) -> None:
        records = self.records

        def rejected() -> bool:
            current = records.get(accepted.id)
            return current is not None and current.status == "rejected"

        uow.register(
            "intake.record",
            lambda: records.__setitem__(accepted.id, accepted),
            guard=rejected,
            refusal=lambda: AlreadyDone("intake.record"),
        )

    def register_message_claim(self, uow: MemoryUnitOfWork, record: IntakeRecord) -> None:
        key = _message_key(record)
        if key is None:
            return
        messages = self.messages
        uow.register(
            "intake.message",
            lambda: messages.__setitem__(key, record.id),
            guard=lambda: key not in messages,
            refusal=lambda: MessageClaimed("intake.message"),
        )

    def first_with_message(self, record: IntakeRecord) -> str | None:
        key = _message_key(record)
        return self.messages.get(key) if key else None

    def get(self, intake_id: str) -> IntakeRecord | None:
        return self.records.get(intake_id)

    def browse(self, status: str | None, limit: int, cursor: str | None) -> IntakePage:
        """Newest first; of one status, or all."""
        with self.state.lock:
            keyed = [
                (f"{stamp(r.received_at)}#{r.id}", r)
                for r in self.records.values()
                if status is None or r.status == status
            ]
        found, next_cursor = page_of(keyed, limit, cursor, newest_first=True)
        return IntakePage(found, next_cursor)


def _message_key(record: IntakeRecord) -> tuple[str, str] | None:
    """The same message from the same sender (any letter case of the address)."""
    if not record.mail_message_id or not record.from_address:
        return None
    return record.from_address.lower(), record.mail_message_id
