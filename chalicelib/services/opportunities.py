"""Opportunities from posting to award or close, and revenue reports on assignments."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Generic, TypeVar

from chalicelib import observability
from chalicelib.clock import Clock
from chalicelib.domain import coins, fees, ledger
from chalicelib.domain.errors import Conflict, FieldProblem, Forbidden, InvalidInput, NotFound
from chalicelib.domain.ids import new_id
from chalicelib.domain.membership import Member
from chalicelib.domain.opportunities import (
    Assignment,
    HistoryEvent,
    Opportunity,
    Outcome,
    RevenueReport,
    Tier,
    award_check,
    match_score,
)
from chalicelib.domain.teams import Team, TeamBooking, TeamMember
from chalicelib.i18n import descriptions
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.notices import interest_letter
from chalicelib.mail.team_letters import team_answer_letter, team_invitation_letter
from chalicelib.periods import local_date, year_containing
from chalicelib.policy import Policy
from chalicelib.services.outbox import MailOutbox
from chalicelib.services.vocabulary import VocabularyService
from chalicelib.store.ports import (
    CoinRepository,
    LedgerRepository,
    MemberDirectory,
    OpportunityRepository,
    U,
)
from chalicelib.store.records import Conversation, JournalLine, OpportunityPage
from chalicelib.store.refusals import BookingReplayed, ReportReplayed, VersionConflict
from chalicelib.store.timestamps import stamp

T = TypeVar("T")


class _AlreadyDone(Exception):
    """The change asked for stands already (a repeated request): answer it."""

    def __init__(self, opportunity: Opportunity) -> None:
        super().__init__(opportunity.id)
        self.opportunity = opportunity


# Twenty members reporting on one assignment at once all conflict on its version; each
# retry re-reads the totals, so the cap holds. Back off a little so they spread out.
_VERSION_RETRIES = 40


@dataclass(frozen=True)
class Candidate:
    member: Member
    shared_disciplines: list[str]
    sector_match: bool
    interested: bool
    introduced: bool
    note: str

    @property
    def rank(self) -> tuple[int, int, int, str]:
        return (
            -len(self.shared_disciplines),
            -int(self.sector_match),
            -int(self.member.available),
            self.member.name.casefold(),
        )


@dataclass(frozen=True)
class AssignmentDetails:
    """An assignment as one person may see it: its team (figures of others only for admins,
    which the view decides), the reports they may see, and the team's names."""

    assignment: Assignment
    team: Team
    reports: list[RevenueReport]
    names: dict[str, str]
    me: TeamMember | None  # the caller's place on the team, if any
    is_admin: bool
    # whether a member ever had revenue reported (so stays on the team), for those whom the
    # caller may take off the team: all for admins and the lead, one's own entry otherwise.
    # Not for the others: with the team's total it would tell the last one's revenue.
    has_revenue: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class NewOpportunity:
    title: str
    description: str
    disciplines: tuple[str, ...]
    sector: str | None
    location: str | None
    client: str | None
    starts_on: date | None
    on_behalf_of_collective: bool


class OpportunityService(Generic[U]):
    def __init__(
        self,
        store: OpportunityRepository[U],
        members: MemberDirectory,
        coin_store: CoinRepository[U],
        ledger_store: LedgerRepository[U],
        clock: Clock,
        policy: Policy,
        outbox: MailOutbox[U],
        links: Links,
        uow: Callable[[], U],
        *,
        vocabulary: VocabularyService,
    ) -> None:
        self.uow = uow
        self.outbox = outbox
        self.links = links
        self.store = store
        self.members = members
        self.coins = coin_store
        self.ledger = ledger_store
        self.clock = clock
        self.policy = policy
        # Typed disciplines and sectors are stored as the known term they name (intake owner).
        self.vocabulary = vocabulary

    def post(self, form: NewOpportunity, by: str, is_admin: bool) -> Opportunity:
        if form.on_behalf_of_collective and not is_admin:
            raise Forbidden("admins_post_for_collective")
        now = self.clock.now()
        opportunity = Opportunity(
            id=new_id(),
            title=form.title,
            description=form.description,
            disciplines=self.vocabulary.canonical(
                "discipline", form.disciplines, "disciplines", strict=False
            ),
            sector=self._sector(form.sector),
            location=form.location,
            client=form.client,
            starts_on=form.starts_on,
            referrer_id=None if form.on_behalf_of_collective else by,
            posted_by=by,
            status="open",
            created_at=now,
        )
        opportunity = replace(opportunity, history=(HistoryEvent(now, by, "post", None, "open"),))
        self.store.add(opportunity)
        return opportunity

    def get(self, opportunity_id: str) -> Opportunity:
        return self.store.get(opportunity_id)

    def browse(
        self, status: str | None, discipline: str | None, limit: int, cursor: str | None
    ) -> OpportunityPage:
        wanted = self.vocabulary.matcher("discipline", discipline) if discipline else None
        return self.store.browse(status, wanted, limit, cursor)

    def _sector(self, typed: str | None) -> str | None:
        if not typed:
            return None
        [sector] = self.vocabulary.canonical("sector", [typed], "sector", strict=False)
        return sector

    def express_interest(self, opportunity_id: str, member_id: str, note: str) -> Opportunity:
        opportunity = self.store.get(opportunity_id)
        if opportunity.is_referrer(member_id):
            raise Forbidden("referrer_cannot_show_interest")
        if not self.store.has_interest(opportunity_id, member_id):
            opportunity.require_open_for_interest()
            self.store.add_interest(opportunity_id, member_id, note, stamp(self.clock.now()))
        # Also on a repeat: one cut off between the interest and its mail is finished by the
        # retry; the mail's key makes sure the referrer hears of it once.
        self._tell_referrer(opportunity, member_id, note)
        return opportunity

    def _tell_referrer(self, opportunity: Opportunity, member_id: str, note: str) -> None:
        """The referrer hears of the interest, with the note; keyed by opportunity and member,
        so a repeated interest mails nothing more. (The collective's own opportunities have
        no referrer to tell: admins see their candidates in the app.)"""
        if opportunity.referrer_id is None:
            return
        referrer = self.members.get_member(opportunity.referrer_id)
        if not referrer.is_active:
            return
        candidate = self.members.get_member(member_id)
        letter = interest_letter(
            Recipient.of(referrer), self.links, opportunity, candidate.name, note
        )
        self.outbox.queue_and_send(
            f"interest:{opportunity.id}:{member_id}",
            "interest",
            referrer.id,
            letter.to(referrer.email),
        )

    def candidates(self, opportunity_id: str, member_id: str, is_admin: bool) -> list[Candidate]:
        opportunity = self.store.get(opportunity_id)
        opportunity.require_manager(member_id, is_admin)
        notes = {i.member_id: i.note for i in self.store.interests(opportunity_id)}
        introduced = {c.member_id for c in self.store.conversations(opportunity_id)}
        found = []
        for candidate_id in sorted(set(notes) | introduced):
            member = self.members.get_member(candidate_id)
            shared, sector, _ = match_score(
                opportunity, member.disciplines, member.sectors, member.available
            )
            found.append(
                Candidate(
                    member,
                    shared,
                    sector,
                    candidate_id in notes,
                    candidate_id in introduced,
                    notes.get(candidate_id, ""),
                )
            )
        return sorted(found, key=lambda c: c.rank)

    def record_conversation(
        self, opportunity_id: str, member_id: str, held_on: date, by: str, is_admin: bool
    ) -> Opportunity:
        if held_on > local_date(self.clock.now()):
            raise conversation_in_the_future()

        def change(opportunity: Opportunity, uow: U) -> Opportunity:
            opportunity.require_manager(by, is_admin)
            if opportunity.is_referrer(member_id):
                raise Conflict("referrer_cannot_be_candidate")
            candidate = self.members.get_member(member_id)
            if not candidate.is_active:
                raise Conflict("member_not_active", member=candidate.name)
            now = self.clock.now()
            note = f"{member_id} on {held_on}"
            moved = opportunity.moved("conversation", by, now, note, member=member_id)
            self.store.register_save(uow, moved)
            talk = Conversation(member_id, held_on, by, stamp(now))
            self.store.register_conversation(uow, opportunity_id, talk)
            return moved

        return self._change(opportunity_id, change)

    def award(
        self, opportunity_id: str, member_id: str, contribution: Tier, starts_on: date
    ) -> Assignment:

        def change(opportunity: Opportunity, uow: U) -> Assignment:
            award_check(
                opportunity,
                member_id,
                self.store.has_interest(opportunity_id, member_id),
                self.store.was_introduced(opportunity_id, member_id),
            )
            now = self.clock.now()
            assignment = Assignment(
                id=new_id(),
                opportunity_id=opportunity_id,
                member_id=member_id,
                referrer_id=opportunity.referrer_id,
                contribution=contribution,
                fee_cap_cents=fees.fee_cap_cents(contribution, self.policy),
                starts_on=starts_on,
                created_at=now,
            )
            note = f"to {member_id}, tier {contribution}, assignment {assignment.id}"
            moved = opportunity.moved("award", member_id, now, note, member=member_id)
            self.store.register_save(uow, moved)
            self.store.register_assignment(uow, assignment)
            return assignment

        return self._change(opportunity_id, change)

    def close(self, opportunity_id: str, outcome: Outcome, by: str, is_admin: bool) -> Opportunity:
        """Closes once. A repeat with the same outcome, later or at the same moment (a retry
        after a lost answer, a double click), answers the close that stands: the close and
        its coins were written together. Another outcome after the close is a 409."""

        def change(opportunity: Opportunity, uow: U) -> Opportunity:
            opportunity.require_manager(by, is_admin)
            if opportunity.status == "closed" and opportunity.outcome == outcome:
                raise _AlreadyDone(opportunity)
            now = self.clock.now()
            moved = replace(opportunity.moved("close", by, now, outcome), outcome=outcome)
            award = self._no_deal_award(moved) if outcome == "no_deal" else None
            self.store.register_save(uow, moved)
            if award is not None:
                # The coins are written in the same transaction as the close: both or neither.
                self.coins.register_award(uow, award)
            return moved

        try:
            return self._change(opportunity_id, change)
        except _AlreadyDone as done:
            return done.opportunity

    def _no_deal_award(self, closed: Opportunity) -> coins.CoinAward | None:
        """A no_deal after at least one conversation earns its referrer coins, once."""
        coins_each = self.policy.no_deal_conversation_coins
        if closed.referrer_id is None or coins_each <= 0:
            return None
        if not self.store.conversations(closed.id):
            return None
        return coins.no_deal_award(closed.referrer_id, closed.id, coins_each, self.clock.now())

    def _change(self, opportunity_id: str, change: Callable[[Opportunity, U], T]) -> T:
        """Reads the opportunity, lets `change` register the changed opportunity (first) and
        what goes with it, and commits; read again while someone changed it meanwhile."""
        for _ in range(_VERSION_RETRIES):
            with self.uow() as uow:
                result = change(self.store.get(opportunity_id), uow)
                try:
                    uow.commit()
                except VersionConflict:
                    continue
            return result
        raise Conflict("busy")

    # Assignments ---------------------------------------------------------------------------

    def assignment(self, assignment_id: str, member_id: str, is_admin: bool) -> Assignment:
        assignment = self.store.get_assignment(assignment_id)
        visible = assignment.visible_to(member_id, is_admin)
        if not (visible or self.store.team(assignment).sees(member_id)):
            raise Forbidden("assignment_not_yours")
        return assignment

    def assignment_details(
        self, assignment_id: str, member_id: str, is_admin: bool
    ) -> AssignmentDetails:
        """The assignment for its team, its referrer and admins. A team member sees their
        own reports only (another's would show that member's revenue); the referrer sees the
        reports of a team of one, as before teams, and only the totals of a joint one."""
        assignment, team = self.store.with_team(assignment_id)
        me = team.member(member_id)
        on_team = me is not None and me.on_team
        if not (is_admin or on_team or assignment.referrer_id == member_id):
            raise Forbidden("assignment_not_yours")
        reports = self.store.reports(assignment_id)
        # a report booked as theirs counts, also when credit notes took them back to 0 (the
        # lead's count is not kept on a member item: their reports say it)
        reported = {_revenue_of(r, team) for r in reports}
        removable = (
            team.members
            if is_admin or (on_team and member_id == team.lead_id)
            else [me]
            if me is not None and on_team
            else []
        )
        has_revenue = {m.member_id: m.has_revenue or m.member_id in reported for m in removable}
        if not is_admin:
            if on_team and team.is_joint:
                reports = [r for r in reports if _revenue_of(r, team) == member_id]
            elif not on_team and team.is_joint:
                reports = []
        found = self.members.get_members([m.member_id for m in team.members])
        names = {m: found[m].name for m in found}
        return AssignmentDetails(
            assignment, team, reports, names, me if on_team else None, is_admin, has_revenue
        )

    # Teams -------------------------------------------------------------------------------

    def invite(self, assignment_id: str, invitee_id: str, by: str, is_admin: bool) -> TeamMember:
        """The lead (or an admin) invites an active member; the invitee is mailed once."""
        assignment = self.store.get_assignment(assignment_id)
        team = self.store.team(assignment)
        if not (is_admin or by == team.lead_id):
            raise Forbidden("team_lead_or_admin_only")
        invitee = self.members.get_member(invitee_id)  # an unknown member: 404
        invited = team.invite(
            invitee_id, by, is_admin, invitee.is_active, invitee.name, self.clock.now()
        )
        with self.uow() as uow:
            self.store.register_invitation(uow, assignment, invited)
            uow.commit()
        lead = self.members.get_member(team.lead_id)
        title = self._title(assignment)
        letter = team_invitation_letter(
            Recipient.of(invitee), self.links, assignment.id, title, lead.name
        )
        self.outbox.queue_and_send(
            f"team-invite:{assignment.id}:{invitee_id}:{stamp(self.clock.now())}",
            "team_invitation",
            invitee.id,
            letter.to(invitee.email),
        )
        return invited

    def accept(self, assignment_id: str, member_id: str) -> TeamMember:
        """The invitee joins; a repeat answers the same. The lead hears of it."""
        for _ in range(_VERSION_RETRIES):
            assignment = self.store.get_assignment(assignment_id)
            team = self.store.team(assignment)
            joined = team.accept(member_id, self.clock.now())
            if joined is None:
                found = team.member(member_id)
                assert found is not None
                return found
            try:
                with self.uow() as uow:
                    self.store.register_acceptance(uow, assignment, joined)
                    uow.commit()
            except VersionConflict:
                continue
            self._tell_lead(assignment, team, joined, "accepted")
            return joined
        raise Conflict("busy")

    def decline(self, assignment_id: str, member_id: str) -> TeamMember:
        """The invitee does not join: the invitation goes. The lead hears of it."""
        for _ in range(_VERSION_RETRIES):
            assignment = self.store.get_assignment(assignment_id)
            team = self.store.team(assignment)
            invited = team.decline(member_id)
            try:
                with self.uow() as uow:
                    self.store.register_withdrawal(uow, assignment, invited)
                    uow.commit()
            except VersionConflict:
                continue
            self._tell_lead(assignment, team, invited, "declined")
            return invited
        raise Conflict("busy")

    def remove_from_team(
        self, assignment_id: str, member_id: str, by: str, is_admin: bool
    ) -> TeamMember:
        """`member_id` leaves, or the lead or an admin removes them (an invitation is
        withdrawn). Refused once a report was booked as theirs: their revenue bears part of
        the fee, so they stay on the team."""
        for _ in range(_VERSION_RETRIES):
            assignment = self.store.get_assignment(assignment_id)
            team = self.store.team(assignment)
            found = team.member(member_id)
            left = team.remove(member_id, by, is_admin, self.clock.now())
            try:
                with self.uow() as uow:
                    if left is None:
                        assert found is not None
                        self.store.register_withdrawal(uow, assignment, found)
                    else:
                        self.store.register_departure(uow, assignment, left)
                    uow.commit()
            except VersionConflict:
                continue
            assert found is not None
            return left or replace(found, status="left")
        raise Conflict("busy")

    def _tell_lead(
        self, assignment: Assignment, team: Team, invitee: TeamMember, answer: str
    ) -> None:
        lead = self.members.get_member(team.lead_id)
        if not lead.is_active:
            return
        who = self.members.get_member(invitee.member_id)
        letter = team_answer_letter(
            Recipient.of(lead),
            self.links,
            assignment.id,
            self._title(assignment),
            who.name,
            "accepted" if answer == "accepted" else "declined",
        )
        invited_at = stamp(invitee.changed_at) if invitee.changed_at else ""
        self.outbox.queue_and_send(
            f"team-{answer}:{assignment.id}:{invitee.member_id}:{invited_at}",
            f"team_{answer}",
            lead.id,
            letter.to(lead.email),
        )

    def _title(self, assignment: Assignment) -> str:
        return self.store.get(assignment.opportunity_id).title

    def line_titles(self, lines: Iterable[JournalLine]) -> dict[str, str]:
        """The opportunity's title of each assignment a statement line names (a member's
        share of a joint assignment's fee that moved), by assignment id; one that is gone is
        left out (its line then says "an assignment")."""
        named = {
            assignment_id
            for line in lines
            if (
                assignment_id := descriptions.team_fee_assignment(
                    line.kind, line.transaction_id, line.account, line.description
                )
            )
            is not None
        }
        titles: dict[str, str] = {}
        for assignment_id in sorted(named):
            try:
                titles[assignment_id] = self._title(self.store.get_assignment(assignment_id))
            except NotFound:
                continue
        return titles

    def reports(self, assignment_id: str) -> list[RevenueReport]:
        return self.store.reports(assignment_id)

    def report_revenue(
        self,
        assignment_id: str,
        caller_id: str,
        amount_cents: int,
        invoice_ref: str,
        invoiced_on: date,
        is_admin: bool = False,
        member_id: str | None = None,
    ) -> RevenueReport:
        """Books an invoice (or, negative, a credit note) on the assignment. Every active
        team member reports their own; the treasurer may report on a member's behalf
        (`member_id`; the lead when not given), also after they cancelled. The invoice
        number is the idempotency key per assignment and member whose revenue it is."""
        request = ledger.request_hash(
            {"amount_cents": amount_cents, "invoice_ref": invoice_ref, "invoiced_on": invoiced_on}
        )
        for attempt in range(_VERSION_RETRIES):
            try:
                assignment, team = self.store.with_team(assignment_id)
            except VersionConflict:
                time.sleep(0.005 * (attempt % 8))
                continue
            whose = self._revenue_member(team, caller_id, is_admin, member_id)
            member_key = None if whose == team.lead_id else whose
            earlier = self.store.get_report(assignment_id, invoice_ref, member_key)
            if earlier is not None:
                if earlier.request_hash != request:
                    raise Conflict("invoice_reported_differently", invoice=invoice_ref)
                return earlier
            booked = team.book(
                assignment.totals, whose, amount_cents, assignment.fee_cap_cents, self.policy
            )
            report = self._report(
                assignment, amount_cents, invoice_ref, invoiced_on, request, caller_id, booked
            )
            transaction = self._booking(assignment, report, team, booked)
            try:
                with self.uow() as uow:
                    self.store.register_report(
                        uow, assignment, report, team.after(booked, report.reported_at)
                    )
                    if transaction is not None:
                        self.ledger.register_booking(uow, transaction)
                    uow.commit()
            except (ReportReplayed, BookingReplayed):
                return self.store.replay_report(report)  # the same invoice at the same moment
            except Conflict:
                # the assignment changed since it was read, or a balance the booking was
                # computed from moved (a payout to the referrer during a clawback), or others
                # kept colliding: compute again from fresh figures
                time.sleep(0.005 * (attempt % 8))  # spread the contenders out a little
                continue
            observability.count("FeesBookedCents", report.booking.fee_cents)
            return report
        raise Conflict("busy")

    @staticmethod
    def _revenue_member(team: Team, caller_id: str, is_admin: bool, member_id: str | None) -> str:
        """Whose revenue a report is: the caller's own (an active team member), or, for an
        admin, the member named (the lead when none is named and the admin is not on it)."""
        if member_id is not None and member_id != caller_id:
            if not is_admin:
                raise Forbidden("revenue_by_team_or_admin")
            team.require_reporter(member_id)
            return member_id
        if team.is_active_member(caller_id):
            return caller_id
        if not is_admin:
            raise Forbidden("revenue_by_team_or_admin")
        if member_id is not None:
            team.require_reporter(member_id)  # an admin naming themselves, not on the team
        return team.lead_id

    def _report(
        self,
        assignment: Assignment,
        amount_cents: int,
        invoice_ref: str,
        invoiced_on: date,
        request: str,
        reported_by: str,
        booked: TeamBooking,
    ) -> RevenueReport:
        lead = booked.member_id == assignment.member_id
        return RevenueReport(
            assignment.id,
            invoice_ref,
            amount_cents,
            invoiced_on,
            self.clock.now(),
            booked.fee,
            request,
            reported_by,
            member_id=booked.member_id,
            keyed_by_member=not lead,
            my_revenue_cents=booked.my_revenue_cents,
            my_fee_cents=booked.my_fee_cents,
            burden_changes=tuple(sorted(booked.burden_changes.items())),
        )

    def _booking(
        self, assignment: Assignment, report: RevenueReport, team: Team, booked: TeamBooking
    ) -> ledger.LedgerTransaction | None:
        b = report.booking
        referrer_owed_cents = 0
        if assignment.referrer_id is not None and b.referrer_share_cents < 0:
            receives = ledger.member_receives_account(assignment.referrer_id)
            referrer_owed_cents = -self.ledger.balance_cents(receives)
        return ledger.revenue_fee(
            report.transaction_id,
            booked.member_id,  # the lead on a team of one, as before teams
            assignment.referrer_id,
            b.fee_cents,
            b.referrer_share_cents,
            b.operations_share_cents,
            b.pot_share_cents,
            year_containing(report.reported_at),
            report.invoice_ref,
            report.reported_at,
            report.request_hash,
            referrer_owed_cents=referrer_owed_cents,
            booked_by=report.reported_by,
            # a team of one books as before teams: its one member owes the whole fee
            burden_changes=booked.burden_changes if team.is_joint else None,
            team_revenue_grew=report.amount_cents > 0 if team.is_joint else None,
        )


def _revenue_of(report: RevenueReport, team: Team) -> str:
    """Whose revenue a report is (reports from before teams are the lead's)."""
    return report.member_id or team.lead_id


def conversation_in_the_future() -> InvalidInput:
    """A conversation is recorded after it was held: today or earlier (Amsterdam)."""
    code = "conversation_in_the_future"
    return InvalidInput(code, problems=[FieldProblem("held_on", code)])
