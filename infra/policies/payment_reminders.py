"""Payment reminders: reads receivables from the ledger, records reminders, mails."""

from __future__ import annotations

from infra.cfn import Json
from infra.policies import Function, grants


def statements(function: Function) -> list[Json]:
    return [
        grants.main_table(write=True),
        grants.ledger_table(write=False),
        grants.send_mail(),
    ]
