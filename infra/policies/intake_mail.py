"""Mail intake: reads the raw mail SES stored, keeps attachments, records the intake,
creates the opportunity and mails the member a confirmation."""

from __future__ import annotations

from infra.cfn import Json
from infra.policies import Function, grants


def statements(function: Function) -> list[Json]:
    return [
        grants.main_table(write=True),
        grants.read_raw_mail(),
        grants.store_attachments(),
        grants.send_mail(),
    ]
