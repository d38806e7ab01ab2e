"""The treasurer's export: every ledger entry of a date range as CSV for Dutch Excel.

Semicolon-separated, euros with a decimal comma, UTF-8 with a byte-order mark: what Excel
in a Dutch locale opens correctly with a double-click. Headers, kinds, accounts and
descriptions are in the reader's language (Dutch by default); each member's name stands
beside their member number. Amounts also appear in cents, and accounts by their code, so the
file parses back to the ledger. Rows are produced one transaction at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from chalicelib.domain.ledger import LedgerTransaction
from chalicelib.i18n import Language, descriptions
from chalicelib.periods import local_date
from chalicelib.store.ports import LedgerRepository, MemberDirectory

COLUMNS = (
    "date",
    "transaction_id",
    "kind",
    "account_name",
    "account",
    "member_id",
    "member_name",
    "debit_eur",
    "credit_eur",
    "debit_cents",
    "credit_cents",
    "reference",
    "description",
)
HEADERS: dict[str, dict[str, str]] = {
    "nl": {
        "date": "Datum",
        "transaction_id": "Boeking",
        "kind": "Soort",
        "account_name": "Rekening",
        "account": "Rekeningcode",
        "member_id": "Lidnummer",
        "member_name": "Lid",
        "debit_eur": "Debet (\u20ac)",
        "credit_eur": "Credit (\u20ac)",
        "debit_cents": "Debet (cent)",
        "credit_cents": "Credit (cent)",
        "reference": "Kenmerk",
        "description": "Omschrijving",
    },
    "en": {
        "date": "Date",
        "transaction_id": "Booking",
        "kind": "Kind",
        "account_name": "Account",
        "account": "Account code",
        "member_id": "Member number",
        "member_name": "Member",
        "debit_eur": "Debit (\u20ac)",
        "credit_eur": "Credit (\u20ac)",
        "debit_cents": "Debit (cents)",
        "credit_cents": "Credit (cents)",
        "reference": "Reference",
        "description": "Description",
    },
}
KINDS: dict[str, dict[str, str]] = {
    "nl": {
        "registration_fee": "inschrijfgeld",
        "dues": "contributie",
        "payment": "betaling",
        "payout": "uitbetaling",
        "fee": "fee",
        "pot_payout": "deel van de pot",
        "pot_carry_over": "pot doorgeschoven",
        "payout_offset": "verrekening bij uitbetaling",  # bank-payouts
        "payout_return": "uitbetaling teruggekomen",  # bank-payouts
    },
    "en": {
        "registration_fee": "registration fee",
        "dues": "dues",
        "payment": "payment",
        "payout": "payout",
        "fee": "fee",
        "pot_payout": "share of the pot",
        "pot_carry_over": "pot carried over",
        "payout_offset": "offset at payout",  # bank-payouts
        "payout_return": "payout returned",  # bank-payouts
    },
}
ACCOUNTS: dict[str, dict[str, str]] = {
    "nl": {
        "collective:bank": "bank",
        "collective:income:registration": "inkomsten inschrijfgeld",
        "collective:income:dues": "inkomsten contributie",
        "collective:income:fees": "inkomsten fees",
        "owes": "te ontvangen van lid",
        "receives": "te betalen aan lid",
        "pot": "pot {year}",
    },
    "en": {
        "collective:bank": "bank",
        "collective:income:registration": "income registration fees",
        "collective:income:dues": "income dues",
        "collective:income:fees": "income fees",
        "owes": "owed by member",
        "receives": "owed to member",
        "pot": "pot {year}",
    },
}
BOM = "\ufeff"


def eur(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}" if cents else ""


def account_name(account: str, lang: Language) -> str:
    names = ACCOUNTS[lang]
    if account in names:
        return names[account]
    parts = account.split(":")
    if parts[0] == "member" and len(parts) == 3 and parts[2] in names:
        return names[parts[2]]
    if account.startswith("collective:pot:"):
        return names["pot"].format(year=parts[-1])
    return account


def rows(
    transactions: Iterator[LedgerTransaction],
    member_names: dict[str, str] | None = None,
    lang: Language = "nl",
) -> Iterator[list[str]]:
    names = member_names if member_names is not None else {}
    for tx in transactions:
        for entry in tx.entries:
            debit, credit = max(entry.amount_cents, 0), max(-entry.amount_cents, 0)
            member = entry.account.split(":")[1] if entry.account.startswith("member:") else ""
            yield [
                local_date(tx.booked_at).isoformat(),
                tx.transaction_id,
                KINDS[lang].get(tx.kind, tx.kind),
                account_name(entry.account, lang),
                entry.account,
                member,
                names.get(member, "") if member else "",
                eur(debit),
                eur(credit),
                str(debit) if debit else "",
                str(credit) if credit else "",
                tx.reference,
                descriptions.ledger_line(
                    tx.kind, tx.transaction_id, tx.reference, entry.account, tx.description, lang
                ),
            ]


def csv_chunks(
    transactions: Iterator[LedgerTransaction],
    member_names: dict[str, str] | None = None,
    lang: Language = "nl",
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([HEADERS[lang][column] for column in COLUMNS])
    yield BOM + buffer.getvalue()
    for row in rows(transactions, member_names, lang):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


class ExportService:
    def __init__(self, ledger_store: LedgerRepository, members: MemberDirectory) -> None:
        self.ledger = ledger_store
        self.members = members

    def ledger_csv(self, first_day: date, last_day: date, lang: Language = "nl") -> Iterator[str]:
        names: dict[str, str] = {}
        return csv_chunks(
            self._named(self.ledger.iter_transactions(first_day, last_day), names), names, lang
        )

    def _named(
        self, transactions: Iterator[LedgerTransaction], names: dict[str, str]
    ) -> Iterator[LedgerTransaction]:
        """Passes the transactions on, having read the name of each member they touch once
        (a member who is gone keeps an empty name beside their number)."""
        for tx in transactions:
            wanted = {
                e.account.split(":")[1]
                for e in tx.entries
                if e.account.startswith("member:") and e.account.split(":")[1] not in names
            }
            if wanted:
                found = self.members.get_members(sorted(wanted))
                names.update({m: found[m].name if m in found else "" for m in wanted})
            yield tx
