"""`python -m devtools.cli mail list [--last N]`: the mails the local runtime has sent.

moto's SES keeps every mail it accepted (raw MIME); this reads them from the running
runtime (`GET <aws_endpoint_url>/moto-api/data.json`) and prints each readably: to, subject,
date, extra headers of note (List-Unsubscribe) and the plain-text part.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

DEFAULT_DEV_JSON = Path(__file__).resolve().parents[2] / ".local" / "dev.json"
SHOWN_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post")


def register(subcommands: Any) -> None:
    mail = subcommands.add_parser("mail", help="the mail the local runtime has sent")
    actions = mail.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the mails sent, oldest first")
    listing.add_argument("--last", type=int, default=0, help="only the last N")
    listing.add_argument("--dev-json", type=Path, default=DEFAULT_DEV_JSON)
    listing.set_defaults(handler=run_list)


def run_list(args: argparse.Namespace) -> int:
    try:
        info = json.loads(args.dev_json.read_text())
    except FileNotFoundError:
        print(f"error: {args.dev_json} does not exist (start `make run`)", file=sys.stderr)
        return 2
    raws = sent_raw_mails(str(info["aws_endpoint_url"]))
    shown = raws[-args.last :] if args.last > 0 else raws
    print(f"{len(raws)} mail(s) sent" + (f", the last {len(shown)}:" if shown else ""))
    for raw in shown:
        print(readable(raw))
    return 0


def sent_raw_mails(endpoint_url: str) -> list[str]:
    with urllib.request.urlopen(f"{endpoint_url}/moto-api/data.json", timeout=10) as answer:
        data: dict[str, Any] = json.loads(answer.read())
    return [str(m["raw_data"]) for m in data.get("ses", {}).get("RawMessage", [])]


def readable(raw: str) -> str:
    message = BytesParser(policy=policy.default).parsebytes(raw.encode("utf-8", "replace"))
    assert isinstance(message, EmailMessage)
    lines = [
        "=" * 72,
        f"To:      {message['To']}",
        f"Subject: {message['Subject']}",
        f"Date:    {message['Date']}",
    ]
    lines += [f"{name}: {message[name]}" for name in SHOWN_HEADERS if message[name]]
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    parts = ", ".join(p for p, found in (("text", text), ("html", html)) if found is not None)
    lines += [f"Parts:   {parts or 'none'}", "-" * 72]
    lines.append(text.get_content().rstrip() if text is not None else "(no text part)")
    return "\n".join(lines)
