"""The composition root: the one place that wires real adapters to the services.

Boto3 clients are created lazily, once per container, from one session. Tests build their
own Services (same wiring, other config) and install them with `use()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from chalicelib.auth.principal import Authenticator
from chalicelib.auth.tokens import JwksCache, TokenVerifier
from chalicelib.clock import Clock, SystemClock
from chalicelib.config import Config, from_environment
from chalicelib.policy import Policy, policy_with_overrides
from chalicelib.services.accounts import AccountsService
from chalicelib.services.announcements import AnnouncementService
from chalicelib.services.coins import CoinService
from chalicelib.services.distribution import DistributionService
from chalicelib.services.dues import DuesService
from chalicelib.services.export import ExportService
from chalicelib.services.identity import CognitoIdentity, IdentityProvider
from chalicelib.services.mailer import Mailer, SesMailer
from chalicelib.services.membership import MembershipService
from chalicelib.services.opportunities import OpportunityService
from chalicelib.services.receivables import ReceivablesService
from chalicelib.store.claims import ClaimStore
from chalicelib.store.coins import CoinStore
from chalicelib.store.distributions import DistributionStore
from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.mail import MailLog
from chalicelib.store.members import MemberStore
from chalicelib.store.opportunities import OpportunityStore


@dataclass
class Services:
    config: Config
    clock: Clock
    policy: Policy
    table: DynamoTable
    members_store: MemberStore
    ledger_store: LedgerStore
    coin_store: CoinStore
    membership: MembershipService
    accounts: AccountsService
    authenticator: Authenticator
    dues: DuesService
    receivables: ReceivablesService
    opportunities: OpportunityService
    coins: CoinService
    announcements: AnnouncementService
    distribution: DistributionService
    export: ExportService
    session: Any = None

    def aws_client(self, service: str) -> Any:
        return self.session.client(service, region_name=self.config.region)


def build_services(
    config: Config,
    *,
    session: Any = None,
    clock: Clock | None = None,
    token_clock: Clock | None = None,
    identity: IdentityProvider | None = None,
    mailer: Mailer | None = None,
) -> Services:
    session = session or boto3.session.Session(region_name=config.region)
    clock = clock or config.clock()
    policy = policy_with_overrides(config.policy_overrides)
    dynamodb = session.client("dynamodb", region_name=config.region)
    table = DynamoTable(dynamodb, config.table_name)
    ledger_table = DynamoTable(dynamodb, config.ledger_table_name)
    members, coin_store = MemberStore(table), CoinStore(table)
    ledger_store = LedgerStore(ledger_table, pots=table)
    distributions = DistributionStore(table, ledger_store)
    opportunity_store = OpportunityStore(table, ledger_store)
    identity = identity or CognitoIdentity(
        session.client("cognito-idp", region_name=config.region), config.user_pool_id
    )
    mailer = mailer or SesMailer(session.client("ses", region_name=config.region), config.mail_from)
    # Tokens are issued by Cognito in real time, so their expiry is checked against the real
    # clock even when the local stage runs its business clock from COOP_NOW.
    token_clock = token_clock or SystemClock()
    verifier = TokenVerifier(
        config.issuer,
        config.user_pool_client_id,
        JwksCache(config.jwks_url, token_clock),
        token_clock,
    )
    return Services(
        config=config,
        clock=clock,
        policy=policy,
        table=table,
        members_store=members,
        ledger_store=ledger_store,
        coin_store=coin_store,
        membership=MembershipService(members, ledger_store, coin_store, identity, clock, policy),
        accounts=AccountsService(members, ledger_store, clock),
        authenticator=Authenticator(verifier, members),
        dues=DuesService(members, ledger_store, clock, policy),
        receivables=ReceivablesService(
            members, ledger_store, MailLog(table), mailer, clock, policy
        ),
        export=ExportService(ledger_store),
        coins=CoinService(
            ClaimStore(table), coin_store, ledger_store, distributions, clock, policy
        ),
        distribution=DistributionService(
            coin_store, distributions, ledger_store, members, mailer, clock, policy
        ),
        opportunities=OpportunityService(opportunity_store, members, coin_store, clock, policy),
        announcements=AnnouncementService(opportunity_store, members, mailer),
        session=session,
    )


_services: Services | None = None


def services() -> Services:
    """The container's services, built on first use from the environment."""
    global _services
    if _services is None:
        _services = build_services(from_environment())
    return _services


def use(replacement: Services | None) -> None:
    """Install services built elsewhere (tests), or None to build from the environment."""
    global _services
    _services = replacement
