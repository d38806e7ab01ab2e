"""Outgoing mail through SES: a raw MIME message, so that both parts and extra headers
(List-Unsubscribe) go out as written."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.mail.message import OutgoingMail


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> str:
        """Sends the mail; returns the provider's message id."""
        ...


class SesMailer:
    def __init__(self, client: Any, sender: str) -> None:
        self._client = client
        self._sender = sender

    def send(self, mail: OutgoingMail) -> str:
        answer = self._client.send_raw_email(
            Source=self._sender,
            Destinations=[mail.to],
            RawMessage={"Data": mail.mime(self._sender)},
        )
        return str(answer["MessageId"])
