"""Configuration read at the edge: COOP_NOW only locally, and a clock that runs on from it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.clock import StartedClock, SystemClock
from chalicelib.config import ConfigError, from_environment


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


def test_without_coop_now_the_clock_is_the_real_one() -> None:
    assert isinstance(from_environment({"COOP_STAGE": "prod"}).clock(), SystemClock)


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
