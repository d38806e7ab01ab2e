"""Reading a bank statement: ISO 20022 camt.053 (versions .001.02 to .001.08), as Dutch banks
(ING, Rabobank, ABN AMRO, bunq, Triodos) export them.

Pure: bytes in, a `BankStatement` out, or an `InvalidInput` naming what is wrong in words. The
XML is parsed by defusedxml with every dangerous feature refused (no DTD, no entity of any
kind, no external reference), and a file above `MAX_STATEMENT_BYTES` is refused before it is
parsed at all, so no file can make the parser expand, fetch or grow without bound.

Each entry (`Ntry`) yields one line, or one line per transaction detail (`NtryDtls/TxDtls`)
when a batch entry carries several. Amounts are read from their decimal text into whole cents,
never through a float. A line's key is the bank's own reference for it (`AcctSvcrRef`, of the
transaction or else of the entry); without one, a digest of what the line says, so the same
line in two overlapping statements has the same key.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from chalicelib.domain.errors import InvalidInput

if TYPE_CHECKING:  # the parser is imported when a statement is read: most requests read none
    import xml.etree.ElementTree as ElementTree

MAX_STATEMENT_BYTES = 10 * 1024 * 1024  # a year of a busy account is well under this
NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."
SUPPORTED_VERSIONS = ("02", "03", "04", "05", "06", "07", "08")
_AMOUNT = re.compile(r"^[ \t\r\n]*([0-9]{1,18})(?:\.([0-9]{1,5}))?[ \t\r\n]*$")
# Banks write "NOTPROVIDED" where a payer gave no end-to-end id; it names nothing.
_NO_END_TO_END = frozenset({"", "NOTPROVIDED", "NOT PROVIDED"})

Direction = Literal["credit", "debit"]


@dataclass(frozen=True)
class StatementLine:
    """One booked movement on the account, as the bank reported it."""

    line_key: str  # the bank's reference of the line, else a digest of it: its idempotency key
    direction: Direction
    amount_cents: int  # always positive; `direction` says which way
    booked_on: date
    bank_reference: str | None  # AcctSvcrRef, when the bank gave one
    structured_reference: str | None  # RmtInf/Strd/CdtrRefInf/Ref (an RF reference, usually)
    remittance_text: str  # RmtInf/Ustrd, joined
    counterparty_name: str | None  # the payer of a credit, the payee of a debit
    counterparty_iban: str | None
    end_to_end_id: str | None
    return_reason: str | None  # RtrInf/Rsn/Cd: a transfer that came back (AC04, MD06, ...)


@dataclass(frozen=True)
class BankStatement:
    version: str  # "camt.053.001.02"
    statement_ids: tuple[str, ...]  # Stmt/Id of each statement in the file
    account_iban: str
    lines: tuple[StatementLine, ...]


def parse_statement(data: bytes) -> BankStatement:
    """The statement in `data`; InvalidInput when it is not a readable camt.053."""
    if len(data) > MAX_STATEMENT_BYTES:
        raise InvalidInput("statement_too_large", limit_mb=MAX_STATEMENT_BYTES // (1024 * 1024))
    if not data.strip():
        raise InvalidInput("statement_empty")
    import xml.etree.ElementTree as ElementTree

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as refused:
        raise InvalidInput("statement_unsafe_xml") from refused
    except (ElementTree.ParseError, ValueError, UnicodeError) as unreadable:
        raise InvalidInput("statement_not_xml") from unreadable
    namespace, _, local = str(root.tag).lstrip("{").partition("}")
    if local != "Document" or not namespace.startswith(NAMESPACE_PREFIX):
        raise InvalidInput("statement_wrong_format")
    version = namespace.removeprefix(NAMESPACE_PREFIX)
    if version not in SUPPORTED_VERSIONS:
        raise InvalidInput("statement_version_unsupported", version=f"001.{version}")
    return _Reader(namespace, f"camt.053.001.{version}").statement(root)


class _Reader:
    def __init__(self, namespace: str, version: str) -> None:
        self.ns = {"c": namespace}
        self.version = version

    def _find(self, element: ElementTree.Element, path: str) -> ElementTree.Element | None:
        return element.find(_qualified(path), self.ns)

    def _text(self, element: ElementTree.Element, path: str) -> str | None:
        found = self._find(element, path)
        if found is None or found.text is None:
            return None
        text = " ".join(found.text.split())
        return text or None

    def _all(self, element: ElementTree.Element, path: str) -> list[ElementTree.Element]:
        return element.findall(_qualified(path), self.ns)

    def statement(self, root: ElementTree.Element) -> BankStatement:
        statements = self._all(root, "BkToCstmrStmt/Stmt")
        if not statements:
            raise InvalidInput("statement_wrong_format")
        ibans, ids, lines = set(), [], []
        entry_number = 0
        for stmt in statements:
            iban = self._text(stmt, "Acct/Id/IBAN")
            if iban is None:
                raise InvalidInput("statement_no_account")
            ibans.add(iban.replace(" ", "").upper())
            ids.append(self._text(stmt, "Id") or "")
            for entry in self._all(stmt, "Ntry"):
                entry_number += 1
                lines.extend(self._entry(entry, entry_number, iban))
        if len(ibans) > 1:
            raise InvalidInput("statement_several_accounts")
        return BankStatement(self.version, tuple(ids), ibans.pop(), tuple(_unique_keys(lines)))

    def _entry(self, entry: ElementTree.Element, number: int, iban: str) -> list[StatementLine]:
        status = self._text(entry, "Sts") or self._text(entry, "Sts/Cd")
        if status is not None and status != "BOOK":
            return []  # pending or information only: the bank has not booked it
        amount_cents = self._amount(entry, "Amt", number)
        if amount_cents is None:
            raise InvalidInput("statement_entry_no_amount", entry=number)
        direction = self._direction(self._text(entry, "CdtDbtInd"), number)
        booked_on = self._date(entry, "BookgDt", number) or self._date(entry, "ValDt", number)
        if booked_on is None:
            raise InvalidInput("statement_entry_no_date", entry=number)
        entry_reference = self._text(entry, "AcctSvcrRef")
        details = self._all(entry, "NtryDtls/TxDtls")
        if len(details) <= 1:
            tx = details[0] if details else None
            return [
                self._line(
                    tx, direction, amount_cents, booked_on, entry_reference, iban, entry, number
                )
            ]
        lines = []
        for index, tx in enumerate(details, start=1):
            tx_amount = self._amount(tx, "Amt", number)
            if tx_amount is None:
                tx_amount = self._amount(tx, "AmtDtls/TxAmt/Amt", number)
            if tx_amount is None:
                raise InvalidInput("statement_entry_no_amount", entry=number)
            indicator = self._text(tx, "CdtDbtInd")
            tx_direction = self._direction(indicator, number) if indicator else direction
            # One entry, several transactions: each is a line of its own; without a reference
            # of its own it is known by the entry's and its place in the entry.
            reference = f"{entry_reference}/{index}" if entry_reference else None
            lines.append(
                self._line(tx, tx_direction, tx_amount, booked_on, reference, iban, entry, number)
            )
        return lines

    def _line(
        self,
        tx: ElementTree.Element | None,
        direction: Direction,
        amount_cents: int,
        booked_on: date,
        reference: str | None,
        iban: str,
        entry: ElementTree.Element,
        number: int,
    ) -> StatementLine:
        scope = tx if tx is not None else entry
        bank_reference = (self._text(tx, "Refs/AcctSvcrRef") if tx is not None else None) or (
            reference
        )
        # The other party: who paid us on a credit, whom we paid on a debit. A returned
        # transfer is a credit whose debtor is the payee of the original transfer.
        party = "Dbtr" if direction == "credit" else "Cdtr"
        name = (
            self._text(scope, f"RltdPties/{party}/Nm")
            or self._text(scope, f"RltdPties/{party}/Pty/Nm")
            or None
        )
        counterparty_iban = self._text(scope, f"RltdPties/{party}Acct/Id/IBAN")
        structured = None
        for ref in self._all(scope, "RmtInf/Strd/CdtrRefInf/Ref"):
            if ref.text and ref.text.strip():
                structured = " ".join(ref.text.split())
                break
        text = " ".join(
            " ".join(u.text.split()) for u in self._all(scope, "RmtInf/Ustrd") if u.text
        ).strip()
        if not text:  # some banks put the description of a line only here
            text = self._text(entry, "AddtlNtryInf") or ""
        end_to_end = self._text(scope, "Refs/EndToEndId")
        if end_to_end is not None and end_to_end.upper() in _NO_END_TO_END:
            end_to_end = None
        return_reason = self._text(scope, "RtrInf/Rsn/Cd") or self._text(scope, "RtrInf/Rsn/Prtry")
        fields = (
            iban,
            booked_on.isoformat(),
            direction,
            str(amount_cents),
            structured or "",
            text,
            name or "",
            (counterparty_iban or "").replace(" ", "").upper(),
            end_to_end or "",
            return_reason or "",
        )
        key = (
            bank_reference
            or "line-" + hashlib.sha256("\x1f".join(fields).encode()).hexdigest()[:24]
        )
        return StatementLine(
            line_key=key,
            direction=direction,
            amount_cents=amount_cents,
            booked_on=booked_on,
            bank_reference=bank_reference,
            structured_reference=structured,
            remittance_text=text[:500],
            counterparty_name=name,
            counterparty_iban=(counterparty_iban or "").replace(" ", "").upper() or None,
            end_to_end_id=end_to_end,
            return_reason=return_reason,
        )

    def _amount(self, element: ElementTree.Element, path: str, number: int) -> int | None:
        found = self._find(element, path)
        if found is None:
            return None
        currency = found.get("Ccy")
        if currency is not None and currency != "EUR":
            raise InvalidInput("statement_not_euro", entry=number, currency=currency[:3])
        cents = amount_to_cents(found.text or "")
        if cents is None:
            raise InvalidInput("statement_entry_bad_amount", entry=number)
        return cents

    def _direction(self, indicator: str | None, number: int) -> Direction:
        if indicator == "CRDT":
            return "credit"
        if indicator == "DBIT":
            return "debit"
        raise InvalidInput("statement_entry_no_direction", entry=number)

    def _date(self, entry: ElementTree.Element, path: str, number: int) -> date | None:
        text = self._text(entry, f"{path}/Dt") or self._text(entry, f"{path}/DtTm")
        if text is None:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError as bad:
            raise InvalidInput("statement_entry_no_date", entry=number) from bad


def amount_to_cents(text: str) -> int | None:
    """'1234.5' -> 123450; None for anything that is not a plain positive decimal amount in
    whole cents (a fraction of a cent cannot be booked)."""
    match = _AMOUNT.match(text)
    if match is None:
        return None
    whole, fraction = match.group(1), (match.group(2) or "").ljust(5, "0")
    if fraction[2:] != "000":
        return None
    return int(whole) * 100 + int(fraction[:2])


def _qualified(path: str) -> str:
    return "/".join(f"c:{step}" for step in path.split("/"))


def _unique_keys(lines: list[StatementLine]) -> list[StatementLine]:
    """Two lines of one file with the same key (identical lines without a bank reference, or
    a bank that repeats one) keep apart: the second gets '#2', the third '#3', in file order,
    which a later export of the same days repeats."""
    seen: dict[str, int] = {}
    unique = []
    for line in lines:
        count = seen.get(line.line_key, 0) + 1
        seen[line.line_key] = count
        if count > 1:
            line = StatementLine(**{**line.__dict__, "line_key": f"{line.line_key}#{count}"})
        unique.append(line)
    return unique
