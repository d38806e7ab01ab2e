"""Coin claims, pots and distributions through the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from chalice.test import Client

from app import app
from tests.conftest import ROOT, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def call(
    client: Client, method: str, path: str, headers: dict[str, str], body: Any = None
) -> tuple[int, Any]:
    response = client.http.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers={"Content-Type": "application/json", **headers},
    )
    return response.status_code, json.loads(response.body)


def test_claims_pots_and_distribution(world: World, client: Client) -> None:
    world.member("Ton", "ton@example.nl", admin=True)
    anna_id = world.member("Anna", "anna@example.nl")
    bram_id = world.member("Bram", "bram@example.nl")
    admin, anna, bram = (world.headers(f"{n}@example.nl") for n in ("ton", "anna", "bram"))

    claim = {"activity": "publicity", "description": "Talk at a meetup", "url": "https://x.nl/t"}
    status, filed = call(client, "POST", "/coins/claims", anna, claim)
    assert (status, filed["status"]) == (201, "pending")
    assert call(client, "POST", "/coins/claims", anna, claim | {"activity": "bribes"})[0] == 400
    assert call(client, "GET", "/coins/claims", anna)[0] == 403
    _, pending = call(client, "GET", "/coins/claims?status=pending", admin)
    assert [c["id"] for c in pending["items"]] == [filed["id"]]

    approve = f"/coins/claims/{filed['id']}/approve"
    status, bad = call(client, "POST", approve, admin, {"coins": 51})
    assert (status, bad["fields"][0]["field"]) == (400, "coins")
    assert call(client, "POST", approve, admin, {"coins": 7})[0] == 200
    assert call(client, "POST", approve, admin, {"coins": 7})[0] == 200  # a repeat: the same
    assert call(client, "POST", approve, admin, {"coins": 8})[0] == 409  # another decision
    _, other = call(client, "POST", "/coins/claims", bram, claim)
    status, rejected = call(
        client, "POST", f"/coins/claims/{other['id']}/reject", admin, {"reason": "no link"}
    )
    assert (status, rejected["rejection_reason"]) == (200, "no link")

    _, coins = call(client, "GET", "/members/me/coins?year=2026", anna)
    assert (coins["total"], [a["reason"] for a in coins["awards"]]) == (7, ["publicity"])
    _, pot = call(client, "GET", "/pots/2026", bram)
    assert (pot["total_coins"], pot["status"], pot["balance_cents"]) == (7, "open", 0)
    world.fill_pot(bram_id, anna_id, 40_000)  # fee 6000: 1500 into the pot
    assert call(client, "GET", "/pots/26", bram)[0] == 400

    assert call(client, "POST", "/jobs/distributions/2026", admin)[0] == 409
    assert call(client, "GET", "/distributions/2026", anna)[0] == 404
    world.clock.set(datetime(2027, 1, 1, 8, tzinfo=UTC))
    status, run = call(client, "POST", "/jobs/distributions/2026", admin)
    assert (status, run["years"][0]["year"], run["years"][0]["complete"]) == (200, 2026, True)

    _, mine = call(client, "GET", "/distributions/2026", anna)
    _, bram_view = call(client, "GET", "/distributions/2026", bram)
    _, everyone = call(client, "GET", "/distributions/2026", admin)
    assert [p["member_id"] for p in mine["payouts"]] == [anna_id]
    assert bram_view["payouts"] == []
    assert everyone["payouts"] == mine["payouts"]
    assert call(client, "GET", "/pots/2026", bram)[1]["status"] == "distributed"
    assert bram_id not in [p["member_id"] for p in everyone["payouts"]]


def test_the_schedule_distributes_right_after_new_year(world: World, client: Client) -> None:
    anna = world.member("Anna", "anna@example.nl")
    claim = world.services.coins.file_claim(anna, "publicity", "blog", None)
    world.services.coins.approve(claim.id, 4, "admin")
    world.clock.set(datetime(2026, 12, 31, 23, 5, tzinfo=UTC))
    event = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=["rule"]
    )

    result = client.lambda_.invoke("pot_distribution", event)

    assert [y["year"] for y in result.payload["years"]] == [2026]
    assert world.services.coins.pot(2026).status == "distributed"
