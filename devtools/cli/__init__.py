"""The operator's command line: jobs and chores run by hand, against the local runtime or a
deployed stage.

    python -m devtools.cli dues run 2026-Q3                      # the local runtime (make run)
    python -m devtools.cli dues run 2026-Q3 --aws --stage prod   # a deployed stage
    python -m devtools.cli admin create ton@example.nl --name "Ton" --discipline finance \\
        --years-experience 20 --aws --stage prod                 # the first admin
    python -m devtools.cli intake deliver FILE.eml [--spam FAIL]  # a mail through SES's path
    python -m devtools.cli mail list [--last N]                   # mail the runtime sent
    python -m devtools.cli bank statement [--pay-all] [--out FILE] # a camt.053 to import

It runs from a plain runtime install (requirements.txt and the standard library): argparse,
no dev packages, so an operator needs no more than the Lambda bundle has. With --aws the
stage's resources are read from its CloudFormation stack's outputs, with the environment's
AWS credentials and region.

Each subcommand is one module with `register(subcommands)`; add it to COMMANDS.
The commands only wire and print; what a job does is in its service.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from devtools.cli import admin, bank, dues, intake, mail
from devtools.cli.wiring import USAGE_ERROR, UsageError

COMMANDS = (dues, admin, intake, mail, bank)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m devtools.cli", description="Co-operations operator commands."
    )
    subcommands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(subcommands)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except UsageError as error:
        print(f"Error: {error}", file=sys.stderr)
        return USAGE_ERROR
    return code
