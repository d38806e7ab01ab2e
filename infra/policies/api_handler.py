"""The API (every route): members, ledger, invitations, the mail the admin job routes send,
the board for the meeting warning run by hand, and signed links to mailed-in attachments."""

from __future__ import annotations

from infra.cfn import Json
from infra.policies import Function, grants


def statements(function: Function) -> list[Json]:
    return [
        grants.main_table(write=True),
        grants.ledger_table(write=True),
        grants.invite_members(),
        grants.list_admins(),
        grants.send_mail(),
        grants.read_attachments(),
    ]
