"""The Cognito user pool, as far as the services need it: invite a new member."""

from __future__ import annotations

import logging
import secrets
from typing import Any, Protocol

from botocore.exceptions import ClientError

from chalicelib.mail.letters import invitation_letter
from chalicelib.mail.links import Links
from chalicelib.services.mailer import Mailer

log = logging.getLogger("coop.identity")


class IdentityProvider(Protocol):
    def invite(self, email: str, name: str) -> None: ...


class CognitoIdentity:
    def __init__(self, client: Any, user_pool_id: str) -> None:
        self._client = client
        self._pool = user_pool_id

    def invite(self, email: str, name: str) -> None:
        """Creates the user (Cognito mails the invitation); an existing user is left as is."""
        try:
            self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": "name", "Value": name},
                ],
                DesiredDeliveryMediums=["EMAIL"],
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "UsernameExistsException":
                raise


class MailedInvitationIdentity:
    """The local stage's Cognito (moto) mails nothing: this creates the user with a temporary
    password it generates and mails the invitation itself, through the app's mailer (SES,
    which moto keeps), so a person or a test can read it and sign in for the first time.
    On AWS, Cognito sends its own invitation (CognitoIdentity)."""

    def __init__(self, client: Any, user_pool_id: str, mailer: Mailer, links: Links) -> None:
        self._client = client
        self._pool = user_pool_id
        self._mailer = mailer
        self._links = links

    def invite(self, email: str, name: str) -> None:
        password = temporary_password()
        try:
            self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                TemporaryPassword=password,
                MessageAction="SUPPRESS",
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": "name", "Value": name},
                ],
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "UsernameExistsException":
                raise
            return  # invited before
        letter = invitation_letter(name, email, password, self._links)
        try:
            self._mailer.send(letter.to(email))
        except Exception:  # the admission stands; the admin can set a password by hand
            log.exception("invitation mail to %s failed", email)


def temporary_password() -> str:
    """Meets Cognito's default policy: 8+ characters with upper, lower, digit and symbol."""
    return f"Tmp-{secrets.token_urlsafe(9)}-7a"
