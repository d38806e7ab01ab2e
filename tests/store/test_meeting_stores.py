"""Meetings, seats and waiting lists, on DynamoDB (moto) and in memory alike: a seat taken
once, the waiting list only when full, a seat handed on when someone leaves, edits never
overwriting edits, pending news in order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import NotFound
from chalicelib.domain.meetings import Meeting, Registration
from chalicelib.store.records import News, Outcome
from tests.store.conftest import Stores

AT = datetime(2026, 3, 2, 10, tzinfo=UTC)


def meeting(meeting_id: str, capacity: int = 2, days: int = 10) -> Meeting:
    starts = AT + timedelta(days=days)
    return Meeting(
        id=meeting_id,
        title=f"Meetup {meeting_id}",
        theme=None,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue="Pakhuis",
        address="Kade 1",
        city="Utrecht",
        capacity=capacity,
        description=None,
        organiser_member_id=None,
        status="planned",
        created_at=AT,
        created_by="admin",
        updated_at=AT,
    )


def sign_up(stores: Stores, meeting_id: str, member_id: str) -> tuple[Outcome, Registration]:
    """As the service does: a seat if one is free, else the waiting list."""
    seq = stores.meetings.next_seq(meeting_id)
    at = AT + timedelta(minutes=seq)
    seat = Registration(meeting_id, member_id, "registered", seq, "", at)
    outcome = stores.meetings.take_seat(seat)
    if outcome is Outcome.REFUSED:
        waiting = replace(seat, status="waitlisted")
        return stores.meetings.join_waitlist(waiting), waiting
    return outcome, seat


def seats(stores: Stores, meeting_id: str) -> tuple[int, int]:
    m = stores.meetings.get(meeting_id)
    return m.registered_count, m.waitlist_count


def test_a_meeting_is_stored_with_its_invitation_news_and_read_back(stores: Stores) -> None:
    stores.meetings.add(meeting("m1"))

    assert stores.meetings.get("m1") == meeting("m1")
    assert stores.meetings.pending_news() == [News("m1", 0, "published")]
    assert stores.meetings.get_many(["m1", "m9"]) == {"m1": meeting("m1")}
    with pytest.raises(NotFound):
        stores.meetings.get("m9")


def test_seats_are_taken_until_full_then_the_waiting_list_and_twice_is_exists(
    stores: Stores,
) -> None:
    stores.meetings.add(meeting("m1", capacity=2))

    outcomes = [sign_up(stores, "m1", member)[0] for member in ("anna", "bram", "cor")]
    _, anna = sign_up(stores, "m1", "anna")
    again = stores.meetings.take_seat(replace(anna, seq=99))

    assert outcomes == [Outcome.DONE, Outcome.DONE, Outcome.DONE]
    assert again is Outcome.EXISTS
    assert seats(stores, "m1") == (2, 1)
    statuses = {r.member_id: r.status for r in stores.meetings.registrations("m1")}
    assert statuses == {"anna": "registered", "bram": "registered", "cor": "waitlisted"}


def test_nobody_joins_the_waiting_list_while_a_seat_is_free(stores: Stores) -> None:
    stores.meetings.add(meeting("m1", capacity=2))
    waiting = Registration("m1", "anna", "waitlisted", stores.meetings.next_seq("m1"), "", AT)

    assert stores.meetings.join_waitlist(waiting) is Outcome.REFUSED
    assert stores.meetings.get_registration("m1", "anna") is None
    assert seats(stores, "m1") == (0, 0)


def test_leaving_hands_the_seat_to_the_first_waiting_member_in_one_write(
    stores: Stores,
) -> None:
    stores.meetings.add(meeting("m1", capacity=1))
    _, anna = sign_up(stores, "m1", "anna")
    _, bram = sign_up(stores, "m1", "bram")

    with stores.uow() as uow:
        stores.meetings.register_leave(uow, anna, bram)
        outcome = stores.meetings.outcome(uow)

    assert outcome is Outcome.DONE
    assert stores.meetings.get_registration("m1", "anna") is None
    assert stores.meetings.get_registration("m1", "bram").status == "registered"
    assert seats(stores, "m1") == (1, 0)


def test_leaving_with_a_stale_registration_is_refused_and_changes_nothing(stores: Stores) -> None:
    stores.meetings.add(meeting("m1", capacity=1))
    _, anna = sign_up(stores, "m1", "anna")

    assert stores.meetings.leave(replace(anna, seq=anna.seq + 1)) is Outcome.REFUSED
    assert stores.meetings.leave(anna) is Outcome.DONE
    assert stores.meetings.leave(anna) is Outcome.REFUSED
    assert seats(stores, "m1") == (0, 0)


def test_a_raised_capacity_moves_the_first_waiting_member_up(stores: Stores) -> None:
    stores.meetings.add(meeting("m1", capacity=1))
    sign_up(stores, "m1", "anna")
    _, bram = sign_up(stores, "m1", "bram")
    read = stores.meetings.get("m1")
    bigger = replace(read, capacity=2, version=read.version + 1, sequence=read.sequence + 1)

    assert stores.meetings.save_details(bigger, News("m1", 1, "changed"))
    with stores.uow() as uow:
        stores.meetings.register_promotion(uow, bram)
        assert stores.meetings.outcome(uow) is Outcome.DONE

    assert seats(stores, "m1") == (2, 0)
    assert stores.meetings.get("m1").capacity == 2
    assert [n.kind for n in stores.meetings.pending_news()] == ["published", "changed"]


def test_an_edit_based_on_a_stale_read_or_below_the_registered_is_refused(stores: Stores) -> None:
    stores.meetings.add(meeting("m1", capacity=2))
    sign_up(stores, "m1", "anna")
    sign_up(stores, "m1", "bram")
    read = stores.meetings.get("m1")

    smaller = replace(read, capacity=1, version=read.version + 1)
    renamed = replace(read, title="Nieuw", version=read.version + 1)
    stale = replace(read, title="Ouder", version=read.version + 1)

    assert stores.meetings.save_details(smaller, None) is False
    assert stores.meetings.save_details(renamed, None) is True
    assert stores.meetings.save_details(stale, None) is False
    kept = stores.meetings.get("m1")
    assert (kept.title, kept.capacity, kept.registered_count) == ("Nieuw", 2, 2)


def test_a_held_meeting_stays_held_and_a_cancelled_one_is_not_held(stores: Stores) -> None:
    stores.meetings.add(meeting("m1"))
    stores.meetings.add(meeting("m2"))
    read = stores.meetings.get("m2")
    stores.meetings.save_details(replace(read, status="cancelled", version=2), None)

    assert stores.meetings.mark_held("m1", AT + timedelta(days=11))
    assert stores.meetings.mark_held("m1", AT + timedelta(days=12))
    assert stores.meetings.mark_held("m2", AT + timedelta(days=11)) is False
    assert stores.meetings.get("m1").status == "held"
    assert stores.meetings.get("m2").status == "cancelled"


def test_meetings_are_found_by_when_they_end(stores: Stores) -> None:
    for n, days in enumerate([1, 5, 9]):
        stores.meetings.add(meeting(f"m{n}", days=days))
    now = AT + timedelta(days=5, hours=1)  # m1 is on, m0 ended

    upcoming = stores.meetings.upcoming(now, 1, None)
    later = stores.meetings.upcoming(now, 1, upcoming.next_cursor)
    past = stores.meetings.past(now, 10, None)

    assert [m.id for m in upcoming.meetings + later.meetings] == ["m1", "m2"]
    assert [m.id for m in past.meetings] == ["m0"]
    assert [m.id for m in stores.meetings.ending_from(AT)] == ["m0", "m1", "m2"]
    assert stores.meetings.last_ended(AT + timedelta(days=20)).id == "m2"
    assert stores.meetings.last_ended(AT) is None


def test_a_members_registrations_are_found_oldest_or_newest_first(stores: Stores) -> None:
    for meeting_id in ("m1", "m2"):
        stores.meetings.add(meeting(meeting_id))
        sign_up(stores, meeting_id, "anna")
    stores.meetings.set_attended("m1", "anna", True)

    mine = list(stores.meetings.registrations_of("anna"))
    recent = stores.meetings.recent_registrations_of("anna", 1)
    many = stores.meetings.registrations_of_many(["m1", "m2", "m3"], "anna")

    assert [r.meeting_id for r in mine] == ["m1", "m2"]
    assert [r.meeting_id for r in recent] == ["m2"]
    assert sorted(many) == ["m1", "m2"]
    assert many["m1"].attended is True


def test_news_is_finished_once_mailed_and_feed_versions_count_up(stores: Stores) -> None:
    stores.meetings.add(meeting("m1"))
    stores.meetings.finish_news(News("m1", 0, "published"))

    assert stores.meetings.pending_news() == []
    assert stores.meetings.feed_version("anna") == 0
    assert [stores.meetings.next_feed_version("anna") for _ in range(2)] == [1, 2]
    assert stores.meetings.feed_version("anna") == 2
