"""`bank settle FILE.xml [--return N] [--reason AC04] [--out FILE]`: the camt.053 in which the
bank executed a payout batch's credit transfer file (SPEC section 4), ready to import.

Every transfer in the pain.001 becomes a debit of the collective's account on the requested
execution date, carrying its end-to-end id (as a bank reports it), so importing the statement
marks the batch executed. `--return N` makes the N-th transfer (1, 2, ...) come back two days
later as a credit with the return reason (AC04: account closed, by default): the payout is
reversed, the member owes it again and is mailed to check their IBAN. The same file settles
to the same statement (the bank's references are made from the end-to-end ids), so importing
it twice books nothing twice.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from devtools.camt053_writer import Entry, Statement, Tx, write

PAIN = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
NS = {"p": PAIN}


class NotAPayoutFile(ValueError):
    """The file is not a pain.001.001.09 credit transfer file."""


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str
    amount_cents: int
    name: str
    iban: str


@dataclass(frozen=True)
class PayoutFile:
    message_id: str
    debtor_iban: str
    execution_date: date
    transfers: tuple[Transfer, ...]


def _text(element: Element, path: str) -> str:
    found = element.find(path, NS)
    if found is None or not (found.text or "").strip():
        raise NotAPayoutFile(f"no {path} in the file")
    return (found.text or "").strip()


def read_payout_file(data: bytes) -> PayoutFile:
    try:
        root = ElementTree.fromstring(data)
    except Exception as error:  # defusedxml's refusals and XML syntax errors alike
        raise NotAPayoutFile(f"not readable XML: {error}") from error
    if root.tag != f"{{{PAIN}}}Document":
        raise NotAPayoutFile("not a pain.001.001.09 document")
    payment = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    if payment is None:
        raise NotAPayoutFile("no payment information block")
    transfers = tuple(
        Transfer(
            _text(tx, "p:PmtId/p:EndToEndId"),
            int(Decimal(_text(tx, "p:Amt/p:InstdAmt")) * 100),
            _text(tx, "p:Cdtr/p:Nm"),
            _text(tx, "p:CdtrAcct/p:Id/p:IBAN"),
        )
        for tx in payment.findall("p:CdtTrfTxInf", NS)
    )
    return PayoutFile(
        _text(root, "p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId"),
        _text(payment, "p:DbtrAcct/p:Id/p:IBAN"),
        date.fromisoformat(_text(payment, "p:ReqdExctnDt/p:Dt")),
        transfers,
    )


def settlement_statement(data: bytes, returned: int | None = None, reason: str = "AC04") -> bytes:
    """The camt.053.001.08 (as ING exports it) in which the file's transfers were executed,
    and the `returned`-th (1-based) came back."""
    payouts = read_payout_file(data)
    entries = [
        Entry(
            payouts.execution_date,
            (
                Tx(
                    t.amount_cents,
                    "debit",
                    reference=f"SETTLE-{t.end_to_end_id}",
                    text=f"Uitbetaling {t.end_to_end_id}",
                    name=t.name,
                    iban=t.iban,
                    end_to_end_id=t.end_to_end_id,
                ),
            ),
        )
        for t in payouts.transfers
    ]
    if returned is not None:
        if not 1 <= returned <= len(payouts.transfers):
            raise NotAPayoutFile(f"--return {returned}: the file holds {len(payouts.transfers)}")
        back = payouts.transfers[returned - 1]
        entries.append(
            Entry(
                payouts.execution_date + timedelta(days=2),
                (
                    Tx(
                        back.amount_cents,
                        "credit",
                        reference=f"RETURN-{back.end_to_end_id}",
                        text=f"Retour {reason} {back.end_to_end_id}",
                        name=back.name,
                        iban=back.iban,
                        end_to_end_id=back.end_to_end_id,
                        return_reason=reason,
                    ),
                ),
            )
        )
    statement = Statement(
        account_iban=payouts.debtor_iban,
        entries=entries,
        statement_id=f"SETTLE-{payouts.message_id}"[:35],
    )
    return write(statement, "08", "ing")


def register(actions: Any) -> None:
    """Adds `settle` to the `bank` command's actions."""
    settle = actions.add_parser(
        "settle", help="write the statement in which the bank executed a payout batch's file"
    )
    settle.add_argument("file", type=Path, help="the pain.001.xml downloaded from the batch")
    settle.add_argument(
        "--return",
        dest="returned",
        type=int,
        default=None,
        metavar="N",
        help="the N-th transfer comes back (1, 2, ...)",
    )
    settle.add_argument("--reason", default="AC04", help="the return reason (default AC04)")
    settle.add_argument("--out", type=Path, default=None, help="default: standard output")
    settle.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        data = settlement_statement(args.file.read_bytes(), args.returned, args.reason)
    except (OSError, NotAPayoutFile) as error:
        print(f"bank settle: {error}", file=sys.stderr)
        return 2
    if args.out is None:
        sys.stdout.buffer.write(data)
    else:
        args.out.write_bytes(data)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0
