"""Domain errors. The API maps each kind to one HTTP status in one place (api/errors.py).

An error carries a stable machine code and its parameters, never a sentence: the API renders
it in the caller's language from the catalogue in chalicelib/i18n/errors.py. Amounts go as
`Cents` (rendered as money), days as `datetime.date` (rendered as a date):

    raise Conflict("payout_above_owed", amount=Cents(500000), owed=Cents(1200))
    raise InvalidInput("invalid_input", problems=[FieldProblem("iban", "not_an_iban")])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any


class Cents(int):
    """An amount in cents that a person reads as money (`€ 5.000,00` / `€5,000.00`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Cents({int(self)})"


@dataclasses.dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field: a stable code (`required`, `not_an_email`, ...) and the
    parameters its sentence needs (`minimum=5`)."""

    field: str
    code: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


class DomainError(Exception):
    """Base of every error a caller can cause; never a bug."""

    kind = "error"

    def __init__(
        self, code: str, /, *, problems: Sequence[FieldProblem] = (), **params: Any
    ) -> None:
        described = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{code} ({described})" if described else code)
        self.code = code
        self.params: dict[str, Any] = params
        self.problems: tuple[FieldProblem, ...] = tuple(problems)


class InvalidInput(DomainError):
    kind = "invalid_input"


class Unauthenticated(DomainError):
    kind = "unauthenticated"


class Forbidden(DomainError):
    kind = "forbidden"


class NotFound(DomainError):
    kind = "not_found"


class Conflict(DomainError):
    kind = "conflict"


class YearDistributed(Conflict):
    """The year's pot is distributed: it takes no more coins and no more money."""

    def __init__(self, year: int) -> None:
        super().__init__("year_distributed", year=year)
        self.year = year


class IdempotencyConflict(Conflict):
    """The idempotency key was used before with a different request."""

    def __init__(self, key: str) -> None:
        # The key (a bank reference, an invoice number) is the member's own word: it may be
        # named; it is never an internal id.
        super().__init__("idempotency_key_reused", key=key)
        self.key = key
