"""The quarterly dues run: once per member per quarter, whatever happens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.domain.errors import Conflict
from chalicelib.periods import Quarter
from chalicelib.services import dues as dues_module
from tests.conftest import World

Q2, Q3 = Quarter(2026, 2), Quarter(2026, 3)


def admit(world: World, count: int) -> list[str]:
    return [world.member(f"Member {n:02d}", f"m{n}@example.nl") for n in range(count)]


def owed(world: World, member_id: str) -> int:
    return world.services.accounts.statement(member_id, 1, None).owed_cents


def test_members_admitted_in_the_quarter_are_not_charged_again(world: World) -> None:
    members = admit(world, 3)

    report = world.services.dues.run(Q2)

    assert (report.members_seen, report.charged, report.already_charged) == (3, 0, 3)
    assert all(owed(world, m) == 10000 for m in members)


def test_the_next_quarter_charges_every_active_member_once(world: World) -> None:
    members = admit(world, 3)
    world.services.membership.cancel(members[2])
    world.clock.set(datetime(2026, 7, 1, 2, tzinfo=UTC))

    first = world.services.dues.run(Q3)
    again = world.services.dues.run(Q3)

    assert (first.charged, first.already_charged, first.complete) == (2, 0, True)
    assert (again.charged, again.already_charged) == (0, 2)
    assert [owed(world, m) for m in members] == [15000, 15000, 10000]


def test_a_quarter_that_has_not_started_is_refused(world: World) -> None:
    with pytest.raises(Conflict, match=r"^quarter_not_started \(quarter='2026-Q3'\)$"):
        world.services.dues.run(Q3)


def test_members_who_joined_after_the_quarter_are_not_due(world: World) -> None:
    members = admit(world, 2)

    report = world.services.dues.run(Quarter(2026, 1))

    assert (report.not_due, report.charged) == (2, 0)
    assert all(owed(world, m) == 10000 for m in members)


@pytest.mark.parametrize("k", [0, 1, 3, 4])
def test_a_run_cut_off_after_k_charges_is_finished_by_the_next(world: World, k: int) -> None:
    members = admit(world, 5)
    world.clock.set(datetime(2026, 7, 1, 2, tzinfo=UTC))
    client = world.services.table.client
    calls = {"n": 0}

    def throttle_after_k(**_: Any) -> None:
        calls["n"] += 1
        if calls["n"] > k:
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}},
                "TransactWriteItems",
            )

    client.meta.events.register("before-call.dynamodb.TransactWriteItems", throttle_after_k)
    try:
        cut = world.services.dues.run(Q3)
    finally:
        client.meta.events.unregister("before-call.dynamodb.TransactWriteItems", throttle_after_k)
    rest = world.services.dues.run(Q3)

    assert (cut.charged, cut.failed) == (k, 5 - k)
    assert (rest.charged, rest.already_charged, rest.failed) == (5 - k, k, 0)
    assert all(owed(world, m) == 15000 for m in members)


def test_a_run_out_of_time_hands_back_a_cursor_that_finishes_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dues_module, "PAGE_SIZE", 2)
    members = admit(world, 5)
    world.clock.advance(timedelta(days=90))

    first = world.services.dues.run(Q3, out_of_time=lambda: True)
    second = world.services.dues.run(Q3, cursor=first.resume_cursor, out_of_time=lambda: True)
    third = world.services.dues.run(Q3, cursor=second.resume_cursor)

    assert [r.charged for r in (first, second, third)] == [2, 2, 1]
    assert (first.complete, second.complete, third.complete) == (False, False, True)
    assert all(owed(world, m) == 15000 for m in members)


def test_the_run_logs_its_report_as_fields(world: World, caplog: pytest.LogCaptureFixture) -> None:
    admit(world, 2)
    world.clock.set(datetime(2026, 7, 1, 2, tzinfo=UTC))

    with caplog.at_level("INFO", logger="coop.dues"):
        world.services.dues.run(Q3)

    [record] = [r for r in caplog.records if r.name == "coop.dues"]
    logged = record.__dict__
    assert (logged["job"], logged["quarter"], logged["charged"], logged["failed"]) == (
        "dues",
        "2026-Q3",
        2,
        0,
    )


def test_a_member_who_cancels_before_the_run_still_owes_that_quarter(world: World) -> None:
    """Audit: cancel on 2 July, run 2026-Q3 afterwards: 15000 owed, not 10000."""
    [member] = admit(world, 1)
    world.clock.set(datetime(2026, 7, 2, 10, tzinfo=UTC))
    world.services.membership.cancel(member)

    report = world.services.dues.run(Q3)

    assert (report.charged, report.complete) == (1, True)
    assert owed(world, member) == 15000


def test_a_late_run_of_an_old_quarter_finds_members_who_left_since(world: World) -> None:
    """The Q3 run never happened; a member cancels in Q4; Q3 is run in Q4 and still charges."""
    [member] = admit(world, 1)
    world.clock.set(datetime(2026, 11, 2, 10, tzinfo=UTC))
    world.services.membership.cancel(member)

    world.services.dues.run(Q3)
    world.services.dues.run(Quarter(2026, 4))
    world.services.dues.run(Q3)  # and a re-run charges nobody twice

    assert owed(world, member) == 10000 + 5000 + 5000


def test_members_who_left_before_the_quarter_began_are_not_charged(world: World) -> None:
    [member] = admit(world, 1)
    world.services.membership.cancel(member)  # still in Q2
    world.clock.set(datetime(2026, 7, 1, 2, tzinfo=UTC))

    report = world.services.dues.run(Q3)

    assert report.charged == 0
    assert owed(world, member) == 10000
