"""Coin claims in memory (`chalicelib.store.claims.ClaimStore`'s public methods and refusals)."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.domain.coins import CoinClaim
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork
from chalicelib.store.records import ClaimPage
from chalicelib.store.timestamps import stamp


class MemoryClaims:
    """Coin claims (`ClaimStore`'s public methods and refusals) in memory."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state

    def add(self, claim: CoinClaim) -> None:
        claims = self.state.claims
        with MemoryUnitOfWork(self.state) as uow:
            uow.register(
                "claim.new",
                lambda: claims.__setitem__(claim.id, claim),
                guard=lambda: claim.id not in claims,
            )
            uow.commit()

    def get(self, claim_id: str) -> CoinClaim:
        claim = self.state.claims.get(claim_id)
        if claim is None:
            raise NotFound("claim_not_found")
        return claim

    def browse(self, status: str, limit: int, cursor: str | None) -> ClaimPage:
        return self._page(lambda c: c.status == status, limit, cursor)

    def of_member(self, member_id: str, limit: int, cursor: str | None) -> ClaimPage:
        return self._page(lambda c: c.member_id == member_id, limit, cursor)

    def _page(self, keep: Callable[[CoinClaim], bool], limit: int, cursor: str | None) -> ClaimPage:
        """Newest first, by when filed; the cursor is the last claim's sort key."""
        with self.state.lock:
            found = [(f"{stamp(c.filed_at)}#{c.id}", c) for c in self.state.claims.values()]
        found = sorted((p for p in found if keep(p[1])), key=lambda p: p[0], reverse=True)
        if cursor is not None:
            found = [p for p in found if p[0] < cursor]
        page = found[:limit]
        next_cursor = page[-1][0] if len(page) == limit and page else None
        return ClaimPage([c for _, c in page], next_cursor)

    def register_decision(self, uow: MemoryUnitOfWork, decided: CoinClaim) -> None:
        claims = self.state.claims

        def pending() -> bool:
            current = claims.get(decided.id)
            return current is not None and current.status == "pending"

        uow.register(
            "claim.decision",
            lambda: claims.__setitem__(decided.id, decided),
            guard=pending,
            refusal=lambda: Conflict("claim_decided_meanwhile"),
        )
