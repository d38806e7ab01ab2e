"""The vocabulary through the API: anyone reads it (the apply form offers it), admins extend
it, and every place a discipline or sector is typed or filtered on knows all its names."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.conftest import ROOT, World
from tests.intake_helpers import corpus, deliver, make_bucket, people


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def call(
    client: Client, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None
) -> tuple[int, Any]:
    response = client.http.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers=(headers or {}) | {"Content-Type": "application/json"},
    )
    return response.status_code, json.loads(response.body)


def test_anyone_reads_the_vocabulary_labelled_in_their_language(client: Client) -> None:
    status, dutch = call(client, "GET", "/vocabulary")
    _, english = call(client, "GET", "/vocabulary", {"Accept-Language": "en"})

    assert status == 200
    ux = next(t for t in dutch["disciplines"] if t["id"] == "ux-design")
    assert ux["label"] == "UX-ontwerp"
    assert "ux'er" in ux["names"] and "ux designer" in ux["names"]
    assert next(t for t in english["disciplines"] if t["id"] == "ux-design")["label"] == "UX design"
    care = next(t for t in dutch["sectors"] if t["id"] == "healthcare")
    assert care["label"] == "Zorg" and "zorg" in care["names"]


def test_admins_add_names_and_terms_and_members_may_not(world: World, client: Client) -> None:
    world.member("Ton", "ton@example.nl", admin=True)
    world.member("Mieke", "mieke@example.nl")
    admin, member = world.headers("ton@example.nl"), world.headers("mieke@example.nl")
    synonym = {"kind": "discipline", "name": "Gebruiksonderzoeker", "term": "UX"}
    new = {"kind": "sector", "name": "Circulaire economie", "label_en": "Circular economy"}

    status, term = call(client, "POST", "/vocabulary/terms", admin, synonym)
    created = call(client, "POST", "/vocabulary/terms", admin, new)
    taken = call(client, "POST", "/vocabulary/terms", admin, {"kind": "sector", "name": "Zorg"})
    unknown = call(client, "POST", "/vocabulary/terms", admin, synonym | {"term": "Bakken"})
    refused = call(client, "POST", "/vocabulary/terms", member, new)
    _, everything = call(client, "GET", "/vocabulary")

    assert status == 201 and term["id"] == "ux-design"
    assert "Gebruiksonderzoeker" in term["names"]
    assert created[0] == 201 and created[1]["id"] == "circulaire-economie"
    assert created[1]["label_nl"] == "Circulaire economie"
    assert created[1]["label_en"] == "Circular economy" and not created[1]["built_in"]
    assert taken[0] == 409 and taken[1]["error"] == "vocabulary_name_taken"
    assert unknown[0] == 404
    assert refused[0] == 403
    assert "circulaire-economie" in {t["id"] for t in everything["sectors"]}
    # what admins added is known everywhere from now on
    status, profile = call(
        client, "PATCH", "/members/me", member, {"disciplines": ["gebruiksonderzoekers"]}
    )
    assert (status, profile["disciplines"]) == (200, ["ux-design"])


def test_a_typed_discipline_is_stored_as_the_known_one_and_a_common_word_refused(
    world: World, client: Client
) -> None:
    world.member("Mieke", "mieke@example.nl")
    member = world.headers("mieke@example.nl")
    typed = {"disciplines": ["UX-ontwerper", "Projectleider", "Duurzaamheid"], "sectors": ["Zorg"]}

    status, profile = call(client, "PATCH", "/members/me", member, typed)
    refused = call(client, "PATCH", "/members/me", member, {"disciplines": ["data", "de"]})
    applied = call(
        client,
        "POST",
        "/applications",
        None,
        {
            "name": "Gijs",
            "email": "gijs@example.nl",
            "disciplines": ["en", "scrum master"],
            "years_experience": 9,
        },
    )

    assert status == 200
    assert profile["disciplines"] == ["ux-design", "project-management", "duurzaamheid"]
    assert profile["sectors"] == ["healthcare"]
    assert refused[0] == 400
    assert [(f["field"], f["code"]) for f in refused[1]["fields"]] == [
        ("disciplines.1", "not_a_discipline")
    ]
    assert "\u201cde\u201d is geen discipline" in refused[1]["fields"][0]["message"]
    assert applied[0] == 400
    assert [f["field"] for f in applied[1]["fields"]] == ["disciplines.0"]


def test_filters_find_a_discipline_by_any_of_its_names(world: World, client: Client) -> None:
    world.member("Sanne", "sanne@example.nl", disciplines=["UX designer"])
    world.member("Bea", "bea@example.nl", disciplines=["data-engineering"])
    sanne = world.headers("sanne@example.nl")
    bea = world.headers("bea@example.nl")
    posted = {"title": "App", "description": "Een zorgapp", "disciplines": ["UX-ontwerp"]}
    _, opportunity = call(client, "POST", "/opportunities", bea, posted)

    for wanted in ("UX", "ux-design", "UX'er", "ux designers"):
        _, members = call(client, "GET", f"/members?discipline={wanted}", sanne)
        _, found = call(client, "GET", f"/opportunities?discipline={wanted}", sanne)
        assert [m["name"] for m in members["items"]] == ["Sanne"], wanted
        assert [o["id"] for o in found["items"]] == [opportunity["id"]], wanted
    _, nobody = call(client, "GET", "/members?discipline=scrum", sanne)
    assert nobody["items"] == []
    assert opportunity["disciplines"] == ["ux-design"]


def test_a_referrer_adds_disciplines_to_a_mailed_in_opportunity(
    world: World, client: Client
) -> None:
    make_bucket()
    members = people(world)
    outcome = deliver(world, corpus("no_discipline.eml"))  # a bakery: nothing recognised
    mieke, sanne = world.headers("mieke@example.nl"), world.headers("sanne@example.nl")
    path = f"/opportunities/{outcome.opportunity_id}"

    _, before = call(client, "GET", path, mieke)
    status, changed = call(
        client, "PUT", f"{path}/disciplines", mieke, {"disciplines": ["Scrummaster"]}
    )
    other = call(client, "PUT", f"{path}/disciplines", sanne, {"disciplines": ["legal"]})

    assert before["disciplines"] == [] and before["referrer_id"] == members["mieke"]
    assert (status, changed["disciplines"]) == (200, ["agile-coaching"])
    assert other[0] == 403
