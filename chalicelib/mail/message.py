"""A mail ready to send: recipient, subject, a plain-text and an HTML part, extra headers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    html: str
    # e.g. List-Unsubscribe and List-Unsubscribe-Post on announcements
    headers: Mapping[str, str] = field(default_factory=dict)

    def mime(self, sender: str) -> bytes:
        """The RFC 5322 message: multipart/alternative with the text part first."""
        from email.message import EmailMessage  # only the senders need it: keeps imports light
        from email.utils import formatdate, make_msgid

        message = EmailMessage()
        message["From"] = sender
        message["To"] = self.to
        message["Subject"] = self.subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
        for name, value in self.headers.items():
            message[name] = value
        message.set_content(self.text, charset="utf-8")
        message.add_alternative(self.html, subtype="html", charset="utf-8")
        return message.as_bytes()

    def to_item(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "headers": dict(self.headers),
        }

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> OutgoingMail:
        return cls(
            to=item["to"],
            subject=item["subject"],
            text=item["text"],
            html=item["html"],
            headers=dict(item.get("headers") or {}),
        )
