"""Coin awards and claim decisions, on DynamoDB (moto) and in memory alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.coins import CoinAward, CoinClaim, recruitment_award
from chalicelib.domain.errors import Conflict, IdempotencyConflict, YearDistributed
from chalicelib.policy import Policy
from tests.store.conftest import Stores

AT = datetime(2026, 6, 1, 10, tzinfo=UTC)


def claim(claim_id: str, member_id: str = "m1", minutes: int = 0) -> CoinClaim:
    filed = AT + timedelta(minutes=minutes)
    return CoinClaim(claim_id, member_id, "talk", f"Talk {claim_id}", None, "pending", filed)


def approve(stores: Stores, pending: CoinClaim, coins: int) -> CoinAward:
    approved = pending.approved(coins, "admin", AT + timedelta(hours=1), Policy())
    award = approved.award()
    with stores.uow() as uow:
        stores.claims.register_decision(uow, approved)
        stores.coins.register_award(uow, award)
        uow.commit()
    return award


def test_an_award_counts_once_for_the_member_and_the_pot_and_a_repeat_answers_it(
    stores: Stores,
) -> None:
    award = recruitment_award("m1", "m9", 10, AT)
    assert stores.coins.award(award) == (award, False)
    assert stores.coins.award(award) == (award, True)
    stores.coins.award(recruitment_award("m2", "m8", 5, AT))
    year = stores.coins.year_of("m1", 2026)
    assert (year.total, year.awards) == (10, [award])
    assert stores.coins.pot_state(2026).total_coins == 15
    assert stores.coins.pot_state(2026).distributed_at is None
    assert list(stores.coins.iter_holders(2026)) == [("m1", 10), ("m2", 5)]
    with pytest.raises(IdempotencyConflict):
        stores.coins.award(replace(award, request_hash="another request"))


def test_coins_in_a_distributed_year_are_refused_and_nothing_is_awarded(stores: Stores) -> None:
    stores.coins.award(recruitment_award("m1", "m9", 10, AT))
    stores.freeze(2026, AT)
    with pytest.raises(YearDistributed):
        stores.coins.award(recruitment_award("m2", "m8", 5, AT))
    assert stores.coins.year_of("m2", 2026).total == 0
    assert stores.coins.pot_state(2026).total_coins == 10
    assert stores.coins.pot_state(2026).distributed_at == AT


def test_an_approval_writes_the_decision_and_its_coins_and_a_second_decision_is_refused(
    stores: Stores,
) -> None:
    pending = claim("c1")
    stores.claims.add(pending)
    award = approve(stores, pending, 20)
    assert stores.claims.get("c1").status == "approved"
    assert stores.coins.year_of("m1", 2026).awards == [award]
    rejected = pending.rejected("too late", "admin", AT + timedelta(hours=2))
    with stores.uow() as uow, pytest.raises(Conflict) as refused:
        stores.claims.register_decision(uow, rejected)
        uow.commit()
    assert refused.value.code == "claim_decided_meanwhile"
    assert stores.claims.get("c1").status == "approved"


def test_an_approval_into_a_distributed_year_leaves_the_claim_pending(stores: Stores) -> None:
    pending = claim("c1")
    stores.claims.add(pending)
    stores.freeze(2026, AT)
    with pytest.raises(YearDistributed):
        approve(stores, pending, 20)
    assert stores.claims.get("c1").status == "pending"  # nothing of the write happened
    assert stores.coins.year_of("m1", 2026).total == 0


def test_claims_are_browsed_by_status_and_by_member_newest_first(stores: Stores) -> None:
    for n, member in enumerate(["m1", "m2", "m1"]):
        stores.claims.add(claim(f"c{n}", member, minutes=n))
    approve(stores, stores.claims.get("c1"), 20)
    pending = stores.claims.browse("pending", 1, None)
    assert [c.id for c in pending.claims] == ["c2"]
    rest = stores.claims.browse("pending", 1, pending.next_cursor)
    assert [c.id for c in rest.claims] == ["c0"]
    assert [c.id for c in stores.claims.browse("approved", 10, None).claims] == ["c1"]
    assert [c.id for c in stores.claims.of_member("m1", 10, None).claims] == ["c2", "c0"]
