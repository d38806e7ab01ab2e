"""Token verification without AWS: our own RSA key plays the user pool."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.auth.tokens import JwksCache, TokenVerifier, bearer_token
from chalicelib.clock import FixedClock
from chalicelib.domain.errors import Unauthenticated

ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool"
CLIENT = "client-1"
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwks() -> dict[str, Any]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    return {"keys": [public | {"kid": "k1", "alg": "RS256", "use": "sig"}]}


def claims(**changes: Any) -> dict[str, Any]:
    base = {
        "iss": ISSUER,
        "aud": CLIENT,
        "token_use": "id",
        "cognito:username": "anna@example.nl",
        "cognito:groups": ["admin"],
        "exp": int((NOW + timedelta(hours=1)).timestamp()),
        "iat": int(NOW.timestamp()),
    }
    return {k: v for k, v in (base | changes).items() if v is not None}


def sign(payload: dict[str, Any], key: Any = KEY, kid: str = "k1") -> str:
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def fetches() -> list[str]:
    return []


@pytest.fixture
def verifier(fetches: list[str]) -> TokenVerifier:
    clock = FixedClock(NOW)

    def fetch(url: str) -> dict[str, Any]:
        fetches.append(url)
        return jwks()

    return TokenVerifier(ISSUER, CLIENT, JwksCache("https://jwks", clock, fetch), clock)


def test_a_valid_id_token_names_the_user_and_groups(verifier: TokenVerifier) -> None:
    token = verifier.verify(sign(claims()))
    assert (token.username, token.groups) == ("anna@example.nl", frozenset({"admin"}))


def test_a_valid_access_token_is_accepted(verifier: TokenVerifier) -> None:
    access = claims(aud=None, token_use="access", client_id=CLIENT, username="anna@example.nl")
    assert verifier.verify(sign(access)).username == "anna@example.nl"


def test_the_jwks_is_fetched_once_and_cached(verifier: TokenVerifier, fetches: list[str]) -> None:
    for _ in range(3):
        verifier.verify(sign(claims()))
    assert fetches == ["https://jwks"]


def _unsigned(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    return ".".join(
        [part(json.dumps(header).encode()), part(json.dumps(payload).encode()), part(signature)]
    )


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(sign(claims(exp=int((NOW - timedelta(seconds=1)).timestamp()))), id="expired"),
        pytest.param(sign(claims(exp=None)), id="no-expiry"),
        pytest.param(sign(claims(iss="https://evil.example/pool")), id="wrong-issuer"),
        pytest.param(sign(claims(aud="other-client")), id="wrong-audience"),
        pytest.param(sign(claims(token_use="refresh")), id="wrong-token-use"),
        pytest.param(sign(claims(), key=OTHER_KEY), id="forged-signature"),
        pytest.param(sign(claims(), kid="unknown"), id="unknown-key"),
        pytest.param(_unsigned({"alg": "none", "kid": "k1"}, claims()), id="alg-none"),
        pytest.param(
            jwt.encode(claims(), "s" * 32, algorithm="HS256", headers={"kid": "k1"}), id="hs256"
        ),
        pytest.param("not-a-token", id="garbage"),
        pytest.param("a.b.c", id="three-garbage-parts"),
    ],
)
def test_bad_tokens_are_unauthenticated(verifier: TokenVerifier, token: str) -> None:
    with pytest.raises(Unauthenticated):
        verifier.verify(token)


@pytest.mark.parametrize("header", [None, "", "garbage", "Bearer", "Bearer  ", "Token abc"])
def test_malformed_authorization_headers_are_unauthenticated(header: str | None) -> None:
    with pytest.raises(Unauthenticated):
        bearer_token(header)
