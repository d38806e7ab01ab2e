"""The yearly pot: coins, the December 31 distribution, and what is frozen after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict
from chalicelib.services import distribution
from chalicelib.store.distributions import DistributionStore
from tests.conftest import World
from tests.mailbox import ReceivedMail

NEW_YEAR_2027 = datetime(2026, 12, 31, 23, 5, tzinfo=UTC)  # 00:05 in Amsterdam


def give_coins(world: World, member_id: str, coins: int) -> None:
    claim = world.services.coins.file_claim(member_id, "publicity", "talk", None)
    world.services.coins.approve(claim.id, coins, "admin")


@pytest.fixture
def founders(world: World) -> dict[str, str]:
    ids = {
        name: world.member(name.title(), f"{name}@example.nl")
        for name in ("patrick", "ton", "anna")
    }
    world.fill_pot(ids["patrick"], ids["ton"], 4_000_000)  # fee capped at 500000: pot 125000
    for name, coins in (("patrick", 10), ("ton", 5), ("anna", 3)):
        give_coins(world, ids[name], coins)
    return ids


def pot_mails(world: World) -> list[ReceivedMail]:
    """The mails about a share of the pot (not those about interest or claims on the way)."""
    return [m for m in world.sent_mail() if m.subject.startswith("Jouw deel van de pot")]


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
    mails = pot_mails(world)
    assert len(mails) == 3
    patricks = next(m for m in mails if m.to == "patrick@example.nl")
    assert "€ 694,45" in patricks.text and "10 coins" in patricks.text
    assert "€ 694,45" in patricks.html


def test_a_distribution_is_done_once_and_then_frozen(
    world: World, founders: dict[str, str]
) -> None:
    world.clock.set(NEW_YEAR_2027)
    world.services.distribution.run_through()
    first = world.services.coins.distribution(2026, founders["ton"], is_admin=True)

    again = world.services.distribution.run_through()
    [asked_again] = world.services.distribution.run_through(2026)
    direct = world.services.distribution.distribute(2026)

    assert again == []  # nothing left to do
    # Asked for by year, a distributed year answers its report rather than nothing.
    assert (asked_again.year, asked_again.pot_cents, asked_again.complete) == (2026, 125000, True)
    assert (asked_again.paid, asked_again.already_paid) == (0, 3)
    assert (direct.paid, direct.already_paid, direct.mails_queued) == (0, 3, 0)
    assert world.services.coins.distribution(2026, founders["ton"], is_admin=True) == first
    assert len(pot_mails(world)) == 3
    with pytest.raises(Conflict, match=r"^year_distributed \(year=2026\)$"):
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
    with pytest.raises(Conflict, match=r"^year_distributed \(year=2026\)$"):
        world.services.ledger_store.book(late_fee)
    assert world.services.coins.pot(2026).status == "distributed"


def ledger_award(member_id: str, year: int) -> Any:
    from chalicelib.domain.coins import CoinAward

    at = datetime(year, 12, 31, 12, tzinfo=UTC)
    return CoinAward("late", member_id, year, 1, "publicity", "late", at, "h")


def test_the_year_must_have_ended(world: World, founders: dict[str, str]) -> None:
    world.clock.set(datetime(2026, 12, 31, 22, 59, tzinfo=UTC))  # 23:59 in Amsterdam
    with pytest.raises(Conflict, match=r"^year_not_ended \(year=2026\)$"):
        world.services.distribution.run_through(2026)


def test_a_year_without_coins_carries_its_pot_over(world: World) -> None:
    patrick = world.member("Patrick", "patrick@example.nl")
    ton = world.member("Ton", "ton@example.nl")
    world.fill_pot(patrick, ton, 4_000_000)
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
    # one payout to a transaction, so the run can die between any two payouts
    monkeypatch.setattr(distribution, "PAYOUTS_PER_TRANSACTION", 1)
    real_pay = DistributionStore.register_payouts
    calls = {"n": 0}

    def pay_then_die(self: DistributionStore, *args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] > k:
            raise TimeoutError("Lambda timed out")
        real_pay(self, *args, **kwargs)

    monkeypatch.setattr(DistributionStore, "register_payouts", pay_then_die)
    with pytest.raises(TimeoutError):
        world.services.distribution.run_through()
    monkeypatch.setattr(DistributionStore, "register_payouts", real_pay)

    [report] = world.services.distribution.run_through()

    assert (report.paid, report.already_paid, report.complete) == (3 - k, k, True)
    total = sum(to_receive(world, m) for m in founders.values())
    assert total == 125000 + 250000  # the pot, plus Patrick's referral share of the fee


def test_a_payout_booked_by_another_run_meanwhile_is_left_out_of_the_batch(
    world: World, founders: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The payouts go many to a transaction; one that another run booked after this run
    looked (its transaction refuses the whole batch) is counted as paid before, the others
    are booked, and nobody is paid twice."""
    world.clock.set(NEW_YEAR_2027)
    service = world.services.distribution
    [first] = service.run_through(out_of_time=lambda: True)  # books the first member only
    assert first.paid == 1
    monkeypatch.setattr(DistributionStore, "payouts", lambda self, year: [])  # looked earlier

    [rest] = service.run_through()

    assert (rest.paid, rest.already_paid, rest.complete) == (2, 1, True)
    paid = {name: to_receive(world, m) for name, m in founders.items()}
    assert paid == {"patrick": 69445 + 250000, "ton": 34722, "anna": 20833}
    assert len(pot_mails(world)) == 3


def test_a_run_out_of_time_continues_after_the_last_member_handled(
    world: World, founders: dict[str, str]
) -> None:
    world.clock.set(NEW_YEAR_2027)
    service = world.services.distribution

    [first] = service.run_through(out_of_time=lambda: True)
    assert (first.paid, first.complete, first.resume_after) == (1, False, min(founders.values()))
    [rest] = service.run_through(resume_after=(2026, first.resume_after or ""))

    assert (rest.paid, rest.already_paid, rest.complete) == (2, 0, True)


class SesDown:
    def send(self, mail: Any) -> str:
        raise RuntimeError("SES down")


def test_a_failing_mail_never_holds_up_the_year_nor_the_next(
    world: World, founders: dict[str, str]
) -> None:
    """Audit: one payout mail that keeps failing held up that year and every later year."""
    world.clock.set(NEW_YEAR_2027)
    outbox = world.services.outbox
    real = outbox.mailer
    outbox.mailer = SesDown()

    [report] = world.services.distribution.run_through()

    assert (report.paid, report.complete, report.mails_queued, report.mails_sent) == (3, True, 3, 0)
    assert world.services.coins.pot(2026).status == "distributed"
    assert to_receive(world, founders["anna"]) == 20833  # the payout stands
    give_coins(world, founders["ton"], 1)  # 2027 goes on without waiting for the mails
    world.services.ledger_store.book(pot_money(2027, 1000))
    world.clock.set(datetime(2027, 12, 31, 23, 5, tzinfo=UTC))
    [year_2027] = world.services.distribution.run_through()
    assert (year_2027.year, year_2027.complete) == (2027, True)
    assert pot_mails(world) == []

    outbox.mailer = real
    world.clock.advance(timedelta(minutes=5))  # past the pause after the first failure
    delivered = outbox.deliver()  # the outbox job, once SES is back

    assert delivered.sent == 5  # the four payouts, and ton's claim decision of meanwhile
    assert sorted(m.to for m in pot_mails(world)) == sorted(
        f"{n}@example.nl" for n in ("patrick", "ton", "anna", "ton")
    )
    assert outbox.deliver().sent == 0  # and never twice


def pot_money(year: int, cents: int) -> ledger.LedgerTransaction:
    """Money into a year's pot, as a fee would put it there (the pot's credit side)."""
    at = datetime(year, 6, 1, tzinfo=UTC)
    return ledger.LedgerTransaction(
        f"pot-money-{year}-{cents}",
        "fee",
        at,
        (ledger.Entry(ledger.INCOME_FEES, cents), ledger.Entry(ledger.pot_account(year), -cents)),
        None,
        "test",
        "pot money",
        "h",
    )


def test_every_ended_year_with_a_pot_is_distributed_whatever_its_number(world: World) -> None:
    """Audit: with the clock in 2025, pot money and coins of 2025 were never shared out."""
    world.clock.set(datetime(2025, 3, 1, 12, tzinfo=UTC))
    anna = world.member("Anna", "anna@example.nl")
    give_coins(world, anna, 4)
    world.services.ledger_store.book(pot_money(2025, 9000))
    world.clock.set(datetime(2025, 12, 31, 23, 5, tzinfo=UTC))  # 00:05 on 1 January 2026

    [report] = world.services.distribution.run_through()

    assert (report.year, report.pot_cents, report.paid, report.complete) == (2025, 9000, 1, True)
    assert to_receive(world, anna) == 9000
    assert world.services.coins.pot(2025).status == "distributed"


def test_a_catch_up_carries_pots_over_through_years_without_coins(world: World) -> None:
    """Money in 2023 and 2024, no coins until 2025: everything reaches 2025's coin holders."""
    world.clock.set(datetime(2023, 2, 1, tzinfo=UTC))
    anna = world.member("Anna", "anna@example.nl")
    world.services.ledger_store.book(pot_money(2023, 700))
    world.services.ledger_store.book(pot_money(2024, 300))
    world.clock.set(datetime(2025, 5, 1, tzinfo=UTC))
    give_coins(world, anna, 1)
    world.clock.set(datetime(2026, 1, 2, tzinfo=UTC))  # nobody ran a distribution until now

    reports = world.services.distribution.run_through()

    assert [(r.year, r.carried_over_cents, r.paid) for r in reports] == [
        (2023, 700, 0),
        (2024, 1000, 0),
        (2025, 0, 1),
    ]
    assert to_receive(world, anna) == 1000


def test_a_member_whose_share_is_0_cents_gets_no_payout(world: World) -> None:
    members = [world.member(f"M{n}", f"m{n}@example.nl") for n in range(3)]
    for member_id in members:
        give_coins(world, member_id, 1)
    world.services.ledger_store.book(pot_money(2026, 2))  # 2 cents over 3 equal holders
    world.clock.set(NEW_YEAR_2027)

    [report] = world.services.distribution.run_through()

    _, payouts = world.services.coins.distribution(2026, members[0], is_admin=True)
    assert (report.paid, sum(p.amount_cents for p in payouts)) == (2, 2)
    assert all(p.amount_cents > 0 for p in payouts)
    unpaid = next(m for m in members if m not in {p.member_id for p in payouts})
    statement = world.services.accounts.statement(unpaid, 50, None)
    assert [line.kind for line in statement.lines if line.kind == "pot_payout"] == []
    assert len(pot_mails(world)) == 2
