"""A collective on the in-memory unit of work and repositories (chalicelib/store/memory/):
the services built as bootstrap builds them, with no AWS fake at all. What they run on
passes the same store contract tests as DynamoDB (tests/store/)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from chalicelib.clock import FixedClock
from chalicelib.domain.membership import NewApplication
from chalicelib.mail.links import Links
from chalicelib.mail.message import OutgoingMail
from chalicelib.policy import Policy
from chalicelib.services.accounts import AccountsService
from chalicelib.services.coins import CoinService
from chalicelib.services.distribution import DistributionService
from chalicelib.services.meetings import MeetingService
from chalicelib.services.membership import MembershipService
from chalicelib.services.opportunities import OpportunityService
from chalicelib.services.outbox import MailOutbox
from chalicelib.services.vocabulary import VocabularyService
from chalicelib.store.memory import MemoryStores, MemoryUnitOfWork


@dataclass
class Mailbox:
    """The mailer: what was sent, in order."""

    sent: list[OutgoingMail] = field(default_factory=list)

    def send(self, mail: OutgoingMail) -> str:
        self.sent.append(mail)
        return f"message-{len(self.sent)}"

    def to(self, address: str) -> list[OutgoingMail]:
        return [m for m in self.sent if m.to == address]


@dataclass
class Invitations:
    """The identity provider: whom it invited."""

    invited: list[str] = field(default_factory=list)

    def invite(self, email: str, name: str) -> None:
        self.invited.append(email)


@dataclass
class MemoryWorld:
    stores: MemoryStores
    clock: FixedClock
    policy: Policy
    mailbox: Mailbox
    invitations: Invitations
    outbox: MailOutbox[MemoryUnitOfWork]
    membership: MembershipService[MemoryUnitOfWork]
    accounts: AccountsService[MemoryUnitOfWork]
    meetings: MeetingService[MemoryUnitOfWork]
    distribution: DistributionService[MemoryUnitOfWork]
    coins: CoinService[MemoryUnitOfWork]
    opportunities: OpportunityService[MemoryUnitOfWork]

    def apply(self, name: str, email: str, **overrides: Any) -> str:
        form = NewApplication(name, email, ("software-development",), ("government",), 8)
        return self.membership.apply(replace(form, **overrides)).id

    def member(self, name: str, email: str, **overrides: Any) -> str:
        """Applies and is approved; the mails of that are forgotten (a test reads what it
        did itself)."""
        member_id = self.membership.approve(self.apply(name, email, **overrides), None).id
        self.mailbox.sent.clear()
        return member_id


def memory_world(now: datetime, policy: Policy | None = None) -> MemoryWorld:
    stores, clock, mailbox = MemoryStores(), FixedClock(now), Mailbox()
    policy = policy or Policy()
    links = Links("https://app.co-operations.test")
    outbox = MailOutbox(stores.outbox, mailbox, clock)
    invitations = Invitations()
    vocabulary = VocabularyService(stores.vocabulary, clock)
    meetings = MeetingService(
        stores.meetings, stores.members, outbox, links, clock, policy, stores.uow
    )
    membership = MembershipService(
        stores.members,
        stores.ledger,
        stores.coins,
        invitations,
        clock,
        policy,
        outbox,
        links,
        stores.uow,
        on_cancelled=meetings.release_member,
        vocabulary=vocabulary,
    )
    accounts = AccountsService(stores.members, stores.ledger, clock, outbox, links, stores.uow)
    distribution = DistributionService(
        stores.coins,
        stores.pots,
        stores.distributions,
        stores.ledger,
        stores.members,
        outbox,
        links,
        clock,
        stores.uow,
    )
    coins = CoinService(
        stores.claims,
        stores.coins,
        stores.ledger,
        stores.distributions,
        clock,
        policy,
        stores.members,
        outbox,
        links,
        stores.opportunities,
        stores.uow,
    )
    opportunities = OpportunityService(
        stores.opportunities,
        stores.members,
        stores.coins,
        stores.ledger,
        clock,
        policy,
        outbox,
        links,
        stores.uow,
        vocabulary=vocabulary,
    )
    return MemoryWorld(
        stores, clock, policy, mailbox, invitations, outbox, membership, accounts, meetings,
        distribution, coins, opportunities,
    )  # fmt: skip
