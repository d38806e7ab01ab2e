"""The December 31 distribution: a year's pot shared out over that year's coins.

Which years: every ended year whose pot ever held money or coins (the POTS index), oldest
first, whatever its number. Steps for a year, each safe to repeat: freeze it (no more coins,
no more pot money), write the header with the pot and coins as frozen, allocate (one pure
function), book each paid member's payout as its own ledger transaction with a deterministic
id and, in the same unit of work, queue the member's mail; many payouts go in one
TransactWriteItems (up to 100 writes); mark the year complete. Mail is sent after the money
(best effort) and retried by the outbox's own job: a mail that fails never holds up the year
nor the years after it. A run cut off anywhere is finished by the next; nobody is paid twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic

from chalicelib import observability
from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.allocation import allocate_pot
from chalicelib.domain.errors import Conflict
from chalicelib.domain.membership import Member
from chalicelib.mail.letters import Recipient, payout_letter
from chalicelib.mail.links import Links
from chalicelib.periods import year_containing
from chalicelib.services.outbox import MailOutbox, PreparedMail
from chalicelib.store.ports import (
    CoinRepository,
    DistributionRepository,
    LedgerRepository,
    MemberDirectory,
    PotYears,
    U,
)
from chalicelib.store.records import DistributionHeader, Payout
from chalicelib.store.refusals import MAX_ACTIONS, BookingReplayed

log = logging.getLogger("coop.distribution")
# Writes of one payout: its ledger record, two journal lines and the member's balance, its
# payout record and its mail; shared by a transaction's payouts: the pot's balance shards
# (at most 16) and the pot's year item.
PAYOUTS_PER_TRANSACTION = (MAX_ACTIONS - 16 - 1) // 6


@dataclass
class DistributionReport:
    year: int
    pot_cents: int = 0
    total_coins: int = 0
    paid: int = 0  # payouts booked by this run
    already_paid: int = 0  # payouts booked by an earlier run
    carried_over_cents: int = 0
    complete: bool = False
    resume_after: str | None = None  # last member handled when the run stopped early
    mails_queued: int = 0
    mails_sent: int = 0  # of those queued by this run; the rest go out with the outbox job


class DistributionService(Generic[U]):
    def __init__(
        self,
        coins: CoinRepository[U],
        pots: PotYears,
        distributions: DistributionRepository[U],
        ledger_store: LedgerRepository[U],
        members: MemberDirectory,
        outbox: MailOutbox[U],
        links: Links,
        clock: Clock,
        uow: Callable[[], U],
    ) -> None:
        self.uow = uow
        self.coins = coins
        self.pots = pots
        self.distributions = distributions
        self.ledger = ledger_store
        self.members = members
        self.outbox = outbox
        self.links = links
        self.clock = clock

    def last_ended_year(self) -> int:
        return year_containing(self.clock.now()) - 1

    def run_through(
        self,
        last_year: int | None = None,
        *,
        resume_after: tuple[int, str] | None = None,
        out_of_time: Callable[[], bool] = lambda: False,
    ) -> list[DistributionReport]:
        """Distributes every ended year up to `last_year` that is not complete, oldest first.

        A carry-over can give a later ended year its first pot money, so the years are looked
        up again after each one. `resume_after` (year, member id) skips the members a cut-off
        run already handled. Asked for a year distributed earlier, answers its report too.
        """
        last = self.last_ended_year() if last_year is None else last_year
        self._require_ended(last)
        reports: list[DistributionReport] = []
        while (year := self._next_year_to_distribute(last)) is not None:
            after = resume_after[1] if resume_after and resume_after[0] == year else None
            report = self.distribute(year, after_member=after, out_of_time=out_of_time)
            reports.append(report)
            if not report.complete:
                return reports  # out of time: the rest waits for the continuation
        if last_year is not None and all(r.year != last_year for r in reports):
            done = self.report_of(last_year)
            reports += [done] if done is not None else []
        return reports

    def _next_year_to_distribute(self, last: int) -> int | None:
        waiting = [p.year for p in self.pots.years() if p.year <= last and p.completed_at is None]
        return min(waiting, default=None)

    def distribute(
        self,
        year: int,
        *,
        after_member: str | None = None,
        out_of_time: Callable[[], bool] = lambda: False,
    ) -> DistributionReport:
        self._require_ended(year)
        header = self.distributions.header(year) or self._freeze(year)
        report = DistributionReport(year, header.pot_cents, header.total_coins)
        holders = dict(self.coins.iter_holders(year))
        if header.pot_cents < 0 or not holders:
            self._carry_over(header, report)
        else:
            self._pay_all(header, holders, after_member, out_of_time, report)
        if report.resume_after is None:
            self.distributions.complete(year, self.clock.now())
            self.pots.mark_completed(year, self.clock.now())
            report.complete = True
        log.info("job report", extra={"job": "distribution", **_loggable(report)})
        return report

    def report_of(self, year: int) -> DistributionReport | None:
        """What a completed distribution did, as a run reports it (a re-run books nothing)."""
        header = self.distributions.header(year)
        if header is None or header.completed_at is None:
            return None
        payouts = self.distributions.payouts(year)
        carried = header.pot_cents if not payouts else 0
        return DistributionReport(
            year,
            header.pot_cents,
            header.total_coins,
            already_paid=len(payouts),
            carried_over_cents=carried,
            complete=True,
        )

    def _pay_all(
        self,
        header: DistributionHeader,
        holders: dict[str, int],
        after_member: str | None,
        out_of_time: Callable[[], bool],
        report: DistributionReport,
    ) -> None:
        """Books the payouts in member order, many to a transaction. Time is asked after each
        member: a run out of time books what it gathered and stops after that member."""
        allocation = allocate_pot(header.pot_cents, holders)
        paid_before = {p.member_id for p in self.distributions.payouts(header.year)}
        todo = [m for m in sorted(allocation) if after_member is None or m > after_member]
        members = self.members.get_members([m for m in todo if allocation[m] > 0])
        batch: list[_Planned] = []
        for member_id in todo:
            if member_id in paid_before:
                report.already_paid += 1
            elif allocation[member_id] > 0:  # a share of 0 cents is no payout
                payout = Payout(member_id, holders[member_id], allocation[member_id])
                member = members.get(member_id) or self.members.get_member(member_id)
                batch.append(self._planned(header, payout, member))
            if out_of_time():
                self._book(header, batch, report)
                report.resume_after = member_id
                return
            if len(batch) >= PAYOUTS_PER_TRANSACTION:
                self._book(header, batch, report)
                batch = []
        self._book(header, batch, report)

    def _require_ended(self, year: int) -> None:
        if year > self.last_ended_year():
            raise Conflict("year_not_ended", year=year)

    def _freeze(self, year: int) -> DistributionHeader:
        now = self.clock.now()
        self.distributions.freeze_pot(year, now)
        total_coins = self.coins.pot_state(year).total_coins
        indexed = sum(coins for _, coins in self.coins.iter_holders(year))
        if indexed != total_coins:
            # The coin index lags its table by a moment; distribute only what is complete.
            raise Conflict("coins_being_indexed", year=year)
        pot_cents = -self.ledger.balance_cents(ledger.pot_account(year))
        return self.distributions.put_header(DistributionHeader(year, pot_cents, total_coins, now))

    def _carry_over(self, header: DistributionHeader, report: DistributionReport) -> None:
        """No coins, or a pot in deficit (credit notes): the pot moves on to the next year."""
        if header.pot_cents != 0:
            self.ledger.book(ledger.pot_carry_over(header.year, header.pot_cents, self.clock.now()))
        report.carried_over_cents = header.pot_cents

    def _planned(self, header: DistributionHeader, payout: Payout, member: Member) -> _Planned:
        letter = payout_letter(
            Recipient.of(member),
            self.links,
            header.year,
            header.pot_cents,
            header.total_coins,
            payout.coins,
            payout.amount_cents,
        )
        transaction = ledger.pot_payout(
            header.year, payout.member_id, payout.amount_cents, self.clock.now()
        )
        mail_id = f"distribution:{header.year}:{member.id}"
        mail = self.outbox.prepare(mail_id, "pot_payout", member.id, letter.to(member.email))
        return _Planned(payout, transaction, mail)

    def _book(
        self, header: DistributionHeader, batch: list[_Planned], report: DistributionReport
    ) -> None:
        """Books the payouts, their records and their mails in one transaction, then sends
        the mails (queued taken for this run: no request to claim each). A payout another
        run booked meanwhile is left out and the rest booked again."""
        while batch:
            try:
                with self.uow() as uow:
                    self.distributions.register_payouts(
                        uow, header.year, [(p.payout, p.transaction) for p in batch]
                    )
                    for planned in batch:
                        self.outbox.register(uow, planned.mail, claimed=True)
                    uow.commit()
            except BookingReplayed as replayed:
                self.ledger.replay(replayed.transaction)  # the same payout, or a 409
                done = replayed.transaction.transaction_id
                batch = [p for p in batch if p.transaction.transaction_id != done]
                report.already_paid += 1
                continue
            report.paid += len(batch)
            report.mails_queued += len(batch)
            observability.count("PayoutsBooked", len(batch))
            mails = [p.mail.queued for p in batch]
            report.mails_sent += self.outbox.send_claimed(mails).sent
            return


@dataclass(frozen=True)
class _Planned:
    payout: Payout
    transaction: ledger.LedgerTransaction
    mail: PreparedMail


def _loggable(report: DistributionReport) -> dict[str, object]:
    return dict(report.__dict__)
