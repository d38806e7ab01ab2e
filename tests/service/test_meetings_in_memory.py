"""Signing up on the in-memory repositories (no moto): seats until full, then the waiting
list in order; leaving hands the seat to the first in line with their mail in the same write;
more seats move the waiting list up; a repeat changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import Conflict
from chalicelib.domain.meetings import Meeting
from chalicelib.services.meetings import NewMeeting
from tests.service.memory_world import MemoryWorld, memory_world

MAY_4 = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
JUNE_18 = datetime(2026, 6, 18, 16, tzinfo=UTC)
NAMES = ("ton", "mieke", "anna", "bea", "cor")


@pytest.fixture
def world() -> MemoryWorld:
    return memory_world(MAY_4)


@pytest.fixture
def people(world: MemoryWorld) -> dict[str, str]:
    return {name: world.member(name.title(), f"{name}@example.nl") for name in NAMES}


def meeting(world: MemoryWorld, people: dict[str, str], capacity: int) -> Meeting:
    form = NewMeeting("Personal branding", None, JUNE_18, JUNE_18 + timedelta(hours=3),
                      "Pakhuis de Zwijger", "Piet Heinkade 179", "Amsterdam", capacity, None,
                      None)  # fmt: skip
    return world.meetings.create(form, people["ton"])


def sign_up(world: MemoryWorld, meeting_id: str, member_id: str) -> tuple[str, int | None]:
    signed = world.meetings.register(meeting_id, world.membership.member(member_id), "")
    return signed.status, signed.position


def test_seats_until_full_then_the_waiting_list_in_order(
    world: MemoryWorld, people: dict[str, str]
) -> None:
    m = meeting(world, people, capacity=2)

    signed = [sign_up(world, m.id, people[name]) for name in ("mieke", "anna", "bea", "cor")]
    again = sign_up(world, m.id, people["bea"])

    assert signed == [("registered", None), ("registered", None), ("waitlisted", 1),
                      ("waitlisted", 2)]  # fmt: skip
    assert again == ("waitlisted", 1)  # a repeat answers the sign-up as it stands
    now = world.meetings.get(m.id)
    assert (now.registered_count, now.waitlist_count, now.free_seats) == (2, 2, 0)


def test_leaving_hands_the_seat_to_the_first_in_line_who_is_mailed_once(
    world: MemoryWorld, people: dict[str, str]
) -> None:
    m = meeting(world, people, capacity=1)
    for name in ("mieke", "anna", "bea"):
        sign_up(world, m.id, people[name])
    world.mailbox.sent.clear()

    world.meetings.unregister(m.id, people["mieke"])
    world.meetings.unregister(m.id, people["mieke"])  # a repeat changes nothing

    assert world.meetings.my_sign_up(m.id, people["mieke"]) is None
    assert sign_up(world, m.id, people["anna"]) == ("registered", None)
    assert sign_up(world, m.id, people["bea"]) == ("waitlisted", 1)
    assert [mail.to for mail in world.mailbox.sent] == ["anna@example.nl"]
    moved_up = [q.member_id for q in world.stores.outbox.sent() if q.kind == "meeting_moved_up"]
    assert moved_up == [people["anna"]]


def test_leaving_the_waiting_list_gives_no_seat_away(
    world: MemoryWorld, people: dict[str, str]
) -> None:
    m = meeting(world, people, capacity=1)
    for name in ("mieke", "anna", "bea"):
        sign_up(world, m.id, people[name])

    world.meetings.unregister(m.id, people["anna"])

    assert sign_up(world, m.id, people["bea"]) == ("waitlisted", 1)
    now = world.meetings.get(m.id)
    assert (now.registered_count, now.waitlist_count) == (1, 1)


def test_more_seats_move_the_waiting_list_up_and_fewer_than_registered_are_refused(
    world: MemoryWorld, people: dict[str, str]
) -> None:
    m = meeting(world, people, capacity=1)
    for name in ("mieke", "anna", "bea"):
        sign_up(world, m.id, people[name])

    with pytest.raises(Conflict) as refused:
        world.meetings.edit(m.id, {"capacity": 0}, people["ton"], is_admin=True)
    bigger = world.meetings.edit(m.id, {"capacity": 3}, people["ton"], is_admin=True)

    assert refused.value.code == "capacity_below_registered"
    assert (bigger.capacity, bigger.registered_count, bigger.waitlist_count) == (3, 3, 0)
    assert sign_up(world, m.id, people["bea"]) == ("registered", None)


def test_a_cancelled_meeting_takes_no_sign_ups(world: MemoryWorld, people: dict[str, str]) -> None:
    m = meeting(world, people, capacity=5)
    sign_up(world, m.id, people["mieke"])

    world.meetings.cancel(m.id, people["ton"], is_admin=True)
    with pytest.raises(Conflict) as refused:
        sign_up(world, m.id, people["anna"])

    assert refused.value.code == "meeting_cancelled"
    assert world.meetings.get(m.id).status == "cancelled"
    assert world.meetings.my_sign_up(m.id, people["anna"]) is None
    assert [n.kind for n in world.stores.meetings.pending_news()] == ["published", "cancelled"]
