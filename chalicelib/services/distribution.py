"""The December 31 distribution: a year's pot shared out over that year's coins.

Steps, each safe to repeat: freeze the year (no more coins, no more pot money), write the
header with the pot and coins as frozen, allocate (one pure function), book each member's
payout as its own ledger transaction with a deterministic id, mail each paid member, mark
the year complete. A run cut off anywhere is finished by the next; nobody is paid twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.allocation import allocate_pot
from chalicelib.domain.errors import Conflict
from chalicelib.domain.receivables import euros
from chalicelib.periods import year_containing
from chalicelib.policy import Policy
from chalicelib.services.mailer import Mailer
from chalicelib.store.coins import CoinStore
from chalicelib.store.distributions import DistributionHeader, DistributionStore, Payout
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.members import MemberStore

log = logging.getLogger("coop.distribution")


@dataclass
class DistributionReport:
    year: int
    pot_cents: int = 0
    total_coins: int = 0
    paid: int = 0
    already_paid: int = 0
    mailed: int = 0
    mail_failed: int = 0
    carried_over_cents: int = 0
    complete: bool = False
    resume_after: str | None = None  # last member handled when the run stopped early
    failed_member_ids: list[str] = field(default_factory=list)


class DistributionService:
    def __init__(
        self,
        coins: CoinStore,
        distributions: DistributionStore,
        ledger_store: LedgerStore,
        members: MemberStore,
        mailer: Mailer,
        clock: Clock,
        policy: Policy,
    ) -> None:
        self.coins = coins
        self.distributions = distributions
        self.ledger = ledger_store
        self.members = members
        self.mailer = mailer
        self.clock = clock
        self.policy = policy

    def last_ended_year(self) -> int:
        return year_containing(self.clock.now()) - 1

    def run_through(
        self,
        last_year: int | None = None,
        *,
        resume_after: tuple[int, str] | None = None,
        out_of_time: Callable[[], bool] = lambda: False,
    ) -> list[DistributionReport]:
        """Distributes every ended year up to `last_year` not yet complete, oldest first;
        `resume_after` (year, member id) skips the members a cut-off run already handled."""
        last = self.last_ended_year() if last_year is None else last_year
        self._require_ended(last)
        reports = []
        for year in range(self.policy.first_pot_year, last + 1):
            header = self.distributions.header(year)
            if header is not None and header.completed_at is not None:
                continue
            after = resume_after[1] if resume_after and resume_after[0] == year else None
            report = self.distribute(year, after_member=after, out_of_time=out_of_time)
            reports.append(report)
            if not report.complete:
                break  # years go in order: a later year waits for this one
        return reports

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
            allocation = allocate_pot(header.pot_cents, holders)
            for member_id in sorted(allocation):
                if after_member is not None and member_id <= after_member:
                    continue
                payout = Payout(member_id, holders[member_id], allocation[member_id])
                self._pay(header, payout, report)
                if out_of_time():
                    report.resume_after = member_id
                    break
        if report.resume_after is None and report.mail_failed == 0:
            self.distributions.complete(year, self.clock.now())
            report.complete = True
        log.info(json.dumps({"job": "distribution", **report.__dict__}))
        return report

    def _require_ended(self, year: int) -> None:
        if year > self.last_ended_year():
            raise Conflict(f"{year} has not ended yet (Europe/Amsterdam)")

    def _freeze(self, year: int) -> DistributionHeader:
        now = self.clock.now()
        self.distributions.freeze_pot(year, now)
        total_coins = self.coins.pot_state(year).total_coins
        indexed = sum(coins for _, coins in self.coins.iter_holders(year))
        if indexed != total_coins:
            # The coin index lags its table by a moment; distribute only what is complete.
            raise Conflict(f"the coins of {year} are still being indexed; run again shortly")
        pot_cents = -self.ledger.balance_cents(ledger.pot_account(year))
        return self.distributions.put_header(DistributionHeader(year, pot_cents, total_coins, now))

    def _carry_over(self, header: DistributionHeader, report: DistributionReport) -> None:
        """No coins, or a pot in deficit (credit notes): the pot moves on to the next year."""
        if header.pot_cents != 0:
            self.ledger.book(ledger.pot_carry_over(header.year, header.pot_cents, self.clock.now()))
        report.carried_over_cents = header.pot_cents

    def _pay(self, header: DistributionHeader, payout: Payout, report: DistributionReport) -> None:
        transaction = (
            ledger.pot_payout(header.year, payout.member_id, payout.amount_cents, self.clock.now())
            if payout.amount_cents > 0
            else None
        )
        newly_paid = self.distributions.pay(header.year, payout, transaction)
        if newly_paid:
            report.paid += 1
        else:
            report.already_paid += 1
        if payout.amount_cents == 0:
            return  # nothing was paid, so there is nothing to announce
        if not newly_paid:  # a repeat: mail only if the earlier run did not get to it
            recorded = self.distributions.payout(header.year, payout.member_id)
            if recorded is None or recorded.mailed_at is not None:
                return
        try:
            self._mail(header, payout)
        except Exception:  # the payout stands; the next run mails again
            log.exception("distribution mail to %s failed", payout.member_id)
            report.mail_failed += 1
            report.failed_member_ids.append(payout.member_id)
            return
        self.distributions.mark_mailed(header.year, payout.member_id, self.clock.now())
        report.mailed += 1

    def _mail(self, header: DistributionHeader, payout: Payout) -> None:
        member = self.members.get_member(payout.member_id)
        per_coin = euros(header.pot_cents // header.total_coins)
        text = "\n".join(
            [
                f"Beste {member.name},",
                "",
                f"De pot van {header.year} is verdeeld: {euros(header.pot_cents)} over "
                f"{header.total_coins} coins, ongeveer {per_coin} per coin.",
                f"Jij verdiende {payout.coins} coins; jouw deel is {euros(payout.amount_cents)}.",
                "Het staat op je overzicht bij Co-operations als te ontvangen bedrag.",
                "",
                "Hartelijke groet,",
                "De penningmeester van Co-operations",
            ]
        )
        subject = f"Jouw deel van de pot {header.year}: {euros(payout.amount_cents)}"
        self.mailer.send(member.email, subject, text)
