"""Configuration, read at the edge (app start-up) and handed inward as plain values."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.clock import Clock, StartedClock, SystemClock, parse_instant
from chalicelib.store import schema

STAGES = ("local", "dev", "prod")


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    stage: str
    region: str
    table_name: str
    user_pool_id: str
    user_pool_client_id: str
    # moto signs tokens with iss https://cognito-idp.<region>.amazonaws.com/<pool> but serves the
    # JWKS at <endpoint>/<pool>/.well-known/jwks.json, so the two are configured separately.
    issuer: str
    jwks_url: str
    mail_from: str
    coop_now: str | None = None
    policy_overrides: Mapping[str, Any] = field(default_factory=dict)
    ledger_table_name: str = ""  # default: "<table_name>-ledger"

    def __post_init__(self) -> None:
        if not self.ledger_table_name:
            object.__setattr__(self, "ledger_table_name", schema.ledger_table_name(self.table_name))

    def clock(self) -> Clock:
        if self.coop_now is None:
            return SystemClock()
        return StartedClock(parse_instant(self.coop_now))


def cognito_issuer(region: str, user_pool_id: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


def from_environment(env: Mapping[str, str] = os.environ) -> Config:
    stage = env.get("COOP_STAGE", "local")
    if stage not in STAGES:
        raise ConfigError(f"COOP_STAGE must be one of {STAGES}, not {stage!r}")
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1"
    pool = env.get("COOP_USER_POOL_ID", "")
    issuer = env.get("COOP_ISSUER") or cognito_issuer(region, pool)
    coop_now = env.get("COOP_NOW") or None
    if coop_now is not None and stage != "local":
        raise ConfigError("COOP_NOW is accepted only in the local stage")
    if coop_now is not None:
        parse_instant(coop_now)  # fail at start-up, not on the first request
    return Config(
        stage=stage,
        region=region,
        table_name=env.get("COOP_TABLE_NAME", "coop-local"),
        user_pool_id=pool,
        user_pool_client_id=env.get("COOP_USER_POOL_CLIENT_ID", ""),
        issuer=issuer,
        jwks_url=env.get("COOP_JWKS_URL") or f"{issuer}/.well-known/jwks.json",
        mail_from=env.get("COOP_MAIL_FROM", "noreply@co-operations.nl"),
        coop_now=coop_now,
        policy_overrides=json.loads(env.get("COOP_POLICY_JSON", "{}")),
        ledger_table_name=env.get("COOP_LEDGER_TABLE_NAME", ""),
    )
