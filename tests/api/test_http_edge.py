"""The HTTP edge: one error shape for every answer, CORS for the web app, a valid OpenAPI 3.1."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from chalice.test import Client
from openapi_spec_validator import validate

from app import app
from tests.conftest import ROOT, WEB_ORIGIN, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def test_a_method_the_path_does_not_declare_is_a_405_in_the_apps_shape(client: Client) -> None:
    response = client.http.request("DELETE", "/health")

    assert response.status_code == 405
    assert json.loads(response.body)["error"] == "method_not_allowed"
    assert "Code" not in json.loads(response.body)
    assert "GET" in response.headers["Allow"]


def test_a_body_that_is_not_json_is_a_415_in_the_apps_shape(client: Client) -> None:
    response = client.http.post(
        "/applications", body="name=x", headers={"Content-Type": "text/plain"}
    )

    assert response.status_code == 415
    body = json.loads(response.body)
    assert body["error"] == "unsupported_media_type"
    assert "application/json" in body["message"]


def test_an_oversized_body_is_a_413_naming_the_limit(client: Client) -> None:
    huge = json.dumps({"name": "x" * 300_000})

    response = client.http.post(
        "/applications", body=huge, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    answer = json.loads(response.body)
    assert answer["error"] == "payload_too_large"
    assert "256 kB" in answer["message"]  # Dutch by default


def test_the_web_apps_origin_may_read_answers_and_others_may_not(client: Client) -> None:
    allowed = client.http.get("/health", headers={"Origin": WEB_ORIGIN})
    other = client.http.get("/health", headers={"Origin": "https://evil.example"})

    assert allowed.headers["Access-Control-Allow-Origin"] == WEB_ORIGIN
    assert "Access-Control-Allow-Origin" not in other.headers
    assert allowed.headers["Vary"] == "Origin"


def test_errors_carry_cors_headers_too(client: Client) -> None:
    response = client.http.get("/members/me", headers={"Origin": WEB_ORIGIN})

    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == WEB_ORIGIN


def test_a_preflight_from_the_web_app_names_the_paths_methods(client: Client) -> None:
    response = client.http.request(
        "OPTIONS",
        "/members/me",
        headers={"Origin": WEB_ORIGIN, "Access-Control-Request-Method": "PATCH"},
    )

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == WEB_ORIGIN
    methods = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "PATCH", "OPTIONS"} <= methods
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_a_preflight_from_another_origin_gets_no_permission(client: Client) -> None:
    response = client.http.request(
        "OPTIONS", "/members/me", headers={"Origin": "https://evil.example"}
    )

    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_openapi_document_is_valid_openapi_3_1(client: Client) -> None:
    document = json.loads(client.http.get("/openapi.json").body)

    validate(document)  # raises on any error

    assert document["openapi"] == "3.1.0"


def test_the_openapi_document_lists_every_status_a_route_can_answer(client: Client) -> None:
    paths = json.loads(client.http.get("/openapi.json").body)["paths"]

    assert {"400", "401", "403", "409"} <= set(
        paths["/jobs/distributions/{year}"]["post"]["responses"]
    )
    assert "400" in paths["/pots/{year}"]["get"]["responses"]
    assert "404" in paths["/members/{member_id}"]["get"]["responses"]
    assert {"413", "415"} <= set(paths["/applications"]["post"]["responses"])
