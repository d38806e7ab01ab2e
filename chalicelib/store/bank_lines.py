"""Imported bank statement lines in DynamoDB (the main table).

One item a line, keyed by the line's key (the bank's reference, else a digest of the line):
`BANKLINE#<key>` / `LINE`. It is written once, with the condition that it does not exist, in
the same unit of work as what the line books (a member's payment, a payout's settlement), so a
line is booked at most once whichever import, or how many at the same moment, sees it. Its
status (`booked`, `unmatched`, `set_aside`, `executed`, `returned`) is indexed on GSI1
(`BANKLINES#<status>`, by booking day), so each list is a Query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from chalicelib.domain.errors import NotFound
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.schema import GSI_BY_STATUS
from chalicelib.store.timestamps import stamp, unstamp
from chalicelib.store.uow import AlreadyDone, UnitOfWork

STATUSES = ("booked", "unmatched", "set_aside", "executed", "returned")


@dataclass(frozen=True)
class BankLine:
    line_key: str
    statement_id: str
    status: str
    direction: str  # credit | debit
    amount_cents: int
    booked_on: date
    structured_reference: str | None
    remittance_text: str
    counterparty_name: str | None
    counterparty_iban: str | None
    end_to_end_id: str | None
    return_reason: str | None
    imported_at: datetime
    member_id: str | None = None  # whose payment it was booked as
    suggested_member_id: str | None = None
    reason: str | None = None  # why it was set aside
    decided_by: str | None = None  # the admin who assigned or set it aside
    decided_at: datetime | None = None
    transaction_id: str | None = None  # the ledger transaction it booked


@dataclass(frozen=True)
class BankLinePage:
    lines: list[BankLine]
    next_cursor: str | None


class LineSeenBefore(AlreadyDone):
    """The line was imported before (by an earlier or a simultaneous import)."""


def _key(line_key: str) -> tuple[str, str]:
    # keys are the bank's own words: the same reference in another case is the same line
    return f"BANKLINE#{line_key.casefold()}", "LINE"


def _partition(status: str) -> str:
    return f"BANKLINES#{status}"


class BankLineStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def seen(self, line_keys: list[str]) -> set[str]:
        """Which of these lines were imported before (100 a request)."""
        found = self.table.get_many([_key(k) for k in line_keys])
        return {str(item["line_key"]) for item in found.values()}

    def get(self, line_key: str) -> BankLine:
        item = self.table.get(*_key(line_key))
        if item is None:
            raise NotFound("bank_line_not_found")
        return _line_from(item)

    def page(self, status: str, limit: int, cursor: str | None) -> BankLinePage:
        """The lines of one status, the latest booking day first."""
        page = self.table.query_page(
            _partition(status),
            limit=limit,
            cursor=cursor,
            index=GSI_BY_STATUS,
            newest_first=True,
        )
        return BankLinePage([_line_from(i) for i in page.items], page.next_cursor)

    def register_new(self, uow: UnitOfWork, line: BankLine) -> None:
        """The line's record, on condition that no import wrote it before: registered first,
        so that a line seen before explains the refusal (nothing it books is written)."""
        name = f"bank_line.{line.line_key}"
        uow.put(
            name,
            self.table,
            _line_item(line),
            condition="attribute_not_exists(PK)",
            refusal=lambda: LineSeenBefore(name),
        )

    def register_decision(
        self, uow: UnitOfWork, line: BankLine, refusal: Callable[[], BaseException]
    ) -> None:
        """The line's new state (assigned and booked, or set aside), on condition that it still
        waits: two admins deciding at once, one of them is refused."""
        uow.put(
            f"bank_line.{line.line_key}",
            self.table,
            _line_item(line),
            condition="#status = :unmatched",
            names={"#status": "status"},
            values={":unmatched": "unmatched"},
            refusal=refusal,
        )


def _line_item(line: BankLine) -> Item:
    pk, sk = _key(line.line_key)
    return {
        "PK": pk,
        "SK": sk,
        "GSI1PK": _partition(line.status),
        "GSI1SK": f"{line.booked_on.isoformat()}#{line.line_key}",
        "line_key": line.line_key,
        "statement_id": line.statement_id,
        "status": line.status,
        "direction": line.direction,
        "amount_cents": line.amount_cents,
        "booked_on": line.booked_on.isoformat(),
        "structured_reference": line.structured_reference,
        "remittance_text": line.remittance_text,
        "counterparty_name": line.counterparty_name,
        "counterparty_iban": line.counterparty_iban,
        "end_to_end_id": line.end_to_end_id,
        "return_reason": line.return_reason,
        "imported_at": stamp(line.imported_at),
        "member_id": line.member_id,
        "suggested_member_id": line.suggested_member_id,
        "reason": line.reason,
        "decided_by": line.decided_by,
        "decided_at": stamp(line.decided_at) if line.decided_at else None,
        "transaction_id": line.transaction_id,
    }


def _line_from(item: Item) -> BankLine:
    return BankLine(
        line_key=item["line_key"],
        statement_id=item["statement_id"],
        status=item["status"],
        direction=item["direction"],
        amount_cents=int(item["amount_cents"]),
        booked_on=date.fromisoformat(item["booked_on"]),
        structured_reference=item.get("structured_reference"),
        remittance_text=item.get("remittance_text") or "",
        counterparty_name=item.get("counterparty_name"),
        counterparty_iban=item.get("counterparty_iban"),
        end_to_end_id=item.get("end_to_end_id"),
        return_reason=item.get("return_reason"),
        imported_at=unstamp(item["imported_at"]),
        member_id=item.get("member_id"),
        suggested_member_id=item.get("suggested_member_id"),
        reason=item.get("reason"),
        decided_by=item.get("decided_by"),
        decided_at=unstamp(item["decided_at"]) if item.get("decided_at") else None,
        transaction_id=item.get("transaction_id"),
    )
