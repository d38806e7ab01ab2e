"""Seats and the waiting list behave like a plain queue, whatever members do in what order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.services.meetings import NewMeeting
from tests.conftest import World

PEOPLE = ("anna", "bea", "cor", "dirk", "eva")
steps = st.lists(
    st.tuples(st.sampled_from(["join", "leave"]), st.sampled_from(PEOPLE)), max_size=14
)


class Model:
    """What the meeting should look like: seats in order, a first-in-first-out queue."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.seated: list[str] = []
        self.queue: list[str] = []

    def join(self, who: str) -> None:
        if who in self.seated or who in self.queue:
            return
        if len(self.seated) < self.capacity and not self.queue:
            self.seated.append(who)
        else:
            self.queue.append(who)

    def leave(self, who: str) -> None:
        if who in self.queue:
            self.queue.remove(who)
        elif who in self.seated:
            self.seated.remove(who)
            if self.queue:
                self.seated.append(self.queue.pop(0))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(capacity=st.integers(min_value=1, max_value=3), actions=steps)
def test_the_meeting_always_agrees_with_a_simple_queue(
    world: World, patched_moto: None, capacity: int, actions: list[tuple[str, str]]
) -> None:
    store = world.services.members_store
    ids = {name: store.member_id_for_email(f"{name}@example.nl") for name in PEOPLE}
    if None in ids.values():
        ids = {name: world.member(name.title(), f"{name}@example.nl") for name in PEOPLE}
    names = {member_id: name for name, member_id in ids.items()}
    service = world.services.meetings
    start = datetime(2026, 6, 18, 16, tzinfo=UTC)
    form = NewMeeting(
        "T", None, start, start + timedelta(hours=3), "V", "A", "C", capacity, None, None
    )
    meeting = service.create(form, "admin")
    model = Model(capacity)

    for action, who in actions:
        member_id = ids[who]
        assert member_id is not None
        if action == "join":
            service.register(meeting.id, store.get_member(member_id), "")
            model.join(who)
        else:
            service.unregister(meeting.id, member_id)
            model.leave(who)

        attendees = service.attendees(meeting.id, "admin", is_admin=True)
        seated = {names[a.registration.member_id] for a in attendees if a.position is None}
        queue = [names[a.registration.member_id] for a in attendees if a.position is not None]
        assert (seated, queue) == (set(model.seated), model.queue)
        counts = service.get(meeting.id)
        assert (counts.registered_count, counts.waitlist_count) == (len(seated), len(queue))
