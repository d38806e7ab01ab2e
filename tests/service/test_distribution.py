"""The yearly pot: coins, the December 31 distribution, and what is frozen after it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict
from chalicelib.services.opportunities import NewOpportunity
from chalicelib.store.distributions import DistributionStore
from tests.conftest import World

NEW_YEAR_2027 = datetime(2026, 12, 31, 23, 5, tzinfo=UTC)  # 00:05 in Amsterdam


def fill_pot(world: World, referrer: str, executor: str, revenue_cents: int) -> None:
    """A fee on an assignment; with a referrer, a quarter of the fee goes into the pot."""
    opportunities = world.services.opportunities
    form = NewOpportunity("T", "D", ("x",), None, None, None, None, False)
    opportunity = opportunities.post(form, referrer, is_admin=False)
    opportunities.express_interest(opportunity.id, executor, "")
    assignment = opportunities.award(opportunity.id, executor, "small", date(2026, 6, 1))
    opportunities.report_revenue(assignment.id, executor, revenue_cents, "INV", date(2026, 7, 1))


def give_coins(world: World, member_id: str, coins: int) -> None:
    claim = world.services.coins.file_claim(member_id, "publicity", "talk", None)
    world.services.coins.approve(claim.id, coins, "admin")


@pytest.fixture
def founders(world: World) -> dict[str, str]:
    ids = {
        name: world.member(name.title(), f"{name}@example.nl")
        for name in ("patrick", "ton", "anna")
    }
    fill_pot(world, ids["patrick"], ids["ton"], 4_000_000)  # fee capped at 500000: pot 125000
    for name, coins in (("patrick", 10), ("ton", 5), ("anna", 3)):
        give_coins(world, ids[name], coins)
    return ids


def to_receive(world: World, member_id: str) -> int:
    return world.services.accounts.statement(member_id, 1, None).to_receive_cents


def test_the_spec_example_to_the_cent(world: World, founders: dict[str, str]) -> None:
    assert world.services.coins.pot(2026).balance_cents == 125000
    before = {name: to_receive(world, m) for name, m in founders.items()}
    world.clock.set(NEW_YEAR_2027)

    [report] = world.services.distribution.run_through()

    assert (report.year, report.pot_cents, report.total_coins, report.paid) == (2026, 125000, 18, 3)
    paid = {name: to_receive(world, m) - before[name] for name, m in founders.items()}
    assert paid == {"patrick": 69445, "ton": 34722, "anna": 20833}
    assert world.services.ledger_store.balance_cents(ledger.pot_account(2026)) == 0
    mails = world.sent_mail()
    assert len(mails) == 3
    assert any("€ 694,45" in m.body and "10 coins" in m.body for m in mails)


def test_a_distribution_is_done_once_and_then_frozen(
    world: World, founders: dict[str, str]
) -> None:
    world.clock.set(NEW_YEAR_2027)
    world.services.distribution.run_through()
    first = world.services.coins.distribution(2026, founders["ton"], is_admin=True)

    again = world.services.distribution.run_through()
    direct = world.services.distribution.distribute(2026)

    assert again == []  # nothing left to do
    assert (direct.paid, direct.already_paid, direct.mailed) == (0, 3, 0)
    assert world.services.coins.distribution(2026, founders["ton"], is_admin=True) == first
    assert len(world.sent_mail()) == 3
    with pytest.raises(Conflict, match="distributed"):
        world.services.coin_store.award(ledger_award(founders["anna"], 2026))
    late_fee = ledger.LedgerTransaction(
        "late",
        "fee",
        NEW_YEAR_2027,
        (ledger.Entry(ledger.INCOME_FEES, 100), ledger.Entry(ledger.pot_account(2026), -100)),
        None,
        "late",
        "late",
        "h",
    )
    with pytest.raises(Conflict, match="takes no more money"):
        world.services.ledger_store.book(late_fee)
    assert world.services.coins.pot(2026).status == "distributed"


def ledger_award(member_id: str, year: int) -> Any:
    from chalicelib.domain.coins import CoinAward

    at = datetime(year, 12, 31, 12, tzinfo=UTC)
    return CoinAward("late", member_id, year, 1, "publicity", "late", at, "h")


def test_the_year_must_have_ended(world: World, founders: dict[str, str]) -> None:
    world.clock.set(datetime(2026, 12, 31, 22, 59, tzinfo=UTC))  # 23:59 in Amsterdam
    with pytest.raises(Conflict, match="not ended"):
        world.services.distribution.run_through(2026)


def test_a_year_without_coins_carries_its_pot_over(world: World) -> None:
    patrick = world.member("Patrick", "patrick@example.nl")
    ton = world.member("Ton", "ton@example.nl")
    fill_pot(world, patrick, ton, 4_000_000)
    world.clock.set(NEW_YEAR_2027)

    [report] = world.services.distribution.run_through()

    assert (report.carried_over_cents, report.paid, report.complete) == (125000, 0, True)
    assert world.services.coins.pot(2027).balance_cents == 125000
    give_coins(world, ton, 2)
    world.clock.set(datetime(2027, 12, 31, 23, 5, tzinfo=UTC))
    [report_2027] = world.services.distribution.run_through()
    assert report_2027.pot_cents == 125000
    assert to_receive(world, ton) == 125000


def test_members_who_left_are_paid_for_their_coins(world: World, founders: dict[str, str]) -> None:
    world.services.membership.cancel(founders["anna"])
    world.clock.set(NEW_YEAR_2027)

    world.services.distribution.run_through()

    assert to_receive(world, founders["anna"]) == 20833


@pytest.mark.parametrize("k", [0, 1, 2])
def test_a_run_cut_off_after_k_payouts_is_finished_by_the_next(
    world: World, founders: dict[str, str], monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    world.clock.set(NEW_YEAR_2027)
    real_pay = DistributionStore.pay
    calls = {"n": 0}

    def pay_then_die(self: DistributionStore, *args: Any) -> bool:
        calls["n"] += 1
        if calls["n"] > k:
            raise TimeoutError("Lambda timed out")
        return real_pay(self, *args)

    monkeypatch.setattr(DistributionStore, "pay", pay_then_die)
    with pytest.raises(TimeoutError):
        world.services.distribution.run_through()
    monkeypatch.setattr(DistributionStore, "pay", real_pay)

    [report] = world.services.distribution.run_through()

    assert (report.paid, report.already_paid, report.complete) == (3 - k, k, True)
    total = sum(to_receive(world, m) for m in founders.values())
    assert total == 125000 + 250000  # the pot, plus Patrick's referral share of the fee


def test_a_run_out_of_time_continues_after_the_last_member_handled(
    world: World, founders: dict[str, str]
) -> None:
    world.clock.set(NEW_YEAR_2027)
    service = world.services.distribution

    [first] = service.run_through(out_of_time=lambda: True)
    assert (first.paid, first.complete, first.resume_after) == (1, False, min(founders.values()))
    [rest] = service.run_through(resume_after=(2026, first.resume_after or ""))

    assert (rest.paid, rest.already_paid, rest.complete) == (2, 0, True)


def test_a_failed_mail_keeps_the_year_open_until_it_is_sent(
    world: World, founders: dict[str, str]
) -> None:
    world.clock.set(NEW_YEAR_2027)
    service = world.services.distribution
    real = service.mailer

    class Down:
        def send(self, to: str, subject: str, text: str) -> str:
            raise RuntimeError("SES down")

    service.mailer = Down()
    [failed] = service.run_through()
    service.mailer = real
    [retried] = service.run_through()

    assert (failed.paid, failed.mail_failed, failed.complete) == (3, 3, False)
    assert (retried.already_paid, retried.mailed, retried.complete) == (3, 3, True)
    assert len(world.sent_mail()) == 3
