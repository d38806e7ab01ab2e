"""Membership: applying, admission (with its charges and coins), the directory, cancelling.

Admission is a sequence of idempotent steps (admit, charge registration, charge the joining
quarter's dues, award the recruiter, invite to sign in). Each step has a deterministic key,
so an approval cut off half-way is finished by approving again, and nothing happens twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Generic

from chalicelib.clock import Clock
from chalicelib.domain import coins, ledger
from chalicelib.domain.errors import Conflict, YearDistributed
from chalicelib.domain.ids import new_id
from chalicelib.domain.membership import Application, Member, NewApplication, check_admission
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.notices import (
    application_received_letter,
    application_rejected_letter,
    cancellation_letter,
)
from chalicelib.mail.texts import language_or_default
from chalicelib.periods import Quarter, local_date
from chalicelib.policy import Policy
from chalicelib.services.identity import IdentityProvider
from chalicelib.services.member_numbers import MemberNumbers
from chalicelib.services.outbox import MailOutbox, PreparedMail
from chalicelib.services.vocabulary import VocabularyService
from chalicelib.store.member_numbers import NumberTaken
from chalicelib.store.ports import CoinRepository, LedgerRepository, MemberRepository, U
from chalicelib.store.records import ApplicationPage, MemberPage
from chalicelib.store.refusals import AlreadyDone

if TYPE_CHECKING:  # member numbers are given on DynamoDB only (bootstrap wires them)
    from chalicelib.store.uow import UnitOfWork

ADMISSION_ATTEMPTS = 10  # admissions racing for the next member number


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()


class MembershipService(Generic[U]):
    def __init__(
        self,
        members: MemberRepository[U],
        ledger_store: LedgerRepository[U],
        coin_store: CoinRepository[U],
        identity: IdentityProvider,
        clock: Clock,
        policy: Policy,
        outbox: MailOutbox[U],
        links: Links,
        uow: Callable[[], U],
        on_cancelled: Callable[[str], object] | None = None,
        numbers: MemberNumbers | None = None,
        *,
        vocabulary: VocabularyService,
    ) -> None:
        self.uow = uow
        # Gives each member admitted their number in the admission's own write.
        self.numbers = numbers
        self.outbox = outbox
        self.links = links
        self.members = members
        # What else a cancellation releases (the member's seats at meetings to come).
        self.on_cancelled = on_cancelled
        self.ledger = ledger_store
        self.coins = coin_store
        self.identity = identity
        self.clock = clock
        self.policy = policy
        # Typed disciplines and sectors are stored as the known term they name (intake owner).
        self.vocabulary = vocabulary

    # Applications ------------------------------------------------------------------------

    def apply(self, new: NewApplication) -> Application:
        check_admission(new.years_experience, self.policy)
        disciplines, sectors = self._tags(new.disciplines, new.sectors)
        application = Application(
            id=new_id(),
            name=new.name,
            email=new.email,
            disciplines=disciplines,
            sectors=sectors,
            years_experience=new.years_experience,
            linkedin_url=new.linkedin_url,
            motivation=new.motivation,
            referred_by_email=new.referred_by_email,
            status="pending",
            created_at=self.clock.now(),
            language=new.language or "nl",
        )
        # The receipt is queued in the application's own write: both or neither.
        receipt = self._applicant_mail(application, "received")
        with self.uow() as uow:
            self.members.register_application(uow, application)
            self.outbox.register(uow, receipt)
            uow.commit()
        self.outbox.send_now([receipt.queued])  # a failed send stays queued for the job
        return application

    def _tags(
        self, disciplines: tuple[str, ...], sectors: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A name of a known discipline or sector is stored as it; "de" or "x" is refused."""
        vocabulary = self.vocabulary.current()
        return (
            self.vocabulary.canonical("discipline", disciplines, "disciplines", vocabulary),
            self.vocabulary.canonical("sector", sectors, "sectors", vocabulary),
        )

    def applications(self, status: str, limit: int, cursor: str | None) -> ApplicationPage:
        return self.members.list_applications(status, limit, cursor)

    def application(self, application_id: str) -> Application:
        return self.members.get_application(application_id)

    def approve(self, application_id: str, actor_id: str | None) -> Member:
        application = self.members.get_application(application_id)
        if application.status == "pending":
            now = self.clock.now()
            member = Member.admitted(application, now, self._recruiter_of(application))
            if not self._admit(application.approved(actor_id, now), member):
                application = self.members.get_application(application_id)
        if application.status == "rejected":
            raise Conflict("application_rejected")
        member = self.members.get_member(application.id)
        self._complete_admission(member)
        return member

    def _admit(self, approved: Application, member: Member) -> bool:
        """Admits the member with the next member number, in one unit of work; another
        admission taking that number meanwhile makes it read the counter again."""
        numbers = self.numbers
        if numbers is None:
            return self.members.admit(approved, member)
        for _ in range(ADMISSION_ATTEMPTS):
            number = numbers.next_for_admission()

            def numbered(uow: UnitOfWork, n: int = number) -> None:
                assert numbers is not None
                numbers.register_at_admission(uow, member.id, n)

            try:
                return self.members.admit(approved, member, also=numbered)
            except NumberTaken:
                continue
        raise Conflict("busy")

    def reject(self, application_id: str, actor_id: str, reason: str) -> Application:
        application = self.members.get_application(application_id)
        rejected = application.rejected(actor_id, self.clock.now(), reason)
        mail = self._applicant_mail(rejected, "rejected")
        with self.uow() as uow:
            self.members.register_rejection(uow, rejected)
            self.outbox.register(uow, mail)
            try:
                uow.commit()
            except AlreadyDone as decided:
                current = self.members.get_application(application_id)
                raise Conflict(f"application_{current.status}") from decided  # approved, or before
        self.outbox.send_now([mail.queued])  # a failed send stays queued for the job
        return rejected

    def _applicant_mail(self, application: Application, event: str) -> PreparedMail:
        lang = language_or_default(application.language)
        if event == "received":
            letter = application_received_letter(application.name, lang)
        else:
            reason = application.rejection_reason or ""
            letter = application_rejected_letter(application.name, lang, reason)
        return self.outbox.prepare(
            f"application:{application.id}:{event}",
            f"application_{event}",
            None,
            letter.to(application.email),
        )

    def _recruiter_of(self, application: Application) -> str | None:
        email = application.referred_by_email
        if email is None or email == application.email:
            return None
        recruiter_id = self.members.member_id_for_email(email)
        if recruiter_id is None:
            return None
        return recruiter_id if self.members.get_member(recruiter_id).is_active else None

    def _complete_admission(self, member: Member) -> None:
        """The idempotent rest of an admission; safe to run any number of times."""
        joined = member.joined_at
        for charge in self._admission_charges(member):
            self.ledger.book(charge)
        if member.recruited_by and self.policy.recruitment_coins > 0:
            self._award_recruiter(member.recruited_by, member.id, joined)
        self.identity.invite(member.email, member.name)

    def _award_recruiter(self, recruiter_id: str, recruit_id: str, joined: datetime) -> None:
        """Coins for the year the recruit joined; if an approval is only finished after that
        year was distributed, they count for the current year instead (awarded once either
        way: the award id is the recruit's)."""
        amount = self.policy.recruitment_coins
        try:
            self.coins.award(coins.recruitment_award(recruiter_id, recruit_id, amount, joined))
        except YearDistributed:
            late = coins.recruitment_award(recruiter_id, recruit_id, amount, self.clock.now())
            self.coins.award(late)

    def _admission_charges(self, member: Member) -> list[ledger.LedgerTransaction]:
        """The registration fee and the joining quarter's dues; a charge of 0 books nothing."""
        joined, policy = member.joined_at, self.policy
        charges = []
        if policy.registration_fee_cents > 0:
            charges.append(
                ledger.registration_fee(member.id, policy.registration_fee_cents, joined)
            )
        if policy.quarterly_dues_cents > 0:
            quarter = Quarter.containing(joined)
            charges.append(
                ledger.quarterly_dues(member.id, quarter, policy.quarterly_dues_cents, joined)
            )
        return charges

    # Members -----------------------------------------------------------------------------

    def member(self, member_id: str) -> Member:
        return self.members.get_member(member_id)

    def directory(
        self, discipline: str | None, available: bool | None, limit: int, cursor: str | None
    ) -> MemberPage:
        wanted = self.vocabulary.matcher("discipline", discipline) if discipline else None

        def keep(member: Member) -> bool:
            if wanted is not None and not wanted(member.disciplines):
                return False
            return available is None or member.available == available

        return self.members.list_members("active", limit, cursor, keep)

    def update_profile(self, member_id: str, changes: dict[str, object]) -> Member:
        if "disciplines" in changes or "sectors" in changes:
            disciplines, sectors = self._tags(
                _strings(changes.get("disciplines")), _strings(changes.get("sectors"))
            )
            changes = dict(changes)
            if "disciplines" in changes:
                changes["disciplines"] = disciplines
            if "sectors" in changes:
                changes["sectors"] = sectors
        if changes:
            self.members.update_profile(member_id, changes)
        return self.members.get_member(member_id)

    def cancel(self, member_id: str) -> Member:
        """Effective at once: no refund, no dues for later quarters, debts stay."""
        member = self.members.get_member(member_id)
        try:
            cancelled = member.cancelled(self.clock.now())
            self.members.save_member(cancelled, expected_status="active")
        except Conflict as error:
            self._release(member_id)  # a retry finishes what a failed cancellation left
            self._confirm_cancellation(self.members.get_member(member_id))
            raise Conflict("membership_already_cancelled") from error
        self._release(member_id)
        self._confirm_cancellation(cancelled)
        return cancelled

    def _confirm_cancellation(self, member: Member) -> None:
        """The mail that says what happens now; keyed by the member, so it goes out once
        however often the cancellation is repeated."""
        if member.cancelled_at is None:
            return
        owed = self.ledger.balance_cents(ledger.member_owes_account(member.id))
        to_receive = -self.ledger.balance_cents(ledger.member_receives_account(member.id))
        letter = cancellation_letter(
            Recipient.of(member),
            self.links,
            local_date(member.cancelled_at),
            owed,
            to_receive,
        )
        self.outbox.queue_and_send(
            f"cancelled:{member.id}", "cancellation", member.id, letter.to(member.email)
        )

    def _release(self, member_id: str) -> None:
        if self.on_cancelled is not None:
            self.on_cancelled(member_id)
