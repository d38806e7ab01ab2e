"""Where the commands' services come from: the local runtime (.local/dev.json) or a deployed
stage (its stack's outputs). Standard library and runtime dependencies only."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import boto3

from chalicelib.bootstrap import Services, build_services
from chalicelib.config import ConfigError, from_environment

DEFAULT_DEV_JSON = Path(__file__).resolve().parents[2] / ".local" / "dev.json"
LOCAL_TABLE = "coop-local"  # the table devtools.local_runtime creates
USAGE_ERROR = 2  # bad arguments, a refused job, a missing setup: the caller's to fix
STAGES = ("dev", "prod")


class UsageError(Exception):
    pass


def add_target_options(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--local",
        dest="aws",
        action="store_false",
        help="the local runtime started by `make run` (default)",
    )
    target.add_argument(
        "--aws", dest="aws", action="store_true", help="a deployed stage (see --stage)"
    )
    parser.set_defaults(aws=False)
    parser.add_argument("--stage", choices=STAGES, default="dev", help="with --aws (default dev)")
    parser.add_argument(
        "--dev-json",
        type=Path,
        default=DEFAULT_DEV_JSON,
        help="the local runtime's description (with --local)",
    )


def read_dev_json(path: Path) -> dict[str, Any]:
    try:
        info: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise UsageError(
            f"{path} does not exist; start the local runtime with `make run` first"
        ) from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{path} is not JSON: {error}") from None
    return info


def local_environment(info: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, str]:
    """The variables that point this process's boto3 clients and config at the local runtime."""
    region = str(info["region"])
    return {
        "AWS_ENDPOINT_URL": str(info["aws_endpoint_url"]),
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        # moto accepts any credentials, but botocore refuses to sign without some
        "AWS_ACCESS_KEY_ID": env.get("AWS_ACCESS_KEY_ID") or "local",
        "AWS_SECRET_ACCESS_KEY": env.get("AWS_SECRET_ACCESS_KEY") or "local",
        "COOP_STAGE": "local",
        "COOP_TABLE_NAME": LOCAL_TABLE,
        "COOP_USER_POOL_ID": str(info["user_pool_id"]),
        "COOP_USER_POOL_CLIENT_ID": str(info["user_pool_client_id"]),
    }


# stack output -> the variable the Lambda functions get from the stack
STACK_VARIABLES = {
    "TableName": "COOP_TABLE_NAME",
    "LedgerTableName": "COOP_LEDGER_TABLE_NAME",
    "UserPoolId": "COOP_USER_POOL_ID",
    "UserPoolClientId": "COOP_USER_POOL_CLIENT_ID",
    "MailFrom": "COOP_MAIL_FROM",
    "IntakeBucketName": "COOP_INTAKE_BUCKET",
    "WebUrl": "COOP_WEB_URL",
    "ApiUrl": "COOP_API_URL",
}


def stack_outputs(session: Any, stage: str) -> dict[str, str]:
    cloudformation = session.client("cloudformation")
    try:
        [stack] = cloudformation.describe_stacks(StackName=f"coop-{stage}")["Stacks"]
    except cloudformation.exceptions.ClientError as error:
        raise UsageError(f"cannot read the stack coop-{stage}: {error}") from None
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def stage_environment(session: Any, stage: str) -> dict[str, str]:
    """What the stage's functions get, read from its stack (and the signing secret)."""
    if session.region_name is None:
        raise UsageError("no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or a profile)")
    outputs = stack_outputs(session, stage)
    env = {variable: outputs[output] for output, variable in STACK_VARIABLES.items()}
    env |= {
        "COOP_STAGE": stage,
        "AWS_REGION": session.region_name,
        "COOP_WEB_ORIGINS": outputs["WebUrl"],
    }
    if "SigningSecretArn" in outputs:
        secret = session.client("secretsmanager").get_secret_value(
            SecretId=outputs["SigningSecretArn"]
        )
        env["COOP_SIGNING_SECRET"] = secret["SecretString"]
    return env


def load_services(args: argparse.Namespace) -> Services:
    """The app's services for this process; tests replace this function."""
    if args.aws:
        # botocore reads AWS_DEFAULT_REGION and profiles; the Lambda runtime sets AWS_REGION
        session = boto3.session.Session(region_name=os.environ.get("AWS_REGION") or None)
        os.environ.update(stage_environment(session, args.stage))
    else:
        os.environ.update(local_environment(read_dev_json(args.dev_json), os.environ))
    try:
        config = from_environment()
    except ConfigError as error:  # e.g. COOP_NOW with --aws: the operator's setup, not a bug
        raise UsageError(str(error)) from None
    return build_services(config)
