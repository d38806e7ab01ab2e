"""A year's distribution: the frozen header, and one payout record per member.

The header (pot and coins as they were when the year was frozen) is written once, before
any payout; payouts are booked one ledger transaction each, with their record in the same
unit of work, many payouts to one TransactWriteItems (up to 100 writes), so
`GET /distributions/{year}` shows exactly what was booked.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.ledger import LedgerTransaction
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.pots import pot_key
from chalicelib.store.records import DistributionHeader as DistributionHeader
from chalicelib.store.records import Payout as Payout
from chalicelib.store.timestamps import maybe_unstamp, stamp
from chalicelib.store.uow import AlreadyDone, UnitOfWork


def _header_key(year: int) -> tuple[str, str]:
    return f"DISTRIBUTION#{year}", "DISTRIBUTION"


class DistributionStore:
    def __init__(self, table: DynamoTable, ledger_store: LedgerStore) -> None:
        self.table = table
        self.ledger = ledger_store

    def freeze_pot(self, year: int, at: datetime) -> None:
        """From now on the year takes no coins and no pot money (idempotent)."""
        with UnitOfWork(self.table.client) as uow:
            uow.update(
                f"pot.{year}",
                self.table,
                pot_key(year),
                "SET distributed_at = :at",
                {":at": stamp(at)},
                condition="attribute_not_exists(distributed_at)",
                refusal=lambda: AlreadyDone(f"pot.{year}"),
            )
            try:
                uow.commit()
            except AlreadyDone:
                return  # frozen before

    def header(self, year: int) -> DistributionHeader | None:
        item = self.table.get(*_header_key(year))
        return _header_from(item) if item else None

    def put_header(self, header: DistributionHeader) -> DistributionHeader:
        """Writes the header once; a second writer gets the first one's header back."""
        with UnitOfWork(self.table.client) as uow:
            uow.put(
                "distribution.header",
                self.table,
                _header_item(header),
                condition="attribute_not_exists(PK)",
                refusal=lambda: AlreadyDone("distribution.header"),
            )
            try:
                uow.commit()
            except AlreadyDone:
                existing = self.header(header.year)
                assert existing is not None
                return existing
        return header

    def complete(self, year: int, at: datetime) -> None:
        self.table.update(
            *_header_key(year),
            "SET completed_at = if_not_exists(completed_at, :at)",
            {":at": stamp(at)},
        )

    def register_payouts(
        self, uow: UnitOfWork, year: int, payouts: list[tuple[Payout, LedgerTransaction]]
    ) -> None:
        """Several payouts in one unit of work: each its own ledger booking (a payout booked
        before refuses with BookingReplayed, naming its transaction) with its record, so
        `GET /distributions/{year}` shows exactly what was booked."""
        self.ledger.register_bookings(uow, [transaction for _, transaction in payouts])
        for payout, _ in payouts:
            uow.put(
                f"distribution.payout.{payout.member_id}",
                self.table,
                _payout_item(year, payout),
                condition="attribute_not_exists(PK)",
            )

    def payouts(self, year: int) -> list[Payout]:
        return [
            _payout_from(item)
            for item in self.table.query_all(f"DISTRIBUTION#{year}", sk_prefix="PAYOUT#")
        ]

    def payout(self, year: int, member_id: str) -> Payout | None:
        item = self.table.get(f"DISTRIBUTION#{year}", f"PAYOUT#{member_id}")
        return _payout_from(item) if item else None


def _header_item(h: DistributionHeader) -> Item:
    pk, sk = _header_key(h.year)
    return {
        "PK": pk,
        "SK": sk,
        "year": h.year,
        "pot_cents": h.pot_cents,
        "total_coins": h.total_coins,
        "frozen_at": stamp(h.frozen_at),
    }


def _header_from(item: Item) -> DistributionHeader:
    frozen = maybe_unstamp(item["frozen_at"])
    assert frozen is not None
    return DistributionHeader(
        year=item["year"],
        pot_cents=item["pot_cents"],
        total_coins=item["total_coins"],
        frozen_at=frozen,
        completed_at=maybe_unstamp(item.get("completed_at")),
    )


def _payout_item(year: int, p: Payout) -> Item:
    return {
        "PK": f"DISTRIBUTION#{year}",
        "SK": f"PAYOUT#{p.member_id}",
        "member_id": p.member_id,
        "coins": p.coins,
        "amount_cents": p.amount_cents,
    }


def _payout_from(item: Item) -> Payout:
    return Payout(
        member_id=item["member_id"],
        coins=item["coins"],
        amount_cents=item["amount_cents"],
    )
