"""Links in mails: pages of the members' web app (hash routes) and signed one-click links."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class Links:
    web_url: str  # the web app's public URL, e.g. https://app.co-operations.nl

    def page(self, route: str) -> str:
        return f"{self.web_url.rstrip('/')}/#/{route.lstrip('/')}"

    def opportunity(self, opportunity_id: str) -> str:
        return self.page(f"opportunities/{opportunity_id}")

    def statement(self) -> str:
        return self.page("statement")

    def profile(self) -> str:
        return self.page("profile")

    def opportunities(self) -> str:
        return self.page("opportunities")

    def unsubscribe(self, token: str) -> str:
        """The web app's page that confirms an unsubscribe (route `#/unsubscribe`)."""
        return self.page(f"unsubscribe?token={token}")


@dataclass(frozen=True)
class Signer:
    """Tokens that prove a link was made by the platform for one member and one purpose, so
    the link works without signing in (unsubscribe) and cannot be forged for someone else."""

    secret: bytes

    def sign(self, purpose: str, subject: str) -> str:
        mac = hmac.new(self.secret, f"{purpose}\n{subject}".encode(), hashlib.sha256).digest()
        signature = base64.urlsafe_b64encode(mac[:18]).decode()
        return f"{subject}.{signature}"

    def verify(self, purpose: str, token: str) -> str | None:
        """The subject the token was signed for, or None when it was not signed by us."""
        subject, _, _ = token.rpartition(".")
        if not subject:
            return None
        return subject if hmac.compare_digest(self.sign(purpose, subject), token) else None
