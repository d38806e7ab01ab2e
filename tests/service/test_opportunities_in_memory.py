"""Opportunities on the in-memory unit of work and repositories, no moto: posted, interest
shown once (the referrer mailed once), a conversation, the award, revenue reports booking the
SPEC's worked examples to the cent for one member and for a team (SPEC section 1, "Joint
assignments"), a replay booking nothing, and a no_deal close paying the referrer's coins once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict
from chalicelib.services.opportunities import NewOpportunity
from tests.service.memory_world import MemoryWorld, memory_world

NOW = datetime(2026, 7, 1, 10, tzinfo=UTC)
DAY = date(2026, 7, 1)


@pytest.fixture
def world() -> MemoryWorld:
    return memory_world(NOW)


@pytest.fixture
def people(world: MemoryWorld) -> dict[str, str]:
    return {
        "patrick": world.member("Patrick Jansen", "patrick@example.nl"),
        "mieke": world.member("Mieke de Boer", "mieke@example.nl"),
        "jan": world.member("Jan Smit", "jan@example.nl", language="en"),
        "admin": world.member("Tineke Admin", "admin@example.nl"),
    }


def owed_fees(world: MemoryWorld, member_id: str) -> int:
    """The fees the member owes (registration and dues left out): their statement's fee lines."""
    owes = ledger.member_owes_account(member_id)
    lines = world.stores.ledger.iter_journal(owes)
    return sum(line.amount_cents for line in lines if line.account == owes and line.kind == "fee")


def receives(world: MemoryWorld, member_id: str) -> int:
    return -world.stores.ledger.balance_cents(ledger.member_receives_account(member_id))


def pot(world: MemoryWorld) -> int:
    return -world.stores.ledger.balance_cents(ledger.pot_account(2026))


def post(world: MemoryWorld, referrer: str, title: str = "Datamigratie gemeente") -> str:
    form = NewOpportunity(
        title, "Een migratie", ("software-development",), None, None, None, None, False
    )
    return world.opportunities.post(form, referrer, is_admin=False).id


def test_posted_interest_conversation_award_and_the_worked_example(
    world: MemoryWorld, people: dict[str, str]
) -> None:
    patrick, mieke = people["patrick"], people["mieke"]
    service = world.opportunities
    opportunity_id = post(world, patrick)

    service.express_interest(opportunity_id, mieke, "Dit ken ik")
    service.express_interest(opportunity_id, mieke, "Dit ken ik")  # a double click
    talked = service.record_conversation(opportunity_id, mieke, date(2026, 6, 30), patrick, False)
    assignment = service.award(opportunity_id, mieke, "small", date(2026, 7, 6))

    assert len(world.mailbox.to("patrick@example.nl")) == 1  # the referrer hears of it once
    assert [c.member.id for c in service.candidates(opportunity_id, patrick, False)] == [mieke]
    assert talked.status == "in_conversation"
    assert service.get(opportunity_id).status == "awarded"
    assert assignment.fee_cap_cents == 500_000
    assert world.stores.opportunities.pending_announcements() == [opportunity_id]

    first = service.report_revenue(assignment.id, mieke, 2_000_000, "2026-001", DAY)
    assert (first.booking.fee_cents, first.booking.referrer_share_cents) == (300_000, 150_000)
    assert first.booking.collective_share_cents == 150_000
    assert (owed_fees(world, mieke), receives(world, patrick), pot(world)) == (
        300_000,
        150_000,
        75_000,
    )

    second = service.report_revenue(assignment.id, mieke, 2_000_000, "2026-002", DAY)
    assert (second.booking.fee_cents, second.booking.referrer_share_cents) == (200_000, 100_000)
    assert second.booking.collective_share_cents == 100_000
    assert (owed_fees(world, mieke), receives(world, patrick), pot(world)) == (
        500_000,
        250_000,
        125_000,
    )

    further = service.report_revenue(assignment.id, mieke, 1_000_000, "2026-003", DAY)
    assert further.booking.fee_cents == 0  # capped: further reports book 0
    assert (owed_fees(world, mieke), receives(world, patrick), pot(world)) == (
        500_000,
        250_000,
        125_000,
    )


def test_a_replayed_report_books_nothing_and_another_body_is_refused(
    world: MemoryWorld, people: dict[str, str]
) -> None:
    mieke, service = people["mieke"], world.opportunities
    opportunity_id = post(world, people["patrick"])
    service.express_interest(opportunity_id, mieke, "")
    assignment = service.award(opportunity_id, mieke, "medium", date(2026, 7, 6))
    booked = service.report_revenue(assignment.id, mieke, 1_000_000, "A-1", DAY)
    commits = world.stores.state.commits

    again = service.report_revenue(assignment.id, mieke, 1_000_000, "A-1", DAY)
    with pytest.raises(Conflict) as differently:
        service.report_revenue(assignment.id, mieke, 1_000_001, "A-1", DAY)

    assert again == booked
    assert world.stores.state.commits == commits  # nothing booked twice
    assert differently.value.code == "invoice_reported_differently"
    assert owed_fees(world, mieke) == 150_000
    assert service.reports(assignment.id) == [booked]


def test_the_team_worked_example_books_every_members_share_to_the_cent(
    world: MemoryWorld, people: dict[str, str]
) -> None:
    patrick, mieke, jan = people["patrick"], people["mieke"], people["jan"]
    service = world.opportunities
    opportunity_id = post(world, patrick)
    service.express_interest(opportunity_id, mieke, "")
    assignment = service.award(opportunity_id, mieke, "small", date(2026, 7, 6)).id
    service.invite(assignment, jan, mieke, False)
    service.accept(assignment, jan)

    assert len(world.mailbox.to("jan@example.nl")) == 1  # the invitation
    assert len(world.mailbox.to("mieke@example.nl")) == 1  # jan accepted

    first = service.report_revenue(assignment, mieke, 2_000_000, "1", DAY)
    assert first.booking.fee_cents == 300_000
    assert (owed_fees(world, mieke), owed_fees(world, jan)) == (300_000, 0)

    second = service.report_revenue(assignment, jan, 2_000_000, "1", DAY)  # his own "1"
    assert second.booking.fee_cents == 200_000
    assert dict(second.burden_changes) == {mieke: -50_000, jan: 250_000}
    assert (owed_fees(world, mieke), owed_fees(world, jan)) == (250_000, 250_000)
    assert (receives(world, patrick), pot(world)) == (250_000, 125_000)

    third = service.report_revenue(assignment, jan, 1_000_000, "2", DAY)
    assert third.booking.fee_cents == 0  # the totals do not move
    assert dict(third.burden_changes) == {mieke: -50_000, jan: 50_000}
    assert (owed_fees(world, mieke), owed_fees(world, jan)) == (200_000, 300_000)
    assert (receives(world, patrick), pot(world)) == (250_000, 125_000)

    details = service.assignment_details(assignment, jan, False)
    assert details.assignment.totals.fee_cents == 500_000
    assert details.me is not None and (details.me.revenue_cents, details.me.fee_cents) == (
        3_000_000,
        300_000,
    )
    assert {r.invoice_ref for r in details.reports} == {"1", "2"}  # his own, not Mieke's
    with pytest.raises(Conflict) as stays:
        service.remove_from_team(assignment, jan, mieke, False)
    assert stays.value.code == "team_member_has_revenue"
    mine = world.stores.opportunities.assignments_of(jan, "executing", 10, None)
    assert [a.id for a in mine.assignments] == [assignment]


def test_a_no_deal_close_after_a_conversation_pays_the_referrer_coins_once(
    world: MemoryWorld, people: dict[str, str]
) -> None:
    patrick, mieke, admin = people["patrick"], people["mieke"], people["admin"]
    service = world.opportunities
    talked = post(world, patrick, "Met gesprek")
    silent = post(world, patrick, "Zonder gesprek")
    service.record_conversation(talked, mieke, date(2026, 6, 30), patrick, False)

    closed = service.close(talked, "no_deal", patrick, False)
    again = service.close(talked, "no_deal", admin, True)  # a retry answers the close
    service.close(silent, "no_deal", patrick, False)
    with pytest.raises(Conflict) as other:
        service.close(talked, "withdrawn", patrick, False)

    assert closed.status == "closed" and again == closed
    assert (
        world.stores.coins.year_of(patrick, 2026).total == world.policy.no_deal_conversation_coins
    )
    assert world.policy.no_deal_conversation_coins == 3
    assert other.value.code == "opportunity_closed"
    with pytest.raises(Conflict):
        service.award(talked, mieke, "small", date(2026, 7, 6))  # nothing moves it any more
