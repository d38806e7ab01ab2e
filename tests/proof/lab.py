"""A collective on in-process moto for the proof tests, rebuilt cheaply for every example.

The stateful test runs hundreds of short sequences: each gets two fresh tables (new names,
the old ones deleted) and services wired as in production, but with clients made once, an
in-memory mailer that can be switched off, and an identity provider that only records
invitations. Building one costs a few milliseconds.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from chalicelib import bootstrap
from chalicelib.clock import FixedClock, SystemClock
from chalicelib.config import Config, cognito_issuer
from chalicelib.mail.message import OutgoingMail
from chalicelib.store.schema import create_tables, ledger_table_name

REGION = "eu-west-1"
SENDER = "noreply@co-operations.nl"
_numbers = itertools.count(1)


class ClientsOnce:
    """A boto3 session whose clients are made once (making one costs ~10 ms)."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self._clients: dict[str, Any] = {}

    def client(self, service: str, region_name: str | None = None, config: Any = None) -> Any:
        if service not in self._clients:
            self._clients[service] = self._session.client(
                service, region_name=REGION, config=config
            )
        return self._clients[service]


@dataclass
class Mailbox:
    """SES as far as the services see it; `down` makes every send fail."""

    down: bool = False
    sent: list[OutgoingMail] = field(default_factory=list)

    def send(self, mail: OutgoingMail) -> str:
        if self.down:
            raise ConnectionError("SES is unreachable")
        self.sent.append(mail)
        return f"message-{len(self.sent)}"


@dataclass
class Invitations:
    invited: list[str] = field(default_factory=list)

    def invite(self, email: str, name: str) -> None:
        self.invited.append(email)


@dataclass
class Lab:
    services: bootstrap.Services
    clock: FixedClock
    mailbox: Mailbox
    table_name: str

    @property
    def dynamodb(self) -> Any:
        return self.services.table.client

    @property
    def ledger_table_name(self) -> str:
        return ledger_table_name(self.table_name)

    _saved: dict[str, Any] = field(default_factory=dict)
    _saved_at: datetime | None = None

    def close(self) -> None:
        for name in (self.table_name, self.ledger_table_name):
            self.dynamodb.delete_table(TableName=name)

    def save(self) -> None:
        """Remembers the tables as they are now, for `reset` (a deep copy of moto's memory)."""
        tables = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].tables
        self._saved = {n: copy.deepcopy(tables[n]) for n in self._names()}
        self._saved_at = self.clock.now()

    def reset(self) -> None:
        """Back to what `save` saw: tables, clock and mailbox; far cheaper than building anew."""
        tables = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].tables
        for name, table in self._saved.items():
            tables[name] = copy.deepcopy(table)
        assert self._saved_at is not None, "save() first"
        self.clock.set(self._saved_at)
        self.mailbox.down = False
        self.mailbox.sent.clear()

    def _names(self) -> tuple[str, str]:
        return self.table_name, self.ledger_table_name


def clients_once() -> ClientsOnce:
    """Clients for one test (made inside its mock_aws)."""
    return ClientsOnce(boto3.session.Session(region_name=REGION))


def new_lab(start: datetime, clients: ClientsOnce) -> Lab:
    """Fresh tables and services; the caller is inside moto (mock_aws) already."""
    table_name = f"coop-lab-{next(_numbers)}"
    create_tables(clients.client("dynamodb"), table_name)
    pool = f"{REGION}_lab"
    config = Config(
        stage="local",
        region=REGION,
        table_name=table_name,
        user_pool_id=pool,
        user_pool_client_id="lab",
        issuer=cognito_issuer(REGION, pool),
        jwks_url="file:///dev/null",
        mail_from=SENDER,
    )
    clock, mailbox = FixedClock(start), Mailbox()
    services = bootstrap.build_services(
        config,
        session=clients,
        clock=clock,
        token_clock=SystemClock(),
        identity=Invitations(),
        mailer=mailbox,
    )
    return Lab(services, clock, mailbox, table_name)
