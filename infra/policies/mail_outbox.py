"""The mail outbox: sends queued mails (payouts, reminders, announcements) and marks them
sent in the main table, retrying what SES refused."""

from __future__ import annotations

from infra.cfn import Json
from infra.policies import Function, grants


def statements(function: Function) -> list[Json]:
    return [grants.main_table(write=True), grants.send_mail()]
