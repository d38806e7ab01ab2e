"""Meetings as iCalendar: the download, the private feed, its reset, and what calendars need
to update an event (stable UID, SEQUENCE, STATUS:CANCELLED, the Amsterdam timezone)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from chalice.test import Client
from icalendar import Calendar

from app import app
from tests.api.meeting_people import People, plan, sign_up
from tests.conftest import ROOT, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def people(world: World, client: Client) -> People:
    return People(world, client)


def ics(people: People, who: str | None, path: str) -> tuple[int, str, dict[str, str]]:
    headers = people.headers[who] if who else {}
    response = people.client.http.get(path, headers=headers)
    return response.status_code, response.body.decode(), dict(response.headers)


def events(body: str) -> list[Any]:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def feed_path(people: People, who: str, method: str = "GET", reset: bool = False) -> str:
    path = "/members/me/calendar/reset" if reset else "/members/me/calendar"
    status, link = people.call(who, "POST" if reset else "GET", path)
    assert status == 200
    url = link["url"]
    assert link["webcal_url"] == "webcal://" + url.partition("://")[2]
    return "/" + url.partition("://")[2].partition("/")[2]


def test_a_meeting_downloads_as_icalendar_with_its_local_time_and_timezone(
    people: People,
) -> None:
    meeting_id = plan(people)["id"]

    status, body, headers = ics(people, "mieke", f"/meetings/{meeting_id}/event.ics")

    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="meeting-{meeting_id}.ics"' in headers["Content-Disposition"]
    calendar = Calendar.from_ical(body)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"meeting-{meeting_id}@co-operations.nl"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART") == datetime(
        2026, 6, 18, 18, tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    assert event.decoded("DTEND").hour == 21
    assert (event["SUMMARY"], event["STATUS"], event["SEQUENCE"]) == (
        "Personal branding",
        "CONFIRMED",
        0,
    )
    assert event["LOCATION"] == "Pakhuis de Zwijger, Piet Heinkade 179, Amsterdam"
    assert f"#/meetings/{meeting_id}" in event["URL"]
    assert "\r\n" in body  # RFC 5545 line endings
    assert ics(people, None, f"/meetings/{meeting_id}/event.ics")[0] == 401
    assert ics(people, "mieke", "/meetings/nope/event.ics")[0] == 404


def test_a_change_raises_the_sequence_and_a_cancellation_marks_the_same_event_cancelled(
    people: People,
) -> None:
    meeting_id = plan(people)["id"]
    path = f"/meetings/{meeting_id}/event.ics"
    [before] = events(ics(people, "mieke", path)[1])
    people.call("ton", "PATCH", f"/meetings/{meeting_id}", {"starts_at": "2026-06-18T19:00:00"})
    [moved] = events(ics(people, "mieke", path)[1])
    people.call("ton", "POST", f"/meetings/{meeting_id}/cancel")
    [cancelled] = events(ics(people, "mieke", path)[1])

    assert before["UID"] == moved["UID"] == cancelled["UID"]
    assert (before["SEQUENCE"], moved["SEQUENCE"], cancelled["SEQUENCE"]) == (0, 1, 2)
    assert moved.decoded("DTSTART").hour == 19
    assert cancelled["STATUS"] == "CANCELLED"


def test_the_private_feed_holds_my_meetings_works_without_signing_in_and_resets(
    world: World, people: People
) -> None:
    registered = plan(people, capacity=1)["id"]
    waiting = plan(people, capacity=1, starts_at="2026-06-25T18:00", ends_at="2026-06-25T21:00")
    not_mine = plan(people, starts_at="2026-06-26T18:00", ends_at="2026-06-26T21:00")["id"]
    sign_up(people, "mieke", registered)
    sign_up(people, "anna", waiting["id"])
    sign_up(people, "mieke", waiting["id"])
    old = feed_path(people, "mieke")

    status, body, headers = ics(people, None, old)

    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Content-Disposition"].startswith("inline")
    found = {str(e["UID"]): e for e in events(body)}
    assert set(found) == {
        f"meeting-{registered}@co-operations.nl",
        f"meeting-{waiting['id']}@co-operations.nl",
    }
    assert f"meeting-{not_mine}@co-operations.nl" not in found
    tentative = found[f"meeting-{waiting['id']}@co-operations.nl"]
    assert (tentative["STATUS"], tentative["SUMMARY"]) == (
        "TENTATIVE",
        "(wachtlijst) Personal branding",
    )
    assert "Co-operations" in str(Calendar.from_ical(body)["X-WR-CALNAME"])
    assert feed_path(people, "mieke") == old  # the URL stays the same until reset

    new = feed_path(people, "mieke", reset=True)

    assert new != old
    assert ics(people, None, old)[0] == 404
    assert ics(people, None, new)[0] == 200
    forged = new.replace(people.ids["mieke"], people.ids["anna"])
    assert ics(people, None, forged)[0] == 404
    assert ics(people, None, "/calendar/garbage")[0] == 404


def test_unregistering_takes_the_meeting_out_of_the_feed(people: People) -> None:
    meeting_id = plan(people)["id"]
    sign_up(people, "mieke", meeting_id)
    path = feed_path(people, "mieke")
    assert len(events(ics(people, None, path)[1])) == 1

    people.call("mieke", "DELETE", f"/meetings/{meeting_id}/registration")

    assert events(ics(people, None, path)[1]) == []


def test_the_feed_url_comes_from_the_configured_api_url(world: World, people: People) -> None:
    from dataclasses import replace

    world.services.config = replace(world.services.config, api_url="https://api.example.nl/")
    status, link = people.call("mieke", "GET", "/members/me/calendar")

    assert status == 200
    assert link["url"].startswith("https://api.example.nl/calendar/")
    assert link["webcal_url"].startswith("webcal://api.example.nl/calendar/")
