"""The dues run: reads active members, books dues in the ledger, continues itself."""

from __future__ import annotations

from infra.cfn import Json
from infra.policies import Function, grants


def statements(function: Function) -> list[Json]:
    return [
        grants.main_table(write=False),
        grants.ledger_table(write=True),
        grants.continue_itself(function),
    ]
