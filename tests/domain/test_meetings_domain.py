"""Meeting rules without AWS: times, order of the lists, who manages, quarters' coverage."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput
from chalicelib.domain.meetings import (
    Meeting,
    QuarterCoverage,
    Registration,
    check_times,
    in_order,
    meetings_in,
    next_quarter_needs_warning,
    quarter_middle,
    waiting_position,
)
from chalicelib.periods import Quarter

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def meeting(starts_at: datetime, status: str = "planned", organiser: str | None = None) -> Meeting:
    return Meeting(
        "m1", "T", None, starts_at, starts_at + timedelta(hours=3), "V", "A", "C", 10, None,
        organiser, status, NOW, "admin", NOW,  # type: ignore[arg-type]
    )  # fmt: skip


def registration(member: str, status: str, seq: int) -> Registration:
    return Registration("m1", member, status, seq, "", NOW)  # type: ignore[arg-type]


def test_a_meeting_ends_after_it_starts_within_a_day_and_is_planned_ahead() -> None:
    start = NOW + timedelta(days=30)
    check_times(start, start + timedelta(hours=24), NOW)

    for end, now, field in (
        (start, None, "ends_at"),
        (start + timedelta(hours=24, seconds=1), None, "ends_at"),
        (start + timedelta(hours=2), start, "starts_at"),
    ):
        with pytest.raises(InvalidInput) as refused:
            check_times(start, end, now)
        assert [p.field for p in refused.value.problems] == [field]


def test_admins_and_the_organiser_manage_and_only_a_planned_future_meeting_changes() -> None:
    m = meeting(NOW + timedelta(days=3), organiser="patrick")
    m.require_manager("patrick", is_admin=False)
    m.require_manager("ton", is_admin=True)
    with pytest.raises(Forbidden):
        m.require_manager("anna", is_admin=False)
    with pytest.raises(Conflict):
        m.require_changeable(NOW + timedelta(days=3))
    with pytest.raises(Conflict):
        meeting(NOW + timedelta(days=3), "cancelled").require_open_for_sign_up(NOW)
    with pytest.raises(Conflict):
        m.require_attendance_markable(NOW)  # not started yet


@given(st.permutations(list(range(1, 9))), st.lists(st.booleans(), min_size=8, max_size=8))
def test_lists_keep_the_order_of_signing_up(seqs: list[int], waiting: list[bool]) -> None:
    everyone = [
        registration(f"m{seq}", "waitlisted" if w else "registered", seq)
        for seq, w in zip(seqs, waiting, strict=True)
    ]

    ordered = in_order(everyone)

    registered = [r for r in ordered if r.status == "registered"]
    waitlisted = [r for r in ordered if r.status == "waitlisted"]
    assert ordered == registered + waitlisted
    assert [r.seq for r in registered] == sorted(r.seq for r in registered)
    assert [waiting_position(everyone, r.member_id) for r in waitlisted] == list(
        range(1, len(waitlisted) + 1)
    )
    assert all(waiting_position(everyone, r.member_id) is None for r in registered)


def test_the_middle_of_a_quarter() -> None:
    assert quarter_middle(Quarter(2026, 1)) == date(2026, 2, 15)  # 90 days
    assert quarter_middle(Quarter(2026, 2)) == date(2026, 5, 16)  # 91 days
    assert quarter_middle(Quarter(2026, 4)) == date(2026, 11, 16)  # 92 days: 46 and 46


def test_the_next_quarter_needs_a_meeting_from_the_middle_of_this_one_on() -> None:
    empty = QuarterCoverage(Quarter(2026, 3), 0)
    covered = QuarterCoverage(Quarter(2026, 3), 1)
    # May 15 23:59 in Amsterdam is still before the middle (May 16)
    before = datetime(2026, 5, 15, 21, 59, tzinfo=UTC)
    middle = datetime(2026, 5, 15, 22, 0, tzinfo=UTC)

    assert not next_quarter_needs_warning(before, empty)
    assert next_quarter_needs_warning(middle, empty)
    assert not next_quarter_needs_warning(middle, covered)


def test_a_quarter_counts_the_meetings_starting_in_it_that_are_not_cancelled() -> None:
    q3 = Quarter(2026, 3)
    meetings = [
        meeting(datetime(2026, 6, 30, 21, 30, tzinfo=UTC)),  # June 30, 23:30 in Amsterdam: Q2
        meeting(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)),  # July 1, 00:30 in Amsterdam
        meeting(datetime(2026, 9, 10, 16, tzinfo=UTC), "cancelled"),
        meeting(datetime(2026, 9, 30, 22, 30, tzinfo=UTC)),  # October 1 in Amsterdam: Q4
        meeting(datetime(2026, 8, 1, 16, tzinfo=UTC), "held"),
    ]

    assert meetings_in(q3, meetings) == 2
