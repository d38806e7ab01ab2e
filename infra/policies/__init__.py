"""Each Lambda function's IAM policy.

The jobs (schedules and event handlers) name what they need in AWS in the job registry,
`chalicelib/jobs.py` `JOBS` (`access=("main_table:write", "send_mail", ...)`); GRANTS below
turns each name into its statement (building blocks in grants.py). The API's policy is
`infra/policies/api_handler.py`. A function in app.py with neither fails the template build
and the tests, naming the function. Permission to write the function's own logs is added
for every function by the template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chalicelib import jobs
from infra.cfn import Json
from infra.stages import Stage


@dataclass(frozen=True)
class Function:
    name: str  # the handler's name in app.py (`api_handler` for the routes)
    stage: Stage

    @property
    def function_name(self) -> str:
        return self.stage.function_name(self.name)


class MissingPolicy(Exception):
    pass


def _grants() -> dict[str, Callable[[Function], Json]]:
    from infra.policies import grants  # which imports this module

    return {
        "main_table:read": lambda _: grants.main_table(write=False),
        "main_table:write": lambda _: grants.main_table(write=True),
        "ledger_table:read": lambda _: grants.ledger_table(write=False),
        "ledger_table:write": lambda _: grants.ledger_table(write=True),
        "send_mail": lambda _: grants.send_mail(),
        "list_admins": lambda _: grants.list_admins(),
        "continue_itself": grants.continue_itself,
        "read_raw_mail": lambda _: grants.read_raw_mail(),
        "store_attachments": lambda _: grants.store_attachments(),
    }


def statements_for(function: Function) -> list[Json]:
    job = jobs.BY_NAME.get(function.name)
    if job is not None:
        known = _grants()
        return [known[access](function) for access in job.access]
    if function.name != "api_handler":
        raise MissingPolicy(
            f"function {function.name!r} in app.py has no IAM policy: declare it in the job "
            "registry (chalicelib/jobs.py JOBS) with the access it needs (see "
            "infra/policies/__init__.py and grants.py)"
        )
    from infra.policies import api_handler

    return api_handler.statements(function)
