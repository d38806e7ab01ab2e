"""What the collective owes members (referral shares, pot payouts), for the treasurer."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from chalicelib.domain.errors import FieldProblem, InvalidInput
from chalicelib.domain.membership import Member
from chalicelib.domain.search import member_matches
from chalicelib.services.member_numbers import MemberNumbers
from chalicelib.store.ports import LedgerRepository, MemberDirectory


@dataclass(frozen=True)
class Payable:
    member: Member
    to_receive_cents: int


@dataclass(frozen=True)
class PayablePage:
    items: list[Payable]
    next_cursor: str | None
    total_cents: int = 0  # of every member on the list (all pages), not only this page
    count: int = 0


class PayablesService:
    def __init__(
        self,
        members: MemberDirectory,
        ledger_store: LedgerRepository,
        numbers: MemberNumbers | None = None,
    ) -> None:
        self.members = members
        self.ledger = ledger_store
        self.numbers = numbers  # a search by payment reference (RF) finds its member

    def page(self, limit: int, cursor: str | None, search: str | None = None) -> PayablePage:
        """Members the collective owes something, largest amount first; with `search`, only
        those whose name, e-mail address or payment reference it finds. The total and count
        are of the whole list, summed over the balances this page reads anyway."""
        owed = sorted(
            ((cents, member_id) for member_id, cents in self.ledger.iter_payable_balances()),
            key=lambda pair: (-pair[0], pair[1]),
        )
        owed = [(cents, member_id) for cents, member_id in owed if cents > 0]
        known: dict[str, Member] = {}
        if search:
            # a search needs every creditor's name: one batch read of them
            known = self.members.get_members([member_id for _, member_id in owed])
            named = self.numbers.members_named_in(search) if self.numbers else set()
            owed = [
                (cents, member_id)
                for cents, member_id in owed
                if member_id in known
                and (
                    member_id in named
                    or member_matches(
                        search, known[member_id].name, known[member_id].email, member_id
                    )
                )
            ]
        start = _offset(cursor)
        items = [
            Payable(known.get(member_id) or self.members.get_member(member_id), cents)
            for cents, member_id in owed[start : start + limit]
        ]
        more = start + limit < len(owed)
        return PayablePage(
            items,
            _cursor(start + limit) if more else None,
            total_cents=sum(cents for cents, _ in owed),
            count=len(owed),
        )


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
    raise InvalidInput("invalid_input", problems=[FieldProblem("cursor", "not_a_cursor")])
