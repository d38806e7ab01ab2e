"""The SES inbound notification (receipt rule: S3 action with an SNS topic), validated.

AWS Lambda Powertools ships models of these events, but they would add a runtime dependency
(and its import time) for six small classes; these follow FACTS.md's shape and ignore fields
they do not use, as AWS adds fields over time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
