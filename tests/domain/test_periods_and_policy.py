"""Quarters and years are Amsterdam's; the policy's numbers come from one place."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.membership import Application, check_admission
from chalicelib.periods import Quarter, year_containing
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
