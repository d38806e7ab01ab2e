"""`bank statement [--pay-all] [--out FILE]`: a camt.053 of the collective's account in which
members paid what they owe, ready to import in the web app (SPEC section 4).

Every member who owes something pays it with their RF reference (with --pay-all) or every
other one does (without: the rest still owe, so reminders and receivables have something to
show); a few lines a treasurer matches by hand come with it: a reference with a typo, a
payment without reference from an account a member registered, bank costs and interest.
Each run writes lines of its own (the bank's references carry the moment), so a statement
written after an import pays only what is still owed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from chalicelib.bootstrap import Services
from chalicelib.domain.references import payment_reference
from chalicelib.periods import local_date
from devtools import bank_settle
from devtools.camt053_writer import Entry, Statement, Tx, write
from devtools.cli import wiring


def register(subcommands: Any) -> None:
    bank = subcommands.add_parser("bank", help="the collective's bank account")
    actions = bank.add_subparsers(dest="action", required=True, metavar="ACTION")
    statement = actions.add_parser(
        "statement", help="write a camt.053 statement in which members paid what they owe"
    )
    statement.add_argument(
        "--pay-all", action="store_true", help="every member pays (default: every other one)"
    )
    statement.add_argument(
        "--out", type=Path, default=None, help="the file to write (default: standard output)"
    )
    wiring.add_target_options(statement)
    statement.set_defaults(handler=run_statement)
    bank_settle.register(actions)  # bank-payouts: `bank settle FILE.xml`


def run_statement(args: argparse.Namespace) -> int:
    services = wiring.load_services(args)
    data = demo_statement(services, pay_all=args.pay_all)
    if args.out is None:
        sys.stdout.buffer.write(data)
    else:
        args.out.write_bytes(data)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _bank_reference(stamp: str, tx: Tx) -> str:
    """The bank's reference of a line: of this moment and what the line says, so a statement
    written again at the same moment repeats its lines and a later one has new ones."""
    said = f"{stamp}|{tx.direction}|{tx.amount_cents}|{tx.structured}|{tx.text}|{tx.name}"
    return f"DEMO{stamp}{hashlib.sha256(said.encode()).hexdigest()[:8].upper()}"


def _bad_check_digits(reference: str) -> str:
    return f"RF{int(reference[2:4]) % 97 + 1:02d}{reference[4:]}"


def demo_statement(services: Services, *, pay_all: bool) -> bytes:
    """The statement of today: what members owe, paid, and lines to match by hand."""
    now = services.clock.now()
    today = local_date(now)
    stamp = now.strftime("%Y%m%d%H%M%S")
    owed = sorted(
        (member_id, cents) for member_id, cents in services.ledger_store.iter_owed_balances()
    )
    owing = [(m, c) for m, c in owed if c > 0]
    members = services.members_store.get_members([m for m, _ in owing]) if owing else {}
    txs: list[Tx] = []
    for index, (member_id, cents) in enumerate(owing):
        member = members.get(member_id)
        if member is None or member.status != "active" or (not pay_all and index % 2):
            continue
        reference = payment_reference(services.member_numbers.number_of(member_id))
        account = services.bank_accounts.bank_account_of(member_id)
        free_text = index % 3 == 2  # some payers type the reference in the description
        txs.append(
            Tx(
                cents,
                structured=None if free_text else reference,
                text=f"Contributie {reference.lower()}" if free_text else "Contributie",
                name=member.name,
                iban=account.iban if account else None,
            )
        )
    txs.extend(_by_hand(services, owing, members))
    entries = [Entry(today, (tx,), reference=_bank_reference(stamp, tx)) for tx in txs]
    statement = Statement(
        services.policy.bank_iban,
        entries,
        statement_id=f"DEMO-{stamp}",
        created_at=datetime(today.year, today.month, today.day, 6, 0),
        account_name=services.policy.bank_account_name,
    )
    return write(statement, "02", "ing")


def _by_hand(services: Services, owing: list[tuple[str, int]], members: dict[str, Any]) -> list[Tx]:
    """Lines no reference matches: a typo, a payer known by IBAN or name, costs, interest."""
    lines = [
        Tx(87, direction="debit", text=f"Kosten betalingsverkeer {date.today():%m-%Y}"),
        Tx(12, text="Creditrente"),
    ]
    known = [members[m] for m, _ in owing if m in members and members[m].status == "active"]
    if known:
        first = known[0]
        reference = payment_reference(services.member_numbers.number_of(first.id))
        lines.append(Tx(2500, structured=_bad_check_digits(reference), name=first.name))
    if len(known) > 1:
        second = known[1]
        account = services.bank_accounts.bank_account_of(second.id)
        lines.append(
            Tx(
                1500,
                text="lidmaatschap",
                name=second.name,
                iban=account.iban if account else None,
            )
        )
    return lines
