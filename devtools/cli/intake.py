"""`python -m devtools.cli intake deliver FILE.eml [--spam V] [--virus V] [--spf V] [--dkim V]
[--dmarc V]` (V: PASS, FAIL, GRAY; default PASS)

Hands a raw mail to the intake through the path SES uses: the mail is stored in the running
local runtime's S3 (`raw/<message id>` in the intake bucket, endpoint from .local/dev.json),
and the app's `intake_mail` handler is invoked with the SNS event AWS would send. Prints one
JSON line: {"intake_id", "status", "reason", "opportunity_id"}. Delivering with the same
--message-id again is what a redelivery by SNS looks like: it changes nothing. The verdicts
are SES's: `--spf FAIL --dkim PASS --dmarc FAIL` is a mail whose From nobody vouches for
(rejected as possibly forged unless a DKIM signature of the From's domain passed);
`--envelope-from` sets the SMTP MAIL FROM that SPF checked.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from devtools import ses_inbound

DEFAULT_DEV_JSON = Path(__file__).resolve().parents[2] / ".local" / "dev.json"
VERDICTS = ("PASS", "FAIL", "GRAY", "PROCESSING_FAILED")
Handler = Callable[[dict[str, Any], Any], Any]


def register(subcommands: Any) -> None:
    intake = subcommands.add_parser("intake", help="mail intake, locally")
    actions = intake.add_subparsers(dest="action", required=True, metavar="ACTION")
    deliver = actions.add_parser("deliver", help="deliver a raw .eml as SES would")
    deliver.add_argument("file", type=Path, help="the raw mail (.eml)")
    for name in ("spam", "virus", "spf", "dkim", "dmarc"):
        deliver.add_argument(
            f"--{name}", choices=VERDICTS, default="PASS", metavar="V", help="SES verdict"
        )
    deliver.add_argument("--envelope-from", help="the envelope sender (default: the From)")
    deliver.add_argument("--message-id", help="SES message id (default: a new one)")
    deliver.add_argument("--dev-json", type=Path, default=DEFAULT_DEV_JSON)
    deliver.set_defaults(handler=run_deliver)


def run_deliver(args: argparse.Namespace) -> int:
    try:
        raw = args.file.read_bytes()
        info = json.loads(args.dev_json.read_text())
    except FileNotFoundError as missing:
        hint = " (start the local runtime with `make run`)" if "dev.json" in str(missing) else ""
        print(f"error: {missing.filename} does not exist{hint}", file=sys.stderr)
        return 2
    point_at_local_runtime(info)
    outcome = deliver(raw, _s3(info), _handler(), args)
    print(json.dumps(outcome, ensure_ascii=False))
    return 0


def deliver(raw: bytes, s3: Any, handler: Handler, args: argparse.Namespace) -> dict[str, Any]:
    from chalicelib.config import from_environment

    bucket = from_environment().intake_bucket
    message_id = args.message_id or ses_inbound.new_message_id()
    s3.put_object(Bucket=bucket, Key=f"{ses_inbound.RAW_PREFIX}{message_id}", Body=raw)
    message = ses_inbound.notification(
        raw,
        bucket=bucket,
        message_id=message_id,
        spam=args.spam,
        virus=args.virus,
        spf=args.spf,
        dkim=args.dkim,
        dmarc=args.dmarc,
        source=args.envelope_from,
    )
    answer = handler(ses_inbound.lambda_event(message), None)
    return {k: answer[k] for k in ("intake_id", "status", "reason", "opportunity_id")}


def point_at_local_runtime(info: dict[str, Any]) -> None:
    """This process's boto3 clients and the app's configuration, as the runtime has them."""
    from chalicelib.config import LOCAL_INTAKE_BUCKET

    os.environ.update(
        {
            "AWS_ENDPOINT_URL": str(info["aws_endpoint_url"]),
            "AWS_DEFAULT_REGION": str(info["region"]),
            "AWS_REGION": str(info["region"]),
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID") or "local",
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY") or "local",
            "COOP_STAGE": "local",
            "COOP_TABLE_NAME": "coop-local",
            "COOP_USER_POOL_ID": str(info["user_pool_id"]),
            "COOP_USER_POOL_CLIENT_ID": str(info["user_pool_client_id"]),
            "COOP_INTAKE_BUCKET": os.environ.get("COOP_INTAKE_BUCKET") or LOCAL_INTAKE_BUCKET,
        }
        | ({"COOP_API_URL": str(info["api_url"])} if info.get("api_url") else {})
        | ({"COOP_WEB_URL": str(info["web_url"])} if info.get("web_url") else {})
    )


def _s3(info: dict[str, Any]) -> Any:
    import boto3

    return boto3.session.Session().client("s3", region_name=str(info["region"]))


def _handler() -> Handler:
    """The app's own SNS handler (`app.intake_mail`), as Lambda would call it."""
    import logging

    import app

    # Chalice logs the app's messages to stdout; here stdout is for the one JSON line.
    for handler in logging.getLogger("coop").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)
    return cast(Handler, vars(app)["intake_mail"])  # registered from chalicelib/jobs.py JOBS
