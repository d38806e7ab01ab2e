"""What the services need of the store: one Protocol a repository, free of DynamoDB.

Two implementations satisfy each: the DynamoDB repositories (`chalicelib.store.<feature>`,
wired by `chalicelib.bootstrap`) and the in-memory ones (`chalicelib.store.memory`, for fast
service tests). The store contract tests (tests/store/) run the same assertions on both.

A repository registers its writes on the unit of work of its own kind (DynamoDB actions on a
`UnitOfWork`, guard and apply steps on a `MemoryUnitOfWork`), so a repository protocol is
generic in that kind (`U_contra`), and a service in the unit of work its factory makes (`U`):
the type checker sees that a service hands its repositories the unit of work they write on.
Bare, a service's type means "any unit of work" (`U` defaults to Any).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from typing_extensions import TypeVar

from chalicelib.domain.coins import CoinAward, CoinClaim
from chalicelib.domain.intake import IntakeRecord
from chalicelib.domain.ledger import LedgerTransaction
from chalicelib.domain.meetings import Meeting, Registration
from chalicelib.domain.membership import Application, Member
from chalicelib.domain.opportunities import Assignment, Opportunity, RevenueReport
from chalicelib.domain.teams import Team, TeamMember
from chalicelib.domain.vocabulary import Kind, Term
from chalicelib.mail.message import OutgoingMail
from chalicelib.store.records import (
    ApplicationPage,
    AssignmentPage,
    AssignmentRole,
    Booking,
    ClaimPage,
    CoinYear,
    Conversation,
    DistributionHeader,
    IntakePage,
    Interest,
    JournalLine,
    JournalPage,
    MeetingPage,
    MemberPage,
    News,
    OpportunityPage,
    Outcome,
    Payout,
    PotState,
    PotYear,
    QueuedMail,
)
from chalicelib.store.refusals import Refusal


class UnitOfWorkPort(Protocol):
    """A unit of work as a service uses it: `with uow() as uow: ...; uow.commit()`."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def __len__(self) -> int: ...


# The unit of work a repository registers its writes on (contravariant: it is only taken);
# bare, a repository protocol is one for a service that registers nothing on it.
U_contra = TypeVar("U_contra", contravariant=True, default=Any)
# The unit of work a service's factory makes and hands to its repositories.
U = TypeVar("U", bound=UnitOfWorkPort, default=Any)


# Members ----------------------------------------------------------------------------------


class MemberDirectory(Protocol):
    """Members as most services read them."""

    def get_member(self, member_id: str) -> Member: ...

    def get_members(self, member_ids: list[str]) -> dict[str, Member]: ...


class MemberRepository(MemberDirectory, Protocol[U_contra]):
    """Applications and members (`chalicelib.store.members.MemberStore`)."""

    def add_application(self, application: Application) -> None: ...

    def register_application(self, uow: U_contra, application: Application) -> None: ...

    def get_application(self, application_id: str) -> Application: ...

    def list_applications(self, status: str, limit: int, cursor: str | None) -> ApplicationPage: ...

    def admit(
        self,
        approved: Application,
        member: Member,
        also: Callable[[Any], None] | None = None,
    ) -> bool:
        """`also` registers more in the admission's own unit of work (the member's number)."""
        ...

    def register_rejection(self, uow: U_contra, rejected: Application) -> None: ...

    def member_id_for_email(self, email: str) -> str | None: ...

    def list_members(
        self,
        status: str,
        limit: int,
        cursor: str | None,
        keep: Callable[[Member], bool] | None = None,
    ) -> MemberPage: ...

    def list_cancelled_since(
        self, since: datetime, limit: int, cursor: str | None
    ) -> MemberPage: ...

    def iter_members(self, status: str) -> Iterator[Member]: ...

    def iter_member_ids(self, status: str) -> Iterator[str]: ...

    def update_profile(self, member_id: str, changes: dict[str, object]) -> None: ...

    def save_member(self, member: Member, expected_status: str) -> None: ...


# Money ------------------------------------------------------------------------------------


class LedgerRepository(Protocol[U_contra]):
    """The ledger (`chalicelib.store.ledger.LedgerStore`)."""

    def book(self, transaction: LedgerTransaction) -> Booking: ...

    def book_if_new(self, transaction: LedgerTransaction) -> bool: ...

    def replay(self, transaction: LedgerTransaction) -> Booking: ...

    def get(self, transaction_id: str) -> LedgerTransaction | None: ...

    def booked(self, transaction_ids: list[str]) -> set[str]: ...

    def balance_cents(self, account: str) -> int: ...

    def iter_owed_balances(self) -> Iterator[tuple[str, int]]: ...

    def iter_payable_balances(self) -> Iterator[tuple[str, int]]: ...

    def iter_transactions(self, first_day: date, last_day: date) -> Iterator[LedgerTransaction]: ...

    def journal(self, account: str, limit: int, cursor: str | None) -> JournalPage: ...

    def iter_journal(self, account: str) -> Iterator[JournalLine]: ...

    def register_booking(self, uow: U_contra, tx: LedgerTransaction) -> None: ...

    def register_bookings(self, uow: U_contra, txs: list[LedgerTransaction]) -> None: ...

    def actions_per_booking(self, tx: LedgerTransaction) -> int: ...


class CoinRepository(Protocol[U_contra]):
    """Coin awards and the pots' coin totals (`chalicelib.store.coins.CoinStore`)."""

    def register_award(self, uow: U_contra, award: CoinAward) -> None: ...

    def award(self, award: CoinAward) -> tuple[CoinAward, bool]: ...

    def pot_state(self, year: int) -> PotState: ...

    def iter_holders(self, year: int) -> Iterator[tuple[str, int]]: ...

    def year_of(self, member_id: str, year: int) -> CoinYear: ...

    def replay(self, award: CoinAward) -> CoinAward: ...


class ClaimRepository(Protocol[U_contra]):
    """Coin claims (`chalicelib.store.claims.ClaimStore`)."""

    def add(self, claim: CoinClaim) -> None: ...

    def get(self, claim_id: str) -> CoinClaim: ...

    def browse(self, status: str, limit: int, cursor: str | None) -> ClaimPage: ...

    def of_member(self, member_id: str, limit: int, cursor: str | None) -> ClaimPage: ...

    def register_decision(self, uow: U_contra, decided: CoinClaim) -> None: ...


class PotYears(Protocol):
    """The years whose pot held money or coins (`chalicelib.store.pots.PotStore`)."""

    def years(self) -> list[PotYear]: ...

    def mark_completed(self, year: int, at: datetime) -> None: ...


class DistributionRepository(Protocol[U_contra]):
    """Year-end distributions (`chalicelib.store.distributions.DistributionStore`)."""

    def freeze_pot(self, year: int, at: datetime) -> None: ...

    def header(self, year: int) -> DistributionHeader | None: ...

    def put_header(self, header: DistributionHeader) -> DistributionHeader: ...

    def complete(self, year: int, at: datetime) -> None: ...

    def register_payouts(
        self, uow: U_contra, year: int, payouts: list[tuple[Payout, LedgerTransaction]]
    ) -> None: ...

    def payouts(self, year: int) -> list[Payout]: ...

    def payout(self, year: int, member_id: str) -> Payout | None: ...


# Mail -------------------------------------------------------------------------------------


class OutboxRepository(Protocol[U_contra]):
    """The mail outbox (`chalicelib.store.outbox.OutboxStore`)."""

    def register_enqueue(
        self,
        uow: U_contra,
        mail_id: str,
        kind: str,
        member_id: str | None,
        mail: OutgoingMail,
        at: datetime,
        *,
        claimed_until: datetime | None = None,
        refusal: Refusal | None = None,
    ) -> None: ...

    def enqueue(
        self, mail_id: str, kind: str, member_id: str | None, mail: OutgoingMail, at: datetime
    ) -> bool: ...

    def get(self, mail_id: str) -> QueuedMail | None: ...

    def due(self, now: datetime, limit: int) -> list[QueuedMail]: ...

    def claim(self, mail_id: str, now: datetime, lease_until: datetime) -> bool: ...

    def mark_sent(self, mail_id: str, message_id: str, at: datetime) -> None: ...

    def mark_sent_many(self, sent: list[tuple[str, str]], at: datetime) -> None: ...

    def mark_failed(self, mail_id: str, error: str, retry_at: datetime | None) -> None: ...


# Meetings ---------------------------------------------------------------------------------


class MeetingRepository(Protocol[U_contra]):
    """Meetings, registrations and waiting lists (`chalicelib.store.meetings.MeetingStore`).
    Seats are kept by conditions: `take_seat`, `join_waitlist`, `leave` and a unit of work
    committed through `outcome` answer an Outcome, never a half-kept seat."""

    def add(self, meeting: Meeting) -> None: ...

    def get(self, meeting_id: str) -> Meeting: ...

    def get_many(self, meeting_ids: list[str]) -> dict[str, Meeting]: ...

    def upcoming(self, now: datetime, limit: int, cursor: str | None) -> MeetingPage: ...

    def past(self, now: datetime, limit: int, cursor: str | None) -> MeetingPage: ...

    def ending_from(self, instant: datetime) -> Iterator[Meeting]: ...

    def last_ended(self, now: datetime) -> Meeting | None: ...

    def save_details(self, changed: Meeting, news: News | None) -> bool: ...

    def mark_held(self, meeting_id: str, at: datetime) -> bool: ...

    def next_seq(self, meeting_id: str) -> int: ...

    def get_registration(self, meeting_id: str, member_id: str) -> Registration | None: ...

    def registrations_of_many(
        self, meeting_ids: list[str], member_id: str
    ) -> dict[str, Registration]: ...

    def registrations(self, meeting_id: str) -> list[Registration]: ...

    def registrations_of(self, member_id: str) -> Iterator[Registration]: ...

    def recent_registrations_of(self, member_id: str, limit: int) -> list[Registration]: ...

    def take_seat(self, registration: Registration) -> Outcome: ...

    def join_waitlist(self, registration: Registration) -> Outcome: ...

    def leave(self, registration: Registration) -> Outcome: ...

    def register_leave(
        self, uow: U_contra, registration: Registration, promoted: Registration | None
    ) -> None: ...

    def register_promotion(self, uow: U_contra, promoted: Registration) -> None: ...

    def outcome(self, uow: U_contra) -> Outcome: ...

    def set_attended(self, meeting_id: str, member_id: str, attended: bool) -> None: ...

    def register_news(self, uow: U_contra, news: News, at: datetime) -> None: ...

    def pending_news(self) -> list[News]: ...

    def finish_news(self, news: News) -> None: ...

    def feed_version(self, member_id: str) -> int: ...

    def next_feed_version(self, member_id: str) -> int: ...


# Intake and vocabulary --------------------------------------------------------------------


class IntakeRepository(Protocol[U_contra]):
    """Mailed-in opportunities (`chalicelib.store.intake.IntakeStore`)."""

    def add(self, record: IntakeRecord) -> bool: ...

    def register_new(self, uow: U_contra, record: IntakeRecord) -> None: ...

    def register_accept(self, uow: U_contra, accepted: IntakeRecord) -> None: ...

    def register_message_claim(self, uow: U_contra, record: IntakeRecord) -> None: ...

    def first_with_message(self, record: IntakeRecord) -> str | None: ...

    def get(self, intake_id: str) -> IntakeRecord | None: ...

    def browse(self, status: str | None, limit: int, cursor: str | None) -> IntakePage: ...


class VocabularyRepository(Protocol):
    """Terms and names admins added (`chalicelib.store.vocabulary.VocabularyStore`)."""

    def additions(self, kind: Kind) -> Iterator[Term]: ...

    def add(
        self,
        kind: Kind,
        term_id: str,
        name: str,
        by: str,
        at: datetime,
        new_labels: tuple[str, str] | None = None,
    ) -> None: ...


# Opportunities, assignments and teams (uow-opps) -------------------------------------------


class OpportunityRepository(Protocol[U_contra]):
    """Opportunities, interest, conversations, announcements, assignments, their teams and
    revenue reports (`chalicelib.store.opportunities.OpportunityStore`). A changed
    opportunity or assignment is written only as it was read (else VersionConflict); a
    report twice is ReportReplayed, answered by `replay_report`."""

    def add(self, opportunity: Opportunity) -> None: ...

    def register_new(self, uow: U_contra, opportunity: Opportunity) -> None: ...

    def register_announcement(self, uow: U_contra, opportunity: Opportunity) -> None: ...

    def pending_announcements(self) -> list[str]: ...

    def finish_announcement(self, opportunity_id: str) -> None: ...

    def get(self, opportunity_id: str) -> Opportunity: ...

    def browse(
        self,
        status: str | None,
        discipline: str | Callable[[list[str]], bool] | None,
        limit: int,
        cursor: str | None,
    ) -> OpportunityPage: ...

    def created_between(self, start: datetime, end: datetime) -> Iterator[Opportunity]: ...

    def register_save(self, uow: U_contra, changed: Opportunity) -> None: ...

    def add_interest(self, opportunity_id: str, member_id: str, note: str, at_s: str) -> bool: ...

    def interests(self, opportunity_id: str) -> list[Interest]: ...

    def interest_of(self, opportunity_id: str, member_id: str) -> Interest | None: ...

    def has_interest(self, opportunity_id: str, member_id: str) -> bool: ...

    def register_conversation(
        self, uow: U_contra, opportunity_id: str, conversation: Conversation
    ) -> None: ...

    def conversations(self, opportunity_id: str) -> list[Conversation]: ...

    def was_introduced(self, opportunity_id: str, member_id: str) -> bool: ...

    def register_assignment(self, uow: U_contra, assignment: Assignment) -> None: ...

    def get_assignment(self, assignment_id: str) -> Assignment: ...

    def assignments_of(
        self, member_id: str, role: AssignmentRole, limit: int, cursor: str | None
    ) -> AssignmentPage: ...

    def with_team(self, assignment_id: str) -> tuple[Assignment, Team]: ...

    def team(self, assignment: Assignment) -> Team: ...

    def register_invitation(
        self, uow: U_contra, assignment: Assignment, invited: TeamMember
    ) -> None: ...

    def register_acceptance(
        self, uow: U_contra, assignment: Assignment, joined: TeamMember
    ) -> None: ...

    def register_withdrawal(
        self, uow: U_contra, assignment: Assignment, member: TeamMember
    ) -> None: ...

    def register_departure(
        self, uow: U_contra, assignment: Assignment, left: TeamMember
    ) -> None: ...

    def reports(self, assignment_id: str) -> list[RevenueReport]: ...

    def get_report(
        self, assignment_id: str, invoice_ref: str, member_key: str | None = None
    ) -> RevenueReport | None: ...

    def register_report(
        self,
        uow: U_contra,
        assignment: Assignment,
        report: RevenueReport,
        team_after: Team | None = None,
    ) -> None: ...

    def replay_report(self, report: RevenueReport) -> RevenueReport: ...
