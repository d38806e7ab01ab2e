"""The yearly distribution: freezes the pot, books payouts, mails, continues itself."""

from __future__ import annotations

from infra.cfn import Json
from infra.policies import Function, grants


def statements(function: Function) -> list[Json]:
    return [
        grants.main_table(write=True),
        grants.ledger_table(write=True),
        grants.send_mail(),
        grants.continue_itself(function),
    ]
