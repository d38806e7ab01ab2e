"""The operator CLI (devtools/cli.py) against the in-process world: wiring, output, exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chalicelib.domain.ledger import LedgerTransaction
from chalicelib.store.ledger import Booking
from devtools import cli
from tests.conftest import World

runner = CliRunner()
AFTER_Q3_START = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)  # 10:00 in Amsterdam, 1 July


@pytest.fixture
def world_cli(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """The CLI wired to the world's services instead of .local/dev.json or AWS."""
    monkeypatch.setattr(cli, "load_services", lambda local, dev_json: world.services)
    world.member("Patrick", "patrick@example.nl")
    world.member("Mieke", "mieke@example.nl")
    world.clock.set(AFTER_Q3_START)
    return world


def dues_run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli.app, ["dues", "run", *args])
    return result.exit_code, result.output


def row(output: str, label: str) -> str:
    """The value cell of a report row, e.g. row(out, 'charged') -> '2'."""
    rows = ([cell.strip() for cell in line.split("│")[1:-1]] for line in output.splitlines())
    return next(cells[1] for cells in rows if cells and cells[0] == label)


def test_run_charges_every_active_member(world_cli: World) -> None:
    code, output = dues_run("2026-Q3")
    assert code == 0, output
    assert "Dues 2026-Q3" in output
    assert row(output, "members seen") == "2"
    assert row(output, "charged") == "2"
    assert row(output, "already charged") == "0"
    assert row(output, "failed") == "0"


def test_rerun_reports_already_charged(world_cli: World) -> None:
    dues_run("2026-Q3")
    code, output = dues_run("2026-Q3")
    assert code == 0, output
    assert row(output, "charged") == "0"
    assert row(output, "already charged") == "2"


def test_joining_quarter_is_already_charged_at_admission(world_cli: World) -> None:
    code, output = dues_run("2026-Q2")
    assert code == 0, output
    assert row(output, "already charged") == "2"


def test_failed_members_exit_1_and_are_named(
    world_cli: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = world_cli.member("Ton", "ton@example.nl")
    book = world_cli.services.ledger_store.book

    def flaky_book(transaction: LedgerTransaction) -> Booking:
        if victim in transaction.transaction_id:
            raise RuntimeError("DynamoDB throttled")
        return book(transaction)

    monkeypatch.setattr(world_cli.services.ledger_store, "book", flaky_book)
    code, output = dues_run("2026-Q3")
    assert code == 1, output
    assert row(output, "charged") == "2"
    assert row(output, "failed") == "1"
    assert victim in output


@pytest.mark.parametrize("text", ["2026-Q5", "2026Q3", "Q3-2026", ""])
def test_bad_quarter_exits_2(world_cli: World, text: str) -> None:
    code, output = dues_run(text)
    assert code == 2
    assert "quarter" in output


def test_quarter_not_started_exits_2_with_the_conflict(world_cli: World) -> None:
    code, output = dues_run("2026-Q4")
    assert code == 2
    assert "2026-Q4 has not started yet" in output
    assert "charged" not in output


def test_missing_dev_json_exits_2(tmp_path: Path) -> None:
    code, output = dues_run("2026-Q3", "--local", "--dev-json", str(tmp_path / "dev.json"))
    assert code == 2
    assert "make run" in output


def test_local_environment_points_at_the_local_runtime(tmp_path: Path) -> None:
    info = {
        "api_url": "http://127.0.0.1:8000",
        "aws_endpoint_url": "http://127.0.0.1:8001",
        "region": "eu-west-1",
        "user_pool_id": "eu-west-1_abc",
        "user_pool_client_id": "client123",
        "users": [],
    }
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(info))
    env = cli.local_environment(cli.read_dev_json(path), {"AWS_ACCESS_KEY_ID": "mine"})
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:8001"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert env["AWS_ACCESS_KEY_ID"] == "mine"  # kept when set
    assert env["AWS_SECRET_ACCESS_KEY"]  # a dummy when unset
    assert env["COOP_STAGE"] == "local"
    assert env["COOP_TABLE_NAME"] == "coop-local"
    assert env["COOP_USER_POOL_ID"] == "eu-west-1_abc"
    assert env["COOP_USER_POOL_CLIENT_ID"] == "client123"
    assert "COOP_NOW" not in env  # passes through from the operator's environment


def test_config_error_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOP_STAGE", "prod")
    monkeypatch.setenv("COOP_NOW", "2026-07-01T00:00:00Z")
    code, output = dues_run("2026-Q3", "--aws")
    assert code == 2
    assert "COOP_NOW is accepted only in the local stage" in output
