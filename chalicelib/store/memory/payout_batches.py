"""Payout batches in memory (`chalicelib.store.payout_batches.PayoutBatchStore`'s public
methods and refusals), for fast service tests. Built beside `MemoryStores` over its state:
`MemoryPayoutBatches(stores.state)`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.domain.errors import NotFound
from chalicelib.domain.payout_batches import ItemStatus, PayoutBatch, PayoutItem, all_settled
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork
from chalicelib.store.payout_refusals import BatchAlreadyApproved, ItemChanged
from chalicelib.store.timestamps import stamp, unstamp


class MemoryPayoutBatches:
    def __init__(self, state: MemoryState) -> None:
        self.state = state
        # guarded by state.lock, like everything the in-memory unit of work changes
        self.headers: dict[str, PayoutBatch] = {}
        self.items: dict[tuple[str, int], PayoutItem] = {}

    def get(self, batch_id: str) -> PayoutBatch:
        with self.state.lock:
            header = self.headers.get(batch_id)
            if header is None:
                raise NotFound("payout_batch_not_found")
            items = sorted(
                (i for (b, _), i in self.items.items() if b == batch_id), key=lambda i: i.number
            )
        batch = replace(header, items=tuple(items))
        return replace(batch, status="executed") if all_settled(batch) else batch

    def find(self, batch_id: str) -> PayoutBatch | None:
        try:
            return self.get(batch_id)
        except NotFound:
            return None

    def item(self, batch_id: str, number: int) -> PayoutItem | None:
        with self.state.lock:
            return self.items.get((batch_id, number))

    def page(self, limit: int, cursor: str | None) -> tuple[list[PayoutBatch], str | None]:
        with self.state.lock:
            keys = sorted(
                (
                    (f"{stamp(h.prepared_at)}#{h.batch_id}", h.batch_id)
                    for h in self.headers.values()
                ),
                reverse=True,
            )
        if cursor is not None:
            keys = [k for k in keys if k[0] < cursor]
        page = keys[:limit]
        more = len(keys) > limit
        return [self.get(b) for _, b in page], (page[-1][0] if more and page else None)

    def register_items(self, uow: MemoryUnitOfWork, batch_id: str, items: list[PayoutItem]) -> None:
        for item in items:
            key = (batch_id, item.number)
            uow.register(
                f"payout_batch.item.{item.number}",
                lambda key=key, item=item: self.items.__setitem__(key, item),  # type: ignore[misc]
                guard=lambda key=key: key not in self.items,  # type: ignore[misc]
            )

    def register_header(self, uow: MemoryUnitOfWork, batch: PayoutBatch) -> None:
        header = replace(batch, items=())
        uow.register(
            "payout_batch.header",
            lambda: self.headers.__setitem__(batch.batch_id, header),
            guard=lambda: batch.batch_id not in self.headers,
        )

    def register_approval(
        self, uow: MemoryUnitOfWork, batch_id: str, approver_id: str, at_s: str, on: date
    ) -> None:
        name = "payout_batch.approval"

        def prepared() -> bool:
            header = self.headers.get(batch_id)
            return header is not None and header.status == "prepared"

        def apply() -> None:
            self.headers[batch_id] = replace(
                self.headers[batch_id],
                status="approved",
                approved_by=approver_id,
                approved_at=unstamp(at_s),
                execution_date=on,
            )

        uow.register(name, apply, guard=prepared, refusal=lambda: BatchAlreadyApproved(name))

    def register_item_step(
        self,
        uow: MemoryUnitOfWork,
        batch_id: str,
        number: int,
        *,
        expected: tuple[ItemStatus, ...],
        status: ItemStatus | None = None,
        offset_booked: bool | None = None,
        offset_not_booked: bool = False,
        reason: str | None = None,
    ) -> None:
        name = f"payout_batch.item.{number}"
        key = (batch_id, number)

        def as_read() -> bool:
            item = self.items.get(key)
            return (
                item is not None
                and item.status in expected
                and not (offset_not_booked and item.offset_booked)
            )

        def apply() -> None:
            item = self.items[key]
            self.items[key] = replace(
                item,
                status=status if status is not None else item.status,
                offset_booked=offset_booked if offset_booked is not None else item.offset_booked,
                reason=reason if reason is not None else item.reason,
            )

        uow.register(name, apply, guard=as_read, refusal=lambda: ItemChanged(name))
