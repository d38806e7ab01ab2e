"""`make run`: the whole platform in one process, against AWS fakes on loopback.

    python -m devtools.local_runtime [--aws-only]

1. moto's threaded server on 127.0.0.1:$COOP_MOTO_PORT (default 8001), with the cheap
   TransactWriteItems from devtools.moto_transact. `mock_aws` is never entered: it would wipe the
   server's state.
2. The resources the app expects (table, intake bucket, SES identities, user pool, group, client),
   created idempotently.
3. The state saved under $COOP_LOCAL_DIR/state (default .local) restored: the last snapshot and
   the journal after it (devtools.durability). From then on every change moto makes is journaled
   and synced before moto answers, so nothing answered is lost, even to `kill -9` or a power
   cut; snapshots compact the journal in quiet moments and on exit (Ctrl-C, SIGTERM). A warning
   is printed when the stored data was written at a business time after this run's clock.
4. Demo data, once (devtools.seed), and `$COOP_LOCAL_DIR/dev.json` describing it all.
5. The API served like `chalice local --no-autoreload --stage local` on 127.0.0.1:$COOP_API_PORT
   (default 8000). `--aws-only` stops after step 3 (no seed, no API), for tests.

When it is up it prints `ready: <url>` and flushes, so a parent process can wait for it. A port
in use ends it at once with one line naming the variable that moves it (exit status 1).
"""

from __future__ import annotations

import os

# moto derives pool and client ids from their configuration with HASH (instead of random ids), so
# the ids survive a restart and the saved state keeps matching them. Set before moto is imported.
os.environ["MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY"] = "HASH"
os.environ["MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY"] = "HASH"

import argparse
import errno
import json
import logging
import signal
import socket
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import boto3
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.server import ThreadedMotoServer
from werkzeug.serving import make_server

from chalicelib.clock import Clock
from chalicelib.config import from_environment as app_config_from
from devtools import durability, gateway_handler, moto_query, moto_transact, web_server
from devtools import seed as demo_seed

log = logging.getLogger("devtools.local_runtime")

HOST = "127.0.0.1"
REGION = "eu-west-1"
STAGE = "local"
TABLE_NAME = "coop-local"
INTAKE_BUCKET = "coop-local-intake"
MAIL_SENDER = "noreply@co-operations.nl"
MAIL_DOMAIN = "co-operations.nl"
USER_POOL_NAME = "coop-local"
USER_POOL_CLIENT_NAME = "coop-local-web"
ADMIN_GROUP = "admin"
PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    project_dir: Path = PROJECT_DIR
    local_dir: Path = PROJECT_DIR / ".local"
    moto_port: int = 8001
    api_port: int = 8000
    web_port: int = 8002
    snapshot_interval: float = 5.0

    @classmethod
    def from_environment(
        cls, env: Mapping[str, str] = os.environ, project_dir: Path = PROJECT_DIR
    ) -> Settings:
        local_dir = Path(env.get("COOP_LOCAL_DIR") or project_dir / ".local")
        return cls(
            project_dir=project_dir,
            local_dir=local_dir if local_dir.is_absolute() else project_dir / local_dir,
            moto_port=int(env.get("COOP_MOTO_PORT", "8001")),
            api_port=int(env.get("COOP_API_PORT", "8000")),
            web_port=int(env.get("COOP_WEB_PORT", "8002")),
            snapshot_interval=float(env.get("COOP_SNAPSHOT_INTERVAL", "5")),
        )

    @property
    def state_dir(self) -> Path:
        return self.local_dir / "state"

    def ports(self) -> list[tuple[int, str, str]]:
        """(port, the variable that moves it, what listens there): one line per server."""
        return [
            (self.api_port, "COOP_API_PORT", "the API"),
            (self.moto_port, "COOP_MOTO_PORT", "the AWS fakes"),
            (self.web_port, "COOP_WEB_PORT", "the web app"),
        ]


def port_in_use_message(ports: list[tuple[int, str, str]]) -> str | None:
    """One line for the first fixed port something else listens on; None if all are free."""
    for port, _, _ in ports:
        if port and not _can_listen(port):
            moves = [f"{var} moves {what}" for p, var, what in ports if p == port]
            moves += [f"{var} moves {what}" for p, var, what in ports if p != port]
            return f"port {port} is in use ({'; '.join(moves)})"
    return None


def _can_listen(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # as the servers themselves bind: a port left in TIME_WAIT counts as free
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return False
            raise
    return True


class TrackedMotoServer(ThreadedMotoServer):
    """moto's ThreadedMotoServer with durability.DurableMoto in front of its WSGI app.

    Overrides moto's `start` (same steps, wrapped app, bound in the caller's thread): there is
    no public hook for WSGI middleware, and moto binds in its server thread, where a port in
    use would leave start() waiting for ever.
    """

    def __init__(self, port: int) -> None:
        super().__init__(ip_address=HOST, port=port, verbose=False)
        self.tracker = durability.DurableMoto(DomainDispatcherApplication(create_backend_app))

    def start(self) -> None:
        self._server = server = make_server(
            self._ip_address, self._port, self.tracker, True, request_handler=MotoRequestHandler
        )
        # stop() waits at most poll_interval
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        self._server_ready_event.set()

    @property
    def endpoint_url(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"


def fake_credentials(endpoint_url: str) -> dict[str, str]:
    """Environment that points every boto3 client in this process (and the app) at moto."""
    return {
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
    }


def app_environment(
    endpoint_url: str, user_pool_id: str, client_id: str, web_url: str = ""
) -> dict[str, str]:
    # The issuer stays Cognito's real one (moto signs with it); the app derives it itself.
    return {
        "COOP_WEB_URL": web_url,
        "COOP_WEB_ORIGINS": web_server.origins(web_url) if web_url else "",
        "COOP_STAGE": STAGE,
        "COOP_TABLE_NAME": TABLE_NAME,
        "COOP_USER_POOL_ID": user_pool_id,
        "COOP_USER_POOL_CLIENT_ID": client_id,
        "COOP_JWKS_URL": f"{endpoint_url}/{user_pool_id}/.well-known/jwks.json",
        "COOP_INTAKE_BUCKET": INTAKE_BUCKET,
    }


# --- resources ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resources:
    user_pool_id: str
    user_pool_client_id: str


def ensure_resources(session: Any) -> Resources:
    """Create what the app expects unless it exists; safe to run against a populated moto."""
    _ensure_table(session.client("dynamodb"))
    _ensure_bucket(session.client("s3"))
    ses = session.client("ses")
    ses.verify_email_identity(EmailAddress=MAIL_SENDER)
    ses.verify_domain_identity(Domain=MAIL_DOMAIN)
    cognito = session.client("cognito-idp")
    pool_id = _ensure_user_pool(cognito)
    _ensure_group(cognito, pool_id)
    return Resources(pool_id, _ensure_client(cognito, pool_id))


def _ensure_table(dynamodb: Any) -> None:
    from chalicelib.store.schema import create_tables

    create_tables(dynamodb, TABLE_NAME)  # the main table and the ledger table


def _ensure_bucket(s3: Any) -> None:
    if not any(b["Name"] == INTAKE_BUCKET for b in s3.list_buckets().get("Buckets", [])):
        s3.create_bucket(
            Bucket=INTAKE_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )


def _ensure_user_pool(cognito: Any) -> str:
    for pool in cognito.list_user_pools(MaxResults=60)["UserPools"]:
        if pool["Name"] == USER_POOL_NAME:
            return str(pool["Id"])
    # No UsernameAttributes: the Cognito username is the member's lowercased email. The settings
    # must stay constant: with the HASH strategy they determine the pool id.
    created = cognito.create_user_pool(PoolName=USER_POOL_NAME, AutoVerifiedAttributes=["email"])
    return str(created["UserPool"]["Id"])


def _ensure_group(cognito: Any, pool_id: str) -> None:
    groups = cognito.list_groups(UserPoolId=pool_id)["Groups"]
    if not any(g["GroupName"] == ADMIN_GROUP for g in groups):
        cognito.create_group(UserPoolId=pool_id, GroupName=ADMIN_GROUP)


def _ensure_client(cognito: Any, pool_id: str) -> str:
    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
    for client in clients["UserPoolClients"]:
        if client["ClientName"] == USER_POOL_CLIENT_NAME:
            return str(client["ClientId"])
    created = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=USER_POOL_CLIENT_NAME,
        ExplicitAuthFlows=[
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        ],
        # Without ReadAttributes moto leaves email and name out of the IdToken.
        ReadAttributes=["email", "name"],
    )
    return str(created["UserPoolClient"]["ClientId"])


# --- the runtime -------------------------------------------------------------------------------


@dataclass
class LocalRuntime:
    settings: Settings
    server: TrackedMotoServer | None = None
    resources: Resources | None = None
    users: list[dict[str, Any]] = field(default_factory=list)
    api_url: str | None = None
    web: web_server.WebServer | None = None
    recovered: durability.Recovered | None = None
    _durable: durability.DurableState | None = None

    @property
    def endpoint_url(self) -> str:
        assert self.server is not None, "start_aws() first"
        return self.server.endpoint_url

    def start_aws(self) -> None:
        """moto with resources and recovered state, environment set, journal running."""
        moto_transact.install()
        moto_query.install()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        clock = business_clock()
        self.settings.local_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.server = TrackedMotoServer(self.settings.moto_port)
        self.server.start()
        os.environ.update(fake_credentials(self.endpoint_url))
        session = boto3.session.Session()
        self.resources = ensure_resources(session)
        # Opened only now: the journal records changes made on top of the recovered state.
        settings = self.settings
        self._durable = durability.DurableState(
            self.server.tracker, settings.state_dir, REGION, clock, settings.snapshot_interval
        )
        self.recovered = self._durable.open(session, self.endpoint_url)
        warning = durability.future_data_warning(
            self.recovered.high_water, clock.now(), self.settings.local_dir
        )
        if warning:
            log.warning(warning)
        os.environ.update(
            app_environment(
                self.endpoint_url,
                self.resources.user_pool_id,
                self.resources.user_pool_client_id,
                self.web.url if self.web else "",
            )
        )

    def start_web(self) -> None:
        """The web app's server (before start_aws: the API and mails need its address)."""
        self.web = web_server.WebServer(self.settings.web_port, HOST)
        self.web.start()

    def seed(self) -> None:
        assert self.resources is not None, "start_aws() first"
        session = boto3.session.Session()
        self.users = demo_seed.seed_once(
            session.client("dynamodb"),
            TABLE_NAME,
            session.client("cognito-idp"),
            self.resources.user_pool_id,
        )

    def snapshot(self) -> bool:
        """Compact now if anything changed (tests, bench; the timer does this on its own)."""
        assert self._durable is not None and self._durable.compactor, "start_aws() first"
        return self._durable.compactor.compact()

    def create_api_server(self) -> Any:
        """The same server `chalice local --no-autoreload --stage local` runs, bound already."""
        from chalice.cli import create_local_server
        from chalice.cli.factory import CLIFactory
        from chalice.local import ThreadedHTTPServer

        # socketserver's default backlog of 5 resets the sixth simultaneous connection; a
        # web client opening a few tabs, or a concurrency test, needs more.
        ThreadedHTTPServer.request_queue_size = 128

        factory = CLIFactory(str(self.settings.project_dir), environ=os.environ)
        api = create_local_server(factory, HOST, self.settings.api_port, STAGE)
        gateway_handler.hand_every_method_to_gateway(api)
        self.api_url = f"http://{HOST}:{api.server.server_address[1]}"
        # One-click unsubscribe links in mails point at this API (read when the app's services
        # are built, on the first request).
        os.environ.setdefault("COOP_API_URL", self.api_url)
        return api

    def dev_info(self) -> dict[str, Any]:
        assert self.resources is not None, "start_aws() first"
        return {
            "api_url": self.api_url,
            **({"web_url": self.web.url} if self.web else {}),
            "aws_endpoint_url": self.endpoint_url,
            "region": REGION,
            "user_pool_id": self.resources.user_pool_id,
            "user_pool_client_id": self.resources.user_pool_client_id,
            "users": self.users,
        }

    def write_dev_json(self) -> Path:
        """dev.json, readable by its owner only (it lists the demo logins)."""
        path = self.settings.local_dir / "dev.json"
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_name("dev.json.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(json.dumps(self.dev_info(), indent=2) + "\n")
        os.replace(tmp, path)
        return path

    def stop(self) -> None:
        """Final snapshot, then stop moto. Only saves if the recovery had completed."""
        if self._durable is not None:
            self._durable.close()
            self._durable = None
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.web is not None:
            self.web.stop()
            self.web = None


def business_clock() -> Clock:
    """The clock the app will run on (COOP_NOW or now), read the way the app reads it."""
    return app_config_from(os.environ).clock()


def usage(info: dict[str, Any], dev_json: Path) -> str:
    lines = [
        "Co-operations local runtime",
        f"  web app       {info.get('web_url')}  (open it in a browser)",
        f"  API           {info['api_url']}",
        f"  AWS endpoint  {info['aws_endpoint_url']} ({info['region']})",
        f"  user pool     {info['user_pool_id']}  client {info['user_pool_client_id']}",
        f"  details       {dev_json}",
        f"  mail sent     {info['aws_endpoint_url']}/moto-api/data.json  (ses.sent_messages:"
        " invitations with their temporary password)",
    ]
    if info["users"]:
        lines.append("  demo users (role, email, password, member id):")
        lines += [
            f"    {u['role']:<7} {u['email']:<28} {u['password']:<14} {u['member_id']}"
            for u in info["users"]
        ]
        lines += _curl_example(info, info["users"][0])
    return "\n".join(lines)


def _curl_example(info: dict[str, Any], user: dict[str, Any]) -> list[str]:
    token_script = (
        "import boto3;print(boto3.client('cognito-idp',"
        f"endpoint_url='{info['aws_endpoint_url']}',region_name='{info['region']}',"
        "aws_access_key_id='local',aws_secret_access_key='local').initiate_auth("
        f"ClientId='{info['user_pool_client_id']}',AuthFlow='USER_PASSWORD_AUTH',"
        f"AuthParameters={{'USERNAME':'{user['email']}','PASSWORD':'{user['password']}'}})"
        "['AuthenticationResult']['IdToken'])"
    )
    return [
        "  try it:",
        f'    TOKEN=$(.venv/bin/python -c "{token_script}")',
        "    # or: aws cognito-idp initiate-auth --endpoint-url "
        f"{info['aws_endpoint_url']} --region {info['region']} "
        f"--client-id {info['user_pool_client_id']} --auth-flow USER_PASSWORD_AUTH "
        f"--auth-parameters 'USERNAME={user['email']},PASSWORD={user['password']}' "
        "--query AuthenticationResult.IdToken --output text",
        f'    curl -H "Authorization: Bearer $TOKEN" {info["api_url"]}/members/me',
    ]


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    # Unwinds the main thread through `finally`, which saves the state; exit status 0.
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--aws-only", action="store_true", help="no demo data, no API")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)
    settings = Settings.from_environment()
    ports = settings.ports()
    if args.aws_only:
        ports = [entry for entry in ports if entry[1] == "COOP_MOTO_PORT"]  # no API, no web
    busy = port_in_use_message(ports)
    if busy:
        print(busy, file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _exit_cleanly)
    runtime = LocalRuntime(settings)
    try:
        if not args.aws_only:
            runtime.start_web()
        runtime.start_aws()
        if args.aws_only:
            runtime.write_dev_json()
            print(f"ready: aws {runtime.endpoint_url}", flush=True)
            signal.pause()
            return 0
        runtime.seed()
        api = runtime.create_api_server()
        assert runtime.web is not None
        runtime.web.config = web_server.web_config(runtime.dev_info(), STAGE)
        print(usage(runtime.dev_info(), runtime.write_dev_json()), flush=True)
        print(f"ready: {runtime.api_url}", flush=True)
        try:
            api.serve_forever()
        finally:
            api.server.server_close()
    except KeyboardInterrupt:
        pass
    finally:
        runtime.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
