"""Errors in words a member understands, in their language (SPEC 2, conventions).

Every error body is `{error, message, fields[{field, code, message}]}`: stable codes, and
messages in the caller's language (their profile's, else Accept-Language, else Dutch) without
patterns, cents, URL-encoding, account keys or internal ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from chalice.test import Client

from app import app
from chalicelib.api.errors import from_unexpected
from chalicelib.api.framework import ENDPOINTS, EndpointSpec, model_named
from tests.conftest import ROOT, World

BAD_APPLICATION = {
    "name": "Fleur Mulder",
    "email": "fleur-at-example.nl",
    "disciplines": ["ux-design"],
    "years_experience": 7.5,
}


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def call(
    client: Client,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any], dict[str, str]]:
    response = client.http.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    return response.status_code, json.loads(response.body), response.headers


def by_field(answer: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {f["field"]: (f["code"], f["message"]) for f in answer["fields"]}


def test_a_wrong_application_is_answered_in_dutch_by_default(client: Client) -> None:
    status, answer, headers = call(client, "POST", "/applications", BAD_APPLICATION)

    assert status == 400
    assert answer["error"] == "invalid_input"
    assert answer["message"] == "Controleer e-mailadres en jaren werkervaring."
    assert by_field(answer) == {
        "email": ("not_an_email", "Vul een geldig e-mailadres in."),
        "years_experience": ("not_a_whole_number", "Vul een heel aantal jaren in."),
    }
    assert headers["Content-Language"] == "nl"


@pytest.mark.parametrize(
    "accept_language", ["en", "en-GB,en;q=0.9,nl;q=0.8", "de-DE, en;q=0.5", "nl;q=0.1, en"]
)
def test_a_browser_asking_for_english_gets_english(client: Client, accept_language: str) -> None:
    status, answer, headers = call(
        client, "POST", "/applications", BAD_APPLICATION, {"Accept-Language": accept_language}
    )

    assert status == 400
    assert answer["message"] == "Check e-mail address and years of experience."
    assert by_field(answer)["email"] == ("not_an_email", "Enter a valid e-mail address.")
    assert headers["Content-Language"] == "en"


@pytest.mark.parametrize("accept_language", ["", "de", "fr-FR,de;q=0.8", "en;q=0", "*", "nl"])
def test_any_other_browser_gets_dutch(client: Client, accept_language: str) -> None:
    _, answer, _ = call(
        client, "POST", "/applications", BAD_APPLICATION, {"Accept-Language": accept_language}
    )

    assert answer["message"] == "Controleer e-mailadres en jaren werkervaring."


def test_the_profile_language_wins_over_the_browsers(world: World, client: Client) -> None:
    world.member("Anna", "anna@example.nl")
    world.member("Bram", "bram@example.nl")
    anna, bram = world.headers("anna@example.nl"), world.headers("bram@example.nl")
    assert call(client, "PATCH", "/members/me", {"language": "en"}, anna)[0] == 200

    _, in_english, _ = call(
        client, "PATCH", "/members/me", {"available": "yes"}, anna | {"Accept-Language": "nl"}
    )
    _, in_dutch, _ = call(
        client, "PATCH", "/members/me", {"available": "yes"}, bram | {"Accept-Language": "en"}
    )

    assert by_field(in_english) == {"available": ("not_yes_or_no", "Choose yes or no.")}
    assert by_field(in_dutch) == {"available": ("not_yes_or_no", "Kies ja of nee.")}


def test_not_signed_in_is_told_in_the_browsers_language(client: Client) -> None:
    dutch = call(client, "GET", "/members/me")
    english = call(client, "GET", "/members/me", headers={"Accept-Language": "en"})

    assert (dutch[0], dutch[1]["error"], english[0], english[1]["error"]) == (
        401,
        "unauthenticated",
        401,
        "unauthenticated",
    )
    assert dutch[1]["message"] == "Je bent niet (meer) ingelogd. Log in en probeer het opnieuw."
    assert english[1]["message"] == "You are not signed in (any more). Sign in and try again."


def test_a_member_on_an_admin_route_is_told_in_their_language(world: World, client: Client) -> None:
    world.member("Anna", "anna@example.nl")
    anna = world.headers("anna@example.nl")

    status, answer, _ = call(client, "GET", "/applications?status=pending", headers=anna)

    assert (status, answer["error"]) == (403, "admins_only")
    assert answer["message"] == "Dit mag alleen een beheerder."


def test_an_unknown_opportunity_is_named_in_words_not_echoed(world: World, client: Client) -> None:
    world.member("Anna", "anna@example.nl")
    anna = world.headers("anna@example.nl")

    status, answer, _ = call(client, "GET", "/opportunities/doesnotexist%20really", headers=anna)

    assert (status, answer["error"]) == (404, "opportunity_not_found")
    assert answer["message"] == "Deze kans bestaat niet (meer)."


def test_a_payout_above_what_is_owed_speaks_money_and_names_the_member(
    world: World, client: Client
) -> None:
    world.member("Ton", "ton@example.nl", admin=True)
    anna = world.member("Anna de Vries", "anna@example.nl")
    admin = world.headers("ton@example.nl")
    payout = {"amount_cents": 500_000, "received_on": "2026-05-01", "reference": "UIT 2026/1"}

    dutch = call(client, "POST", f"/members/{anna}/payouts", payout, admin)
    assert call(client, "PATCH", "/members/me", {"language": "en"}, admin)[0] == 200
    english = call(client, "POST", f"/members/{anna}/payouts", payout, admin)

    assert (dutch[0], dutch[1]["error"]) == (409, "payout_above_owed")
    assert dutch[1]["message"] == (
        "Het bedrag (€ 5.000,00) is meer dan het collectief Anna de Vries verschuldigd is (€ 0,00)."
    )
    assert english[1]["message"] == (
        "The amount (€5,000.00) is more than the collective owes Anna de Vries (€0.00)."
    )


def test_chalices_own_refusals_speak_the_callers_language(client: Client) -> None:
    response = client.http.post(
        "/applications",
        body="name=x",
        headers={"Content-Type": "text/plain", "Accept-Language": "en"},
    )
    answer = json.loads(response.body)

    assert (response.status_code, answer["error"]) == (415, "unsupported_media_type")
    assert answer["message"].startswith("We cannot read what you sent")
    assert answer["fields"] == []


# Many wrong inputs over the whole API: no message a person reads is machine talk ------------

MACHINE_TALK = [
    (re.compile(r"\^|\[\^|\\[sdwSDW]|\]\+|\]\*|\.\*|\(\?|\{\d+,\d*\}"), "regex syntax"),
    (re.compile(r"\bcents?\b", re.IGNORECASE), "cents"),
    (re.compile(r"\bmember:"), "an account key"),
    (re.compile(r"%[0-9A-Fa-f]{2}"), "URL-encoding"),
    (re.compile(r"\b[0-9a-f]{32}\b"), "a 32-hex id"),
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{16}\b"), "a member id"),
    (
        re.compile(r"Input should|String should|Field required|Value error|validation error"),
        "pydantic's English",
    ),
    (re.compile(r"^[a-z]+(_[a-z]+)+$"), "a bare code"),
]
CODE = re.compile(r"^[a-z]+(_[a-z]+)*$")
HEX_ID = "0123456789abcdef0123456789abcdef"
PATH_VALUES = ["doesnotexist", "abc%20def", HEX_ID, "0123456789abcdef", "2026", "2026-Q2", "é"]
BAD_VALUES: list[Any] = [
    None,
    True,
    -1,
    0,
    7.5,
    10**30,
    "",
    "x",
    "not-an-e-mail",
    "2026-13-45",
    "a\u202eb",
    "y" * 5000,
    [],
    {},
    ["x"],
]
QUERY_VALUES = ["", "-5", "abc", "abc%20def", HEX_ID, "1000000", "2026-13-45"]


def bad_bodies(spec: EndpointSpec) -> Iterator[Any]:
    names = list(model_named(spec.body).model_fields) if spec.body else []
    yield {}
    yield {"bogus": 1}
    yield [1, 2]
    for value in BAD_VALUES:
        yield {name: _bad_for(name, value) for name in names}


def _bad_for(name: str, value: Any) -> Any:
    """An id field gets an id that names nothing (it must not be echoed)."""
    if name.endswith("_ids"):
        return [HEX_ID, "0123456789abcdef"] if isinstance(value, list) else value
    if name.endswith("_id") and isinstance(value, str):
        return HEX_ID
    return value


def machine_talk(text: str) -> list[str]:
    return [why for pattern, why in MACHINE_TALK if pattern.search(text)]


@pytest.mark.parametrize("spec", ENDPOINTS, ids=lambda s: f"{s.method} {s.path}")
def test_no_error_message_is_machine_talk(world: World, client: Client, spec: EndpointSpec) -> None:
    if not world.services.members_store.member_id_for_email("ton@example.nl"):
        world.member("Ton", "ton@example.nl", admin=True)
    admin = world.headers("ton@example.nl")
    requests: list[tuple[str, Any]] = []
    for number, value in enumerate(PATH_VALUES):
        path = re.sub(r"{\w+}", value, spec.path)
        if spec.query is not None:
            names = [*model_named(spec.query).model_fields, "bogus"]
            name = names[number % len(names)]
            path += f"?{name.rstrip('_')}={QUERY_VALUES[number % len(QUERY_VALUES)]}"
        requests.append((path, None))
    if spec.body is not None:
        path = re.sub(r"{\w+}", "doesnotexist", spec.path)
        requests.extend((path, body) for body in bad_bodies(spec))

    errors = 0
    for path, body in requests:
        for language in ("nl", "en"):
            headers = admin | {"Content-Type": "application/json", "Accept-Language": language}
            raw = json.dumps(body) if body is not None else None
            response = client.http.request(spec.method, path, body=raw, headers=headers)
            if response.status_code < 400 or response.headers.get("Content-Type") != (
                "application/json"
            ):
                continue
            errors += 1
            answer = json.loads(response.body)
            where = (spec.method, path, body, answer)
            assert set(answer) == {"error", "message", "fields"}, where
            assert CODE.match(answer["error"]), where
            assert answer["message"] and not machine_talk(answer["message"]), (
                machine_talk(answer["message"]),
                where,
            )
            for field in answer["fields"]:
                assert set(field) == {"field", "code", "message"}, where
                assert CODE.match(field["code"]), where
                assert field["message"] and not machine_talk(field["message"]), (
                    machine_talk(field["message"]),
                    where,
                )
    if spec.body is not None or "{" in spec.path:
        assert errors > 0  # a route taking a body or an id refuses some of these


@pytest.mark.parametrize(
    ("error", "status", "code", "dutch", "english"),
    [
        (
            ClientError({"Error": {"Code": "ThrottlingException"}}, "Query"),
            503,
            "unavailable",
            "Het is even te druk. Probeer het over een paar seconden opnieuw.",
            "It is busy for a moment. Try again in a few seconds.",
        ),
        (
            RuntimeError("boom at member:abc:owes"),
            500,
            "internal",
            "Er ging bij ons iets mis. Probeer het later opnieuw.",
            "Something went wrong on our side. Try again later.",
        ),
    ],
)
def test_what_goes_wrong_on_our_side_is_told_in_both_languages(
    error: Exception, status: int, code: str, dutch: str, english: str
) -> None:
    in_dutch, in_english = from_unexpected(error, "nl"), from_unexpected(error, "en")

    assert (in_dutch.status_code, in_english.status_code) == (status, status)
    assert json.loads(in_dutch.body) == {"error": code, "message": dutch, "fields": []}
    assert json.loads(in_english.body) == {"error": code, "message": english, "fields": []}
