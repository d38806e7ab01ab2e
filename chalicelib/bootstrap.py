"""The composition root: the one place that wires real adapters to the services.

Boto3 clients are created lazily, once per container, from one session: DynamoDB's with the
services (nearly every request reads the table), SES, Cognito and S3 only when first called
(a client costs 20 to 100 ms to make: most requests send no mail and never touch the pool).
Tests build their own Services (same wiring, other config) and install them with `use()`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import boto3

from chalicelib.auth.principal import Authenticator
from chalicelib.auth.tokens import JwksCache, TokenVerifier
from chalicelib.clock import Clock, SystemClock
from chalicelib.config import Config, from_environment
from chalicelib.mail.links import Links, Signer
from chalicelib.mail.unsubscribe import Unsubscribes
from chalicelib.policy import Policy, policy_with_overrides
from chalicelib.services.accounts import AccountsService
from chalicelib.services.announcements import AnnouncementService
from chalicelib.services.calendar import CalendarService
from chalicelib.services.coins import CoinService
from chalicelib.services.digest import DigestService
from chalicelib.services.distribution import DistributionService
from chalicelib.services.dues import DuesService
from chalicelib.services.export import ExportService
from chalicelib.services.identity import (
    CognitoIdentity,
    IdentityProvider,
    MailedInvitationIdentity,
)
from chalicelib.services.intake import IntakeService
from chalicelib.services.mail_preferences import MailPreferences
from chalicelib.services.mailer import Mailer, SesMailer
from chalicelib.services.meeting_mail import Board, MeetingMailService
from chalicelib.services.meetings import MeetingService
from chalicelib.services.member_numbers import MemberNumbers
from chalicelib.services.member_overview import MemberOverviewService
from chalicelib.services.membership import MembershipService
from chalicelib.services.opportunities import OpportunityService
from chalicelib.services.outbox import MailOutbox
from chalicelib.services.payables import PayablesService
from chalicelib.services.receivables import ReceivablesService
from chalicelib.services.vocabulary import VocabularyService
from chalicelib.store.claims import ClaimStore
from chalicelib.store.coins import CoinStore
from chalicelib.store.distributions import DistributionStore
from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.intake import IntakeStore
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.mail_bucket import MailBucket, s3_client
from chalicelib.store.meetings import MeetingStore
from chalicelib.store.member_numbers import MemberNumberStore
from chalicelib.store.members import MemberStore
from chalicelib.store.opportunities import OpportunityStore
from chalicelib.store.outbox import OutboxStore
from chalicelib.store.pots import PotStore
from chalicelib.store.reminders import ReminderLog
from chalicelib.store.uow import UnitOfWork
from chalicelib.store.vocabulary import VocabularyStore

if TYPE_CHECKING:  # built on first use, see BankServices: imported there
    from chalicelib.services.bank_accounts import BankAccounts
    from chalicelib.services.bank_statements import BankStatementsService
    from chalicelib.services.payment_details import PaymentDetailsService
    from chalicelib.services.payout_batches import PayoutBatchService


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
    payables: PayablesService
    overview: MemberOverviewService
    outbox: MailOutbox
    links: Links
    meetings: MeetingService
    meeting_mail: MeetingMailService
    calendar: CalendarService
    intake: IntakeService
    digest: DigestService
    mail_preferences: MailPreferences
    vocabulary: VocabularyService
    # bank-refs: member numbers (payment references)
    member_numbers: MemberNumbers
    session: Any = None
    # The bank's services (members' payout accounts, payment details, statements in, payout
    # batches out), built with their modules (camt.053, pain.001, EPC QR, python-stdnum) on
    # the first use of one of them: most requests, and a cold start, use none.
    bank_wiring: Callable[[], BankServices] | None = field(default=None, repr=False)

    @cached_property
    def _bank(self) -> BankServices:
        assert self.bank_wiring is not None, "Services built without build_services"
        return self.bank_wiring()

    @property
    def bank_accounts(self) -> BankAccounts:
        return self._bank.bank_accounts

    @property
    def payment_details(self) -> PaymentDetailsService:
        return self._bank.payment_details

    @property
    def bank_statements(self) -> BankStatementsService:
        return self._bank.bank_statements

    @property
    def payout_batches(self) -> PayoutBatchService:
        return self._bank.payout_batches

    def aws_client(self, service: str) -> Any:
        return self.session.client(service, region_name=self.config.region)


@dataclass(frozen=True)
class BankServices:
    bank_accounts: BankAccounts
    payment_details: PaymentDetailsService
    bank_statements: BankStatementsService
    payout_batches: PayoutBatchService


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

    def uow() -> UnitOfWork:  # one per write: the writes of both tables, all or nothing
        return UnitOfWork(dynamodb)

    members, coin_store = MemberStore(table), CoinStore(table)
    ledger_store = LedgerStore(ledger_table, pots=table)
    distributions = DistributionStore(table, ledger_store)
    opportunity_store = OpportunityStore(table, ledger_store)
    claim_store = ClaimStore(table)
    ses = ClientOnFirstUse(lambda: session.client("ses", region_name=config.region))
    cognito = ClientOnFirstUse(lambda: session.client("cognito-idp", region_name=config.region))
    mailer = mailer or SesMailer(ses, config.mail_from)
    outbox = MailOutbox(OutboxStore(table), mailer, clock)
    links = Links(config.web_url)
    identity = identity or _identity(config, cognito, mailer, links)
    meeting_store = MeetingStore(table)
    meetings = MeetingService(meeting_store, members, outbox, links, clock, policy, uow)
    unsubscribes = Unsubscribes(links, Signer(config.signing_secret.encode()), config.api_url)
    # Tokens are issued by Cognito in real time, so their expiry is checked against the real
    # clock even when the local stage runs its business clock from COOP_NOW.
    token_clock = token_clock or SystemClock()
    verifier = TokenVerifier(
        config.issuer,
        config.user_pool_client_id,
        JwksCache(config.jwks_url, token_clock),
        token_clock,
    )
    vocabulary = VocabularyService(VocabularyStore(table), clock)
    member_numbers = MemberNumbers(MemberNumberStore(table), uow)

    def bank() -> BankServices:  # called on the first use of one (Services._bank)
        from chalicelib.services.bank_accounts import BankAccounts
        from chalicelib.services.bank_statements import BankStatementsService
        from chalicelib.services.payment_details import PaymentDetailsService
        from chalicelib.services.payout_batches import CollectiveAccount, PayoutBatchService
        from chalicelib.store.bank_accounts import BankAccountStore
        from chalicelib.store.bank_lines import BankLineStore
        from chalicelib.store.payout_batches import PayoutBatchStore

        payout_batches = PayoutBatchService(
            PayoutBatchStore(table),
            ledger_store,
            members,
            BankAccounts(BankAccountStore(table), members, outbox, links, clock, uow),
            outbox,
            links,
            clock,
            CollectiveAccount(policy.bank_account_name, policy.bank_iban, policy.bank_bic),
            policy.single_admin_approval,
            uow,
        )
        return BankServices(
            bank_accounts=BankAccounts(BankAccountStore(table), members, outbox, links, clock, uow),
            payment_details=PaymentDetailsService(policy, member_numbers, ledger_store),
            bank_statements=BankStatementsService(
                BankLineStore(table),
                members,
                ledger_store,
                member_numbers,
                BankAccounts(BankAccountStore(table), members, outbox, links, clock, uow),
                outbox,
                links,
                clock,
                lambda: policy.bank_iban,
                uow,
                payouts=payout_batches,
            ),
            payout_batches=payout_batches,
        )

    return Services(
        config=config,
        clock=clock,
        policy=policy,
        table=table,
        members_store=members,
        ledger_store=ledger_store,
        coin_store=coin_store,
        membership=MembershipService(
            members,
            ledger_store,
            coin_store,
            identity,
            clock,
            policy,
            outbox,
            links,
            uow,
            on_cancelled=meetings.release_member,
            numbers=member_numbers,
            vocabulary=vocabulary,
        ),
        accounts=AccountsService(members, ledger_store, clock, outbox, links, uow),
        authenticator=Authenticator(verifier, members),
        dues=DuesService(members, ledger_store, clock, policy),
        receivables=ReceivablesService(
            members,
            ledger_store,
            ReminderLog(table),
            outbox,
            links,
            clock,
            policy,
            uow,
            numbers=member_numbers,
        ),
        export=ExportService(ledger_store, members),
        coins=CoinService(
            claim_store,
            coin_store,
            ledger_store,
            distributions,
            clock,
            policy,
            members,
            outbox,
            links,
            opportunity_store,
            uow,
        ),
        distribution=DistributionService(
            coin_store,
            PotStore(table),
            distributions,
            ledger_store,
            members,
            outbox,
            links,
            clock,
            uow,
        ),
        opportunities=OpportunityService(
            opportunity_store,
            members,
            coin_store,
            ledger_store,
            clock,
            policy,
            outbox,
            links,
            uow,
            vocabulary=vocabulary,
        ),
        announcements=AnnouncementService(opportunity_store, members, outbox, links, unsubscribes),
        outbox=outbox,
        links=links,
        payables=PayablesService(members, ledger_store, member_numbers),
        overview=MemberOverviewService(
            opportunity_store, claim_store, members, ledger_store, member_numbers
        ),
        meetings=meetings,
        meeting_mail=MeetingMailService(
            meeting_store,
            meetings,
            members,
            Board(cognito, config.user_pool_id),
            outbox,
            links,
            clock,
            policy,
        ),
        intake=IntakeService(
            IntakeStore(table),
            MailBucket(
                ClientOnFirstUse(lambda: s3_client(session, config.region)), config.intake_bucket
            ),
            members,
            opportunity_store,
            outbox,
            links,
            clock,
            policy,
            uow,
            vocabulary=vocabulary,
        ),
        vocabulary=vocabulary,
        calendar=CalendarService(
            meeting_store,
            members,
            Signer(config.signing_secret.encode()),
            links,
            config.mail_from.rpartition("@")[2] or "co-operations.nl",
            clock,
        ),
        digest=DigestService(opportunity_store, members, outbox, links, unsubscribes, clock),
        mail_preferences=MailPreferences(members, unsubscribes),
        member_numbers=member_numbers,
        session=session,
        bank_wiring=bank,
    )


class ClientOnFirstUse:
    """A boto3 client made by `make` when one of its attributes is first asked for, then
    answered by that client: for the adapters, a client like any other."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._client: Any = None
        self._lock = threading.Lock()  # the local runtime serves requests from threads

    def __getattr__(self, name: str) -> Any:
        if name in ("_make", "_client", "_lock"):  # not set yet (a copy being made)
            raise AttributeError(name)
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make()
        return getattr(self._client, name)


def _identity(config: Config, cognito: Any, mailer: Mailer, links: Links) -> IdentityProvider:
    if config.stage == "local":  # moto mails no invitations: the app does, through SES
        return MailedInvitationIdentity(cognito, config.user_pool_id, mailer, links)
    return CognitoIdentity(cognito, config.user_pool_id)


_services: Services | None = None


def check_configuration() -> Config:
    """Reads and checks the configuration (and the policy in it) from the environment; raises
    ConfigError naming what is wrong."""
    return from_environment()


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
