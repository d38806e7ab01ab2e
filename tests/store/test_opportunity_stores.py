"""Opportunities, assignments, teams and revenue reports, on DynamoDB (moto) and in memory
alike: a new opportunity once, an interest once, a change only at the version read, a report
twice refused as a replay (and answered by the original), a team's invitations, answers and
departures kept by their conditions, a member's assignments in each role, pages newest first."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain import fees
from chalicelib.domain.errors import Conflict, IdempotencyConflict, NotFound
from chalicelib.domain.fees import FeeTotals
from chalicelib.domain.opportunities import Assignment, HistoryEvent, Opportunity, RevenueReport
from chalicelib.domain.teams import Team, TeamMember
from chalicelib.policy import Policy
from chalicelib.store.records import Conversation
from chalicelib.store.refusals import ConditionFailed, ReportReplayed, VersionConflict
from tests.store.conftest import Stores

AT = datetime(2026, 3, 2, 10, tzinfo=UTC)
POLICY = Policy()


def opportunity(opportunity_id: str, minutes: int = 0, **changes: object) -> Opportunity:
    at = AT + timedelta(minutes=minutes)
    posted = Opportunity(
        id=opportunity_id,
        title=f"Klus {opportunity_id}",
        description="Een datamigratie",
        disciplines=("software-development",),
        sector="government",
        location="Utrecht",
        client=None,
        starts_on=date(2026, 4, 1),
        referrer_id="patrick",
        posted_by="patrick",
        status="open",
        created_at=at,
        history=(HistoryEvent(at, "patrick", "post", None, "open"),),
    )
    return replace(posted, **changes)  # type: ignore[arg-type]


def assignment(assignment_id: str, lead: str = "mieke", minutes: int = 0) -> Assignment:
    return Assignment(
        id=assignment_id,
        opportunity_id=f"o-{assignment_id}",
        member_id=lead,
        referrer_id="patrick",
        contribution="small",
        fee_cap_cents=500_000,
        starts_on=date(2026, 4, 1),
        created_at=AT + timedelta(minutes=minutes),
    )


def commit(stores: Stores, register: object, *args: object) -> None:
    with stores.uow() as uow:
        register(uow, *args)  # type: ignore[operator]
        uow.commit()


def lead_report(
    a: Assignment, amount_cents: int, invoice: str, request: str = "h1"
) -> RevenueReport:
    booking = fees.book_report(a.totals, amount_cents, a.fee_cap_cents, True, POLICY)
    return RevenueReport(a.id, invoice, amount_cents, AT.date(), AT, booking, request, a.member_id)


def joined(stores: Stores, a: Assignment, member_id: str) -> None:
    """`member_id` invited by the lead and accepted."""
    invited = TeamMember(member_id, "member", "invited", invited_by=a.member_id, changed_at=AT)
    commit(stores, stores.opportunities.register_invitation, a, invited)
    commit(stores, stores.opportunities.register_acceptance, a, replace(invited, status="active"))


def team_report(
    stores: Stores, assignment_id: str, member_id: str, amount_cents: int, invoice: str
) -> RevenueReport:
    """A report as the service books it: the team's figures after it, in one unit of work."""
    a, team = stores.opportunities.with_team(assignment_id)
    booked = team.book(a.totals, member_id, amount_cents, a.fee_cap_cents, POLICY)
    report = RevenueReport(
        a.id, invoice, amount_cents, AT.date(), AT, booked.fee, "h", member_id,
        member_id=member_id, keyed_by_member=member_id != a.member_id,
        my_revenue_cents=booked.my_revenue_cents, my_fee_cents=booked.my_fee_cents,
        burden_changes=tuple(sorted(booked.burden_changes.items())),
    )  # fmt: skip
    commit(stores, stores.opportunities.register_report, a, report, team.after(booked, AT))
    return report


def figures(team: Team) -> dict[str, tuple[str, int, int]]:
    return {m.member_id: (m.status, m.revenue_cents, m.fee_cents) for m in team.members}


def test_a_new_opportunity_is_stored_once_with_its_announcement(stores: Stores) -> None:
    o = opportunity("o1")
    stores.opportunities.add(o)

    assert stores.opportunities.get("o1") == o
    with pytest.raises(ConditionFailed):
        stores.opportunities.add(replace(o, title="Twice"))
    assert stores.opportunities.get("o1").title == "Klus o1"
    assert stores.opportunities.pending_announcements() == ["o1"]
    stores.opportunities.finish_announcement("o1")
    assert stores.opportunities.pending_announcements() == []
    with pytest.raises(NotFound):
        stores.opportunities.get("o9")


def test_announcements_are_pending_oldest_first_and_again_after_new_disciplines(
    stores: Stores,
) -> None:
    for n, name in enumerate(("o2", "o1", "o3")):
        stores.opportunities.add(opportunity(name, minutes=n))
    for name in ("o2", "o1", "o3"):
        stores.opportunities.finish_announcement(name)
    commit(stores, stores.opportunities.register_announcement, opportunity("o1", minutes=1))
    commit(stores, stores.opportunities.register_announcement, opportunity("o2", minutes=0))

    assert stores.opportunities.pending_announcements() == ["o2", "o1"]


def test_interest_is_recorded_once(stores: Stores) -> None:
    stores.opportunities.add(opportunity("o1"))

    first = stores.opportunities.add_interest("o1", "mieke", "Graag", "2026-03-02T10:00:00")
    again = stores.opportunities.add_interest("o1", "mieke", "Nog eens", "2026-03-02T11:00:00")
    stores.opportunities.add_interest("o1", "jan", "", "2026-03-02T12:00:00")

    assert (first, again) == (True, False)
    assert [(i.member_id, i.note) for i in stores.opportunities.interests("o1")] == [
        ("jan", ""),
        ("mieke", "Graag"),
    ]
    interest = stores.opportunities.interest_of("o1", "mieke")
    assert interest is not None and interest.note == "Graag"
    assert stores.opportunities.has_interest("o1", "jan")
    assert not stores.opportunities.has_interest("o1", "ton")
    assert stores.opportunities.interest_of("o1", "ton") is None


def test_a_change_is_written_only_at_the_version_read(stores: Stores) -> None:
    o = opportunity("o1")
    stores.opportunities.add(o)
    talk = Conversation("mieke", date(2026, 3, 1), "patrick", "2026-03-02T10:00:00")
    moved = o.moved("conversation", "patrick", AT, "mieke on 2026-03-01", member="mieke")
    with stores.uow() as uow:
        stores.opportunities.register_save(uow, moved)
        stores.opportunities.register_conversation(uow, "o1", talk)
        uow.commit()

    closed = replace(o.moved("close", "patrick", AT, "no_deal"), outcome="no_deal")
    with pytest.raises(VersionConflict), stores.uow() as uow:  # read before the conversation
        stores.opportunities.register_save(uow, closed)
        stores.opportunities.register_conversation(uow, "o1", replace(talk, member_id="jan"))
        uow.commit()
    with pytest.raises(VersionConflict):  # never written: nothing to change
        commit(stores, stores.opportunities.register_save, replace(moved, id="o9"))

    assert stores.opportunities.get("o1") == moved
    assert stores.opportunities.conversations("o1") == [talk]  # not the refused one's
    assert stores.opportunities.was_introduced("o1", "mieke")
    assert not stores.opportunities.was_introduced("o1", "jan")


def test_a_report_twice_is_refused_as_a_replay_and_answered_by_the_original(
    stores: Stores,
) -> None:
    a = assignment("a1")
    commit(stores, stores.opportunities.register_assignment, a)
    report = lead_report(a, 2_000_000, "INV-1")
    commit(stores, stores.opportunities.register_report, a, report)

    stored = stores.opportunities.get_assignment("a1")
    assert (stored.version, stored.totals.fee_cents, stored.totals.pot_cents) == (
        2,
        300_000,
        75_000,
    )
    with pytest.raises(ReportReplayed) as replayed:
        commit(stores, stores.opportunities.register_report, stored, report)
    assert replayed.value.report == report
    assert stores.opportunities.replay_report(report) == report
    with pytest.raises(IdempotencyConflict):
        stores.opportunities.replay_report(replace(report, request_hash="other"))
    # a second invoice at the version read before the first: the totals moved meanwhile
    with pytest.raises(VersionConflict):
        commit(stores, stores.opportunities.register_report, a, lead_report(a, 5, "INV-2"))
    assert stores.opportunities.reports("a1") == [report]
    assert stores.opportunities.get_report("a1", "INV-1") == report
    assert stores.opportunities.get_report("a1", "INV-2") is None
    assert stores.opportunities.get_assignment("a1").version == 2
    with pytest.raises(NotFound):
        stores.opportunities.get_assignment("a9")


def test_a_team_is_listed_with_its_members_and_keeps_its_conditions(stores: Stores) -> None:
    a = assignment("a1")
    commit(stores, stores.opportunities.register_assignment, a)
    joined(stores, a, "jan")
    ton = TeamMember("ton", "member", "invited", invited_by="mieke", changed_at=AT)
    commit(stores, stores.opportunities.register_invitation, a, ton)

    with pytest.raises(Conflict) as twice:
        commit(stores, stores.opportunities.register_invitation, a, ton)
    assert twice.value.code == "already_on_team"
    with pytest.raises(VersionConflict):  # jan's invitation was answered already
        jan_invited = TeamMember("jan", "member", "invited", invited_by="mieke")
        commit(stores, stores.opportunities.register_acceptance, a, jan_invited)
    team = stores.opportunities.team(stores.opportunities.get_assignment("a1"))
    assert figures(team) == {
        "mieke": ("active", 0, 0),
        "jan": ("active", 0, 0),
        "ton": ("invited", 0, 0),
    }
    assert [m.member_id for m in team.members] == ["mieke", "jan", "ton"]

    commit(stores, stores.opportunities.register_withdrawal, a, ton)  # ton declines
    with pytest.raises(VersionConflict):  # gone already
        commit(stores, stores.opportunities.register_withdrawal, a, ton)
    team_report(stores, "a1", "jan", 2_000_000, "1")
    with pytest.raises(Conflict) as stays:
        jan_left = TeamMember("jan", "member", "left", changed_at=AT)
        commit(stores, stores.opportunities.register_departure, a, jan_left)
    assert stays.value.code == "team_member_has_revenue"

    assignment_now, team = stores.opportunities.with_team("a1")
    assert figures(team) == {"mieke": ("active", 0, 0), "jan": ("active", 2_000_000, 300_000)}
    assert assignment_now.totals.fee_cents == 300_000


def test_the_spec_team_example_stores_each_members_figures(stores: Stores) -> None:
    a = assignment("a1")
    commit(stores, stores.opportunities.register_assignment, a)
    joined(stores, a, "jan")

    team_report(stores, "a1", "mieke", 2_000_000, "1")
    second = team_report(stores, "a1", "jan", 2_000_000, "1")  # his own "1"
    team_report(stores, "a1", "jan", 1_000_000, "2")

    stored, team = stores.opportunities.with_team("a1")
    assert figures(team) == {
        "mieke": ("active", 2_000_000, 200_000),
        "jan": ("active", 3_000_000, 300_000),
    }
    assert stored.totals == FeeTotals(5_000_000, 500_000, 250_000, 250_000, 125_000, 125_000)
    assert dict(second.burden_changes) == {"mieke": -50_000, "jan": 250_000}
    assert stores.opportunities.get_report("a1", "1", "jan") == second
    assert stores.opportunities.get_report("a1", "1").member_id == "mieke"  # type: ignore[union-attr]
    assert [(r.member_id, r.invoice_ref) for r in stores.opportunities.reports("a1")] == [
        ("mieke", "1"),
        ("jan", "1"),
        ("jan", "2"),
    ]


def test_a_members_assignments_in_each_role_newest_first(stores: Stores) -> None:
    older, newer = (
        assignment("a1", lead="mieke", minutes=1),
        assignment("a2", lead="jan", minutes=2),
    )
    for a in (older, newer):
        commit(stores, stores.opportunities.register_assignment, a)
    joined(stores, newer, "mieke")  # mieke on jan's team
    joined(stores, older, "ton")
    ton_left = TeamMember("ton", "member", "left", changed_at=AT)
    commit(stores, stores.opportunities.register_departure, older, ton_left)

    mine = stores.opportunities.assignments_of("mieke", "executing", 10, None)
    referred = stores.opportunities.assignments_of("patrick", "referrer", 10, None)
    tons = stores.opportunities.assignments_of("ton", "executing", 10, None)

    assert [a.id for a in mine.assignments] == ["a2", "a1"]
    assert {k: m.status for k, m in mine.memberships.items()} == {"a2": "active"}
    assert [a.id for a in referred.assignments] == ["a2", "a1"]
    assert referred.memberships == {}
    assert tons.assignments == []  # one who left no longer finds it among theirs
    assert stores.opportunities.assignments_of("patrick", "executing", 10, None).assignments == []


def test_pages_are_newest_first_and_keep_only_what_was_asked(stores: Stores) -> None:
    for n in range(5):
        status = "closed" if n == 2 else "open"
        disciplines = ("design",) if n == 3 else ("software-development",)
        stores.opportunities.add(
            opportunity(f"o{n}", minutes=n, status=status, disciplines=disciplines)
        )

    pages, cursor = [], None
    while True:
        page = stores.opportunities.browse(None, None, 2, cursor)
        pages.append([o.id for o in page.opportunities])
        cursor = page.next_cursor
        if cursor is None:
            break
    open_dev = stores.opportunities.browse("open", "software-development", 2, None)
    rest = stores.opportunities.browse("open", "software-development", 2, open_dev.next_cursor)
    tested = stores.opportunities.browse(None, lambda names: "design" in names, 10, None)
    week = stores.opportunities.created_between(
        AT + timedelta(minutes=1), AT + timedelta(minutes=3)
    )

    assert [o for page in pages for o in page] == ["o4", "o3", "o2", "o1", "o0"]
    assert all(len(page) <= 2 for page in pages)
    assert [o.id for o in open_dev.opportunities] == ["o4", "o1"]  # full while more exist
    assert [o.id for o in rest.opportunities] == ["o0"]
    assert [o.id for o in tested.opportunities] == ["o3"]
    assert [o.id for o in week] == ["o1", "o2"]


def test_a_members_assignments_come_in_pages(stores: Stores) -> None:
    for n in range(5):
        commit(stores, stores.opportunities.register_assignment, assignment(f"a{n}", minutes=n))

    first = stores.opportunities.assignments_of("mieke", "executing", 3, None)
    second = stores.opportunities.assignments_of("mieke", "executing", 3, first.next_cursor)

    assert [a.id for a in first.assignments] == ["a4", "a3", "a2"]
    assert [a.id for a in second.assignments] == ["a1", "a0"]
    assert second.next_cursor is None


def torn(stores: Stores, members_read: Team) -> tuple[Assignment, Team]:
    """A torn read as a Query may see it while a report's transaction is applied: the
    assignment (its totals, version and the lead's own figures, one item) as it is now, the
    other members' items as in `members_read`, from before that report."""
    now = stores.opportunities.get_assignment("a1")
    others = list(members_read.members[1:])
    team = Team.of(
        now.id, now.member_id, now.referrer_id, now.totals, others,
        now.lead_revenue_cents, now.lead_fee_cents,
    )  # fmt: skip
    return now, team


def stale_report(
    assignment_now: Assignment, team_read: Team, member_id: str, amount_cents: int
) -> tuple[RevenueReport, Team]:
    """A report computed as the service computes it, from `team_read`."""
    booked = team_read.book(
        assignment_now.totals, member_id, amount_cents, assignment_now.fee_cap_cents, POLICY
    )
    report = RevenueReport(
        assignment_now.id, "2", amount_cents, AT.date(), AT, booked.fee, "h", member_id,
        member_id=member_id, keyed_by_member=member_id != assignment_now.member_id,
        my_revenue_cents=booked.my_revenue_cents, my_fee_cents=booked.my_fee_cents,
        burden_changes=tuple(sorted(booked.burden_changes.items())),
    )  # fmt: skip
    return report, team_read.after(booked, AT)


def refused_and_unchanged(stores: Stores, report: RevenueReport, team_after: Team) -> None:
    assignment_now = stores.opportunities.get_assignment("a1")
    stored = figures(stores.opportunities.team(assignment_now))
    reports = stores.opportunities.reports("a1")
    with pytest.raises(VersionConflict):
        commit(stores, stores.opportunities.register_report, assignment_now, report, team_after)
    assert stores.opportunities.get_assignment("a1") == assignment_now
    assert figures(stores.opportunities.team(assignment_now)) == stored
    assert stores.opportunities.reports("a1") == reports


@pytest.mark.parametrize("reporter", ["ton", "els", "mieke"])
def test_a_report_computed_from_a_torn_read_of_the_team_is_refused(
    stores: Stores, reporter: str
) -> None:
    """Issue 18: the fee capped, ton's report and jan's credit note move revenue and
    burdens between them but not the totals; a read torn by them (the assignment after,
    jan's and ton's items before) adds up (`matches`), so only the items' conditions can
    tell. Whoever reports from it, nothing books."""
    a = assignment("a1")
    commit(stores, stores.opportunities.register_assignment, a)
    for member in ("els", "jan", "ton"):
        joined(stores, a, member)
    team_report(stores, "a1", "jan", 4_000_000, "1")  # the cap (5 000 euro) reached
    members_read = stores.opportunities.team(stores.opportunities.get_assignment("a1"))
    team_report(stores, "a1", "ton", 1_000_000, "1")  # these two commit during the read
    team_report(stores, "a1", "jan", -1_000_000, "C1")

    assignment_now, team_read = torn(stores, members_read)
    assert team_read.matches(assignment_now.totals)  # the sums cannot tell
    assert figures(team_read) != figures(stores.opportunities.team(assignment_now))
    report, team_after = stale_report(assignment_now, team_read, reporter, 1_500_000)
    refused_and_unchanged(stores, report, team_after)

    # read afresh, the same report books, and the figures add up to the totals
    team_report(stores, "a1", reporter, 1_500_000, "2")
    stored, team = stores.opportunities.with_team("a1")
    assert team.matches(stored.totals)
    assert figures(team)["jan"][1:] == (3_000_000, 272_727)  # 3 of 5.5 million, of 5 000 euro


def test_a_member_a_report_leaves_alone_is_checked_as_read(stores: Stores) -> None:
    """ton's report and its credit note leave ton's revenue and fee as they were but count
    two reports: a report by jan from a read before them moves only jan's figures, and is
    refused by ton's check alone (as read, ton had no report and could have left)."""
    a = assignment("a1")
    commit(stores, stores.opportunities.register_assignment, a)
    joined(stores, a, "jan")
    joined(stores, a, "ton")
    team_report(stores, "a1", "jan", 4_000_000, "1")
    members_read = stores.opportunities.team(stores.opportunities.get_assignment("a1"))
    team_report(stores, "a1", "ton", 1_000_000, "1")
    team_report(stores, "a1", "ton", -1_000_000, "C1")

    assignment_now, team_read = torn(stores, members_read)
    assert figures(team_read) == figures(stores.opportunities.team(assignment_now))
    report, team_after = stale_report(assignment_now, team_read, "jan", 1_000_000)
    assert report.burden_changes == ()  # jan bears the whole capped fee before and after
    refused_and_unchanged(stores, report, team_after)
