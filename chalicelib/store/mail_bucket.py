"""The intake bucket in S3: raw mail as SES stored it (under raw/), and the attachments of
mailed-in opportunities (under attachments/, kept for good), handed out by signed links."""

from __future__ import annotations

import re
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError

ATTACHMENTS_PREFIX = "attachments/"
_MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}


def s3_client(session: Any, region: str) -> Any:
    """An S3 client that presigns with Signature V4 at the regional endpoint: boto3's default
    signs links with V2, which buckets made since mid-2020 refuse."""
    config = Config(signature_version="s3v4", s3={"us_east_1_regional_endpoint": "regional"})
    return session.client("s3", region_name=region, config=config)


class MailBucket:
    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket  # where attachments go (the raw mail's bucket is in the event)

    def size(self, bucket: str, key: str) -> int | None:
        """The object's size in bytes; None when there is no such object."""
        try:
            head = self.client.head_object(Bucket=bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        return int(head["ContentLength"])

    def read(self, bucket: str, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=bucket, Key=key)["Body"].read())

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Stores a file; writing the same key again (a redelivered mail) changes nothing."""
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def put_raw(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data)

    def download_link(self, key: str, filename: str, seconds: int) -> str:
        """A presigned GET that works for `seconds`, saving the file under its own name."""
        ascii_name = re.sub(r"[^\w .()-]", "_", filename.encode("ascii", "replace").decode())
        return str(
            self.client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": key,
                    "ResponseContentDisposition": f'attachment; filename="{ascii_name}"',
                },
                ExpiresIn=seconds,
            )
        )


def attachment_key(message_id: str, number: int, filename: str) -> str:
    safe = re.sub(r"[^\w.()-]+", "_", filename)[:100] or "file"
    return f"{ATTACHMENTS_PREFIX}{message_id}/{number}/{safe}"
