"""The December 31 distribution: a year's pot shared out over that year's coins.

Which years: every ended year whose pot ever held money or coins (the POTS index), oldest
first, whatever its number. Steps for a year, each safe to repeat: freeze it (no more coins,
no more pot money), write the header with the pot and coins as frozen, allocate (one pure
function), book each paid member's payout as its own ledger transaction with a deterministic
id and, in the same TransactWriteItems, queue the member's mail; mark the year complete. Mail
is sent after the money (best effort) and retried by the outbox's own job: a mail that fails
never holds up the year nor the years after it. A run cut off anywhere is finished by the next;
nobody is paid twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib import observability
from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.allocation import allocate_pot
from chalicelib.domain.errors import Conflict
from chalicelib.mail.letters import Recipient, payout_letter
from chalicelib.mail.links import Links
from chalicelib.periods import year_containing
from chalicelib.services.outbox import MailOutbox
from chalicelib.store.coins import CoinStore
from chalicelib.store.distributions import DistributionHeader, DistributionStore, Payout
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.members import MemberStore
from chalicelib.store.outbox import QueuedMail
from chalicelib.store.pots import PotStore

log = logging.getLogger("coop.distribution")


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
    mails: list[QueuedMail] = field(default_factory=list, repr=False)


class DistributionService:
    def __init__(
        self,
        coins: CoinStore,
        pots: PotStore,
        distributions: DistributionStore,
        ledger_store: LedgerStore,
        members: MemberStore,
        outbox: MailOutbox,
        links: Links,
        clock: Clock,
    ) -> None:
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
        report.mails_sent = self.outbox.send_now(report.mails).sent
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
        allocation = allocate_pot(header.pot_cents, holders)
        for member_id in sorted(allocation):
            if after_member is not None and member_id <= after_member:
                continue
            if allocation[member_id] > 0:  # a share of 0 cents is no payout
                payout = Payout(member_id, holders[member_id], allocation[member_id])
                self._pay(header, payout, report)
            if out_of_time():
                report.resume_after = member_id
                return

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

    def _pay(self, header: DistributionHeader, payout: Payout, report: DistributionReport) -> None:
        """Books the payout, its record and its mail in one transaction."""
        member = self.members.get_member(payout.member_id)
        mail_id = f"distribution:{header.year}:{member.id}"
        recipient = Recipient.of(member)
        letter = payout_letter(
            recipient,
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
        mail = self.outbox.prepare(mail_id, "pot_payout", member.id, letter.to(member.email))
        if self.distributions.pay(header.year, payout, transaction, extra=[mail.op]):
            report.paid += 1
            observability.count("PayoutsBooked")
            report.mails_queued += 1
            report.mails.append(mail.queued)
        else:
            report.already_paid += 1


def _loggable(report: DistributionReport) -> dict[str, object]:
    return {k: v for k, v in report.__dict__.items() if k != "mails"}
