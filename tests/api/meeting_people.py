"""People and a meeting for the meeting tests: five members (Ton is admin) calling the API."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client

from tests.conftest import World

NAMES = ("ton", "patrick", "mieke", "anna", "bea")


class People:
    def __init__(self, world: World, client: Client) -> None:
        self.world = world
        self.client = client
        self.ids: dict[str, str] = {}
        self.headers: dict[str, dict[str, str]] = {}
        for name in NAMES:
            email = f"{name}@example.nl"
            self.ids[name] = world.member(name.title(), email, admin=name == "ton")
            self.headers[name] = world.headers(email)

    def call(self, who: str | None, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        response = self.client.http.request(
            method,
            path,
            body=json.dumps(body) if body is not None else None,
            headers={"Content-Type": "application/json", **(self.headers[who] if who else {})},
        )
        ok_json = response.headers.get("Content-Type", "").startswith("application/json")
        return response.status_code, json.loads(response.body) if ok_json else response.body


MEETING = {
    "title": "Personal branding",
    "theme": "Portrait photos for everyone",
    "starts_at": "2026-06-18T18:00:00",  # Amsterdam summer time: 16:00 UTC
    "ends_at": "2026-06-18T21:30:00",
    "venue": "Pakhuis de Zwijger",
    "address": "Piet Heinkade 179",
    "city": "Amsterdam",
    "capacity": 2,
    "description": "A photographer takes everyone's portrait.",
}


def plan(people: People, **overrides: Any) -> dict[str, Any]:
    status, meeting = people.call("ton", "POST", "/meetings", MEETING | overrides)
    assert status == 201, meeting
    return dict(meeting)


def sign_up(people: People, who: str, meeting_id: str, pitch: str | None = None) -> Any:
    body = {"pitch": pitch} if pitch is not None else {}
    return people.call(who, "POST", f"/meetings/{meeting_id}/registration", body)
