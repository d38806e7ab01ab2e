"""Writes camt.053 bank statements as Dutch banks export them: the test fixtures and the demo's
`python -m devtools.cli bank statement`.

Each bank fills the standard differently, and the importer must read them all:
  - ing:      entry AcctSvcrRef, proprietary bank transaction code, text in Ustrd
  - rabobank: entry AcctSvcrRef, domain bank transaction code, the payer's name and IBAN
  - abnamro:  no entry AcctSvcrRef, the transaction's own AcctSvcrRef in Refs
  - bunq:     no bank reference at all (the importer keys lines by a digest), text in
              AddtlNtryInf
  - triodos:  entry AcctSvcrRef, the structured reference with its type (SCOR, ISO)
Every file this writes is valid against the official XSD of its version (tested).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import date, datetime

BANKS = ("ing", "rabobank", "abnamro", "bunq", "triodos")


@dataclass(frozen=True)
class Tx:
    """One transaction: a line of the statement (or one of a batch entry's details)."""

    amount_cents: int
    direction: str = "credit"  # "credit" | "debit"
    reference: str | None = None  # the bank's reference (AcctSvcrRef)
    structured: str | None = None  # RmtInf/Strd/CdtrRefInf/Ref
    text: str | None = None  # RmtInf/Ustrd
    name: str | None = None  # the other party
    iban: str | None = None  # the other party's account
    end_to_end_id: str | None = None
    return_reason: str | None = None  # RtrInf/Rsn/Cd


@dataclass(frozen=True)
class Entry:
    booked_on: date
    txs: tuple[Tx, ...]  # one: a plain line; several: a batch entry
    reference: str | None = None  # the entry's AcctSvcrRef
    direction: str | None = None  # the entry's; default: the first transaction's


@dataclass
class Statement:
    account_iban: str
    entries: list[Entry] = field(default_factory=list)
    statement_id: str = "STMT-1"
    created_at: datetime = datetime(2026, 12, 3, 6, 0, 0)
    opening_cents: int = 100_000
    account_name: str = "Cooperatie Co-operations U.A."


def write(statement: Statement, version: str = "02", bank: str = "ing") -> bytes:
    """The statement as camt.053.001.<version> in the style of `bank`."""
    return _Writer(version, bank).document(statement)


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class _Writer:
    def __init__(self, version: str, bank: str) -> None:
        if bank not in BANKS:
            raise ValueError(bank)
        self.v = int(version)
        self.version = version
        self.bank = bank
        self.ns = f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}"

    def _el(
        self, parent: ElementTree.Element, tag: str, text: str | None = None
    ) -> ElementTree.Element:
        child = ElementTree.SubElement(parent, f"{{{self.ns}}}{tag}")
        if text is not None:
            child.text = text
        return child

    def document(self, st: Statement) -> bytes:
        ElementTree.register_namespace("", self.ns)
        root = ElementTree.Element(f"{{{self.ns}}}Document")
        report = self._el(root, "BkToCstmrStmt")
        header = self._el(report, "GrpHdr")
        self._el(header, "MsgId", f"{st.statement_id}-{self.version}")
        self._el(header, "CreDtTm", st.created_at.strftime("%Y-%m-%dT%H:%M:%S"))
        stmt = self._el(report, "Stmt")
        self._el(stmt, "Id", st.statement_id)
        self._el(stmt, "ElctrncSeqNb", "1")
        self._el(stmt, "CreDtTm", st.created_at.strftime("%Y-%m-%dT%H:%M:%S"))
        days = [e.booked_on for e in st.entries] or [st.created_at.date()]
        span = self._el(stmt, "FrToDt")
        self._el(span, "FrDtTm", f"{min(days).isoformat()}T00:00:00")
        self._el(span, "ToDtTm", f"{max(days).isoformat()}T23:59:59")
        account = self._el(stmt, "Acct")
        self._el(self._el(account, "Id"), "IBAN", st.account_iban)
        self._el(account, "Ccy", "EUR")
        if self.bank != "bunq":
            self._el(account, "Nm", st.account_name)
        closing = st.opening_cents + sum(
            t.amount_cents if t.direction == "credit" else -t.amount_cents
            for e in st.entries
            for t in e.txs
        )
        self._balance(stmt, "OPBD", st.opening_cents, min(days))
        self._balance(stmt, "CLBD", closing, max(days))
        for entry in st.entries:
            self._entry(stmt, entry)
        ElementTree.indent(root)  # as banks export them: one element a line
        data: bytes = ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True)
        return data + b"\n"

    def _balance(self, stmt: ElementTree.Element, code: str, cents: int, day: date) -> None:
        bal = self._el(stmt, "Bal")
        self._el(self._el(self._el(bal, "Tp"), "CdOrPrtry"), "Cd", code)
        amount = self._el(bal, "Amt", _money(abs(cents)))
        amount.set("Ccy", "EUR")
        self._el(bal, "CdtDbtInd", "CRDT" if cents >= 0 else "DBIT")
        self._el(self._el(bal, "Dt"), "Dt", day.isoformat())

    def _signed(self, tx: Tx) -> int:
        return tx.amount_cents if tx.direction == "credit" else -tx.amount_cents

    def _entry(self, stmt: ElementTree.Element, entry: Entry) -> None:
        ntry = self._el(stmt, "Ntry")
        total = sum(self._signed(t) for t in entry.txs)
        direction = entry.direction or entry.txs[0].direction
        amount = self._el(ntry, "Amt", _money(abs(total)))
        amount.set("Ccy", "EUR")
        self._el(ntry, "CdtDbtInd", "CRDT" if direction == "credit" else "DBIT")
        if self.v >= 7:
            self._el(self._el(ntry, "Sts"), "Cd", "BOOK")
        else:
            self._el(ntry, "Sts", "BOOK")
        self._el(self._el(ntry, "BookgDt"), "Dt", entry.booked_on.isoformat())
        self._el(self._el(ntry, "ValDt"), "Dt", entry.booked_on.isoformat())
        if entry.reference and self.bank not in ("abnamro", "bunq"):
            self._el(ntry, "AcctSvcrRef", entry.reference)
        self._bank_code(ntry, entry.txs[0])
        details = self._el(ntry, "NtryDtls")
        if len(entry.txs) > 1:
            batch = self._el(details, "Btch")
            self._el(batch, "NbOfTxs", str(len(entry.txs)))
        for tx in entry.txs:
            self._tx(details, tx, several=len(entry.txs) > 1, entry=entry)
        if self.bank == "bunq" and len(entry.txs) == 1 and entry.txs[0].text:
            self._el(ntry, "AddtlNtryInf", entry.txs[0].text)

    def _bank_code(self, parent: ElementTree.Element, tx: Tx) -> None:
        code = self._el(parent, "BkTxCd")
        if self.bank == "ing":
            prtry = self._el(code, "Prtry")
            self._el(prtry, "Cd", "00100" if tx.direction == "credit" else "00200")
            self._el(prtry, "Issr", "INGBANK")
            return
        domain = self._el(code, "Domn")
        self._el(domain, "Cd", "PMNT")
        family = self._el(domain, "Fmly")
        if tx.return_reason:
            self._el(family, "Cd", "ICDT")
            self._el(family, "SubFmlyCd", "RRTN")
        else:
            self._el(family, "Cd", "RCDT" if tx.direction == "credit" else "ICDT")
            self._el(family, "SubFmlyCd", "ESCT")

    def _tx(self, details: ElementTree.Element, tx: Tx, *, several: bool, entry: Entry) -> None:
        d = self._el(details, "TxDtls")
        refs = self._el(d, "Refs")
        tx_reference = tx.reference
        if self.bank == "abnamro" and tx_reference is None and not several:
            tx_reference = entry.reference  # ABN AMRO gives the line's reference here
        if tx_reference and self.bank != "bunq":
            self._el(refs, "AcctSvcrRef", tx_reference)
        self._el(refs, "EndToEndId", tx.end_to_end_id or "NOTPROVIDED")
        if self.v >= 3:
            amount = self._el(d, "Amt", _money(tx.amount_cents))
            amount.set("Ccy", "EUR")
            self._el(d, "CdtDbtInd", "CRDT" if tx.direction == "credit" else "DBIT")
        else:
            details_amount = self._el(self._el(self._el(d, "AmtDtls"), "TxAmt"), "Amt")
            details_amount.text = _money(tx.amount_cents)
            details_amount.set("Ccy", "EUR")
        if tx.name or tx.iban:
            parties = self._el(d, "RltdPties")
            party = "Dbtr" if tx.direction == "credit" else "Cdtr"
            if tx.name:
                holder = self._el(parties, party)
                if self.v >= 7:
                    holder = self._el(holder, "Pty")
                self._el(holder, "Nm", tx.name)
            if tx.iban:
                self._el(self._el(self._el(parties, f"{party}Acct"), "Id"), "IBAN", tx.iban)
        # bunq writes a single line's description in AddtlNtryInf, a batch's in Ustrd
        text = tx.text if (self.bank != "bunq" or several) else None
        if text or tx.structured:
            remittance = self._el(d, "RmtInf")
            if text:
                self._el(remittance, "Ustrd", text)
            if tx.structured:
                strd = self._el(remittance, "Strd")
                creditor_ref = self._el(strd, "CdtrRefInf")
                if self.bank in ("triodos", "rabobank"):
                    kind = self._el(creditor_ref, "Tp")
                    self._el(self._el(kind, "CdOrPrtry"), "Cd", "SCOR")
                    self._el(kind, "Issr", "ISO")
                self._el(creditor_ref, "Ref", tx.structured)
        if tx.return_reason:
            back = self._el(d, "RtrInf")
            self._el(self._el(back, "Rsn"), "Cd", tx.return_reason)
