"""Each Lambda function's IAM policy: one module per function, named as in app.py.

A new schedule or handler `weekly_digest` in app.py needs `infra/policies/weekly_digest.py`
with a `statements(function)` that returns what it uses (building blocks in grants.py).
The template build and the tests fail, naming the function, until it exists. Permission to
write the function's own logs is added for every function by the template.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

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


def statements_for(function: Function) -> list[Json]:
    try:
        module = importlib.import_module(f"{__name__}.{function.name}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{function.name}":
            raise
        raise MissingPolicy(
            f"function {function.name!r} in app.py has no IAM policy: add "
            f"infra/policies/{function.name}.py with statements(function) naming the actions "
            "and resources it uses (see infra/policies/grants.py)"
        ) from None
    build = cast(Callable[[Function], list[Json]], module.statements)
    return build(function)
