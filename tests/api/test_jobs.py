"""The dues run as the schedule runs it and as an admin runs it by hand."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib import jobs
from chalicelib.services import dues as dues_module
from tests.conftest import ROOT, World


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def scheduled_event(client: Client, detail: dict[str, Any] | None = None) -> Any:
    return client.events.generate_cw_event(
        source="aws.events",
        detail_type="Scheduled Event",
        detail=detail or {},
        resources=["arn:aws:events:eu-west-1:123456789012:rule/quarterly_dues"],
    )


def owed(world: World, member_id: str) -> int:
    return world.services.accounts.statement(member_id, 1, None).owed_cents


def test_the_schedule_bills_the_quarter_it_runs_in_amsterdam(world: World, client: Client) -> None:
    member_id = world.member("Anna", "anna@example.nl")
    # 2026-06-30T22:30Z is already 2026-07-01 00:30 in Amsterdam: Q3
    world.clock.set(datetime(2026, 6, 30, 22, 30, tzinfo=UTC))

    result = client.lambda_.invoke("quarterly_dues", scheduled_event(client))

    assert result.payload["quarter"] == "2026-Q3"
    assert result.payload["charged"] == 1
    assert owed(world, member_id) == 15000


def test_admins_run_a_quarter_by_hand(world: World, client: Client) -> None:
    world.member("Ton", "ton@example.nl", admin=True)
    world.member("Anna", "anna@example.nl")
    admin = world.headers("ton@example.nl")
    world.clock.set(datetime(2026, 7, 2, tzinfo=UTC))

    def run(quarter: str) -> tuple[int, Any]:
        response = client.http.post(f"/jobs/dues/{quarter}", headers=admin)
        return response.status_code, json.loads(response.body)

    status, first = run("2026-Q3")
    assert (status, first["charged"], first["complete"], first["resume_cursor"]) == (
        200,
        2,
        True,
        None,
    )
    status, again = run("2026-Q3")
    assert (status, again["charged"], again["already_charged"]) == (200, 0, 2)
    assert run("2026-Q4")[0] == 409
    assert run("2026-Q9")[0] == 400
    anna = world.headers("anna@example.nl")
    assert client.http.post("/jobs/dues/2026-Q3", headers=anna).status_code == 403


def test_a_run_that_would_not_fit_continues_itself(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dues_module, "PAGE_SIZE", 2)
    members = [world.member(f"M{n}", f"m{n}@example.nl") for n in range(5)]
    world.clock.set(datetime(2026, 7, 1, 2, tzinfo=UTC))
    continuations: list[dict[str, Any]] = []

    remaining = iter([jobs.STOP_WITH_REMAINING_MS * 10] + [1] * 1000)

    def almost_out_of_time() -> int:
        return next(remaining)  # plenty at the start, then nothing left

    jobs.run_dues({}, almost_out_of_time, continuations.append)
    while continuations:
        detail = continuations.pop()
        assert detail["quarter"] == "2026-Q3"
        jobs.run_dues(detail, almost_out_of_time, continuations.append)

    assert all(owed(world, m) == 15000 for m in members)


def test_treasurer_routes(world: World, client: Client) -> None:
    world.member("Ton", "ton@example.nl", admin=True)
    anna = world.member("Anna", "anna@example.nl")
    admin = world.headers("ton@example.nl")
    world.services.accounts.record_payment(anna, 1000, world.clock.now().date(), "B-1")

    response = client.http.get("/admin/receivables?sort=amount", headers=admin)
    items = json.loads(response.body)["items"]
    assert [(i["name"], i["owed_cents"]) for i in items] == [("Ton", 10000), ("Anna", 9000)]
    assert items[0]["oldest_unpaid_age_days"] == 0

    response = client.http.get("/ledger/export?from=2026-05-01&to=2026-05-31", headers=admin)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.body.decode().count(f"payment:{anna}:B-1") == 2

    bad = client.http.get("/ledger/export?from=2026-05-31&to=2026-05-01", headers=admin)
    assert bad.status_code == 400
    too_long = client.http.get("/ledger/export?from=2000-01-01&to=2026-12-31", headers=admin)
    assert json.loads(too_long.body)["fields"][0]["field"] == "to"
    missing = client.http.get("/ledger/export", headers=admin)
    assert {f["field"] for f in json.loads(missing.body)["fields"]} == {"from", "to"}


def test_a_scheduled_run_that_leaves_mail_unsent_counts_as_incomplete(
    world: World, client: Client
) -> None:
    """The JobIncomplete metric raises the stack's alarm; a run that only paused does not."""
    from datetime import timedelta

    from chalicelib import observability

    world.member("Anna", "anna@example.nl")
    world.clock.advance(timedelta(days=31))  # her registration is overdue: a reminder is due

    class SesDown:
        def send(self, mail: object) -> str:
            raise RuntimeError("SES down")

    world.services.outbox.mailer = SesDown()
    before = observability.recorded()["JobIncomplete"]

    result = client.lambda_.invoke("payment_reminders", scheduled_event(client))

    assert (result.payload["reminded"], result.payload["failed"]) == (1, 1)
    assert observability.recorded()["JobIncomplete"] == before + 1
    quiet = client.lambda_.invoke("mail_outbox", scheduled_event(client))  # not yet due again
    assert (quiet.payload["sent"], observability.recorded()["JobIncomplete"]) == (0, before + 1)
