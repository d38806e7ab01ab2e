"""Tokens for trying the local API by hand.

    eval "$(python -m devtools.token ton@co-operations.nl)"         # demo user: sets $TOKEN
    python -m devtools.token fleur@example.nl --set-password 'Pw-1!'   # what the invite would do
    eval "$(python -m devtools.token fleur@example.nl --password 'Pw-1!')"

Reads `.local/dev.json` (written by `make run`) for the endpoint, the pool and the demo
logins, and signs in with Cognito's USER_PASSWORD_AUTH against the local fakes.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

import boto3

DEV_JSON = Path(__file__).resolve().parent.parent / ".local" / "dev.json"


def cognito(info: dict[str, Any]) -> Any:
    return boto3.session.Session().client(
        "cognito-idp",
        region_name=info["region"],
        endpoint_url=info["aws_endpoint_url"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="sign in to the local runtime")
    parser.add_argument("email")
    parser.add_argument("--password", help="default: the demo password from dev.json")
    parser.add_argument("--set-password", help="set this permanent password, as after an invite")
    parser.add_argument("--dev-json", type=Path, default=DEV_JSON)
    args = parser.parse_args(argv)
    if not args.dev_json.exists():
        print(
            f"{args.dev_json} not found: start the local runtime with `make run`", file=sys.stderr
        )
        return 2
    info = json.loads(args.dev_json.read_text())
    client = cognito(info)
    email = args.email.strip().lower()
    if args.set_password:
        client.admin_set_user_password(
            UserPoolId=info["user_pool_id"],
            Username=email,
            Password=args.set_password,
            Permanent=True,
        )
        print(f"password set for {email}", file=sys.stderr)
        return 0
    demo = {u["email"]: u["password"] for u in info.get("users", [])}
    password = args.password or demo.get(email)
    if password is None:
        print(f"no demo password for {email}: pass --password", file=sys.stderr)
        return 2
    answer = client.initiate_auth(
        ClientId=info["user_pool_client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    print(f"export TOKEN={shlex.quote(answer['AuthenticationResult']['IdToken'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
