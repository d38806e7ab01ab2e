"""Configuration read at the edge: COOP_NOW only locally, and a clock that runs on from it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chalicelib.clock import StartedClock, SystemClock
from chalicelib.config import ConfigError, from_environment
from tests.conftest import ROOT


def test_coop_now_starts_the_local_clock_there_and_lets_it_run() -> None:
    config = from_environment({"COOP_STAGE": "local", "COOP_NOW": "2027-01-01T00:30:00+01:00"})
    clock = config.clock()

    first, second = clock.now(), clock.now()

    assert isinstance(clock, StartedClock)
    assert datetime(2026, 12, 31, 23, 30, tzinfo=UTC) <= first <= second
    assert (second - datetime(2026, 12, 31, 23, 30, tzinfo=UTC)).total_seconds() < 5


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_coop_now_is_refused_outside_the_local_stage(stage: str) -> None:
    with pytest.raises(ConfigError, match="only in the local stage"):
        from_environment({"COOP_STAGE": stage, "COOP_NOW": "2027-01-01T00:00:00Z"})


DEPLOYED = {
    "COOP_TABLE_NAME": "coop-prod",
    "COOP_USER_POOL_ID": "eu-west-1_abc",
    "COOP_USER_POOL_CLIENT_ID": "client",
    "COOP_MAIL_FROM": "noreply@co-operations.nl",
    "COOP_WEB_URL": "https://app.co-operations.nl",
    "COOP_SIGNING_SECRET": "s3cret-from-the-stack",
}


def test_without_coop_now_the_clock_is_the_real_one() -> None:
    config = from_environment({"COOP_STAGE": "prod"} | DEPLOYED)
    assert isinstance(config.clock(), SystemClock)


@pytest.mark.parametrize("missing", sorted(DEPLOYED))
def test_a_deployed_stage_without_its_resources_fails_at_start_up(missing: str) -> None:
    env = {"COOP_STAGE": "prod"} | {k: v for k, v in DEPLOYED.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        from_environment(env)


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ('{"fee_cap_cents_by_tier": {"small": 1, "large": 2}}', "fee_cap_cents_by_tier"),
        ('{"fee_percent": 150}', "fee_percent"),
        ('{"quarterly_dues_cents": -1}', "quarterly_dues_cents"),
        ('{"registration_fee_cents": "5000"}', "registration_fee_cents"),
        ('{"publicity_coins_min": 10, "publicity_coins_max": 5}', "publicity_coins_max"),
        ('{"fee_cap_cents_by_tier": {"small": 9, "medium": 5, "large": 10}}', "fall"),
        ('{"fee_percnt": 15}', "unknown"),
        ("[1, 2]", "JSON object"),
        ("{not json", "not JSON"),
    ],
)
def test_an_inconsistent_policy_fails_at_start_up_naming_the_setting(
    overrides: str, named: str
) -> None:
    with pytest.raises(ConfigError, match=named):
        from_environment({"COOP_POLICY_JSON": overrides})


def test_a_stage_with_a_broken_policy_does_not_even_start(tmp_path: Path) -> None:
    """The Lambda imports app.py at cold start: that is where a broken policy must stop."""
    env = {**os.environ, "COOP_POLICY_JSON": '{"fee_cap_cents_by_tier": {"small": 500000}}'}
    started = subprocess.run(
        [sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert started.returncode != 0
    assert "fee_cap_cents_by_tier" in started.stderr.splitlines()[-1]


def test_unknown_stages_and_bad_instants_fail_at_start_up() -> None:
    with pytest.raises(ConfigError):
        from_environment({"COOP_STAGE": "staging"})
    with pytest.raises(ValueError):
        from_environment({"COOP_STAGE": "local", "COOP_NOW": "tomorrow"})


def test_the_jwks_location_is_configured_apart_from_the_issuer() -> None:
    config = from_environment(
        {
            "COOP_USER_POOL_ID": "eu-west-1_abc",
            "AWS_REGION": "eu-west-1",
            "COOP_JWKS_URL": "http://127.0.0.1:8001/eu-west-1_abc/.well-known/jwks.json",
        }
    )
    assert config.issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
    assert config.jwks_url.startswith("http://127.0.0.1:8001/")
