"""Meetings against the local runtime over real HTTP: simultaneous sign-ups for the last seat
(conditional writes decide; never two on one seat), the waiting list moving up, the feed URL."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.test_local_http import Runtime, admin_token

MEETING = {
    "title": "Kwartaalbijeenkomst",
    "starts_at": "2036-06-18T18:00:00",  # far ahead of the runtime's real clock
    "ends_at": "2036-06-18T21:00:00",
    "venue": "De Hallen",
    "address": "Hannie Dankbaarpassage 10",
    "city": "Amsterdam",
    "capacity": 1,
}


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    running = Runtime(tmp_path_factory.mktemp("local"))
    running.start()
    try:
        yield running
    finally:
        if running.process and running.process.poll() is None:
            running.stop()


@pytest.fixture(scope="module")
def tokens(runtime: Runtime) -> dict[str, str]:
    members = [u for u in runtime.info["users"] if u["role"] == "member"]
    found = {u["email"]: runtime.login(u["email"], u["password"]) for u in members}
    found["admin"] = admin_token(runtime)
    return found


def at_once(calls: list[Any]) -> list[tuple[int, Any]]:
    """Runs the calls on threads released together; answers in the order of `calls`."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, Any]] = [(0, None)] * len(calls)

    def run(n: int) -> None:
        barrier.wait()
        results[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def plan(runtime: Runtime, tokens: dict[str, str], capacity: int) -> str:
    status, meeting = runtime.call(
        "POST", "/meetings", MEETING | {"capacity": capacity}, tokens["admin"]
    )
    assert status == 201, meeting
    return str(meeting["id"])


def sign_up_call(runtime: Runtime, meeting_id: str, token: str) -> Any:
    path = f"/meetings/{meeting_id}/registration"
    return lambda: runtime.call("POST", path, {"pitch": "Interim work"}, token)


def test_two_members_taking_the_last_seat_at_once_one_gets_it_the_other_waits_first(
    runtime: Runtime, tokens: dict[str, str]
) -> None:
    members = [t for email, t in tokens.items() if email != "admin"]
    for _ in range(5):  # the race, several times over
        meeting_id = plan(runtime, tokens, capacity=1)
        answers = at_once([sign_up_call(runtime, meeting_id, t) for t in members[:2]])

        assert all(status == 201 for status, _ in answers), answers
        outcomes = sorted((a["status"], a["position"]) for _, a in answers)
        assert outcomes == [("registered", None), ("waitlisted", 1)]
        _, meeting = runtime.call("GET", f"/meetings/{meeting_id}", token=tokens["admin"])
        assert (meeting["registered_count"], meeting["waitlist_count"]) == (1, 1)


def test_a_crowd_for_one_seat_forms_one_waiting_list_that_moves_up(
    runtime: Runtime, tokens: dict[str, str]
) -> None:
    emails = [e for e in tokens if e != "admin"]
    meeting_id = plan(runtime, tokens, capacity=1)
    answers = at_once([sign_up_call(runtime, meeting_id, tokens[e]) for e in emails])
    by_email = {e: a for e, (_, a) in zip(emails, answers, strict=True)}
    [holder] = [e for e, a in by_email.items() if a["status"] == "registered"]
    waiting = sorted((a["position"], e) for e, a in by_email.items() if a["status"] == "waitlisted")
    assert [p for p, _ in waiting] == list(range(1, len(emails)))

    # the seat holder leaves while the last in line leaves too, at the same moment
    last = waiting[-1][1]
    path = f"/meetings/{meeting_id}/registration"
    left = at_once(
        [
            lambda: runtime.call("DELETE", path, token=tokens[holder]),
            lambda: runtime.call("DELETE", path, token=tokens[last]),
        ]
    )

    assert [status for status, _ in left] == [200, 200]
    _, attendees = runtime.call("GET", f"/meetings/{meeting_id}/attendees", token=tokens["admin"])
    registered = [a["email"] for a in attendees["items"] if a["status"] == "registered"]
    still_waiting = [a["email"] for a in attendees["items"] if a["status"] == "waitlisted"]
    assert registered == [waiting[0][1]]  # the first in line moved up
    assert still_waiting == [e for _, e in waiting[1:-1]]
    _, meeting = runtime.call("GET", f"/meetings/{meeting_id}", token=tokens["admin"])
    assert (meeting["registered_count"], meeting["waitlist_count"]) == (1, len(still_waiting))


def test_the_feed_url_points_at_this_api_and_serves_a_calendar_without_signing_in(
    runtime: Runtime, tokens: dict[str, str]
) -> None:
    token = next(t for e, t in tokens.items() if e != "admin")
    status, link = runtime.call("GET", "/members/me/calendar", token=token)
    assert status == 200
    assert link["url"].startswith(runtime.info["api_url"] + "/calendar/")

    with urllib.request.urlopen(link["url"], timeout=30) as response:
        body = response.read().decode()
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in body  # the meetings this member signed up for above
