"""`dues run QUARTER`: charge every active member the quarter's dues (DuesService).

Exits 0 when no member failed, 1 when some did (a re-run retries them), 2 for a bad
quarter or one that has not started.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chalicelib.domain.errors import Conflict
from chalicelib.domain.membership import Member
from chalicelib.i18n.errors import render
from chalicelib.periods import Quarter
from chalicelib.services.dues import DuesReport
from devtools.cli import wiring


def register(subcommands: Any) -> None:
    dues = subcommands.add_parser("dues", help="the quarterly dues run")
    actions = dues.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = actions.add_parser("run", help="charge every active member; already charged are skipped")
    run.add_argument("quarter", type=parse_quarter, help="the quarter, like 2026-Q3")
    wiring.add_target_options(run)
    run.set_defaults(handler=run_dues)


def parse_quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"bad quarter {text!r}: {error}") from None


def run_dues(args: argparse.Namespace) -> int:
    services = wiring.load_services(args)
    total = sum(1 for _ in services.members_store.iter_member_ids("active"))
    done = 0

    def advance(_member: Member, _outcome: str) -> None:
        nonlocal done
        done += 1
        if sys.stderr.isatty():
            print(f"\rdues {args.quarter}: {done}/{total}", end="", file=sys.stderr)

    try:
        report = services.dues.run(args.quarter, progress=advance)
    except Conflict as refused:
        raise wiring.UsageError(render(refused.code, "en", refused.params, 409)) from None
    finally:
        if sys.stderr.isatty() and done:
            print(file=sys.stderr)
    print(report_text(report))
    return 0 if report.failed == 0 else 1


def report_text(report: DuesReport) -> str:
    rows = [
        ("quarter", report.quarter),
        ("members seen", report.members_seen),
        ("charged", report.charged),
        ("already charged", report.already_charged),
        ("not due", report.not_due),
        ("failed", report.failed),
    ]
    if report.failed_member_ids:
        rows.append(("failed ids", " ".join(report.failed_member_ids)))
    lines = [f"Dues {report.quarter}"] + [f"  {label:<16} {value}" for label, value in rows]
    return "\n".join(lines)
