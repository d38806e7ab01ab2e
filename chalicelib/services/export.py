"""The treasurer's export: every ledger entry of a date range as CSV for Dutch Excel.

Semicolon-separated, euros with a decimal comma, UTF-8 with a byte-order mark: what Excel
in a Dutch locale opens correctly with a double-click. Amounts also appear in cents, so
nothing is lost to formatting. Rows are produced one transaction at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from chalicelib.domain.ledger import LedgerTransaction
from chalicelib.periods import local_date
from chalicelib.store.ledger import LedgerStore

HEADER = [
    "date",
    "transaction_id",
    "kind",
    "account",
    "member_id",
    "debit_cents",
    "credit_cents",
    "debit_eur",
    "credit_eur",
    "reference",
    "description",
]
BOM = "\ufeff"


def eur(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}" if cents else ""


def rows(transactions: Iterator[LedgerTransaction]) -> Iterator[list[str]]:
    for tx in transactions:
        for entry in tx.entries:
            debit, credit = max(entry.amount_cents, 0), max(-entry.amount_cents, 0)
            member = entry.account.split(":")[1] if entry.account.startswith("member:") else ""
            yield [
                local_date(tx.booked_at).isoformat(),
                tx.transaction_id,
                tx.kind,
                entry.account,
                member,
                str(debit) if debit else "",
                str(credit) if credit else "",
                eur(debit),
                eur(credit),
                tx.reference,
                tx.description,
            ]


def csv_chunks(transactions: Iterator[LedgerTransaction]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    yield BOM + buffer.getvalue()
    for row in rows(transactions):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


class ExportService:
    def __init__(self, ledger_store: LedgerStore) -> None:
        self.ledger = ledger_store

    def ledger_csv(self, first_day: date, last_day: date) -> Iterator[str]:
        return csv_chunks(self.ledger.iter_transactions(first_day, last_day))
