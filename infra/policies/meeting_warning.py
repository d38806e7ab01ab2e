"""The board hears when the next quarter has no meeting by the middle of this one: the
admins are found in the Cognito group, the mail is queued and sent."""

from __future__ import annotations

from infra.cfn import Json
from infra.policies import Function, grants


def statements(function: Function) -> list[Json]:
    return [grants.main_table(write=True), grants.list_admins(), grants.send_mail()]
