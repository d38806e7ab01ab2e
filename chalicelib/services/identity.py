"""The Cognito user pool, as far as the services need it: invite a new member."""

from __future__ import annotations

from typing import Any, Protocol

from botocore.exceptions import ClientError


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
