"""A repeated request answers the original result, whether it arrives later or at the same
moment: identical coin-claim approvals and opportunity closes sent at once all succeed, and
the coins and the mail happen once. A different decision after it stays a 409."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest

from chalicelib.domain.errors import Conflict, DomainError
from chalicelib.services.opportunities import NewOpportunity
from tests.conftest import World

THREADS = 4


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Runs the calls on their own threads, released together; each one's answer, or the
    domain error it raised."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        start.wait()
        try:
            return call()
        except DomainError as error:
            return error

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def mails_to(world: World, address: str) -> int:
    return sum(1 for m in world.sent_mail() if m.to == address)


@pytest.mark.usefixtures("patched_moto")
def test_identical_approvals_at_the_same_moment_all_answer_the_approval(world: World) -> None:
    anna = world.member("Anna de Vries", "anna@example.nl")
    coins = world.services.coins
    claim = coins.file_claim(anna, "publicity", "Praatje op de ZZP-beurs", None)
    mails_before = mails_to(world, "anna@example.nl")

    answers = at_once(*[lambda: coins.approve(claim.id, 7, "admin")] * THREADS)

    assert [(a.status, a.coins) for a in answers] == [("approved", 7)] * THREADS
    assert len({a.decided_at for a in answers}) == 1  # one decision, answered to all
    publicity = [a for a in coins.coins_of(anna, 2026).awards if a.reason == "publicity"]
    assert [a.coins for a in publicity] == [7]
    assert mails_to(world, "anna@example.nl") == mails_before + 1
    # later, the same body answers the same; another decision is refused
    assert coins.approve(claim.id, 7, "admin").decided_at == answers[0].decided_at
    with pytest.raises(Conflict):
        coins.approve(claim.id, 8, "admin")
    with pytest.raises(Conflict):
        coins.reject(claim.id, "dubbel", "admin")


@pytest.mark.usefixtures("patched_moto")
def test_different_approvals_at_the_same_moment_one_wins_the_other_is_a_409(
    world: World,
) -> None:
    anna = world.member("Anna de Vries", "anna@example.nl")
    coins = world.services.coins
    claim = coins.file_claim(anna, "publicity", "Podcast", None)

    seven, eight = at_once(
        lambda: coins.approve(claim.id, 7, "admin"), lambda: coins.approve(claim.id, 8, "admin")
    )

    outcomes = sorted([seven, eight], key=lambda a: isinstance(a, Conflict))
    winner, loser = outcomes
    assert isinstance(loser, Conflict) and not isinstance(winner, Conflict)
    publicity = [a for a in coins.coins_of(anna, 2026).awards if a.reason == "publicity"]
    assert [a.coins for a in publicity] == [winner.coins]


@pytest.mark.usefixtures("patched_moto")
def test_identical_rejections_at_the_same_moment_all_answer_the_rejection(world: World) -> None:
    anna = world.member("Anna de Vries", "anna@example.nl")
    coins = world.services.coins
    claim = coins.file_claim(anna, "publicity", "Blog", None)
    mails_before = mails_to(world, "anna@example.nl")

    answers = at_once(*[lambda: coins.reject(claim.id, "Geen link", "admin")] * THREADS)

    assert [(a.status, a.rejection_reason) for a in answers] == [
        ("rejected", "Geen link")
    ] * THREADS
    assert mails_to(world, "anna@example.nl") == mails_before + 1


def opportunity_after_a_conversation(world: World) -> tuple[str, str]:
    """An opportunity of patrick's, with a conversation held: a no_deal close earns coins."""
    patrick = world.member("Patrick Jansen", "patrick@example.nl")
    anna = world.member("Anna de Vries", "anna@example.nl")
    opportunities = world.services.opportunities
    form = NewOpportunity("Interim CFO", "Zes maanden", ("finance",), None, None, None, None, False)
    opportunity = opportunities.post(form, patrick, is_admin=False)
    opportunities.express_interest(opportunity.id, anna, "")
    opportunities.record_conversation(opportunity.id, anna, date(2026, 5, 1), patrick, False)
    return patrick, opportunity.id


@pytest.mark.usefixtures("patched_moto")
def test_identical_closes_at_the_same_moment_all_answer_the_close(world: World) -> None:
    patrick, opportunity_id = opportunity_after_a_conversation(world)
    opportunities = world.services.opportunities

    answers = at_once(
        *[lambda: opportunities.close(opportunity_id, "no_deal", patrick, False)] * THREADS
    )

    assert [(o.status, o.outcome) for o in answers] == [("closed", "no_deal")] * THREADS
    closes = [e for e in opportunities.get(opportunity_id).history if e.action == "close"]
    assert len(closes) == 1
    awards = world.services.coins.coins_of(patrick, 2026).awards
    no_deal = [a for a in awards if a.reason == "no_deal_after_conversation"]
    assert [a.coins for a in no_deal] == [world.services.policy.no_deal_conversation_coins]
    # later, the same outcome answers the same; another outcome is refused
    assert opportunities.close(opportunity_id, "no_deal", patrick, False).status == "closed"
    with pytest.raises(Conflict):
        opportunities.close(opportunity_id, "withdrawn", patrick, False)


@pytest.mark.usefixtures("patched_moto")
def test_different_closes_at_the_same_moment_one_wins_the_other_is_a_409(world: World) -> None:
    patrick, opportunity_id = opportunity_after_a_conversation(world)
    opportunities = world.services.opportunities

    answers = at_once(
        lambda: opportunities.close(opportunity_id, "no_deal", patrick, False),
        lambda: opportunities.close(opportunity_id, "withdrawn", patrick, False),
    )

    refused = [a for a in answers if isinstance(a, Conflict)]
    closed = [a for a in answers if not isinstance(a, DomainError)]
    assert len(refused) == 1 and len(closed) == 1
    assert opportunities.get(opportunity_id).outcome == closed[0].outcome


@pytest.mark.usefixtures("patched_moto")
def test_identical_payments_at_the_same_moment_book_once_and_mail_once(world: World) -> None:
    anna = world.member("Anna de Vries", "anna@example.nl")
    accounts = world.services.accounts
    mails_before = mails_to(world, "anna@example.nl")

    answers = at_once(
        *[lambda: accounts.record_payment(anna, 4000, date(2026, 5, 4), "NL 77", "admin")] * THREADS
    )

    assert sorted(a.replayed for a in answers) == [False] + [True] * (THREADS - 1)
    assert accounts.statement(anna, 1, None).owed_cents == 6000
    assert mails_to(world, "anna@example.nl") == mails_before + 1
