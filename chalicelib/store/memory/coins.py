"""Coin awards in memory (`chalicelib.store.coins.CoinStore`'s public methods and refusals)."""

from __future__ import annotations

from collections.abc import Iterator

from chalicelib.domain.coins import CoinAward
from chalicelib.domain.errors import Conflict, IdempotencyConflict, YearDistributed
from chalicelib.store.memory.pots import MemoryPots
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork, _Pot
from chalicelib.store.records import CoinYear, PotState
from chalicelib.store.refusals import AwardReplayed
from chalicelib.store.timestamps import stamp


class MemoryCoins:
    """Coin awards (`CoinStore`'s public methods and refusals) in memory."""

    def __init__(self, state: MemoryState, pots: MemoryPots) -> None:
        self.state = state
        self.pots = pots

    def register_award(self, uow: MemoryUnitOfWork, award: CoinAward) -> None:
        state = self.state

        def put_award() -> None:
            state.awards[award.award_id] = award

        def add_to_member() -> None:
            key = (award.member_id, award.year)
            state.coin_years[key] = state.coin_years.get(key, 0) + award.coins

        def add_to_pot() -> None:
            pot = self.pots._pot(award.year)
            pot.total_coins += award.coins
            pot.listed = True

        uow.register(
            "coins.award",
            put_award,
            guard=lambda: award.award_id not in state.awards,
            refusal=lambda: AwardReplayed("coins.award", award),
        )
        uow.register("coins.line", lambda: None)  # the line is the award record itself here
        uow.register("coins.member_year", add_to_member)
        uow.register(
            f"pot.{award.year}",
            add_to_pot,
            guard=lambda: not self.pots.distributed(award.year),
            refusal=lambda: YearDistributed(award.year),
        )

    def award(self, award: CoinAward) -> tuple[CoinAward, bool]:
        with MemoryUnitOfWork(self.state) as uow:
            self.register_award(uow, award)
            try:
                uow.commit()
            except AwardReplayed:
                return self.replay(award), True
        return award, False

    def pot_state(self, year: int) -> PotState:
        pot = self.state.pots.get(year) or _Pot()
        return PotState(year, pot.total_coins, pot.distributed_at)

    def iter_holders(self, year: int) -> Iterator[tuple[str, int]]:
        with self.state.lock:
            holders = sorted((m, c) for (m, y), c in self.state.coin_years.items() if y == year)
        for member_id, coins in holders:
            if coins > 0:
                yield member_id, coins

    def year_of(self, member_id: str, year: int) -> CoinYear:
        with self.state.lock:
            awards = [
                a for a in self.state.awards.values() if (a.member_id, a.year) == (member_id, year)
            ]
        awards.sort(key=lambda a: (stamp(a.awarded_at), a.award_id))
        return CoinYear(year, sum(a.coins for a in awards), awards)

    def replay(self, award: CoinAward) -> CoinAward:
        original = self.state.awards.get(award.award_id)
        if original is None:
            raise Conflict("busy")
        if original.request_hash != award.request_hash:
            raise IdempotencyConflict(award.award_id)
        return original
