"""The event AWS sends for a received mail (SES receipt rule: S3 action + SNS topic), built
for a raw .eml: what `devtools.cli intake deliver` hands the handler, and what tests use.

Shape as in FACTS.md ("SES inbound event"): the SNS message is
`{notificationType: "Received", mail, receipt}`; Lambda receives it inside an SNS record.
"""

from __future__ import annotations

import json
import secrets
import string
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from typing import Any

from chalicelib.domain.inbound_mail import header_text, sender_address

INTAKE_ADDRESS = "kansen@co-operations.nl"
RAW_PREFIX = "raw/"
TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:coop-local-intake"


def new_message_id() -> str:
    """Like SES's: 40 lowercase letters and digits."""
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(40))


def notification(
    raw: bytes,
    *,
    bucket: str,
    message_id: str,
    received_at: datetime | None = None,
    spam: str = "PASS",
    virus: str = "PASS",
    spf: str = "PASS",
    dkim: str = "PASS",
    dmarc: str = "PASS",
    source: str | None = None,
) -> dict[str, Any]:
    """The SNS message SES publishes for `raw`, stored at `raw/<message_id>` in `bucket`."""
    at = (received_at or datetime.now(UTC)).astimezone(UTC)
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"
    headers = _headers(raw)
    # The envelope sender (SMTP MAIL FROM) is what the sending server said: plain ASCII.
    address = headers["address"] if (headers["address"] or "").isascii() else None
    envelope = source or address or "unknown@invalid.example"
    return {
        "notificationType": "Received",
        "mail": {
            "timestamp": stamp,
            "source": envelope,
            "messageId": message_id,
            "destination": [INTAKE_ADDRESS],
            "headersTruncated": False,
            "headers": headers["list"],
            "commonHeaders": {
                "returnPath": envelope,
                "from": [headers["from"]] if headers["from"] else [],
                "to": [INTAKE_ADDRESS],
                "subject": headers["subject"],
                "messageId": message_id,
            },
        },
        "receipt": {
            "timestamp": stamp,
            "processingTimeMillis": 312,
            "recipients": [INTAKE_ADDRESS],
            "spamVerdict": {"status": spam},
            "virusVerdict": {"status": virus},
            "spfVerdict": {"status": spf},
            "dkimVerdict": {"status": dkim},
            "dmarcVerdict": {"status": dmarc},
            "action": {
                "type": "S3",
                "topicArn": TOPIC_ARN,
                "bucketName": bucket,
                "objectKeyPrefix": RAW_PREFIX,
                "objectKey": f"{RAW_PREFIX}{message_id}",
            },
        },
    }


def _headers(raw: bytes) -> dict[str, Any]:
    """What SES reports of the headers (it parses them too); anything unreadable left out."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
        listed = [{"name": k, "value": _text(v)} for k, v in list(message.raw_items())[:50]]
        return {
            "list": listed,
            "address": sender_address(message),
            "from": header_text(message, "from"),
            "subject": header_text(message, "subject"),
        }
    except Exception:
        return {"list": [], "address": None, "from": "", "subject": ""}


def _text(value: object) -> str:
    """A raw header value as SES reports it: 8-bit bytes read as UTF-8, never lone surrogates."""
    raw = str(value).encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "replace")[:1000]


def lambda_event(message: dict[str, Any], topic_arn: str = TOPIC_ARN) -> dict[str, Any]:
    """The event Lambda receives from SNS, carrying `message` as its text."""
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{topic_arn}:0b1c2d3e",
                "Sns": {
                    "Type": "Notification",
                    "MessageId": new_message_id(),
                    "TopicArn": topic_arn,
                    "Subject": "Amazon SES Email Receipt Notification",
                    "Message": json.dumps(message),
                    "Timestamp": message["receipt"]["timestamp"],
                    "MessageAttributes": {},
                },
            }
        ]
    }
