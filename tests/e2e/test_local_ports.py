"""A newcomer whose port is taken is told in one line which one, and how to move it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something else listens on (as another program would)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def start(tmp_path: Path, **ports: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COOP_"))}
    env |= {"COOP_LOCAL_DIR": str(tmp_path / "local")}
    env |= {"COOP_API_PORT": "0", "COOP_MOTO_PORT": "0", "COOP_WEB_PORT": "0"}
    return subprocess.run(
        [sys.executable, "-m", "devtools.local_runtime"],
        cwd=ROOT,
        env=env | ports,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_taken_api_port_is_named_in_one_line_with_the_variables_that_move_it(
    tmp_path: Path, taken_port: int
) -> None:
    # When the runtime is started on an API port another program holds
    finished = start(tmp_path, COOP_API_PORT=str(taken_port))
    # Then it stops with a failure status and one line, no traceback
    assert finished.returncode != 0
    assert finished.stdout == ""
    assert finished.stderr == (
        f"port {taken_port} is in use "
        "(COOP_API_PORT moves the API; COOP_MOTO_PORT moves the AWS fakes; "
        "COOP_WEB_PORT moves the web app)\n"
    )
    assert not (tmp_path / "local" / "state").exists()  # nothing was started


def test_a_taken_moto_port_is_named_too(tmp_path: Path, taken_port: int) -> None:
    finished = start(tmp_path, COOP_MOTO_PORT=str(taken_port))
    assert finished.returncode != 0
    assert finished.stderr.splitlines() == [
        f"port {taken_port} is in use "
        "(COOP_MOTO_PORT moves the AWS fakes; COOP_API_PORT moves the API; "
        "COOP_WEB_PORT moves the web app)"
    ]


def test_a_taken_web_port_is_named_too(tmp_path: Path, taken_port: int) -> None:
    finished = start(tmp_path, COOP_WEB_PORT=str(taken_port))
    assert finished.returncode != 0
    assert finished.stderr.splitlines() == [
        f"port {taken_port} is in use "
        "(COOP_WEB_PORT moves the web app; COOP_API_PORT moves the API; "
        "COOP_MOTO_PORT moves the AWS fakes)"
    ]
