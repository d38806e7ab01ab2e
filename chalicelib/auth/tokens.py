"""Verification of Cognito bearer tokens, done by the app itself.

Chalice's CognitoUserPoolAuthorizer is not enforced by `chalice local` nor by the test
client, so every protected route verifies its token here, the same way everywhere:
RS256 signature against the pool's JWKS, issuer, expiry, token_use and audience/client_id.
PyJWT does the cryptography; this module only decides what to accept.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chalicelib.clock import Clock
from chalicelib.domain.errors import Unauthenticated

if TYPE_CHECKING:  # PyJWT and its cryptography cost ~60 ms to import: only requests need it
    import jwt

JwksFetcher = Callable[[str], dict[str, Any]]
_REFETCH_AFTER_S = 300  # an unknown kid refetches the JWKS at most this often (key rotation)


def fetch_jwks(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=5) as response:
        document = json.loads(response.read())
    if not isinstance(document, dict):
        raise ValueError(f"JWKS at {url} is not a JSON object")
    return document


class JwksCache:
    """The pool's signing keys, fetched once per container and refreshed on an unknown kid."""

    def __init__(self, url: str, clock: Clock, fetch: JwksFetcher = fetch_jwks) -> None:
        self._url = url
        self._clock = clock
        self._fetch = fetch
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at_s: float | None = None
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK:
        with self._lock:
            if kid not in self._keys and self._may_refetch():
                self._load()
            if kid not in self._keys:
                raise Unauthenticated("unauthenticated", why="unknown_key")
            return self._keys[kid]

    def _may_refetch(self) -> bool:
        now_s = self._clock.now().timestamp()
        return self._fetched_at_s is None or now_s - self._fetched_at_s > _REFETCH_AFTER_S

    def _load(self) -> None:
        import jwt

        self._fetched_at_s = self._clock.now().timestamp()
        document = self._fetch(self._url)
        keys: dict[str, jwt.PyJWK] = {}
        for data in document.get("keys", []):
            if data.get("kty") == "RSA" and data.get("kid"):
                keys[data["kid"]] = jwt.PyJWK(data, algorithm="RS256")
        self._keys = keys


@dataclass(frozen=True)
class VerifiedToken:
    username: str
    groups: frozenset[str]
    token_use: str


class TokenVerifier:
    def __init__(self, issuer: str, client_id: str, keys: JwksCache, clock: Clock) -> None:
        self._issuer = issuer
        self._client_id = client_id
        self._keys = keys
        self._clock = clock

    def verify(self, token: str) -> VerifiedToken:
        import jwt

        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthenticated("unauthenticated", why="malformed") from error
        if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
            raise Unauthenticated("unauthenticated", why="not_rs256")
        key = self._keys.key(header["kid"])
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=["RS256"],
                issuer=self._issuer,
                # Expiry is checked below against the injected clock, not PyJWT's wall clock.
                options={"verify_aud": False, "verify_exp": False, "require": ["exp", "iss"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthenticated("unauthenticated", why="rejected") from error
        return self._accept(claims)

    def _accept(self, claims: dict[str, Any]) -> VerifiedToken:
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or exp <= self._clock.now().timestamp():
            raise Unauthenticated("token_expired")
        token_use = claims.get("token_use")
        if token_use == "id":
            audience, username = claims.get("aud"), claims.get("cognito:username")
        elif token_use == "access":
            audience, username = claims.get("client_id"), claims.get("username")
        else:
            raise Unauthenticated("unauthenticated", why="token_use")
        if audience != self._client_id:
            raise Unauthenticated("unauthenticated", why="other_client")
        if not isinstance(username, str) or not username:
            raise Unauthenticated("unauthenticated", why="no_user")
        groups = claims.get("cognito:groups") or []
        if not isinstance(groups, list):
            raise Unauthenticated("unauthenticated", why="groups")
        return VerifiedToken(username, frozenset(str(g) for g in groups), token_use)


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header, or 401."""
    if not authorization:
        raise Unauthenticated("unauthenticated", why="no_header")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("unauthenticated", why="not_bearer")
    return token.strip()
