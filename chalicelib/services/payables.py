"""What the collective owes members (referral shares, pot payouts), for the treasurer."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from chalicelib.domain.errors import FieldProblem, InvalidInput
from chalicelib.domain.membership import Member
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.members import MemberStore


@dataclass(frozen=True)
class Payable:
    member: Member
    to_receive_cents: int


@dataclass(frozen=True)
class PayablePage:
    items: list[Payable]
    next_cursor: str | None


class PayablesService:
    def __init__(self, members: MemberStore, ledger_store: LedgerStore) -> None:
        self.members = members
        self.ledger = ledger_store

    def page(self, limit: int, cursor: str | None) -> PayablePage:
        """Members the collective owes something, largest amount first."""
        owed = sorted(
            ((cents, member_id) for member_id, cents in self.ledger.iter_payable_balances()),
            key=lambda pair: (-pair[0], pair[1]),
        )
        owed = [(cents, member_id) for cents, member_id in owed if cents > 0]
        start = _offset(cursor)
        items = [
            Payable(self.members.get_member(member_id), cents)
            for cents, member_id in owed[start : start + limit]
        ]
        more = start + limit < len(owed)
        return PayablePage(items, _cursor(start + limit) if more else None)


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"payables:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind == "payables" and number.isdigit():
            return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise InvalidInput("cursor is not valid", [FieldProblem("cursor", "not a cursor of this list")])
