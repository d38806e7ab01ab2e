"""What operations sees: one JSON log line per request without secrets, metrics for money."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from chalice.test import Client

from app import app
from chalicelib import observability
from tests.conftest import PASSWORD, ROOT, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def test_each_request_logs_its_route_caller_and_outcome_as_json(
    world: World, client: Client
) -> None:
    member = world.member("Anna", "anna@example.nl")
    token = world.token("anna@example.nl")
    stream = io.StringIO()
    handler = logging.getLogger("coop").handlers[0]
    original = handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        client.http.get("/members/me", headers={"Authorization": f"Bearer {token}"})
        client.http.get("/members/me", headers={"Authorization": "Bearer nonsense"})
    finally:
        handler.setStream(original)  # type: ignore[attr-defined]

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    requests = [line for line in lines if line["message"] == "request"]
    assert [(r["route"], r["status"], r["outcome"]) for r in requests] == [
        ("GET /members/me", 200, "ok"),
        ("GET /members/me", 401, "unauthenticated"),
    ]
    assert requests[0]["member_id"] == member
    assert all("request_id" in r and r["service"] == "coop" for r in requests)
    everything = stream.getvalue()
    for secret in (token, "anna@example.nl", PASSWORD, "nonsense"):
        assert secret not in everything


def test_fees_dues_and_payouts_are_counted_as_metrics(world: World) -> None:
    before = observability.recorded().copy()
    patrick = world.member("Patrick", "patrick@example.nl")
    mieke = world.member("Mieke", "mieke@example.nl")
    world.fill_pot(patrick, mieke, 2_000_000)  # fee 300000
    claim = world.services.coins.file_claim(mieke, "publicity", "talk", None)
    world.services.coins.approve(claim.id, 2, patrick)
    world.clock.set(datetime(2026, 7, 1, 2, tzinfo=UTC))
    world.services.dues.run(world.services.dues.current_quarter())
    world.clock.set(datetime(2027, 1, 1, 2, tzinfo=UTC))
    world.services.distribution.run_through()

    counted = observability.recorded() - before
    assert counted["FeesBookedCents"] == 300_000
    assert counted["DuesCharged"] == 2
    assert counted["PayoutsBooked"] == 1


def test_an_unknown_metric_name_is_a_bug_not_an_empty_graph() -> None:
    with pytest.raises(ValueError):
        observability.count("FeesBooked")
