"""Joint assignments through the service and moto: the SPEC's worked example to the cent, the
team's life (invite, accept, decline, leave, remove), reports by several members at the same
moment, and random sequences of reports whose bookings stay exact and replay-free."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict, DomainError, Forbidden
from chalicelib.domain.teams import burdens_for
from chalicelib.i18n import descriptions
from chalicelib.services.opportunities import NewOpportunity
from tests.conftest import World
from tests.service.test_replays_under_concurrency import at_once

CAPS = {"small": 500_000, "medium": 750_000, "large": 1_000_000}
DAY = date(2026, 7, 1)


def owed(world: World, member_id: str) -> int:
    """What the member owes in fees (their registration and dues left out), from the lines
    of their statement: every burden difference booked on them."""
    owes = ledger.member_owes_account(member_id)
    lines = world.services.ledger_store.iter_journal(owes)
    return sum(line.amount_cents for line in lines if line.account == owes and line.kind == "fee")


def receives(world: World, member_id: str) -> int:
    return -world.services.ledger_store.balance_cents(ledger.member_receives_account(member_id))


def assignment_for(world: World, referrer: str, lead: str, tier: str = "small") -> str:
    opportunities = world.services.opportunities
    form = NewOpportunity("Datamigratie gemeente", "D", ("x",), None, None, None, None, False)
    opportunity = opportunities.post(form, referrer, is_admin=False)
    opportunities.express_interest(opportunity.id, lead, "")
    return opportunities.award(opportunity.id, lead, tier, date(2026, 6, 1)).id  # type: ignore[arg-type]


def team_of(world: World, assignment_id: str, lead: str, *members: str) -> None:
    opportunities = world.services.opportunities
    for member in members:
        opportunities.invite(assignment_id, member, lead, False)
        opportunities.accept(assignment_id, member)


@pytest.fixture
def people(world: World) -> dict[str, str]:
    return {
        "patrick": world.member("Patrick Jansen", "patrick@example.nl"),
        "mieke": world.member("Mieke de Boer", "mieke@example.nl"),
        "jan": world.member("Jan Smit", "jan@example.nl", language="en"),
        "admin": world.member("Tineke Admin", "admin@example.nl", admin=True),
    }


def test_the_worked_example_books_every_share_to_the_cent(
    world: World, people: dict[str, str]
) -> None:
    patrick, mieke, jan = people["patrick"], people["mieke"], people["jan"]
    opportunities = world.services.opportunities
    assignment = assignment_for(world, patrick, mieke)
    team_of(world, assignment, mieke, jan)

    first = opportunities.report_revenue(assignment, mieke, 2_000_000, "1", DAY)
    assert first.booking.fee_cents == 300_000
    assert (first.my_revenue_cents, first.my_fee_cents) == (2_000_000, 300_000)
    assert (owed(world, mieke), owed(world, jan)) == (300_000, 0)

    second = opportunities.report_revenue(assignment, jan, 2_000_000, "1", DAY)  # his own "1"
    assert second.booking.fee_cents == 200_000
    assert (second.my_revenue_cents, second.my_fee_cents) == (2_000_000, 250_000)
    assert dict(second.burden_changes) == {mieke: -50_000, jan: 250_000}
    assert (owed(world, mieke), owed(world, jan)) == (250_000, 250_000)
    assert receives(world, patrick) == 250_000
    pot = world.services.ledger_store.balance_cents(ledger.pot_account(2026))
    assert -pot == 125_000

    third = opportunities.report_revenue(assignment, jan, 1_000_000, "2", DAY)
    assert third.booking.fee_cents == 0  # the totals do not move
    assert (third.my_revenue_cents, third.my_fee_cents) == (3_000_000, 300_000)
    assert (owed(world, mieke), owed(world, jan)) == (200_000, 300_000)
    assert receives(world, patrick) == 250_000

    details = opportunities.assignment_details(assignment, mieke, False)
    assert details.assignment.totals.fee_cents == 500_000
    assert details.me is not None and details.me.fee_cents == 200_000
    # Mieke's statement: her fee on her invoice, then her share falling as Jan's revenue grew
    lines = world.services.accounts.statement(mieke, 50, None).lines
    titles = opportunities.line_titles(lines)  # the assignment the share lines are about
    assert titles == {assignment: "Datamigratie gemeente"}
    words = sorted(
        (
            descriptions.ledger_line(
                line.kind,
                line.transaction_id,
                line.reference,
                line.account,
                line.description,
                "nl",
                titles,
            ),
            line.amount_cents,
        )
        for line in lines
        if line.kind == "fee"
    )
    share = (
        "Je deel van de fee op \u201cDatamigratie gemeente\u201d veranderde: "
        "de omzet van het team groeide"
    )
    assert words == [("Fee op factuur 1", 300_000), (share, -50_000), (share, -50_000)]


def test_a_replay_books_nothing_and_answers_the_original(
    world: World, people: dict[str, str]
) -> None:
    mieke, jan = people["mieke"], people["jan"]
    opportunities = world.services.opportunities
    assignment = assignment_for(world, people["patrick"], mieke)
    team_of(world, assignment, mieke, jan)
    opportunities.report_revenue(assignment, mieke, 2_000_000, "1", DAY)
    booked = opportunities.report_revenue(assignment, jan, 2_000_000, "1", DAY)
    before = (owed(world, mieke), owed(world, jan))
    again = opportunities.report_revenue(assignment, jan, 2_000_000, "1", DAY)
    assert again.my_fee_cents == booked.my_fee_cents == 250_000
    assert (owed(world, mieke), owed(world, jan)) == before
    with pytest.raises(Conflict) as changed:
        opportunities.report_revenue(assignment, jan, 2_000_001, "1", DAY)
    assert changed.value.code == "invoice_reported_differently"


def test_the_team_lifecycle_and_who_may_do_what(world: World, people: dict[str, str]) -> None:
    mieke, jan, admin = people["mieke"], people["jan"], people["admin"]
    ton = world.member("Ton Bakker", "ton@example.nl")
    gone = world.member("Gijs Weg", "gijs@example.nl")
    world.services.membership.cancel(gone)
    opportunities = world.services.opportunities
    assignment = assignment_for(world, people["patrick"], mieke)

    with pytest.raises(Forbidden):
        opportunities.invite(assignment, ton, jan, False)  # not the lead
    with pytest.raises(Conflict) as inactive:
        opportunities.invite(assignment, gone, mieke, False)
    assert inactive.value.code == "member_not_active"

    invited = opportunities.invite(assignment, jan, mieke, False)
    assert invited.status == "invited"
    with pytest.raises(Conflict) as twice:
        opportunities.invite(assignment, jan, mieke, False)
    assert twice.value.code == "already_on_team"
    mail = [m for m in world.sent_mail() if m.to == "jan@example.nl"][-1]
    assert "Mieke de Boer" in mail.subject and "Datamigratie gemeente" in mail.subject
    assert f"#/assignments/{assignment}" in mail.text
    # an invitee sees the assignment, may not report before accepting
    assert opportunities.assignment_details(assignment, jan, False).me is not None
    with pytest.raises(Forbidden):
        opportunities.report_revenue(assignment, jan, 100, "x", DAY)

    with pytest.raises(Forbidden):
        opportunities.accept(assignment, ton)  # not invited
    with pytest.raises(Forbidden):
        opportunities.decline(assignment, ton)
    assert opportunities.accept(assignment, jan).status == "active"
    assert opportunities.accept(assignment, jan).status == "active"  # a repeat
    to_lead = [m for m in world.sent_mail() if m.to == "mieke@example.nl"]
    assert len([m for m in to_lead if "Jan Smit" in m.subject]) == 1

    opportunities.invite(assignment, ton, admin, True)  # an admin invites too
    opportunities.decline(assignment, ton)
    assert "Ton Bakker" in [m for m in world.sent_mail() if m.to == "mieke@example.nl"][-1].subject
    with pytest.raises(Forbidden):
        opportunities.assignment_details(assignment, ton, False)  # declined: not on it

    # the admin reports on Jan's behalf; then Jan stays on the team
    on_behalf = opportunities.report_revenue(assignment, admin, 100_000, "A-1", DAY, True, jan)
    assert on_behalf.member_id == jan and on_behalf.reported_by == admin
    assert owed(world, jan) == 15_000
    with pytest.raises(Conflict) as stays:
        opportunities.remove_from_team(assignment, jan, mieke, False)
    assert stays.value.code == "team_member_has_revenue"

    # a member without revenue leaves; then cannot report
    opportunities.invite(assignment, ton, mieke, False)
    opportunities.accept(assignment, ton)
    assert opportunities.remove_from_team(assignment, ton, ton, False).status == "left"
    with pytest.raises(Forbidden):
        opportunities.report_revenue(assignment, ton, 100, "x", DAY)
    with pytest.raises(Conflict):
        opportunities.report_revenue(assignment, admin, 100, "x", DAY, True, ton)


def test_team_members_never_see_each_others_revenue(world: World, people: dict[str, str]) -> None:
    patrick, mieke, jan = people["patrick"], people["mieke"], people["jan"]
    opportunities = world.services.opportunities
    assignment = assignment_for(world, patrick, mieke)
    team_of(world, assignment, mieke, jan)
    opportunities.report_revenue(assignment, mieke, 2_000_000, "1", DAY)
    opportunities.report_revenue(assignment, jan, 1_000_000, "1", DAY)
    for_jan = opportunities.assignment_details(assignment, jan, False)
    assert [r.amount_cents for r in for_jan.reports] == [1_000_000]
    assert for_jan.reports[0].member_id == jan
    for_patrick = opportunities.assignment_details(assignment, patrick, False)
    assert for_patrick.reports == [] and for_patrick.me is None
    for_admin = opportunities.assignment_details(assignment, people["admin"], True)
    assert sorted(r.amount_cents for r in for_admin.reports) == [1_000_000, 2_000_000]


@pytest.mark.usefixtures("patched_moto")
def test_members_reporting_at_the_same_moment_never_break_the_cap_or_the_sum(
    world: World, people: dict[str, str]
) -> None:
    mieke, jan = people["mieke"], people["jan"]
    ton = world.member("Ton Bakker", "ton@example.nl")
    opportunities = world.services.opportunities
    assignment = assignment_for(world, people["patrick"], mieke)
    team_of(world, assignment, mieke, jan, ton)
    members = [mieke, jan, ton]
    answers = at_once(
        *[
            partial(opportunities.report_revenue, assignment, m, 1_500_000, f"{n}", DAY)
            for n in range(2)
            for m in members
        ]
    )
    assert not [a for a in answers if isinstance(a, DomainError)]
    team = opportunities.store.team(opportunities.store.get_assignment(assignment))
    assert [m.revenue_cents for m in team.members] == [3_000_000] * 3
    assert sum(m.fee_cents for m in team.members) == 500_000  # the cap, not 1350000
    assert {m.member_id: owed(world, m.member_id) for m in team.members} == {
        m.member_id: m.fee_cents for m in team.members
    }
    assert sorted(owed(world, m) for m in members) == [166_666, 166_667, 166_667]


amounts = st.integers(min_value=-1_500_000, max_value=3_000_000).filter(bool)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    size=st.integers(min_value=2, max_value=5),
    tier=st.sampled_from(sorted(CAPS)),
    reports=st.lists(st.tuples(st.integers(0, 4), amounts), min_size=1, max_size=8),
)
def test_random_reports_by_a_team_book_exactly_the_split_and_replays_book_nothing(
    world: World, patched_moto: None, size: int, tier: str, reports: list[tuple[int, int]]
) -> None:
    services = world.services
    lookup = services.members_store.member_id_for_email
    if not lookup("p@example.nl"):
        world.member("Pieter", "p@example.nl")
        for n in range(5):
            world.member(f"Lid {n}", f"m{n}@example.nl")
    referrer = lookup("p@example.nl")
    members = [lookup(f"m{n}@example.nl") for n in range(size)]
    assert referrer and all(members)
    team = [m for m in members if m]
    assignment = assignment_for(world, referrer, team[0], tier)
    team_of(world, assignment, team[0], *team[1:])
    before = {m: owed(world, m) for m in team}
    revenue = dict.fromkeys(team, 0)
    for n, (who, amount) in enumerate(reports):
        member = team[who % size]
        try:
            booked = services.opportunities.report_revenue(assignment, member, amount, f"{n}", DAY)
        except Conflict as refused:
            assert refused.code == "credit_above_revenue"
            assert revenue[member] + amount < 0
            continue
        revenue[member] += amount
        fee = min(CAPS[tier], sum(revenue.values()) * 15 // 100)
        burdens = {m: owed(world, m) - before[m] for m in team}
        assert burdens == burdens_for(fee, revenue)
        assert booked.my_fee_cents == burdens[member]
        # the replay answers the same and books nothing
        again = services.opportunities.report_revenue(assignment, member, amount, f"{n}", DAY)
        assert again == booked
        assert {m: owed(world, m) - before[m] for m in team} == burdens


@pytest.mark.usefixtures("patched_moto")
def test_leaving_while_reporting_at_the_same_moment_never_leaves_revenue_behind(
    world: World, people: dict[str, str]
) -> None:
    mieke, jan = people["mieke"], people["jan"]
    opportunities = world.services.opportunities
    for round_ in range(3):
        assignment = assignment_for(world, people["patrick"], mieke)
        team_of(world, assignment, mieke, jan)
        report, leave = at_once(
            partial(opportunities.report_revenue, assignment, jan, 100_000, f"R{round_}", DAY),
            partial(opportunities.remove_from_team, assignment, jan, jan, False),
        )
        team = opportunities.store.team(opportunities.store.get_assignment(assignment))
        member = team.member(jan)
        assert member is not None
        if isinstance(report, DomainError):  # he left first: nothing was booked as his
            assert member.status == "left" and member.revenue_cents == 0
            assert isinstance(leave, type(member)) and leave.status == "left"
        else:  # the report first: he stays, with his revenue
            assert isinstance(leave, Conflict) and leave.code == "team_member_has_revenue"
            assert (member.status, member.revenue_cents) == ("active", 100_000)
