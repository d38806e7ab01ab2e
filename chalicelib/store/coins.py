"""Coin awards in DynamoDB, written like the money ledger: one unit of work per award.

Items of one award: the award record (its id is the idempotency key), the member's award
line, the member's total for the year (ADD), and the year's total on the pot item (ADD),
conditioned on the year's pot not being distributed yet.
"""

from __future__ import annotations

from collections.abc import Iterator

from chalicelib.domain.coins import CoinAward
from chalicelib.domain.errors import Conflict, IdempotencyConflict, YearDistributed
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.pots import NOT_DISTRIBUTED, POT_YEARS, pot_key
from chalicelib.store.records import CoinYear as CoinYear
from chalicelib.store.records import PotState as PotState
from chalicelib.store.refusals import AwardReplayed as AwardReplayed
from chalicelib.store.schema import GSI_BY_STATUS
from chalicelib.store.timestamps import maybe_unstamp, stamp, unstamp
from chalicelib.store.uow import UnitOfWork


def coin_holders_partition(year: int) -> str:
    return f"COINS#{year}"


class CoinStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def register_award(self, uow: UnitOfWork, award: CoinAward) -> None:
        """The writes of one award: its record ("coins.award": a replay is AwardReplayed),
        the member's line and year total, and the year's total on the pot item ("pot.<year>":
        a distributed year is YearDistributed)."""
        t = self.table
        uow.put(
            "coins.award",
            t,
            _award_item(award),
            condition="attribute_not_exists(PK)",
            refusal=lambda: AwardReplayed("coins.award", award),
        )
        uow.put("coins.line", t, _line_item(award))
        uow.update(
            "coins.member_year",
            t,
            (f"MEMBER#{award.member_id}", f"COINS#{award.year}"),
            # indexed by year, so the distribution finds every coin holder by a Query
            "ADD coins :coins SET GSI1PK = :year_coins, GSI1SK = :member",
            {
                ":coins": award.coins,
                ":year_coins": coin_holders_partition(award.year),
                ":member": award.member_id,
            },
        )
        uow.update(
            f"pot.{award.year}",
            t,
            pot_key(award.year),
            "ADD total_coins :coins SET GSI1PK = :pots, GSI1SK = :year",
            {":coins": award.coins, ":pots": POT_YEARS, ":year": f"{award.year:04d}"},
            condition=NOT_DISTRIBUTED,
            refusal=lambda: YearDistributed(award.year),
        )

    def award(self, award: CoinAward) -> tuple[CoinAward, bool]:
        """Books the award; returns it and whether it was a replay of an earlier booking."""
        with UnitOfWork(self.table.client) as uow:
            self.register_award(uow, award)
            try:
                uow.commit()
            except AwardReplayed:
                return self.replay(award), True
        return award, False

    def pot_state(self, year: int) -> PotState:
        item = self.table.get(*pot_key(year)) or {}
        return PotState(
            year, int(item.get("total_coins", 0)), maybe_unstamp(item.get("distributed_at"))
        )

    def iter_holders(self, year: int) -> Iterator[tuple[str, int]]:
        """(member id, coins) of everyone with coins in the year, by a paginated Query."""
        for item in self.table.query_all(coin_holders_partition(year), index=GSI_BY_STATUS):
            if int(item.get("coins", 0)) > 0:
                yield str(item["GSI1SK"]), int(item["coins"])

    def year_of(self, member_id: str, year: int) -> CoinYear:
        awards = [
            _award_from(item)
            for item in self.table.query_all(f"MEMBER#{member_id}", sk_prefix=f"COINAWARD#{year}#")
        ]
        return CoinYear(year, sum(a.coins for a in awards), awards)

    def replay(self, award: CoinAward) -> CoinAward:
        """The award booked before under this award's id (its request must be the same)."""
        item = self.table.get(f"AWARD#{award.award_id}", "AWARD")
        if item is None:
            raise Conflict("busy")
        original = _award_from(item)
        if original.request_hash != award.request_hash:
            raise IdempotencyConflict(award.award_id)
        return original


def _fields(award: CoinAward) -> Item:
    return {
        "award_id": award.award_id,
        "member_id": award.member_id,
        "year": award.year,
        "coins": award.coins,
        "reason": award.reason,
        "description": award.description,
        "awarded_at": stamp(award.awarded_at),
        "request_hash": award.request_hash,
    }


def _award_item(award: CoinAward) -> Item:
    return {"PK": f"AWARD#{award.award_id}", "SK": "AWARD"} | _fields(award)


def _line_item(award: CoinAward) -> Item:
    sk = f"COINAWARD#{award.year}#{stamp(award.awarded_at)}#{award.award_id}"
    return {"PK": f"MEMBER#{award.member_id}", "SK": sk} | _fields(award)


def _award_from(item: Item) -> CoinAward:
    return CoinAward(
        award_id=item["award_id"],
        member_id=item["member_id"],
        year=item["year"],
        coins=item["coins"],
        reason=item["reason"],
        description=item["description"],
        awarded_at=unstamp(item["awarded_at"]),
        request_hash=item["request_hash"],
    )
