"""Coin claims for publicity, members' coins, and the pots as members see them."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.coins import CoinClaim
from chalicelib.domain.errors import NotFound
from chalicelib.policy import Policy
from chalicelib.services.membership import new_id
from chalicelib.store.claims import ClaimPage, ClaimStore
from chalicelib.store.coins import CoinStore, CoinYear
from chalicelib.store.distributions import DistributionHeader, DistributionStore, Payout
from chalicelib.store.ledger import LedgerStore


@dataclass(frozen=True)
class PotView:
    year: int
    balance_cents: int
    total_coins: int
    status: str  # open | distributed
    # What a coin would be worth if the pot were shared out now (for motivation only).
    indicative_cents_per_coin: int | None


class CoinService:
    def __init__(
        self,
        claims: ClaimStore,
        coin_store: CoinStore,
        ledger_store: LedgerStore,
        distributions: DistributionStore,
        clock: Clock,
        policy: Policy,
    ) -> None:
        self.claims = claims
        self.coins = coin_store
        self.ledger = ledger_store
        self.distributions = distributions
        self.clock = clock
        self.policy = policy

    def file_claim(
        self, member_id: str, activity: str, description: str, url: str | None
    ) -> CoinClaim:
        claim = CoinClaim(
            new_id(), member_id, activity, description, url, "pending", self.clock.now()
        )
        self.claims.add(claim)
        return claim

    def browse_claims(self, status: str, limit: int, cursor: str | None) -> ClaimPage:
        return self.claims.browse(status, limit, cursor)

    def approve(self, claim_id: str, coins: int, admin_id: str) -> CoinClaim:
        claim = self.claims.get(claim_id)
        if claim.status == "approved" and claim.coins == coins:
            # A repeat (an admin's retry after a lost answer): the decision and its coins were
            # written together, so they stand; answer them instead of a 409.
            return claim
        approved = claim.approved(coins, admin_id, self.clock.now(), self.policy)
        self.claims.decide(approved, self.coins.operations(approved.award()))
        return approved

    def reject(self, claim_id: str, reason: str, admin_id: str) -> CoinClaim:
        rejected = self.claims.get(claim_id).rejected(reason, admin_id, self.clock.now())
        self.claims.decide(rejected, [])
        return rejected

    def coins_of(self, member_id: str, year: int) -> CoinYear:
        return self.coins.year_of(member_id, year)

    def pot(self, year: int) -> PotView:
        state = self.coins.pot_state(year)
        balance_cents = -self.ledger.balance_cents(ledger.pot_account(year))
        header = self.distributions.header(year)
        if header is not None:  # what was shared out, not what is left after payouts
            balance_cents = header.pot_cents
        per_coin = balance_cents // state.total_coins if state.total_coins else None
        status = "distributed" if state.distributed_at is not None else "open"
        return PotView(year, balance_cents, state.total_coins, status, per_coin)

    def distribution(
        self, year: int, member_id: str, is_admin: bool
    ) -> tuple[DistributionHeader, list[Payout]]:
        header = self.distributions.header(year)
        if header is None:
            raise NotFound(f"{year} has not been distributed")
        if is_admin:
            return header, sorted(self.distributions.payouts(year), key=lambda p: p.member_id)
        own = self.distributions.payout(year, member_id)
        return header, [own] if own else []
