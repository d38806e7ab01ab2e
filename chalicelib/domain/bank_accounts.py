"""A member's bank account: the IBAN and account holder payouts go to (SPEC "Money through the
bank"). Pure: checking, normalising and masking; no I/O.

An IBAN is checked as a bank would (country, its length there, mod 97) and kept compact and
uppercase (`NL91ABNA0417164300`), however it was typed (`nl91 abna 0417 1643 00`). Elsewhere
than to the member and admins it is shown masked but its last four characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.errors import FieldProblem, InvalidInput

ACCOUNT_HOLDER_MAX = 70  # SEPA's limit for a name in a transfer (pain.001 Nm)


@dataclass(frozen=True)
class BankAccount:
    member_id: str
    iban: str  # compact, uppercase
    account_holder: str
    changed_at: datetime  # when it was registered or last changed

    @property
    def masked_iban(self) -> str:
        return mask_iban(self.iban)


def normalise_iban(text: str, field: str = "iban") -> str:
    """The IBAN compact and uppercase; InvalidInput naming `field` (`not_an_iban`) otherwise."""
    from stdnum import iban as iban_scheme  # python-stdnum imported on first use, not with the app

    if isinstance(text, str):
        compact = str(iban_scheme.compact(text))
        if compact.isascii() and compact.isalnum() and iban_scheme.is_valid(compact):
            return compact
    raise InvalidInput("invalid_input", problems=[FieldProblem(field, "not_an_iban")])


def mask_iban(iban: str) -> str:
    """Every character but the last four hidden: `**************4300`."""
    from stdnum import iban as iban_scheme

    compact = str(iban_scheme.compact(iban))
    return "*" * max(len(compact) - 4, 0) + compact[-4:]


def format_iban(iban: str) -> str:
    """In groups of four, as a bank prints it: `NL91 ABNA 0417 1643 00`."""
    from stdnum import iban as iban_scheme

    return str(iban_scheme.format(iban))


def same_account(a: BankAccount | None, iban: str, account_holder: str) -> bool:
    return a is not None and a.iban == iban and a.account_holder == account_holder
