"""The pot item of each year (`POT#<year>`): its coin total, whether it is distributed, and
its place in the POTS index that lists every year whose pot ever held money or coins.

The distribution finds the years to share out by querying that index, never by counting from
a configured first year. Every pot movement in the ledger and every coin award writes the
year's item (see `register_year`), so a year cannot hold money or coins and be missing there.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.errors import YearDistributed
from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.records import PotYear as PotYear
from chalicelib.store.schema import GSI_BY_STATUS
from chalicelib.store.timestamps import maybe_unstamp, stamp
from chalicelib.store.uow import UnitOfWork

POT_YEARS = "POTS"
NOT_DISTRIBUTED = "attribute_not_exists(distributed_at)"


def pot_key(year: int) -> tuple[str, str]:
    return f"POT#{year}", "POT"


def register_year(uow: UnitOfWork, table: DynamoTable, year: int, guarded: bool) -> None:
    """Puts the year in the POTS index ("pot.<year>"); `guarded`: only while the year is not
    distributed (a distributed year refuses with YearDistributed)."""
    uow.update(
        f"pot.{year}",
        table,
        pot_key(year),
        "SET GSI1PK = :pots, GSI1SK = :year",
        {":pots": POT_YEARS, ":year": f"{year:04d}"},
        condition=NOT_DISTRIBUTED if guarded else None,
        refusal=(lambda: YearDistributed(year)) if guarded else None,
    )


class PotStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def years(self) -> list[PotYear]:
        """Every year whose pot held money or coins, oldest first (one small Query)."""
        return [
            PotYear(
                year=int(item["GSI1SK"]),
                total_coins=int(item.get("total_coins", 0)),
                distributed_at=maybe_unstamp(item.get("distributed_at")),
                completed_at=maybe_unstamp(item.get("completed_at")),
            )
            for item in self.table.query_all(POT_YEARS, index=GSI_BY_STATUS)
        ]

    def mark_completed(self, year: int, at: datetime) -> None:
        self.table.update(
            *pot_key(year),
            "SET completed_at = if_not_exists(completed_at, :at)",
            {":at": stamp(at)},
        )
