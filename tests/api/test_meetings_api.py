"""Quarterly meetings through the API: planning, sign-up and waiting list, pitches,
permissions per role, mails, attendance, and the directory's pitches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.api.meeting_people import MEETING, People, plan, sign_up
from tests.conftest import ROOT, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def people(world: World, client: Client) -> People:
    return People(world, client)


def mails_to(world: World, name: str) -> list[str]:
    return [m.subject for m in world.sent_mail() if m.to == f"{name}@example.nl"]


def test_admins_plan_in_amsterdam_time_and_members_see_counts_and_their_own_status(
    people: People,
) -> None:
    meeting = plan(people)
    assert (meeting["starts_at"], meeting["ends_at"]) == (
        "2026-06-18T16:00:00Z",
        "2026-06-18T19:30:00Z",
    )
    assert (meeting["status"], meeting["organiser_name"], meeting["timezone"]) == (
        "planned",
        None,
        "Europe/Amsterdam",
    )
    sign_up(people, "mieke", meeting["id"])

    _, upcoming = people.call("mieke", "GET", "/meetings?when=upcoming")
    _, anna_sees = people.call("anna", "GET", "/meetings")
    _, past = people.call("mieke", "GET", "/meetings?when=past")

    [mine] = upcoming["items"]
    assert (mine["registered_count"], mine["waitlist_count"], mine["my_status"]) == (
        1,
        0,
        "registered",
    )
    assert (anna_sees["items"][0]["my_status"], anna_sees["items"][0]["can_manage"]) == (
        None,
        False,
    )
    assert (past["items"], past["next"]) == ([], None)
    assert people.call("mieke", "POST", "/meetings", MEETING)[0] == 403
    assert people.call(None, "GET", "/meetings")[0] == 401
    assert people.call("mieke", "GET", "/meetings?when=someday")[0] == 400
    assert people.call("mieke", "GET", "/meetings/nope")[0] == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "2026-06-18T17:00:00"}, "ends_at"),
        ({"ends_at": "2026-06-20T17:00:00"}, "ends_at"),
        ({"starts_at": "2026-05-01T18:00:00+02:00", "ends_at": "2026-05-01T21:00Z"}, "starts_at"),
        ({"starts_at": "2027-03-28T02:30:00", "ends_at": "2027-03-28T05:00"}, "starts_at"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "10"}, "capacity"),
        ({"organiser_member_id": "0123456789abcdef"}, "organiser_member_id"),
        ({"title": "Line\u202eevil"}, "title"),
        ({"venue": ""}, "venue"),
    ],
)
def test_a_bad_meeting_is_refused_naming_the_field(
    people: People, change: dict[str, Any], field: str
) -> None:
    status, error = people.call("ton", "POST", "/meetings", MEETING | change)

    assert status == 400, error
    assert field in {f["field"] for f in error["fields"]}


def test_the_last_seat_goes_to_one_the_next_waits_and_moves_up_when_a_seat_frees(
    world: World, people: People
) -> None:
    meeting_id = plan(people)["id"]

    assert sign_up(people, "mieke", meeting_id) == (
        201,
        {"meeting_id": meeting_id, "status": "registered", "position": None, "pitch": None},
    )
    assert sign_up(people, "anna", meeting_id)[1]["status"] == "registered"
    status, patrick = sign_up(people, "patrick", meeting_id, "Interim programme manager")
    _, bea = sign_up(people, "bea", meeting_id)
    again = sign_up(people, "patrick", meeting_id, "Something else entirely")

    assert (status, patrick["status"], patrick["position"]) == (201, "waitlisted", 1)
    assert (bea["status"], bea["position"]) == ("waitlisted", 2)
    assert again == (201, patrick)  # a repeat changes nothing, not even the pitch
    _, seen = people.call("bea", "GET", f"/meetings/{meeting_id}")
    assert (seen["registered_count"], seen["waitlist_count"], seen["free_seats"]) == (2, 2, 0)
    assert (seen["my_status"], seen["my_position"]) == ("waitlisted", 2)

    status, after = people.call("mieke", "DELETE", f"/meetings/{meeting_id}/registration")

    assert (status, after["my_status"], after["registered_count"]) == (200, None, 2)
    assert after["waitlist_count"] == 1
    _, patrick_now = people.call("patrick", "GET", f"/meetings/{meeting_id}")
    _, bea_now = people.call("bea", "GET", f"/meetings/{meeting_id}")
    assert (patrick_now["my_status"], patrick_now["my_pitch"]) == (
        "registered",
        "Interim programme manager",
    )
    assert (bea_now["my_status"], bea_now["my_position"]) == ("waitlisted", 1)
    [moved_up] = [m for m in world.sent_mail() if m.to == "patrick@example.nl"]
    assert moved_up.subject.startswith("Er is een plek voor je: Personal branding")
    assert f"#/meetings/{meeting_id}" in moved_up.text
    assert "donderdag 18 juni 2026, 18:00\u201321:30 uur" in moved_up.text
    # leaving twice changes nothing; the waiting list can leave too
    assert people.call("mieke", "DELETE", f"/meetings/{meeting_id}/registration")[0] == 200
    _, final = people.call("bea", "DELETE", f"/meetings/{meeting_id}/registration")
    assert (final["registered_count"], final["waitlist_count"]) == (2, 0)


def test_raising_the_capacity_moves_the_waiting_list_up_at_once(
    world: World, people: People
) -> None:
    meeting_id = plan(people, capacity=1)["id"]
    for name in ("mieke", "anna", "bea"):
        sign_up(people, name, meeting_id)

    status, meeting = people.call("ton", "PATCH", f"/meetings/{meeting_id}", {"capacity": 2})

    assert (status, meeting["registered_count"], meeting["waitlist_count"]) == (200, 2, 1)
    assert meeting["sequence"] == 0  # seats are not something a calendar shows
    assert mails_to(world, "anna") == [
        "Er is een plek voor je: Personal branding, donderdag 18 juni 2026"
    ]
    shrink = people.call("ton", "PATCH", f"/meetings/{meeting_id}", {"capacity": 1})
    assert shrink[0] == 409
    assert shrink[1]["error"] == "capacity_below_registered"
    assert "Er zijn al 2 leden aangemeld" in shrink[1]["message"]


def test_pitches_come_from_available_members_and_organisers_and_admins_see_them_in_order(
    people: People,
) -> None:
    meeting_id = plan(people, capacity=2, organiser_member_id=people.ids["patrick"])["id"]
    people.call("bea", "PATCH", "/members/me", {"available": False})
    refused = sign_up(people, "bea", meeting_id, "Looking for data work")
    sign_up(people, "mieke", meeting_id, "Data engineering, three days a week")
    sign_up(people, "bea", meeting_id)
    sign_up(people, "anna", meeting_id, "UX research")
    path = f"/meetings/{meeting_id}/attendees"

    assert refused[0] == 409
    assert refused[1]["error"] == "pitch_needs_available"
    assert "beschikbaar" in refused[1]["message"]
    assert people.call("anna", "GET", path)[0] == 403
    assert people.call("ton", "GET", path)[0] == 200
    status, found = people.call("patrick", "GET", path)
    assert status == 200
    assert [(a["name"], a["status"], a["position"], a["pitch"]) for a in found["items"]] == [
        ("Mieke", "registered", None, "Data engineering, three days a week"),
        ("Bea", "registered", None, None),
        ("Anna", "waitlisted", 1, "UX research"),
    ]
    _, patrick_sees = people.call("patrick", "GET", f"/meetings/{meeting_id}")
    assert (patrick_sees["can_manage"], patrick_sees["organiser_name"]) == (True, "Patrick")
    too_long = sign_up(people, "patrick", meeting_id, "x" * 201)
    assert (too_long[0], too_long[1]["fields"][0]["field"]) == (400, "pitch")


def test_the_organiser_and_admins_edit_and_cancel_and_nobody_else(
    world: World, people: People
) -> None:
    meeting_id = plan(people, organiser_member_id=people.ids["patrick"])["id"]
    path = f"/meetings/{meeting_id}"
    sign_up(people, "mieke", meeting_id)

    assert people.call("anna", "PATCH", path, {"venue": "Elsewhere"})[0] == 403
    assert people.call("anna", "POST", f"{path}/cancel")[0] == 403
    status, moved = people.call(
        "patrick", "PATCH", path, {"venue": "B. Amsterdam", "city": "Amsterdam"}
    )
    assert (status, moved["venue"], moved["sequence"]) == (200, "B. Amsterdam", 1)
    handover = {"organiser_member_id": people.ids["anna"]}
    assert people.call("patrick", "PATCH", path, handover)[0] == 403
    assert (
        people.call("ton", "PATCH", path, {"organiser_member_id": None})[1]["organiser_member_id"]
        is None
    )
    assert people.call("ton", "PATCH", path, {})[0] == 400
    assert people.call("ton", "PATCH", path, {"title": None})[0] == 400
    late = people.call("ton", "PATCH", path, {"ends_at": "2026-06-18T17:00:00"})
    assert (late[0], late[1]["fields"][0]["field"]) == (400, "ends_at")

    status, cancelled = people.call("ton", "POST", f"{path}/cancel")

    assert (status, cancelled["status"], cancelled["sequence"]) == (200, "cancelled", 2)
    assert people.call("ton", "POST", f"{path}/cancel")[0] == 409
    assert people.call("ton", "PATCH", path, {"venue": "X"})[0] == 409
    assert sign_up(people, "anna", meeting_id)[0] == 409
    assert people.call("mieke", "DELETE", f"{path}/registration")[0] == 409


def test_invitations_follow_the_preference_and_notices_reach_everyone_signed_up_once(
    world: World, people: People
) -> None:
    people.call("anna", "PATCH", "/members/me", {"notify_meetings": False})
    people.call("bea", "PATCH", "/members/me", {"language": "en"})
    meeting_id = plan(people, capacity=1)["id"]

    status, report = people.call("ton", "POST", "/jobs/meeting-news")
    again = people.call("ton", "POST", "/jobs/meeting-news")[1]

    assert (status, report["meetings"], report["mailed"]) == (200, 1, 4)
    assert again["mailed"] == 0
    assert mails_to(world, "anna") == []
    [invitation] = [m for m in world.sent_mail() if m.to == "bea@example.nl"]
    assert invitation.subject == "Invitation: Personal branding, Thursday 18 June 2026 in Amsterdam"
    assert "Thursday 18 June 2026, 18:00\u201321:30" in invitation.text
    assert "Portrait photos for everyone" in invitation.text
    assert f"#/meetings/{meeting_id}" in invitation.html
    assert "#/profile" in invitation.text  # where to turn invitations off

    sign_up(people, "mieke", meeting_id)
    sign_up(people, "anna", meeting_id)  # waiting list, and does not want invitations
    change = {"starts_at": "2026-06-18T19:00:00", "ends_at": "2026-06-18T22:00:00"}
    people.call("ton", "PATCH", f"/meetings/{meeting_id}", change)
    people.call("ton", "PATCH", f"/meetings/{meeting_id}", {"capacity": 3})  # not news
    people.call("ton", "POST", "/jobs/meeting-news")
    people.call("ton", "POST", f"/meetings/{meeting_id}/cancel")
    people.call("ton", "POST", "/jobs/meeting-news")
    people.call("ton", "POST", "/jobs/meeting-news")

    for name in ("mieke", "anna"):
        notices = [s for s in mails_to(world, name) if not s.startswith("Er is een plek")]
        assert notices[-2:] == [
            "Gewijzigd: Personal branding, donderdag 18 juni 2026",
            "Afgelast: Personal branding, donderdag 18 juni 2026",
        ]
    assert not any(s.startswith(("Gewijzigd", "Changed")) for s in mails_to(world, "bea"))


def test_two_days_before_the_registered_are_reminded_once(world: World, people: People) -> None:
    meeting_id = plan(people, capacity=1)["id"]
    sign_up(people, "mieke", meeting_id)
    sign_up(people, "anna", meeting_id)  # waiting list: no reminder
    world.clock.set(datetime(2026, 6, 15, 8, tzinfo=UTC))
    early = people.call("ton", "POST", "/jobs/meeting-reminders")[1]
    world.clock.set(datetime(2026, 6, 16, 16, 30, tzinfo=UTC))

    status, report = people.call("ton", "POST", "/jobs/meeting-reminders")
    again = people.call("ton", "POST", "/jobs/meeting-reminders")[1]

    assert (early["meetings"], early["mailed"]) == (0, 0)
    assert (status, report["meetings"], report["mailed"], again["mailed"]) == (200, 1, 1, 0)
    assert mails_to(world, "mieke") == ["Herinnering: Personal branding, donderdag 18 juni 2026"]
    assert mails_to(world, "anna") == []
    assert people.call("mieke", "POST", "/jobs/meeting-reminders")[0] == 403


def test_the_board_is_warned_once_when_the_next_quarter_has_no_meeting_by_mid_quarter(
    world: World, people: People
) -> None:
    plan(people)  # in June: this quarter (2026-Q2) is covered, the next is not
    before_middle = people.call("ton", "POST", "/jobs/meeting-warning")[1]
    world.clock.set(datetime(2026, 5, 16, 7, tzinfo=UTC))  # Q2's middle is May 16

    status, report = people.call("ton", "POST", "/jobs/meeting-warning")
    again = people.call("ton", "POST", "/jobs/meeting-warning")[1]
    _, coverage = people.call("ton", "GET", "/meetings/coverage")

    assert (before_middle["warning_due"], before_middle["mailed"]) == (False, 0)
    assert (status, report["quarter"], report["warning_due"], report["mailed"]) == (
        200,
        "2026-Q3",
        True,
        1,
    )
    assert again["mailed"] == 0
    assert mails_to(world, "ton") == ["Nog geen bijeenkomst gepland voor 2026-Q3"]
    assert mails_to(world, "mieke") == []
    assert coverage == {
        "current": {"quarter": "2026-Q2", "meetings": 1},
        "next": {"quarter": "2026-Q3", "meetings": 0},
        "current_without_meeting": False,
        "next_needs_meeting": True,
        "warn_from": "2026-05-16",
    }
    assert people.call("mieke", "GET", "/meetings/coverage")[0] == 403
    plan(people, starts_at="2026-09-10T18:00:00", ends_at="2026-09-10T21:00:00")
    _, covered = people.call("ton", "GET", "/meetings/coverage")
    assert (covered["next"]["meetings"], covered["next_needs_meeting"]) == (1, False)


def test_a_cancelled_membership_releases_seats_and_the_waiting_list_moves_up(
    world: World, people: People
) -> None:
    first = plan(people, capacity=1)["id"]
    second = plan(
        people, capacity=1, starts_at="2026-06-25T18:00:00", ends_at="2026-06-25T21:00:00"
    )["id"]
    sign_up(people, "mieke", first)
    sign_up(people, "anna", first)
    sign_up(people, "bea", second)
    sign_up(people, "mieke", second)

    assert people.call("mieke", "POST", "/members/me/cancel")[0] == 200

    _, first_now = people.call("anna", "GET", f"/meetings/{first}")
    _, second_now = people.call("bea", "GET", f"/meetings/{second}")
    assert (first_now["my_status"], first_now["registered_count"], first_now["waitlist_count"]) == (
        "registered",
        1,
        0,
    )
    assert (second_now["registered_count"], second_now["waitlist_count"]) == (1, 0)
    assert len(mails_to(world, "anna")) == 1


def test_after_the_meeting_admins_mark_attendance_and_the_directory_shows_who_pitched(
    world: World, people: People
) -> None:
    meeting_id = plan(people, capacity=3, organiser_member_id=people.ids["patrick"])["id"]
    sign_up(people, "mieke", meeting_id, "Data engineering")
    sign_up(people, "anna", meeting_id, "UX research")
    sign_up(people, "bea", meeting_id)
    path = f"/meetings/{meeting_id}/attendance"
    came = {"member_ids": [people.ids["mieke"], people.ids["bea"]]}
    too_early = people.call("ton", "POST", path, came)
    world.clock.set(datetime(2026, 6, 18, 20, tzinfo=UTC))

    assert people.call("patrick", "POST", path, came)[0] == 403
    stranger = people.call("ton", "POST", path, {"member_ids": [people.ids["patrick"]]})
    status, marked = people.call("ton", "POST", path, came)

    assert too_early[0] == 409
    assert (stranger[0], stranger[1]["fields"][0]["field"]) == (400, "member_ids")
    assert status == 200
    assert {a["name"]: a["attended"] for a in marked["items"]} == {
        "Mieke": True,
        "Anna": False,
        "Bea": True,
    }
    _, meeting = people.call("anna", "GET", f"/meetings/{meeting_id}")
    _, past = people.call("anna", "GET", "/meetings?when=past")
    assert meeting["status"] == "held"
    assert [m["id"] for m in past["items"]] == [meeting_id]
    _, directory = people.call("anna", "GET", "/members")
    pitched = {
        m["name"]: m["last_meeting_pitch"]
        for m in directory["items"]
        if m["pitched_at_last_meeting"]
    }
    assert pitched == {"Mieke": "Data engineering"}  # Anna pitched but did not come


def test_a_later_meeting_replaces_the_pitches_in_the_directory(
    world: World, people: People
) -> None:
    first = plan(people, capacity=5)["id"]
    sign_up(people, "mieke", first, "Data engineering")
    second = plan(
        people, capacity=5, starts_at="2026-06-25T18:00:00", ends_at="2026-06-25T21:00:00"
    )["id"]
    sign_up(people, "anna", second, "UX research")
    world.clock.set(datetime(2026, 6, 20, tzinfo=UTC))
    _, after_first = people.call("bea", "GET", "/members")
    world.clock.advance(timedelta(days=10))
    _, after_second = people.call("bea", "GET", "/members")

    def pitches(page: dict[str, Any]) -> dict[str, str]:
        return {
            m["name"]: m["last_meeting_pitch"] for m in page["items"] if m["last_meeting_pitch"]
        }

    assert pitches(after_first) == {"Mieke": "Data engineering"}
    assert pitches(after_second) == {"Anna": "UX research"}
