"""The app never scans a table: a whole year over the API and every schedule makes many
DynamoDB calls and not one Scan (counted with botocore's before-call hook)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.conftest import ROOT, World
from tests.proof import summary
from tests.proof.flow import whole_flow


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def test_a_whole_year_makes_no_scan(world: World, client: Client) -> None:
    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    world.services.table.client.meta.events.register("before-call.dynamodb", count)

    whole_flow(world, client)

    assert sum(calls.values()) > 150 and calls["Query"] > 10, calls
    assert calls["Scan"] == 0, calls
    summary.add("DynamoDB calls in a year, no Scan", sum(calls.values()))
