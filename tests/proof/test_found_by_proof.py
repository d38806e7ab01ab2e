"""Regressions for what the proof tests found (issue 13)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from chalice.test import Client

from app import app
from chalicelib.services.opportunities import NewOpportunity
from tests.conftest import ROOT, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def fail_next_dynamodb_call(world: World, error: Exception) -> None:
    fired: list[bool] = []

    def fail(**_: Any) -> None:
        if not fired:
            fired.append(True)
            raise error

    world.services.table.client.meta.events.register("before-call.dynamodb", fail)


@pytest.mark.parametrize(
    "error",
    [
        ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "GetItem"),  # type: ignore[typeddict-item]
        ClientError(
            {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "x"}},  # type: ignore[typeddict-item]
            "GetItem",
        ),
        ReadTimeoutError(endpoint_url="https://dynamodb.eu-west-1.amazonaws.com"),
    ],
    ids=["throttled", "over capacity", "timed out"],
)
def test_aws_busy_or_unreachable_is_a_503_to_retry_not_a_500(
    world: World, client: Client, error: Exception
) -> None:
    """Found by fault injection: a throttled DynamoDB call answered 500 'something went wrong
    on our side', though sending the same request again is all a client needs to do."""
    world.member("Anna", "anna@example.nl")
    headers = world.headers("anna@example.nl")
    fail_next_dynamodb_call(world, error)

    response = client.http.get("/members/me", headers=headers)

    assert response.status_code == 503
    assert json.loads(response.body)["error"] == "unavailable"
    assert response.headers["Retry-After"] == "1"
    assert client.http.get("/members/me", headers=headers).status_code == 200


def test_an_unexpected_aws_error_is_still_a_500(world: World, client: Client) -> None:
    world.member("Anna", "anna@example.nl")
    headers = world.headers("anna@example.nl")
    fail_next_dynamodb_call(
        world,
        ClientError({"Error": {"Code": "ValidationException", "Message": "bug"}}, "GetItem"),  # type: ignore[typeddict-item]
    )

    assert client.http.get("/members/me", headers=headers).status_code == 500


def test_approving_a_claim_again_answers_the_approval(world: World, client: Client) -> None:
    """Found by fault injection: an admin whose approval answer was lost and who sent it again
    got a 409 'it is approved' for an approval that had succeeded."""
    world.member("Ton", "ton@example.nl", admin=True)
    anna = world.member("Anna", "anna@example.nl")
    claim = world.services.coins.file_claim(anna, "publicity", "radio", None)
    path, admin = f"/coins/claims/{claim.id}/approve", world.headers("ton@example.nl")

    first = client.http.post(path, body=json.dumps({"coins": 5}), headers=admin | _json())
    again = client.http.post(path, body=json.dumps({"coins": 5}), headers=admin | _json())
    other = client.http.post(path, body=json.dumps({"coins": 6}), headers=admin | _json())

    assert (first.status_code, again.status_code, other.status_code) == (200, 200, 409)
    assert json.loads(again.body) == json.loads(first.body)
    assert world.services.coins.coins_of(anna, 2026).total == 5


def test_closing_again_with_the_same_outcome_answers_the_close(world: World) -> None:
    patrick = world.member("Patrick", "patrick@example.nl")
    anna = world.member("Anna", "anna@example.nl")
    ops = world.services.opportunities
    form = NewOpportunity("Tender", "d", ("data",), None, None, None, None, False)
    opportunity = ops.post(form, patrick, is_admin=False)
    ops.record_conversation(opportunity.id, anna, date(2026, 5, 4), patrick, is_admin=False)

    first = ops.close(opportunity.id, "no_deal", patrick, is_admin=False)
    again = ops.close(opportunity.id, "no_deal", patrick, is_admin=False)

    assert again == first
    assert world.services.coins.coins_of(patrick, 2026).total == 3  # once


def test_invalid_json_says_where_and_why(client: Client) -> None:
    body = b'{"name": "Fleur \\ud800 M", "email": "f@example.nl"}'

    response = client.http.post("/applications", body=body, headers=_json())

    [field] = json.loads(response.body)["fields"]
    assert response.status_code == 400
    assert (field["field"], field["code"]) == ("body", "not_json")
    assert "(regel 1, kolom 23)" in field["message"]  # where, in Dutch


def _json() -> dict[str, str]:
    return {"Content-Type": "application/json"}
