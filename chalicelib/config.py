"""Configuration, read at the edge (app start-up) and handed inward as plain values."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.clock import Clock, StartedClock, SystemClock, parse_instant
from chalicelib.policy import PolicyError, policy_with_overrides
from chalicelib.store import schema

STAGES = ("local", "dev", "prod")
LOCAL_WEB_URL = "http://127.0.0.1:8002"
LOCAL_SIGNING_SECRET = "local-only-signing-secret"
LOCAL_INTAKE_BUCKET = "coop-local-intake"


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
    # Browser origins allowed to call the API (CORS), e.g. the web app's CloudFront URL.
    web_origins: tuple[str, ...] = ()
    web_url: str = LOCAL_WEB_URL  # the members' web app, for links in mails
    api_url: str = ""  # the API's public base URL, for one-click links in mails
    # Key of the links that work without signing in (unsubscribe); local has a fixed one.
    signing_secret: str = LOCAL_SIGNING_SECRET
    # The bucket SES stores inbound mail in (under raw/); attachments go under attachments/.
    intake_bucket: str = LOCAL_INTAKE_BUCKET

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
    if stage != "local":
        _require_deployed_settings(stage, env)
    config = Config(
        stage=stage,
        region=region,
        table_name=env.get("COOP_TABLE_NAME", "coop-local"),
        user_pool_id=pool,
        user_pool_client_id=env.get("COOP_USER_POOL_CLIENT_ID", ""),
        issuer=issuer,
        jwks_url=env.get("COOP_JWKS_URL") or f"{issuer}/.well-known/jwks.json",
        mail_from=env.get("COOP_MAIL_FROM", "noreply@co-operations.nl"),
        coop_now=coop_now,
        policy_overrides=_policy_overrides(env.get("COOP_POLICY_JSON") or "{}"),
        ledger_table_name=env.get("COOP_LEDGER_TABLE_NAME", ""),
        web_origins=_origins(env.get("COOP_WEB_ORIGINS", "")),
        web_url=env.get("COOP_WEB_URL") or LOCAL_WEB_URL,
        api_url=env.get("COOP_API_URL", ""),
        signing_secret=env.get("COOP_SIGNING_SECRET") or LOCAL_SIGNING_SECRET,
        intake_bucket=env.get("COOP_INTAKE_BUCKET") or LOCAL_INTAKE_BUCKET,
    )
    try:
        policy_with_overrides(config.policy_overrides)
    except PolicyError as error:
        raise ConfigError(f"COOP_POLICY_JSON: {error}") from error
    return config


# A deployed stage without these would fail on a member's first request instead of at once.
_REQUIRED_WHEN_DEPLOYED = (
    "COOP_TABLE_NAME",
    "COOP_USER_POOL_ID",
    "COOP_USER_POOL_CLIENT_ID",
    "COOP_MAIL_FROM",
    "COOP_WEB_URL",
    "COOP_SIGNING_SECRET",
)


def _require_deployed_settings(stage: str, env: Mapping[str, str]) -> None:
    missing = [name for name in _REQUIRED_WHEN_DEPLOYED if not env.get(name, "").strip()]
    if missing:
        raise ConfigError(f"stage {stage} needs {', '.join(missing)} (set by the stack)")


def _policy_overrides(text: str) -> dict[str, Any]:
    try:
        overrides = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"COOP_POLICY_JSON is not JSON: {error}") from error
    if not isinstance(overrides, dict):
        raise ConfigError("COOP_POLICY_JSON must be a JSON object of setting: value")
    return overrides


def _origins(text: str) -> tuple[str, ...]:
    """`https://a.example, http://127.0.0.1:8002` -> the origins, checked to be origins."""
    origins = tuple(o.strip().rstrip("/") for o in text.split(",") if o.strip())
    for origin in origins:
        if not re.fullmatch(r"https?://[^/\s?#]+", origin):
            raise ConfigError(f"COOP_WEB_ORIGINS: {origin!r} is not an origin like https://host")
    return origins
