"""Coin claims for publicity, members' coins, and the pots as members see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic

from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.coins import CoinAward, CoinClaim
from chalicelib.domain.errors import Conflict, NotFound, YearDistributed
from chalicelib.domain.ids import new_id
from chalicelib.i18n import descriptions
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.notices import claim_approved_letter, claim_rejected_letter
from chalicelib.periods import year_containing
from chalicelib.policy import Policy
from chalicelib.services.outbox import MailOutbox, PreparedMail
from chalicelib.store.ports import (
    ClaimRepository,
    CoinRepository,
    DistributionRepository,
    LedgerRepository,
    MemberDirectory,
    OpportunityRepository,
    U,
)
from chalicelib.store.records import ClaimPage, CoinYear, DistributionHeader, Payout
from chalicelib.store.refusals import AwardReplayed


@dataclass(frozen=True)
class PotView:
    year: int
    balance_cents: int
    total_coins: int
    status: str  # open | distributed
    # What a coin would be worth if the pot were shared out now (for motivation only).
    indicative_cents_per_coin: int | None


class CoinService(Generic[U]):
    def __init__(
        self,
        claims: ClaimRepository[U],
        coin_store: CoinRepository[U],
        ledger_store: LedgerRepository[U],
        distributions: DistributionRepository[U],
        clock: Clock,
        policy: Policy,
        members: MemberDirectory,
        outbox: MailOutbox[U],
        links: Links,
        opportunities: OpportunityRepository,  # read only: opportunity titles
        uow: Callable[[], U],
    ) -> None:
        self.uow = uow
        self.opportunities = opportunities
        self.members = members
        self.outbox = outbox
        self.links = links
        self.claims = claims
        self.coins = coin_store
        self.ledger = ledger_store
        self.distributions = distributions
        self.clock = clock
        self.policy = policy

    def file_claim(
        self, member_id: str, activity: str, description: str, url: str | None
    ) -> CoinClaim:
        claim = CoinClaim(
            new_id(), member_id, activity, description, url, "pending", self.clock.now()
        )
        self.claims.add(claim)
        return claim

    def browse_claims(self, status: str, limit: int, cursor: str | None) -> ClaimPage:
        return self.claims.browse(status, limit, cursor)

    def approve(self, claim_id: str, coins: int, admin_id: str) -> CoinClaim:
        """Approves once. A repeat with the same coins, later or at the same moment (an
        admin's retry after a lost answer, a double click), answers the decision that stands;
        other coins after the decision are a 409. The member's mail is queued in the
        decision's own write, so it goes out once."""
        claim = self.claims.get(claim_id)
        if _same_approval(claim, coins):
            return claim
        approved = claim.approved(coins, admin_id, self.clock.now(), self.policy)
        try:
            self._decide(approved, approved.award())
        except Conflict:
            current = self.claims.get(claim_id)
            if _same_approval(current, coins):
                return current  # decided the same way at the same moment: that answer
            raise
        return approved

    def reject(self, claim_id: str, reason: str, admin_id: str) -> CoinClaim:
        """Rejects once; a repeat with the same reason answers the rejection that stands."""
        claim = self.claims.get(claim_id)
        if _same_rejection(claim, reason):
            return claim
        rejected = claim.rejected(reason, admin_id, self.clock.now())
        try:
            self._decide(rejected, None)
        except Conflict:
            current = self.claims.get(claim_id)
            if _same_rejection(current, reason):
                return current
            raise
        return rejected

    def _decide(self, decided: CoinClaim, award: CoinAward | None) -> None:
        """The decision (while the claim is pending), the approval's coins and the member's
        mail, all or nothing; then the mail is sent (a failed send stays queued)."""
        mail = self._decided_mail(decided)
        try:
            with self.uow() as uow:
                self.claims.register_decision(uow, decided)
                if award is not None:
                    self.coins.register_award(uow, award)
                self.outbox.register(uow, mail)
                uow.commit()
        except (YearDistributed, AwardReplayed) as refused:
            raise Conflict("claim_year_distributed") from refused
        self.outbox.send_now([mail.queued])

    def _decided_mail(self, decided: CoinClaim) -> PreparedMail:
        member = self.members.get_member(decided.member_id)
        to = Recipient.of(member)
        if decided.status == "approved":
            assert decided.coins is not None and decided.decided_at is not None
            year = year_containing(decided.decided_at)
            letter = claim_approved_letter(to, self.links, decided.description, decided.coins, year)
        else:
            letter = claim_rejected_letter(
                to, self.links, decided.description, decided.rejection_reason or ""
            )
        return self.outbox.prepare(
            f"claim:{decided.id}:decided", "claim_decided", member.id, letter.to(member.email)
        )

    def coins_of(self, member_id: str, year: int) -> CoinYear:
        return self.coins.year_of(member_id, year)

    def award_names(self, awards: list[CoinAward]) -> dict[str, str]:
        """The name each award is about, by award id: the title of the opportunity of a
        no-deal award, the name of the recruit of a recruitment (old awards included)."""
        names: dict[str, str] = {}
        for award in awards:
            subject = descriptions.coin_subject(award.award_id)
            try:
                if subject is not None and subject[0] == "opportunity":
                    names[award.award_id] = self.opportunities.get(subject[1]).title
                elif subject is not None:
                    names[award.award_id] = self.members.get_member(subject[1]).name
            except NotFound:
                continue  # gone: the description says what it was without a name
        return names

    def pot(self, year: int) -> PotView:
        state = self.coins.pot_state(year)
        balance_cents = -self.ledger.balance_cents(ledger.pot_account(year))
        header = self.distributions.header(year)
        if header is not None:  # what was shared out, not what is left after payouts
            balance_cents = header.pot_cents
        per_coin = balance_cents // state.total_coins if state.total_coins else None
        status = "distributed" if state.distributed_at is not None else "open"
        return PotView(year, balance_cents, state.total_coins, status, per_coin)

    def distribution(
        self, year: int, member_id: str, is_admin: bool
    ) -> tuple[DistributionHeader, list[Payout]]:
        header = self.distributions.header(year)
        if header is None:
            raise NotFound("year_not_distributed", year=year)
        if is_admin:
            return header, sorted(self.distributions.payouts(year), key=lambda p: p.member_id)
        own = self.distributions.payout(year, member_id)
        return header, [own] if own else []


def _same_approval(claim: CoinClaim, coins: int) -> bool:
    return claim.status == "approved" and claim.coins == coins


def _same_rejection(claim: CoinClaim, reason: str) -> bool:
    return claim.status == "rejected" and claim.rejection_reason == reason
