"""Shared fixtures: AWS faked in-process by moto, services wired as in production.

Tables stay small per test (moto copies whole tables inside transactions) and one boto3
session is reused for all clients (FACTS: 75 ms -> 14 ms a test).
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import boto3
import moto
import pytest
from moto import mock_aws

from chalicelib import bootstrap
from chalicelib.api.models import ApplicationIn
from chalicelib.clock import FixedClock, SystemClock
from chalicelib.config import Config, cognito_issuer
from chalicelib.services.identity import CognitoIdentity
from chalicelib.services.opportunities import NewOpportunity
from chalicelib.store.schema import create_tables
from tests.mailbox import ReceivedMail, forget_sent_after, sent_count, sent_messages
from tests.proof import summary

ROOT = Path(__file__).resolve().parent.parent
REGION = "eu-west-1"
TABLE = "coop-test"
PASSWORD = "Test-pass-1!"
SENDER = "noreply@co-operations.nl"
WEB_ORIGIN = "https://app.co-operations.test"

for name, value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}.items():
    os.environ[name] = value
for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
    os.environ.pop(name, None)

SESSION = boto3.session.Session(region_name=REGION)


def _one_signing_key_for_every_pool() -> None:
    """moto signs every user pool's tokens with the same packaged private key, but imports it
    anew for each pool (recovering the RSA primes: ~0.1 s of CPU, a third of a fresh world).
    Import it once; every pool gets that same key object, so tokens are exactly as before."""
    from types import SimpleNamespace

    from joserfc import jwk
    from moto.cognitoidp import models as cognito_models
    from moto.utilities.utils import load_resource

    packaged = load_resource("cognitoidp/resources/jwks-private.json")
    key = jwk.RSAKey.import_key(packaged)

    def import_key(data: Any, *args: Any, **kwargs: Any) -> Any:
        return (
            key
            if data == packaged and not args and not kwargs
            else jwk.RSAKey.import_key(data, *args, **kwargs)
        )

    models: Any = cognito_models  # the module's only use of `jwk` is that import_key per pool
    models.jwk = SimpleNamespace(RSAKey=SimpleNamespace(import_key=import_key))


_one_signing_key_for_every_pool()


@pytest.fixture(scope="session")
def jwks_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """moto's fixed signing key as a JWKS file (in-process moto serves no JWKS over HTTP)."""
    packaged = Path(moto.__file__).parent / "cognitoidp/resources/jwks-public.json.gz"
    target = tmp_path_factory.mktemp("jwks") / "jwks.json"
    target.write_bytes(gzip.decompress(packaged.read_bytes()))
    return target.as_uri()


@dataclass
class World:
    """A fresh collective: AWS fakes, services, and helpers to people it."""

    services: bootstrap.Services
    clock: FixedClock
    cognito: Any
    pool_id: str
    client_id: str

    def apply(self, name: str, email: str, **overrides: Any) -> str:
        form = {
            "name": name,
            "email": email,
            "disciplines": ["software-development"],
            "sectors": ["government"],
            "years_experience": 8,
        } | overrides
        return self.services.membership.apply(
            ApplicationIn.model_validate(form).new_application()
        ).id

    def member(self, name: str, email: str, *, admin: bool = False, **overrides: Any) -> str:
        """Applies, is approved, sets a password; returns the member id. The people a test
        starts with leave no mail behind (their receipt of the application): what a test
        reads in the mailbox is what it did itself."""
        mails_before = sent_count(REGION)
        member_id = self.services.membership.approve(
            self.apply(name, email, **overrides), actor_id=None
        ).id
        forget_sent_after(REGION, mails_before)
        self.cognito.admin_set_user_password(
            UserPoolId=self.pool_id, Username=email, Password=PASSWORD, Permanent=True
        )
        if admin:
            self.cognito.admin_add_user_to_group(
                UserPoolId=self.pool_id, Username=email, GroupName="admin"
            )
        return member_id

    def fill_pot(self, referrer: str, executor: str, revenue_cents: int, ref: str = "INV") -> str:
        """A fee on a fresh assignment; with a referrer a quarter of the fee goes into the pot.
        Returns the assignment id."""
        opportunities = self.services.opportunities
        form = NewOpportunity("T", "D", ("x",), None, None, None, None, False)
        opportunity = opportunities.post(form, referrer, is_admin=False)
        opportunities.express_interest(opportunity.id, executor, "")
        assignment = opportunities.award(opportunity.id, executor, "small", date(2026, 6, 1))
        opportunities.report_revenue(assignment.id, executor, revenue_cents, ref, date(2026, 7, 1))
        return assignment.id

    def token(self, email: str, kind: str = "IdToken") -> str:
        answer = self.cognito.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
        )
        return str(answer["AuthenticationResult"][kind])

    def sent_mail(self) -> list[ReceivedMail]:
        """Mails SES accepted, oldest first, as their recipients read them."""
        return sent_messages(REGION)

    def headers(self, email: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(email)}"}


@pytest.fixture
def world(jwks_url: str) -> Iterator[World]:
    with cheap_transactions(), fresh_world(jwks_url) as built:
        yield built


@contextmanager
def cheap_transactions() -> Iterator[None]:
    """The local runtime's moto patches (devtools/moto_transact.py, moto_query.py), for the
    world's time. moto's own TransactWriteItems deep-copies every table it touches once per
    item (two thirds of the cost of admitting a member), and it serialises each GetItem and
    Query answer by walking botocore's model (two fifths of a request's cost in the
    authorization matrix). The patches answer the same: same conditions, cancellation reasons,
    limits and items (compared with moto's own in tests/test_moto_transact.py and
    tests/test_moto_query.py); make run and the browser tests run on them."""
    from devtools import moto_query, moto_transact

    was = moto_transact.is_installed(), moto_query.is_installed()
    moto_transact.install()
    moto_query.install()
    try:
        yield
    finally:
        (moto_transact.install if was[0] else moto_transact.uninstall)()
        (moto_query.install if was[1] else moto_query.uninstall)()


@contextmanager
def fresh_world(jwks_url: str) -> Iterator[World]:
    """A fresh collective on in-process moto: the `world` fixture (and bench/routes.py)."""
    with mock_aws():
        create_tables(SESSION.client("dynamodb"), TABLE)
        cognito = SESSION.client("cognito-idp")
        pool_id = cognito.create_user_pool(PoolName="coop-test")["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="web",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        cognito.create_group(UserPoolId=pool_id, GroupName="admin")
        SESSION.client("ses").verify_email_identity(EmailAddress=SENDER)
        config = Config(
            stage="local",
            region=REGION,
            table_name=TABLE,
            user_pool_id=pool_id,
            user_pool_client_id=client_id,
            issuer=cognito_issuer(REGION, pool_id),
            jwks_url=jwks_url,
            mail_from=SENDER,
            web_origins=(WEB_ORIGIN,),
        )
        clock = FixedClock(datetime(2026, 5, 4, 9, 30, tzinfo=UTC))
        services = bootstrap.build_services(
            config,
            session=SESSION,
            clock=clock,
            token_clock=SystemClock(),
            identity=CognitoIdentity(cognito, pool_id),
        )
        bootstrap.use(services)
        try:
            yield World(services, clock, cognito, pool_id, client_id)
        finally:
            bootstrap.use(None)


@pytest.fixture
def patched_moto() -> Iterator[None]:
    """The local runtime's moto patches, for tests whose table grows large (moto's own
    TransactWriteItems copies the whole table per item; see devtools/moto_transact.py)."""
    from devtools import moto_query, moto_transact

    was = moto_transact.is_installed(), moto_query.is_installed()
    moto_transact.install()
    moto_query.install()
    try:
        yield
    finally:
        (moto_transact.install if was[0] else moto_transact.uninstall)()
        (moto_query.install if was[1] else moto_query.uninstall)()


# The proof tests print what they tried (sequences, fault points), whatever pytest's -q. With
# pytest-xdist each worker hands its counts to the controller, which prints them all.
def pytest_sessionfinish(session: pytest.Session) -> None:
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:
        worker_output["proof_summary"] = summary.dump()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    summary.merge(getattr(node, "workeroutput", {}).get("proof_summary", ""))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if summary.lines():
        terminalreporter.write_sep("-", "proof: what was tried")
        for line in summary.lines():
            terminalreporter.write_line(line)


# The longest files first, so that with pytest-xdist (a file per worker at a time) they do
# not start last and keep one worker busy while the other has finished. Longest as measured
# with --durations on 2 workers (setup and calls of the file together).
LONGEST_FIRST = (
    "tests/proof/test_stateful_ledger.py",
    "tests/proof/test_schemathesis.py",
    "tests/browser/test_every_screen.py",
    "tests/proof/test_authorization_matrix.py",
    "tests/browser/test_treasurer_runs.py",
    "tests/browser/test_treasurer_member.py",
    "tests/service/test_intake_property.py",
    "tests/e2e/test_local_http.py",
    "tests/e2e/test_local_kill9.py",
    "tests/proof/test_fault_injection.py",
    "tests/browser/test_journeys.py",
    "tests/test_local_persistence.py",
    "tests/browser/test_member_pages.py",
    "tests/infra/test_policy_coverage.py",
    "tests/e2e/test_local_intake.py",
    "tests/browser/test_mail_pages.py",
    "tests/service/test_fee_booking.py",
    "tests/proof/test_logs_hold_no_secrets.py",
    "tests/browser/test_meetings_journey.py",
    "tests/infra/test_lint.py",
    "tests/browser/test_vocabulary_pages.py",
    "tests/infra/test_template.py",
    "tests/e2e/test_meetings_http.py",
    "tests/browser/test_error_messages.py",
    "tests/proof/test_no_scan.py",
)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist hands files out largest first by their number of tests unless told not to
    # (--loadscope-reorder is its default), which put the one-test stateful file last: one
    # worker ran it alone for minutes after the other had finished. Keep LONGEST_FIRST's order.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within a file and among the others stays
