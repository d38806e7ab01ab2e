"""What operations reads: the logs of a whole year of the collective hold no token, no
password and no email address, whatever happened (refusals, throttling, jobs, mail)."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest
from chalice.test import Client

from app import app
from tests.conftest import PASSWORD, ROOT, World
from tests.proof.flow import whole_flow

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def every_log_line() -> Iterator[io.StringIO]:
    """The app's JSON log (Powertools' handler on `coop`) and anything else logged at INFO
    or above by any library, in one stream."""
    stream = io.StringIO()
    coop_handler = logging.getLogger("coop").handlers[0]
    original = coop_handler.setStream(stream)  # type: ignore[attr-defined]
    root = logging.getLogger()
    everything_else = logging.StreamHandler(stream)
    level = root.level
    root.addHandler(everything_else)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.setLevel(level)
        root.removeHandler(everything_else)
        coop_handler.setStream(original)  # type: ignore[attr-defined]


def test_a_whole_years_logs_name_no_token_password_or_email(
    world: World, client: Client, every_log_line: io.StringIO
) -> None:
    tokens = whole_flow(world, client)

    logged = every_log_line.getvalue()
    assert logged.count('"message":"request"') > 20  # the flow was logged
    assert '"status":503' in logged and '"status":401' in logged
    for token in set(tokens):
        assert token not in logged
        assert token.split(".")[-1] not in logged  # not even its signature
    assert PASSWORD not in logged
    assert EMAIL_ADDRESS.search(logged) is None, EMAIL_ADDRESS.search(logged)
