"""The mails SES accepted, as a recipient would read them (moto keeps the raw MIME)."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any


@dataclass(frozen=True)
class ReceivedMail:
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]

    @classmethod
    def parse(cls, raw: bytes | str) -> ReceivedMail:
        data = raw.encode() if isinstance(raw, str) else raw
        message = BytesParser(policy=policy.default).parsebytes(data)
        assert isinstance(message, EmailMessage)
        text_part = message.get_body(preferencelist=("plain",))
        html_part = message.get_body(preferencelist=("html",))
        return cls(
            to=str(message["To"]),
            subject=str(message["Subject"]),
            text=text_part.get_content() if text_part is not None else "",
            html=html_part.get_content() if html_part is not None else "",
            headers={k: str(v) for k, v in message.items()},
        )


def sent_count(region: str) -> int:
    """How many mails moto's SES accepted in this process so far."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return len(ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages)


def forget_sent_after(region: str, count: int) -> None:
    """Forgets the mails accepted after the first `count`: a fixture that sets people up
    (the applicant's receipt of a member made for a test) leaves no mail behind."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    del ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages[count:]


def sent_messages(region: str) -> list[ReceivedMail]:
    """Every mail moto's SES accepted in this process, oldest first."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    raw: list[Any] = list(ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages)
    return [ReceivedMail.parse(m.raw_data) for m in raw if hasattr(m, "raw_data")]
