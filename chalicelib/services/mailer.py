"""Outgoing mail through SES, recorded so that what was sent can be shown and not resent."""

from __future__ import annotations

from typing import Any, Protocol


class Mailer(Protocol):
    def send(self, to: str, subject: str, text: str) -> str:
        """Sends a plain-text mail; returns the provider's message id."""
        ...


class SesMailer:
    def __init__(self, client: Any, sender: str) -> None:
        self._client = client
        self._sender = sender

    def send(self, to: str, subject: str, text: str) -> str:
        answer = self._client.send_email(
            Source=self._sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": text, "Charset": "UTF-8"}},
            },
        )
        return str(answer["MessageId"])
