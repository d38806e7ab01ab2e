"""Payout batches in DynamoDB (main table): a header and one item per member, one partition.

    PAYOUTBATCH#<id> / BATCH          status, who prepared and approved it and when, the
                                      skipped members; GSI2 PAYOUTBATCHES / <prepared_at>#<id>
    PAYOUTBATCH#<id> / ITEM#<00001>   one member: amount, offset, end-to-end id, its status

Each item is its own DynamoDB item so that approval books item by item, each booking in one
transaction with the conditional update of its item (pending -> booked): a retry, or a
second approval at the same moment, finds the item done and books nothing twice. A batch is
read with one paginated Query of its partition. The items are written before the header, so
a batch exists (is found) only once all of it is stored.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.domain.errors import NotFound
from chalicelib.domain.payout_batches import (
    ItemStatus,
    PayoutBatch,
    PayoutItem,
    SkippedMember,
    all_settled,
)
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.payout_refusals import BatchAlreadyApproved, ItemChanged
from chalicelib.store.schema import GSI_BY_TIME
from chalicelib.store.timestamps import maybe_unstamp, stamp, unstamp
from chalicelib.store.uow import UnitOfWork

NAMES = {"#status": "status"}  # a DynamoDB reserved word
LISTING = "PAYOUTBATCHES"
__all__ = ["BatchAlreadyApproved", "ItemChanged", "PayoutBatchStore"]


def _partition(batch_id: str) -> str:
    return f"PAYOUTBATCH#{batch_id}"


def _header_key(batch_id: str) -> tuple[str, str]:
    return _partition(batch_id), "BATCH"


def _item_key(batch_id: str, number: int) -> tuple[str, str]:
    return _partition(batch_id), f"ITEM#{number:05d}"


class PayoutBatchStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def get(self, batch_id: str) -> PayoutBatch:
        header: Item | None = None
        items: list[PayoutItem] = []
        for found in self.table.query_all(_partition(batch_id)):
            if found["SK"] == "BATCH":
                header = found
            else:
                items.append(_item_from(found))
        if header is None:
            raise NotFound("payout_batch_not_found")
        batch = _batch_from(header, tuple(sorted(items, key=lambda i: i.number)))
        # executed once the statements showed every transfer (derived: lines settle items
        # one by one, possibly at the same moment, and none of them has to close the batch)
        return replace(batch, status="executed") if all_settled(batch) else batch

    def page(self, limit: int, cursor: str | None) -> tuple[list[PayoutBatch], str | None]:
        """Batches, newest first (GSI2 PAYOUTBATCHES), each read whole."""
        found = self.table.query_page(
            LISTING, index=GSI_BY_TIME, limit=limit, cursor=cursor, newest_first=True
        )
        return [self.get(item["batch_id"]) for item in found.items], found.next_cursor

    def find(self, batch_id: str) -> PayoutBatch | None:
        try:
            return self.get(batch_id)
        except NotFound:
            return None

    def item(self, batch_id: str, number: int) -> PayoutItem | None:
        found = self.table.get(*_item_key(batch_id, number))
        return _item_from(found) if found else None

    # Registering writes -------------------------------------------------------------------

    def register_items(self, uow: UnitOfWork, batch_id: str, items: list[PayoutItem]) -> None:
        for item in items:
            uow.put(
                f"payout_batch.item.{item.number}",
                self.table,
                _item_item(batch_id, item),
                condition="attribute_not_exists(PK)",
            )

    def register_header(self, uow: UnitOfWork, batch: PayoutBatch) -> None:
        uow.put(
            "payout_batch.header",
            self.table,
            _header_item(batch),
            condition="attribute_not_exists(PK)",
        )

    def register_approval(
        self, uow: UnitOfWork, batch_id: str, approver_id: str, at_s: str, on: date
    ) -> None:
        """prepared -> approved; a batch approved before refuses with BatchAlreadyApproved."""
        name = "payout_batch.approval"
        uow.update(
            name,
            self.table,
            _header_key(batch_id),
            "SET #status = :approved, approved_by = :by, approved_at = :at, execution_date = :on",
            {
                ":approved": "approved",
                ":prepared": "prepared",
                ":by": approver_id,
                ":at": at_s,
                ":on": on.isoformat(),
            },
            condition="#status = :prepared",
            names=NAMES,
            refusal=lambda: BatchAlreadyApproved(name),
        )

    def register_item_step(
        self,
        uow: UnitOfWork,
        batch_id: str,
        number: int,
        *,
        expected: tuple[ItemStatus, ...],
        status: ItemStatus | None = None,
        offset_booked: bool | None = None,
        offset_not_booked: bool = False,
        reason: str | None = None,
    ) -> None:
        """Moves one item on, on condition that its status is one of `expected` (and, with
        `offset_not_booked`, that its offset was not booked yet); ItemChanged otherwise."""
        name = f"payout_batch.item.{number}"
        sets: list[str] = []
        values: dict[str, object] = {}
        if status is not None:
            sets.append("#status = :status")
            values[":status"] = status
        if offset_booked is not None:
            sets.append("offset_booked = :offset_booked")
            values[":offset_booked"] = offset_booked
        if reason is not None:
            sets.append("reason = :reason")
            values[":reason"] = reason
        allowed = []
        for n, old in enumerate(expected):
            values[f":was{n}"] = old
            allowed.append(f":was{n}")
        condition = f"#status IN ({', '.join(allowed)})"
        if offset_not_booked:
            condition += " AND offset_booked = :false"
            values[":false"] = False
        uow.update(
            name,
            self.table,
            _item_key(batch_id, number),
            "SET " + ", ".join(sets),
            values,
            condition=condition,
            names=NAMES,
            refusal=lambda: ItemChanged(name),
        )


def _header_item(batch: PayoutBatch) -> Item:
    pk, sk = _header_key(batch.batch_id)
    prepared = stamp(batch.prepared_at)
    return {
        "PK": pk,
        "SK": sk,
        "GSI2PK": LISTING,
        "GSI2SK": f"{prepared}#{batch.batch_id}",
        "batch_id": batch.batch_id,
        "status": batch.status,
        "prepared_by": batch.prepared_by,
        "prepared_at": prepared,
        "item_count": len(batch.items),
        "skipped": [
            {"member_id": s.member_id, "to_receive_cents": s.to_receive_cents, "reason": s.reason}
            for s in batch.skipped
        ],
    }


def _batch_from(item: Item, items: tuple[PayoutItem, ...]) -> PayoutBatch:
    return PayoutBatch(
        batch_id=item["batch_id"],
        status=item["status"],
        prepared_by=item["prepared_by"],
        prepared_at=unstamp(item["prepared_at"]),
        items=items,
        skipped=tuple(
            SkippedMember(s["member_id"], s["to_receive_cents"], s["reason"])
            for s in item.get("skipped", [])
        ),
        approved_by=item.get("approved_by"),
        approved_at=maybe_unstamp(item.get("approved_at")),
        execution_date=date.fromisoformat(item["execution_date"])
        if item.get("execution_date")
        else None,
    )


def _item_item(batch_id: str, i: PayoutItem) -> Item:
    pk, sk = _item_key(batch_id, i.number)
    return {
        "PK": pk,
        "SK": sk,
        "number": i.number,
        "member_id": i.member_id,
        "account_holder": i.account_holder,
        "iban": i.iban,
        "amount_cents": i.amount_cents,
        "offset_cents": i.offset_cents,
        "end_to_end_id": i.end_to_end_id,
        "status": i.status,
        "offset_booked": i.offset_booked,
        "reason": i.reason,
    }


def _item_from(item: Item) -> PayoutItem:
    return PayoutItem(
        number=item["number"],
        member_id=item["member_id"],
        account_holder=item["account_holder"],
        iban=item["iban"],
        amount_cents=item["amount_cents"],
        offset_cents=item["offset_cents"],
        end_to_end_id=item["end_to_end_id"],
        status=item["status"],
        offset_booked=bool(item.get("offset_booked")),
        reason=item.get("reason"),
    )
