"""The SES inbound notification (receipt rule: S3 action with an SNS topic), validated.

AWS Lambda Powertools ships models of these events, but they would add a runtime dependency
(and its import time) for six small classes; these follow FACTS.md's shape and ignore fields
they do not use, as AWS adds fields over time. `notice_of` is the adapter: the intake service
receives its domain value, never this event.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chalicelib.domain.intake import MailNotice, UnreadableNotice, Verdicts

VerdictStatus = Literal["PASS", "FAIL", "GRAY", "PROCESSING_FAILED", "DISABLED"]


class _Event(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Verdict(_Event):
    status: VerdictStatus


class S3Action(_Event):
    type: Literal["S3"]
    bucket_name: str = Field(alias="bucketName", min_length=3, max_length=63)
    object_key: str = Field(alias="objectKey", min_length=1, max_length=1024)
    topic_arn: str | None = Field(default=None, alias="topicArn")


class Receipt(_Event):
    timestamp: datetime
    recipients: list[str] = []
    spam_verdict: Verdict = Field(alias="spamVerdict")
    virus_verdict: Verdict = Field(alias="virusVerdict")
    spf_verdict: Verdict = Field(alias="spfVerdict")
    dkim_verdict: Verdict = Field(alias="dkimVerdict")
    dmarc_verdict: Verdict | None = Field(default=None, alias="dmarcVerdict")
    action: S3Action


class CommonHeaders(_Event):
    from_: list[str] = Field(default=[], alias="from")
    subject: str | None = None
    return_path: str | None = Field(default=None, alias="returnPath")


class ReceivedMail(_Event):
    timestamp: datetime
    source: str = Field(max_length=320)
    # SES message ids are lowercase letters and digits; the intake record is keyed on it.
    message_id: str = Field(alias="messageId", pattern=r"^[A-Za-z0-9._+=-]{1,128}$")
    destination: list[str] = []
    common_headers: CommonHeaders = Field(default_factory=CommonHeaders, alias="commonHeaders")


class SesReceived(_Event):
    notification_type: Literal["Received"] = Field(alias="notificationType")
    mail: ReceivedMail
    receipt: Receipt


def notice_of(message: str) -> MailNotice | UnreadableNotice:
    """The SNS message text of an SES notification as the intake's domain value; any text
    that is not one (random bytes, a broken event) is an UnreadableNotice."""
    try:
        event = SesReceived.model_validate_json(message)
    except ValidationError:
        digest = hashlib.sha256(message.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return UnreadableNotice(digest)
    r, headers = event.receipt, event.mail.common_headers
    return MailNotice(
        message_id=event.mail.message_id,
        received_at=r.timestamp,
        source=event.mail.source,
        from_=tuple(headers.from_),
        subject=headers.subject,
        return_path=headers.return_path,
        verdicts=Verdicts(
            r.spam_verdict.status,
            r.virus_verdict.status,
            r.spf_verdict.status,
            r.dkim_verdict.status,
            r.dmarc_verdict.status if r.dmarc_verdict else "GRAY",
        ),
        bucket=r.action.bucket_name,
        key=r.action.object_key,
    )
