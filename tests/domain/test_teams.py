"""Joint assignments in the domain: the burden split, every report's booking and who may do
what on a team. Pure: no store, no moto."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict, Forbidden, NotFound
from chalicelib.domain.fees import FeeTotals
from chalicelib.domain.teams import MAX_TEAM_SIZE, Team, TeamMember, burdens_for
from chalicelib.policy import Policy

POLICY = Policy()
CAPS = {"small": 500_000, "medium": 750_000, "large": 1_000_000}
AT = datetime(2026, 7, 1, 12, tzinfo=UTC)


def team_of(lead: str, others: list[str], referrer: str | None = "patrick") -> Team:
    members = [TeamMember(m, "member", "active") for m in others]
    return Team.of("a1", lead, referrer, FeeTotals.zero(), members)


def fee_rule(revenue_cents: int, cap_cents: int) -> int:
    """The SPEC's fee, written out on its own."""
    return min(cap_cents, revenue_cents * 15 // 100)


class Books:
    """A team's state and a ledger of balances, moved report by report as the service does."""

    def __init__(self, team: Team, cap_cents: int) -> None:
        self.team = team
        self.cap_cents = cap_cents
        self.totals = FeeTotals.zero()
        self.balances: Counter[str] = Counter()

    def report(self, member_id: str, amount_cents: int) -> None:
        booked = self.team.book(self.totals, member_id, amount_cents, self.cap_cents, POLICY)
        b = booked.fee
        tx = ledger.revenue_fee(
            f"revenue:a1:{member_id}:{len(self.balances)}",
            member_id,
            self.team.referrer_id,
            b.fee_cents,
            b.referrer_share_cents,
            b.operations_share_cents,
            b.pot_share_cents,
            2026,
            "F-1",
            AT,
            "hash",
            referrer_owed_cents=-self.balances[ledger.member_receives_account("patrick")],
            burden_changes=booked.burden_changes,
            team_revenue_grew=amount_cents > 0,
        )
        if tx is not None:
            assert sum(e.amount_cents for e in tx.entries) == 0
            for entry in tx.entries:
                self.balances[entry.account] += entry.amount_cents
        self.totals = b.after
        self.team = self.team.after(booked, AT)

    def owed(self, member_id: str) -> int:
        return self.balances[ledger.member_owes_account(member_id)]


def test_the_worked_example_of_the_spec() -> None:
    """Patrick refers; Mieke (small) and Jan: 2000000, 2000000, 1000000."""
    books = Books(team_of("mieke", ["jan"]), CAPS["small"])
    books.report("mieke", 2_000_000)
    assert (books.owed("mieke"), books.owed("jan")) == (300_000, 0)
    books.report("jan", 2_000_000)
    assert books.totals.fee_cents == 500_000
    assert {m.member_id: m.fee_cents for m in books.team.members} == {
        "mieke": 250_000,
        "jan": 250_000,
    }
    assert (books.owed("mieke"), books.owed("jan")) == (250_000, 250_000)
    assert -books.balances[ledger.member_receives_account("patrick")] == 250_000
    assert -books.balances[ledger.pot_account(2026)] == 125_000
    assert -books.balances[ledger.INCOME_FEES] == 125_000  # collective 250000 = pot + operations
    before = books.totals
    books.report("jan", 1_000_000)
    assert (books.owed("mieke"), books.owed("jan")) == (200_000, 300_000)
    assert books.totals.fee_cents == before.fee_cents  # the totals do not move
    assert -books.balances[ledger.member_receives_account("patrick")] == 250_000


def test_a_report_that_lowers_another_members_burden_books_it_in_the_same_transaction() -> None:
    team = team_of("mieke", ["jan"])
    books = Books(team, CAPS["small"])
    books.report("mieke", 2_000_000)
    booked = books.team.book(books.totals, "jan", 2_000_000, CAPS["small"], POLICY)
    assert booked.fee.fee_cents == 200_000
    assert booked.burden_changes == {"jan": 250_000, "mieke": -50_000}
    assert (booked.my_revenue_cents, booked.my_fee_cents) == (2_000_000, 250_000)


def test_a_team_of_one_books_exactly_what_one_member_booked_before_teams() -> None:
    lone = team_of("mieke", [])
    booked = lone.book(FeeTotals.zero(), "mieke", 2_000_000, CAPS["small"], POLICY)
    tx = ledger.revenue_fee(
        "revenue:a1:F-1",
        "mieke",
        "patrick",
        booked.fee.fee_cents,
        booked.fee.referrer_share_cents,
        booked.fee.operations_share_cents,
        booked.fee.pot_share_cents,
        2026,
        "F-1",
        AT,
        "h",
        burden_changes=booked.burden_changes,
    )
    before_teams = ledger.revenue_fee(
        "revenue:a1:F-1", "mieke", "patrick", 300_000, 150_000, 75_000, 75_000, 2026, "F-1", AT, "h"
    )
    assert tx == before_teams


def test_an_assignment_from_before_teams_reads_as_a_team_of_one() -> None:
    totals = FeeTotals(2_000_000, 300_000, 150_000, 150_000, 75_000, 75_000)
    team = Team.of("a1", "mieke", "patrick", totals, [])
    assert [(m.member_id, m.role, m.status) for m in team.members] == [("mieke", "lead", "active")]
    assert (team.lead.revenue_cents, team.lead.fee_cents) == (2_000_000, 300_000)
    assert not team.is_joint


def test_a_credit_note_above_the_members_own_revenue_is_refused() -> None:
    books = Books(team_of("mieke", ["jan"]), CAPS["small"])
    books.report("mieke", 2_000_000)
    books.report("jan", 100_000)
    with pytest.raises(Conflict) as refused:
        books.team.book(books.totals, "jan", -100_001, CAPS["small"], POLICY)
    assert refused.value.code == "credit_above_revenue"
    assert refused.value.params["revenue"] == 100_000


def test_the_split_gives_leftover_cents_to_the_largest_remainders_ties_by_member_id() -> None:
    # 100 over three equal revenues: 33 each, the one cent left to the smallest id
    assert burdens_for(100, {"c": 5, "a": 5, "b": 5}) == {"a": 34, "b": 33, "c": 33}
    assert burdens_for(0, {"a": 0, "b": 7}) == {"a": 0, "b": 0}
    # 10 over 1:2 -> 3.33 and 6.67: the larger remainder takes the cent
    assert burdens_for(10, {"a": 1, "b": 2}) == {"a": 3, "b": 7}


members_st = st.integers(min_value=2, max_value=5)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[int, str, list[tuple[int, int]]]:
    size = draw(members_st)
    tier = draw(st.sampled_from(sorted(CAPS)))
    reports = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=size - 1),
                st.integers(min_value=-3_000_000, max_value=4_000_000).filter(bool),
            ),
            max_size=12,
        )
    )
    return size, tier, reports


NAMES = ["m0", "m1", "m2", "m3", "m4"]


@settings(max_examples=300, deadline=None)
@given(scenario=scenarios(), referred=st.booleans())
def test_after_every_report_burdens_sum_to_the_capped_fee_none_negative_ledger_balanced(
    scenario: tuple[int, str, list[tuple[int, int]]], referred: bool
) -> None:
    size, tier, reports = scenario
    cap = CAPS[tier]
    members = NAMES[:size]
    books = Books(team_of(members[0], members[1:], "patrick" if referred else None), cap)
    revenue = dict.fromkeys(members, 0)
    for who, amount in reports:
        member = members[who]
        if revenue[member] + amount < 0:
            with pytest.raises(Conflict):
                books.report(member, amount)
            continue
        books.report(member, amount)
        revenue[member] += amount
        team_revenue = sum(revenue.values())
        burdens = {m.member_id: m.fee_cents for m in books.team.members}
        assert sum(burdens.values()) == fee_rule(team_revenue, cap)
        assert all(b >= 0 for b in burdens.values())
        # what each member owes is exactly their burden: every difference was booked
        assert {m: books.owed(m) for m in members} == burdens
        assert sum(books.balances.values()) == 0
        # order- and split-free: the same revenues in one report each give the same burdens
        assert burdens == burdens_for(fee_rule(team_revenue, cap), revenue)
    collective = fee_rule(sum(revenue.values()), cap) - (
        fee_rule(sum(revenue.values()), cap) // 2 if referred else 0
    )
    assert -books.balances[ledger.pot_account(2026)] == collective // 2


@settings(max_examples=200, deadline=None)
@given(scenario=scenarios(), order=st.randoms(use_true_random=False))
def test_the_outcome_does_not_depend_on_the_order_of_the_reports(
    scenario: tuple[int, str, list[tuple[int, int]]], order: object
) -> None:
    size, tier, reports = scenario
    invoices = [(who, abs(amount)) for who, amount in reports]  # invoices: any order is valid
    members = NAMES[:size]
    first = Books(team_of(members[0], members[1:]), CAPS[tier])
    for who, amount in invoices:
        first.report(members[who], amount)
    shuffled = list(invoices)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    second = Books(team_of(members[0], members[1:]), CAPS[tier])
    for who, amount in shuffled:
        second.report(members[who], amount)
    assert first.balances == second.balances
    figures = [(m.member_id, m.revenue_cents, m.fee_cents) for m in first.team.members]
    assert figures == [(m.member_id, m.revenue_cents, m.fee_cents) for m in second.team.members]


# Who may do what -------------------------------------------------------------------------


def test_only_the_lead_or_an_admin_invites_and_only_active_members_not_on_the_team() -> None:
    team = team_of("mieke", ["jan"])
    with pytest.raises(Forbidden):
        team.invite("ton", "jan", False, True, "Ton", AT)
    assert team.invite("ton", "admin", True, True, "Ton", AT).status == "invited"
    with pytest.raises(Conflict) as twice:
        team.invite("jan", "mieke", False, True, "Jan", AT)
    assert twice.value.code == "already_on_team"
    with pytest.raises(Conflict) as inactive:
        team.invite("ton", "mieke", False, False, "Ton", AT)
    assert inactive.value.code == "member_not_active"
    with pytest.raises(Conflict) as referrer:
        team.invite("patrick", "mieke", False, True, "Patrick", AT)
    assert referrer.value.code == "referrer_cannot_join_team"


def test_a_full_team_takes_no_more_invitations() -> None:
    team = team_of("m0", [f"x{n}" for n in range(MAX_TEAM_SIZE - 1)])
    with pytest.raises(Conflict) as full:
        team.invite("ton", "m0", False, True, "Ton", AT)
    assert full.value.code == "team_full"


def test_only_the_invitee_accepts_or_declines() -> None:
    invited = TeamMember("jan", "member", "invited", invited_by="mieke")
    team = Team.of("a1", "mieke", None, FeeTotals.zero(), [invited])
    with pytest.raises(Forbidden):
        team.accept("ton", AT)
    with pytest.raises(Forbidden):
        team.decline("mieke")
    joined = team.accept("jan", AT)
    assert joined is not None and joined.status == "active"
    again = Team.of("a1", "mieke", None, FeeTotals.zero(), [joined])
    assert again.accept("jan", AT) is None  # a repeat changes nothing
    with pytest.raises(Conflict):
        again.decline("jan")


def test_a_member_with_revenue_stays_one_without_may_leave_or_be_removed() -> None:
    books = Books(team_of("mieke", ["jan", "ton"]), CAPS["small"])
    books.report("jan", 100_000)
    books.report("jan", -100_000)  # back to 0, but revenue was reported: Jan stays
    team = books.team
    with pytest.raises(Conflict) as stays:
        team.remove("jan", "jan", False, AT)
    assert stays.value.code == "team_member_has_revenue"
    left = team.remove("ton", "ton", False, AT)
    assert left is not None and left.status == "left"
    with pytest.raises(Forbidden):
        team.remove("ton", "jan", False, AT)
    with pytest.raises(Conflict):
        team.remove("mieke", "admin", True, AT)
    gone = Team.of("a1", "mieke", None, FeeTotals.zero(), [left])
    with pytest.raises(NotFound):
        gone.remove("ton", "mieke", False, AT)
    with pytest.raises(Conflict) as not_on:
        gone.book(FeeTotals.zero(), "ton", 100, CAPS["small"], POLICY)
    assert not_on.value.code == "revenue_member_not_on_team"


def test_a_statement_line_says_why_a_members_share_of_the_team_fee_changed() -> None:
    from chalicelib.i18n.descriptions import ledger_line

    grew = "Fee on invoice 7 by member jan; team revenue grew"
    fell = "Fee on invoice 7 by member jan; team revenue fell"
    tx = "revenue:a1:~jan:7"
    titles = {"a1": "Interim controller Zorggroep", "a2": "Datamigratie"}
    # it names the assignment (a member on two teams can tell which one moved) and says
    # "fee", as the web app does
    assert ledger_line("fee", tx, "7", "member:mieke:owes", grew, "nl", titles) == (
        "Je deel van de fee op \u201cInterim controller Zorggroep\u201d veranderde: "
        "de omzet van het team groeide"
    )
    assert ledger_line("fee", tx, "7", "member:mieke:owes", fell, "en", titles) == (
        "Your share of the fee on \u201cInterim controller Zorggroep\u201d changed: "
        "the team's revenue fell"
    )
    # an assignment whose title is unknown is named without an id
    assert ledger_line("fee", tx, "7", "member:mieke:owes", grew, "nl") == (
        "Je deel van de fee op een opdracht veranderde: de omzet van het team groeide"
    )
    # the collective's and the pot's lines of it are plain fee lines (the ledger export)
    for account in ("collective:income:fees", "collective:pot:2026"):
        assert ledger_line("fee", tx, "7", account, grew, "nl", titles) == "Fee op factuur 7"
    # the reporter's own line is their fee on their invoice; the referrer's is their share
    assert ledger_line("fee", tx, "7", "member:jan:owes", grew, "nl") == "Fee op factuur 7"
    assert ledger_line("fee", tx, "7", "member:patrick:receives", grew, "nl") == (
        "Aanbrengvergoeding, factuur 7"
    )
