"""The year-end distribution on the in-memory repositories (no moto): the spec's example to
the cent, each share booked and mailed once, a re-run books nothing, a year without coins
carries its pot over, and a distributed year takes no more coins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict, YearDistributed
from tests.service.memory_world import MemoryWorld, memory_world

JUNE_1 = datetime(2026, 6, 1, 10, tzinfo=UTC)
NEW_YEAR_2027 = datetime(2026, 12, 31, 23, 5, tzinfo=UTC)  # 00:05 in Amsterdam


def into_pot(world: MemoryWorld, year: int, cents: int) -> None:
    """A fee's share for the pot (what an assignment's revenue puts there)."""
    world.stores.ledger.book(
        ledger.LedgerTransaction(
            f"fee-{year}-{cents}",
            "fee",
            JUNE_1,
            (
                ledger.Entry(ledger.INCOME_FEES, cents),
                ledger.Entry(ledger.pot_account(year), -cents),
            ),
            None,
            f"fee-{year}",
            "fee",
            "h",
        )
    )


def give_coins(world: MemoryWorld, member_id: str, coins: int) -> None:
    claim = world.coins.file_claim(member_id, "publicity", "talk", None)
    world.coins.approve(claim.id, coins, "admin")


def to_receive(world: MemoryWorld, member_id: str) -> int:
    return world.accounts.statement(member_id, 1, None).to_receive_cents


@pytest.fixture
def world() -> MemoryWorld:
    return memory_world(JUNE_1)


@pytest.fixture
def founders(world: MemoryWorld) -> dict[str, str]:
    ids = {
        name: world.member(name.title(), f"{name}@example.nl")
        for name in ("patrick", "ton", "anna")
    }
    into_pot(world, 2026, 125_000)
    for name, coins in (("patrick", 10), ("ton", 5), ("anna", 3)):
        give_coins(world, ids[name], coins)
    world.mailbox.sent.clear()
    return ids


def test_the_spec_example_to_the_cent_each_share_mailed_once(
    world: MemoryWorld, founders: dict[str, str]
) -> None:
    world.clock.set(NEW_YEAR_2027)

    [report] = world.distribution.run_through()

    assert (report.year, report.pot_cents, report.total_coins, report.paid) == (2026, 125000, 18, 3)
    paid = {name: to_receive(world, m) for name, m in founders.items()}
    assert paid == {"patrick": 69445, "ton": 34722, "anna": 20833}
    assert world.stores.ledger.balance_cents(ledger.pot_account(2026)) == 0
    assert sorted(m.to for m in world.mailbox.sent) == [
        "anna@example.nl", "patrick@example.nl", "ton@example.nl",
    ]  # fmt: skip
    patricks = world.mailbox.to("patrick@example.nl")[0]
    assert "€ 694,45" in patricks.text and "10 coins" in patricks.text


def test_a_distribution_is_done_once_and_a_rerun_books_nothing(
    world: MemoryWorld, founders: dict[str, str]
) -> None:
    world.clock.set(NEW_YEAR_2027)
    world.distribution.run_through()
    world.mailbox.sent.clear()

    again = world.distribution.run_through()
    [asked_again] = world.distribution.run_through(2026)
    direct = world.distribution.distribute(2026)

    assert again == []
    assert (asked_again.paid, asked_again.already_paid, asked_again.complete) == (0, 3, True)
    assert (direct.paid, direct.already_paid, direct.mails_queued) == (0, 3, 0)
    assert to_receive(world, founders["patrick"]) == 69445
    assert world.mailbox.sent == []


def test_a_distributed_year_takes_no_more_coins_nor_pot_money(
    world: MemoryWorld, founders: dict[str, str]
) -> None:
    world.clock.set(NEW_YEAR_2027)
    world.distribution.run_through()

    with pytest.raises(YearDistributed):
        into_pot(world, 2026, 500)
    assert world.stores.coins.pot_state(2026).total_coins == 18


def test_a_year_without_coins_carries_its_pot_over_to_the_next(world: MemoryWorld) -> None:
    into_pot(world, 2026, 40_000)
    world.clock.set(NEW_YEAR_2027)

    [report] = world.distribution.run_through()

    assert (report.paid, report.carried_over_cents, report.complete) == (0, 40_000, True)
    assert world.stores.ledger.balance_cents(ledger.pot_account(2026)) == 0
    assert world.stores.ledger.balance_cents(ledger.pot_account(2027)) == -40_000


def test_a_year_not_ended_is_not_distributed(world: MemoryWorld, founders: dict[str, str]) -> None:
    with pytest.raises(Conflict) as refused:
        world.distribution.distribute(2026)

    assert refused.value.code == "year_not_ended"
    assert to_receive(world, founders["ton"]) == 0
