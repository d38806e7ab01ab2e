"""Quarters and years are Amsterdam's; the policy's numbers come from one place."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.membership import Application, Member, check_admission
from chalicelib.periods import Quarter, parse_year, year_containing
from chalicelib.policy import Policy, policy_with_overrides


@pytest.mark.parametrize(
    ("instant", "quarter"),
    [
        ("2026-03-31T21:59:59+00:00", "2026-Q1"),  # 23:59:59 CEST... still March 31
        ("2026-03-31T22:00:00+00:00", "2026-Q2"),  # midnight in Amsterdam (CEST, +2)
        ("2026-03-31T22:30:00+00:00", "2026-Q2"),
        ("2026-09-30T22:00:00+00:00", "2026-Q4"),
        ("2026-12-31T22:59:59+00:00", "2026-Q4"),
        ("2026-12-31T23:00:00+00:00", "2027-Q1"),  # midnight in Amsterdam (CET, +1)
    ],
)
def test_quarter_of_an_instant_is_amsterdams(instant: str, quarter: str) -> None:
    assert str(Quarter.containing(datetime.fromisoformat(instant))) == quarter


def test_year_turns_at_amsterdam_midnight() -> None:
    assert year_containing(datetime(2026, 12, 31, 22, 59, tzinfo=UTC)) == 2026
    assert year_containing(datetime(2026, 12, 31, 23, 0, tzinfo=UTC)) == 2027


@pytest.mark.parametrize("text", ["2026-Q5", "2026Q1", "26-Q1", "2026-q1", ""])
def test_malformed_quarters_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Quarter.parse(text)


def test_admission_rule_follows_the_policy() -> None:
    check_admission(5, Policy())
    with pytest.raises(InvalidInput):
        check_admission(4, Policy())
    check_admission(3, policy_with_overrides({"admission_min_years_experience": 3}))


def test_unknown_or_invalid_policy_overrides_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        policy_with_overrides({"fee_percentage": 20})
    with pytest.raises(ValueError):
        policy_with_overrides({"fee_percent": 150})


def test_an_application_is_decided_once() -> None:
    application = Application(
        "a1",
        "Anna",
        "anna@example.nl",
        ("ux",),
        (),
        9,
        None,
        None,
        None,
        "pending",
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    approved = application.approved("admin", datetime(2026, 1, 2, tzinfo=UTC))
    assert approved.status == "approved"
    with pytest.raises(Conflict):
        approved.rejected("admin", datetime(2026, 1, 3, tzinfo=UTC), "changed my mind")


MEMBER = Member(
    id="m1",
    name="Mieke",
    email="mieke@example.nl",
    headline="",
    disciplines=("legal",),
    sectors=(),
    available=True,
    notify_opportunities=True,
    status="active",
    joined_at=datetime(2026, 1, 1, tzinfo=UTC),
)
joined_instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@given(
    joined=joined_instants,
    stayed=st.one_of(
        st.none(), st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=900))
    ),
)
def test_dues_are_owed_for_exactly_the_quarters_a_member_was_there(
    joined: datetime, stayed: timedelta | None
) -> None:
    """From the joining quarter through the quarter of cancellation, none before or after."""
    member = replace(MEMBER, joined_at=joined, status="active")
    if stayed is not None:
        member = member.cancelled(joined + stayed)
    quarters = [Quarter(year, n) for year in range(2024, 2032) for n in (1, 2, 3, 4)]

    owed = [q for q in quarters if member.owes_dues_for(q)]

    first = Quarter.containing(joined)
    # the last moment they were a member (a cancellation at midnight leaves that quarter out)
    last = (
        Quarter(2031, 4)
        if member.cancelled_at is None
        else Quarter.containing(member.cancelled_at - timedelta(microseconds=1))
    )
    assert owed == [q for q in quarters if first <= q <= last]


SUPERSCRIPT_2026 = "\u00b2\u2070\u00b2\u2076"  # "²⁰²⁶": str.isdigit() says yes
FULLWIDTH_2026 = "\uff12\uff10\uff12\uff16"


@pytest.mark.parametrize(
    "text",
    [f"{SUPERSCRIPT_2026}-Q1", f"{FULLWIDTH_2026}-Q1", "0000-Q1", "0001-Q1", "3000-Q1", "2026-Q5"],
)
def test_quarters_need_ascii_digits_and_a_year_the_platform_books_in(text: str) -> None:
    with pytest.raises(ValueError):
        Quarter.parse(text)


@pytest.mark.parametrize(
    "text", [SUPERSCRIPT_2026, FULLWIDTH_2026, "0000", "1999", "3000", "20266", "-202"]
)
def test_years_need_ascii_digits_and_a_sane_range(text: str) -> None:
    with pytest.raises(ValueError):
        parse_year(text)
