"""The operator CLI (devtools/cli) against the in-process world: wiring, output, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chalicelib.domain.ledger import LedgerTransaction
from devtools.cli import main, wiring
from tests.conftest import World

AFTER_Q3_START = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)  # 10:00 in Amsterdam, 1 July


@pytest.fixture(autouse=True)
def restored_environment() -> Iterator[None]:
    """The CLI points its own process at a stage (os.environ): undo that for later tests,
    whose subprocesses would inherit it."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def world_cli(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """The CLI wired to the world's services instead of .local/dev.json or AWS."""
    monkeypatch.setattr(wiring, "load_services", lambda args: world.services)
    world.member("Patrick", "patrick@example.nl")
    world.member("Mieke", "mieke@example.nl")
    world.clock.set(AFTER_Q3_START)
    return world


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse refuses bad arguments
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def row(output: str, label: str) -> str:
    """The value of a report row, e.g. row(out, 'charged') -> '2'."""
    return next(
        line.strip()[len(label) :].strip()
        for line in output.splitlines()
        if line.strip().startswith(label + " ")
    )


def test_run_charges_every_active_member(world_cli: World, capsys) -> None:
    code, output = run(capsys, "dues", "run", "2026-Q3")
    assert code == 0, output
    assert "Dues 2026-Q3" in output
    assert row(output, "members seen") == "2"
    assert row(output, "charged") == "2"
    assert row(output, "already charged") == "0"
    assert row(output, "failed") == "0"


def test_rerun_reports_already_charged(world_cli: World, capsys) -> None:
    run(capsys, "dues", "run", "2026-Q3")
    code, output = run(capsys, "dues", "run", "2026-Q3")
    assert code == 0, output
    assert row(output, "charged") == "0"
    assert row(output, "already charged") == "2"


def test_joining_quarter_is_already_charged_at_admission(world_cli: World, capsys) -> None:
    code, output = run(capsys, "dues", "run", "2026-Q2")
    assert code == 0, output
    assert row(output, "already charged") == "2"


def test_failed_members_exit_1_and_are_named(
    world_cli: World, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    victim = world_cli.member("Ton", "ton@example.nl")
    book_if_new = world_cli.services.ledger_store.book_if_new

    def flaky_book(transaction: LedgerTransaction) -> bool:
        if victim in transaction.transaction_id:
            raise RuntimeError("DynamoDB throttled")
        return book_if_new(transaction)

    monkeypatch.setattr(world_cli.services.ledger_store, "book_if_new", flaky_book)
    code, output = run(capsys, "dues", "run", "2026-Q3")
    assert code == 1, output
    assert row(output, "charged") == "2"
    assert row(output, "failed") == "1"
    assert victim in output


@pytest.mark.parametrize("text", ["2026-Q5", "2026Q3", "Q3-2026", ""])
def test_bad_quarter_exits_2(world_cli: World, capsys, text: str) -> None:
    code, output = run(capsys, "dues", "run", text)
    assert code == 2
    assert "quarter" in output


def test_quarter_not_started_exits_2_with_the_conflict(world_cli: World, capsys) -> None:
    code, output = run(capsys, "dues", "run", "2026-Q4")
    assert code == 2
    assert "2026-Q4 has not started yet" in output
    assert "charged" not in output


def test_missing_dev_json_exits_2(tmp_path: Path, capsys) -> None:
    code, output = run(
        capsys, "dues", "run", "2026-Q3", "--local", "--dev-json", str(tmp_path / "dev.json")
    )
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
    env = wiring.local_environment(wiring.read_dev_json(path), {"AWS_ACCESS_KEY_ID": "mine"})
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:8001"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert env["AWS_ACCESS_KEY_ID"] == "mine"  # kept when set
    assert env["AWS_SECRET_ACCESS_KEY"]  # a dummy when unset
    assert env["COOP_STAGE"] == "local"
    assert env["COOP_TABLE_NAME"] == "coop-local"
    assert env["COOP_USER_POOL_ID"] == "eu-west-1_abc"
    assert env["COOP_USER_POOL_CLIENT_ID"] == "client123"
    assert "COOP_NOW" not in env  # passes through from the operator's environment


# The operator's CLI in a process of its own, as an operator runs it: what this process's
# other tests did to os.environ and to loaded modules cannot reach it. Only the stack lookup
# is replaced (there is no stack), so the configuration check is the real one.
CONFIG_ERROR_RUN = """
import sys
from devtools.cli import main, wiring
wiring.stage_environment = lambda session, stage: {"COOP_STAGE": stage}
sys.exit(main(["dues", "run", "2026-Q3", "--aws", "--stage", "prod"]))
"""


def test_config_error_exits_2() -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_REGION": "eu-west-1",
        "COOP_NOW": "2026-07-01T00:00:00Z",
    }
    done = subprocess.run(
        [sys.executable, "-c", CONFIG_ERROR_RUN],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "COOP_NOW is accepted only in the local stage" in done.stderr


# --- admin create ----------------------------------------------------------------------------


def groups_of(world: World, email: str) -> list[str]:
    answer = world.cognito.admin_list_groups_for_user(UserPoolId=world.pool_id, Username=email)
    return [g["GroupName"] for g in answer["Groups"]]


def create_admin(capsys, email: str) -> tuple[int, str]:
    return run(
        capsys,
        "admin",
        "create",
        email,
        "--name",
        "Ton de Vries",
        "--discipline",
        "finance",
        "--years-experience",
        "20",
    )


def test_admin_create_admits_the_first_admin_and_adds_the_group(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(wiring, "load_services", lambda args: world.services)
    code, output = create_admin(capsys, " Ton@Example.NL ")
    assert code == 0, output
    answer = json.loads(output)
    assert answer["email"] == "ton@example.nl"
    assert answer["admitted_now"] is True
    member = world.services.membership.member(answer["member_id"])
    assert member.status == "active"
    assert groups_of(world, "ton@example.nl") == ["admin"]
    user = world.cognito.admin_get_user(UserPoolId=world.pool_id, Username="ton@example.nl")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"  # invited: chooses a password


def test_admin_create_for_an_existing_member_only_adds_the_group(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(wiring, "load_services", lambda args: world.services)
    member_id = world.member("Ton", "ton@example.nl")
    code, output = create_admin(capsys, "ton@example.nl")
    assert code == 0, output
    assert json.loads(output) == {
        "member_id": member_id,
        "email": "ton@example.nl",
        "admin": True,
        "admitted_now": False,
    }
    assert groups_of(world, "ton@example.nl") == ["admin"]


def test_admin_create_with_a_pending_application_says_what_to_do(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(wiring, "load_services", lambda args: world.services)
    world.apply("Ton", "ton@example.nl")
    code, output = create_admin(capsys, "ton@example.nl")
    assert code == 2
    assert "approve or reject the pending application first" in output
