"""Reminders two days before a meeting to those registered, queued and sent."""

from __future__ import annotations

from infra.cfn import Json
from infra.policies import Function, grants


def statements(function: Function) -> list[Json]:
    return [grants.main_table(write=True), grants.send_mail()]
