"""Random lives of the collective, checked after every step against the SPEC's rules.

A hypothesis state machine drives the services (as the routes and schedules do) through
admissions with recruiters, payments and payouts (bank references shared across members),
opportunities awarded in every tier (also for the collective), revenue reports and credit
notes (also by the treasurer on behalf, also after the member left), publicity claims (also
the treasurer's own), no-deal coins, cancellations, dues runs for any quarter, distributions,
the mail outbox with SES up or down, and a clock that jumps across quarter starts and New
Year to the minute. After every step the whole ledger is read back (a Scan in this test
helper) and checked:

- every transaction balances and its journal lines are exactly its entries;
- every stored balance is the sum of its account's journal lines; all balances sum to 0;
- each member owes and is owed exactly what an independent model of the SPEC says, and the
  collective never owes a member less than 0 (a clawback beyond it is the member's debt);
- every assignment's fees equal the SPEC formula on its cumulative revenue;
- dues: every quarter a member was active in (by their joined/cancelled times) that was run,
  plus the joining quarter, charged exactly once; no other;
- every ended year with pot money or coins is distributed by a run; a distribution pays
  exactly its pot by the largest-remainder rule, with no payouts of 0 cents, and every
  payout has its mail in the outbox whether SES is up or not;
- a distributed year never changes afterwards; bank references book once collective-wide.

`COOP_STATEFUL_EXAMPLES` sets the number of sequences (default 500); the count is printed.
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from moto import mock_aws

from chalicelib.api.models import ApplicationIn
from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.services.opportunities import NewOpportunity
from tests.proof import summary
from tests.proof.aws_state import dump
from tests.proof.lab import Lab, clients_once, new_lab
from tests.proof.ledger_rules import (
    AMSTERDAM,
    DUES_CENTS,
    MINUTE,
    NO_DEAL_COINS,
    RECRUITMENT_COINS,
    REGISTRATION_CENTS,
    active_in,
    fee_totals,
    largest_remainder,
    new_year_after,
    next_quarter,
    next_quarter_start,
    quarter_label,
    quarter_of,
    year_of,
)

EXAMPLES = int(os.environ.get("COOP_STATEFUL_EXAMPLES", "500"))
STEPS = int(os.environ.get("COOP_STATEFUL_STEPS", "12"))
START = datetime(2026, 11, 20, 10, tzinfo=UTC)  # near a quarter's end and New Year
MAX_MEMBERS, MAX_ASSIGNMENTS = 6, 3
REFERENCES = ["NL-1", "nl-1", "NL-2", "NL-3"]  # "nl-1" is the same bank line as "NL-1"
AMOUNTS = [1, 2_500, 5_000, 12_345]
REVENUES = [7, 100_000, 2_000_000, 3_333_333, -50_000, -2_000_000, -9_000_000]
INVOICES = ["INV-1", "INV-2", "CN-1"]
CLOCK_MOVES = [
    "hour",
    "days",
    "weeks",
    "quarter-1m",
    "quarter",
    "quarter+1m",
    "new-year-1m",
    "new-year+5m",
]

_lab: Lab | None = None  # one collective, put back to its start before every sequence
_founders: list[tuple[str, str, datetime]] = []  # its members at the start: id, email, joined


@dataclass
class MemberModel:
    id: str
    email: str
    joined_at: datetime
    cancelled_at: datetime | None = None
    charged: set[tuple[int, int]] = field(default_factory=set)

    @property
    def active(self) -> bool:
        return self.cancelled_at is None


@dataclass
class AssignmentModel:
    id: str
    member_id: str
    referrer_id: str | None
    tier: str
    revenue: int = 0
    reports: dict[str, tuple[int, date]] = field(default_factory=dict)
    # the cumulative revenue each report left: a replay answers its own booking, not today's
    revenue_after: dict[str, int] = field(default_factory=dict)


class CollectiveMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        assert _lab is not None
        self.lab: Lab = _lab
        self.lab.reset()
        self.s = self.lab.services
        self.members: list[MemberModel] = []
        self.assignments: list[AssignmentModel] = []
        self.owes: Counter[str] = Counter()
        self.receives: Counter[str] = Counter()  # what the collective owes the member
        self.pot: Counter[int] = Counter()
        self.coins: defaultdict[int, Counter[str]] = defaultdict(Counter)
        self.pot_years: set[int] = set()  # years whose pot moved or took coins
        self.completed: dict[int, tuple[int, int, dict[str, int]]] = {}
        self.frozen: dict[int, Any] = {}  # what a distributed year looked like when done
        self.references: dict[str, tuple[str, str, str, int, date]] = {}
        self.dues_runs: set[tuple[int, int]] = set()
        for member_id, email, joined_at in _founders:
            self._admitted(member_id, email, joined_at)
        self.treasurer = self.members[0].id
        summary.add("stateful sequences run")

    # Helpers -----------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self.lab.clock.now()

    def _pick(self, n: int, *, active: bool = False) -> MemberModel | None:
        pool = [m for m in self.members if m.active or not active]
        return pool[n % len(pool)] if pool else None

    def _admit(self, recruiter: MemberModel | None) -> MemberModel:
        n = len(self.members)
        form = {
            "name": f"Member {n}",
            "email": f"member{n}@example.nl",
            "disciplines": ["software-development"],
            "years_experience": 10,
        }
        if recruiter is not None:
            form["referred_by_email"] = recruiter.email
        application = self.s.membership.apply(ApplicationIn.model_validate(form).new_application())
        member = self.s.membership.approve(application.id, self.treasurer)
        model = self._admitted(member.id, member.email, member.joined_at)
        if recruiter is not None and recruiter.active:
            self._coins(recruiter.id, RECRUITMENT_COINS)
        return model

    def _admitted(self, member_id: str, email: str, joined_at: datetime) -> MemberModel:
        model = MemberModel(member_id, email, joined_at)
        model.charged.add(quarter_of(self.now))
        self.members.append(model)
        self.owes[model.id] += REGISTRATION_CENTS + DUES_CENTS
        return model

    def _coins(self, member_id: str, coins: int) -> None:
        year = year_of(self.now)
        self.coins[year][member_id] += coins
        self.pot_years.add(year)

    def _bank_line(self, kind: str, member: MemberModel, amount: int, ref: str) -> str:
        """What the ledger must do with a payment or payout: book, replay or refuse."""
        day = self.now.astimezone(AMSTERDAM).date()
        known = self.references.get(ref.casefold())
        if known is not None:
            same_key = known[:3] == (kind, member.id, ref)
            return "replay" if same_key and known[3:] == (amount, day) else "refuse"
        if kind == "payout" and amount > self.receives[member.id]:
            return "refuse"
        self.references[ref.casefold()] = (kind, member.id, ref, amount, day)
        return "book"

    # Membership --------------------------------------------------------------------------

    @rule(recruiter=st.integers(0, 20) | st.none())
    def admit(self, recruiter: int | None) -> None:
        if len(self.members) >= MAX_MEMBERS:
            return
        self._admit(self._pick(recruiter) if recruiter is not None else None)

    @rule(who=st.integers(1, 20), at_quarter_start=st.booleans())
    def cancel(self, who: int, at_quarter_start: bool) -> None:
        """Cancels now, or exactly when the next quarter begins (not a member of it)."""
        member = self._pick(who)
        if member is None or member.id == self.treasurer:
            return
        if at_quarter_start:
            self.lab.clock.set(next_quarter_start(self.now))
        else:  # a moment after whatever happened before (the clock stands still otherwise)
            self.lab.clock.set(self.now + MINUTE)
        if not member.active:
            with pytest.raises(Conflict):
                self.s.membership.cancel(member.id)
            return
        self.s.membership.cancel(member.id)
        member.cancelled_at = self.now

    # Money in and out ----------------------------------------------------------------------

    @rule(who=st.integers(0, 20), amount=st.sampled_from(AMOUNTS), ref=st.sampled_from(REFERENCES))
    def payment(self, who: int, amount: int, ref: str) -> None:
        member = self._pick(who)
        assert member is not None
        day = self.now.astimezone(AMSTERDAM).date()
        expected = self._bank_line("payment", member, amount, ref)
        if expected == "refuse":
            with pytest.raises(Conflict):
                self.s.accounts.record_payment(member.id, amount, day, ref, self.treasurer)
            return
        booking = self.s.accounts.record_payment(member.id, amount, day, ref, self.treasurer)
        assert booking.replayed == (expected == "replay")
        if expected == "book":
            self.owes[member.id] -= amount

    @rule(
        who=st.integers(0, 20),
        size=st.sampled_from(["one", "half", "all", "too much"]),
        ref=st.sampled_from(REFERENCES),
    )
    def payout(self, who: int, size: str, ref: str) -> None:
        member = self._pick(who)
        assert member is not None
        owed = self.receives[member.id]
        amount = {"one": 1, "half": owed // 2, "all": owed, "too much": owed + 1}[size] or 1
        day = self.now.astimezone(AMSTERDAM).date()
        expected = self._bank_line("payout", member, amount, ref)
        if expected == "refuse":
            with pytest.raises(Conflict):
                self.s.accounts.record_payout(member.id, amount, day, ref, self.treasurer)
            return
        booking = self.s.accounts.record_payout(member.id, amount, day, ref, self.treasurer)
        assert booking.replayed == (expected == "replay")
        if expected == "book":
            self.receives[member.id] -= amount

    # Opportunities, assignments, revenue -----------------------------------------------------

    @rule(
        referrer=st.integers(0, 20) | st.none(),
        executor=st.integers(0, 20),
        tier=st.sampled_from(["small", "medium", "large"]),
    )
    def award(self, referrer: int | None, executor: int, tier: str) -> None:
        by = self._pick(referrer, active=True) if referrer is not None else None
        doer = self._pick(executor, active=True)
        if len(self.assignments) >= MAX_ASSIGNMENTS or doer is None or by is doer:
            return
        poster = by.id if by else self.treasurer
        form = NewOpportunity("Grid study", "d", ("data",), None, None, None, None, by is None)
        ops = self.s.opportunities
        opportunity = ops.post(form, poster, is_admin=by is None)
        ops.express_interest(opportunity.id, doer.id, "")
        assignment = ops.award(opportunity.id, doer.id, tier, date(2027, 1, 1))  # type: ignore[arg-type]
        assert assignment.referrer_id == (by.id if by else None)
        self.assignments.append(
            AssignmentModel(assignment.id, doer.id, assignment.referrer_id, tier)
        )

    @rule(
        which=st.integers(0, 20),
        amount=st.sampled_from(REVENUES),
        invoice=st.sampled_from(INVOICES),
        on_behalf=st.booleans(),
    )
    def report_revenue(self, which: int, amount: int, invoice: str, on_behalf: bool) -> None:
        if not self.assignments:
            return
        a = self.assignments[which % len(self.assignments)]
        doer = next(m for m in self.members if m.id == a.member_id)
        by_admin = on_behalf or not doer.active  # a member who left reports nothing themselves
        caller = self.treasurer if by_admin else doer.id
        day = self.now.astimezone(AMSTERDAM).date()
        expected = self._revenue_outcome(a, amount, invoice, day)

        def report() -> Any:
            return self.s.opportunities.report_revenue(
                a.id, caller, amount, invoice, day, is_admin=by_admin
            )

        if expected is None:
            with pytest.raises(Conflict):
                report()
            return
        booked = report()
        if expected == "replay":
            assert booked.booking.after.revenue_cents == a.revenue_after[invoice]
            return
        assert booked.booking.fee_cents == expected["fee"]
        assert booked.booking.pot_share_cents == expected["pot"]
        self._book_fee(a, amount, invoice, day, expected)

    def _revenue_outcome(
        self, a: AssignmentModel, amount: int, invoice: str, day: date
    ) -> dict[str, int] | str | None:
        if invoice in a.reports:
            return "replay" if a.reports[invoice] == (amount, day) else None
        if a.revenue + amount < 0:
            return None  # a credit note beyond what was ever invoiced
        has_referrer = a.referrer_id is not None
        before = fee_totals(a.revenue, a.tier, has_referrer)
        after = fee_totals(a.revenue + amount, a.tier, has_referrer)
        return {k: after[k] - before[k] for k in after}

    def _book_fee(
        self, a: AssignmentModel, amount: int, invoice: str, day: date, delta: dict[str, int]
    ) -> None:
        a.revenue += amount
        a.reports[invoice] = (amount, day)
        a.revenue_after[invoice] = a.revenue
        self.owes[a.member_id] += delta["fee"]
        if a.referrer_id is not None:
            share = delta["referrer"]
            if share >= 0:
                self.receives[a.referrer_id] += share
            else:  # a clawback: first from what is owed to them, the rest becomes their debt
                from_owed = min(-share, max(self.receives[a.referrer_id], 0))
                self.receives[a.referrer_id] -= from_owed
                self.owes[a.referrer_id] += -share - from_owed
        if delta["pot"]:
            self.pot[year_of(self.now)] += delta["pot"]
            self.pot_years.add(year_of(self.now))

    # Coins -----------------------------------------------------------------------------------

    @rule(who=st.integers(0, 20), coins=st.sampled_from([1, 5, 50, 0, 51]))
    def publicity_claim(self, who: int, coins: int) -> None:
        member = self._pick(who, active=True)
        assert member is not None  # the treasurer never leaves
        claim = self.s.coins.file_claim(member.id, "publicity", "podcast", None)
        if member.id == self.treasurer:
            with pytest.raises(Conflict):  # nobody approves their own claim
                self.s.coins.approve(claim.id, coins, self.treasurer)
            return
        if not 1 <= coins <= 50:
            with pytest.raises(InvalidInput):
                self.s.coins.approve(claim.id, coins, self.treasurer)
            return
        self.s.coins.approve(claim.id, coins, self.treasurer)
        self._coins(member.id, coins)

    @rule(referrer=st.integers(0, 20), talker=st.integers(0, 20))
    def no_deal_after_conversation(self, referrer: int, talker: int) -> None:
        by, other = self._pick(referrer, active=True), self._pick(talker, active=True)
        if by is None or other is None or by is other:
            return
        ops = self.s.opportunities
        form = NewOpportunity("Tender", "d", ("data",), None, None, None, None, False)
        opportunity = ops.post(form, by.id, is_admin=False)
        day = self.now.astimezone(AMSTERDAM).date()
        ops.record_conversation(opportunity.id, other.id, day, by.id, is_admin=False)
        ops.close(opportunity.id, "no_deal", by.id, is_admin=False)
        self._coins(by.id, NO_DEAL_COINS)

    # Time and the jobs -----------------------------------------------------------------------

    @rule(move=st.sampled_from(CLOCK_MOVES))
    def move_clock(self, move: str) -> None:
        now = self.now
        targets = {
            "hour": now + timedelta(hours=1),
            "days": now + timedelta(days=3),
            "weeks": now + timedelta(days=40),
            "quarter-1m": next_quarter_start(now) - MINUTE,
            "quarter": next_quarter_start(now),
            "quarter+1m": next_quarter_start(now) + MINUTE,
            "new-year-1m": new_year_after(now) - MINUTE,
            "new-year+5m": new_year_after(now) + 5 * MINUTE,
        }
        self.lab.clock.set(targets[move])

    @rule(back=st.integers(0, 6))
    def run_dues(self, back: int) -> None:
        started = [quarter_of(START)]
        while next_quarter(started[-1]) <= quarter_of(self.now):
            started.append(next_quarter(started[-1]))
        if back == 6:  # the quarter after this one has not started: refused
            future = next_quarter(quarter_of(self.now))
            with pytest.raises(Conflict):
                self.s.dues.run(self._quarter(future))
            return
        quarter = started[-1 - back % len(started)]
        report = self.s.dues.run(self._quarter(quarter))
        assert report.complete and report.failed == 0
        self.dues_runs.add(quarter)
        for m in self.members:
            if active_in(m.joined_at, m.cancelled_at, quarter) and quarter not in m.charged:
                m.charged.add(quarter)
                self.owes[m.id] += DUES_CENTS

    @staticmethod
    def _quarter(q: tuple[int, int]) -> Any:
        from chalicelib.periods import Quarter

        return Quarter(*q)

    @rule(asked=st.integers(0, 3) | st.none())
    def distribute(self, asked: int | None) -> None:
        last = year_of(self.now) - 1
        if asked == 0:  # this year has not ended: refused
            with pytest.raises(Conflict):
                self.s.distribution.run_through(year_of(self.now))
            return
        if asked is not None:
            last -= asked - 1
        reports = self.s.distribution.run_through(last if asked is not None else None)
        assert all(r.complete for r in reports)
        self._distribute_model(last)
        for report in reports:
            pot_cents, total_coins, payouts = self.completed[report.year]
            assert (report.pot_cents, report.total_coins) == (pot_cents, total_coins)
            assert report.paid + report.already_paid == len(payouts)
        # every ended year up to `last` that ever held pot money or coins is done, mail or not
        assert {y for y in self.pot_years if y <= last} <= set(self.completed)
        for year in self.completed:
            self.frozen.setdefault(year, self._year_state(year))

    def _distribute_model(self, last: int) -> None:
        while waiting := sorted(y for y in self.pot_years if y <= last and y not in self.completed):
            year = waiting[0]
            pot_cents, holders = self.pot[year], +self.coins[year]
            payouts: dict[str, int] = {}
            if pot_cents < 0 or not holders:  # carried over, a deficit too
                if pot_cents:
                    self.pot[year + 1] += pot_cents
                    self.pot_years.add(year + 1)
            else:
                payouts = {m: c for m, c in largest_remainder(pot_cents, holders).items() if c}
                for member_id, cents in payouts.items():
                    self.receives[member_id] += cents
            self.pot[year] = 0
            self.completed[year] = (pot_cents, sum(holders.values()), payouts)

    @rule()
    def mail_job(self) -> None:
        report = self.s.outbox.deliver()
        if not self.lab.mailbox.down:
            assert report.failed == 0

    @rule(down=st.booleans())
    def ses(self, down: bool) -> None:
        self.lab.mailbox.down = down

    # The checks ------------------------------------------------------------------------------

    @invariant()
    def the_books_agree_with_the_spec(self) -> None:
        summary.add("stateful steps checked")
        main = dump(self.lab.table_name)
        books = dump(self.lab.ledger_table_name)
        transactions = {i["transaction_id"]: i for i in books if i["SK"] == "TX"}
        balances = _balances(books)
        self._check_double_entry(transactions, books, balances)
        self._check_members(balances)
        self._check_fees(transactions, main)
        self._check_dues(transactions)
        self._check_pots_and_coins(main, balances)
        self._check_distributions(main, books, transactions)
        self._check_references(books, transactions)

    def _check_double_entry(
        self, transactions: dict[str, Any], books: list[dict[str, Any]], balances: Counter[str]
    ) -> None:
        lines: defaultdict[str, Counter[str]] = defaultdict(Counter)
        by_account: Counter[str] = Counter()
        for line in (i for i in books if i["PK"].startswith("JOURNAL#")):
            lines[line["transaction_id"]][line["account"]] += line["amount_cents"]
            by_account[line["account"]] += line["amount_cents"]
        for tx_id, tx in transactions.items():
            entries = Counter({e["account"]: e["amount_cents"] for e in tx["entries"]})
            assert len(tx["entries"]) >= 2 and sum(entries.values()) == 0, tx_id
            assert all(entries.values()), tx_id
            assert lines[tx_id] == entries, tx_id
        assert set(lines) == set(transactions)
        assert dict(balances) == dict(by_account), "a stored balance is not the sum of its lines"
        assert sum(balances.values()) == 0

    def _check_members(self, balances: Counter[str]) -> None:
        for m in self.members:
            owes, receives = balances[f"member:{m.id}:owes"], -balances[f"member:{m.id}:receives"]
            assert (owes, receives) == (self.owes[m.id], self.receives[m.id]), m.id
            assert receives >= 0, "the collective owes a member less than nothing"

    def _check_fees(self, transactions: dict[str, Any], main: list[dict[str, Any]]) -> None:
        stored = {i["PK"]: i["totals"] for i in main if i["SK"] == "ASSIGNMENT"}
        for a in self.assignments:
            booked: Counter[str] = Counter()
            for tx in transactions.values():
                if tx["transaction_id"].startswith(f"revenue:{a.id}:"):
                    for e in tx["entries"]:
                        booked[_role(e["account"], a)] += e["amount_cents"]
            want = fee_totals(a.revenue, a.tier, a.referrer_id is not None)
            assert booked["member"] == want["fee"], a.id
            assert -booked["referrer"] == want["referrer"], a.id
            assert -booked["pot"] == want["pot"], a.id
            assert -booked["operations"] == want["operations"], a.id
            totals = stored[f"ASSIGNMENT#{a.id}"]
            assert totals["revenue_cents"] == a.revenue, a.id
            assert {k: totals[f"{k}_cents"] for k in want} == want, a.id

    def _check_dues(self, transactions: dict[str, Any]) -> None:
        charged: defaultdict[str, list[str]] = defaultdict(list)
        for tx_id, tx in transactions.items():
            if tx["kind"] == "dues":
                _, quarter, member_id = tx_id.split(":")
                charged[member_id].append(quarter)
                assert tx["entries"][0]["amount_cents"] == DUES_CENTS
        for m in self.members:
            due = {quarter_of(m.joined_at)} | {
                q for q in self.dues_runs if active_in(m.joined_at, m.cancelled_at, q)
            }
            assert sorted(charged[m.id]) == sorted(quarter_label(q) for q in due), m.id

    def _check_pots_and_coins(self, main: list[dict[str, Any]], balances: Counter[str]) -> None:
        for year in self.pot_years | set(self.pot):
            assert -balances[f"collective:pot:{year}"] == self.pot[year], year
        pots = {i["PK"]: i for i in main if i["SK"] == "POT"}
        holders = [i for i in main if i["SK"].startswith("COINS#")]
        for year, coins in self.coins.items():
            stored = {
                i["PK"].removeprefix("MEMBER#"): i["coins"]
                for i in holders
                if i["SK"] == f"COINS#{year}"
            }
            assert stored == +coins, year
            assert pots[f"POT#{year}"].get("total_coins", 0) == sum(coins.values())
        indexed = {int(i["GSI1SK"]) for i in pots.values() if i.get("GSI1PK") == "POTS"}
        assert indexed == self.pot_years
        done = {int(i["GSI1SK"]) for i in pots.values() if i.get("completed_at")}
        assert done == set(self.completed)

    def _check_distributions(
        self, main: list[dict[str, Any]], books: list[dict[str, Any]], transactions: dict[str, Any]
    ) -> None:
        for year, (pot_cents, total_coins, payouts) in self.completed.items():
            header = next(
                i for i in main if i["PK"] == f"DISTRIBUTION#{year}" and i["SK"] == "DISTRIBUTION"
            )
            assert (header["pot_cents"], header["total_coins"]) == (pot_cents, total_coins)
            records = {
                i["member_id"]: i["amount_cents"]
                for i in main
                if i["PK"] == f"DISTRIBUTION#{year}" and i["SK"].startswith("PAYOUT#")
            }
            assert records == payouts and all(records.values()), year
            if payouts:
                assert sum(records.values()) == pot_cents, "a distribution pays exactly its pot"
            for member_id, cents in records.items():
                tx = transactions[f"distribution:{year}:{member_id}"]
                assert {e["account"]: e["amount_cents"] for e in tx["entries"]} == {
                    f"collective:pot:{year}": cents,
                    f"member:{member_id}:receives": -cents,
                }
                mail = f"OUTBOX#distribution:{year}:{member_id}"
                assert any(i["PK"] == mail for i in main), "a payout without its mail"
            if year in self.frozen:
                assert _year_state(year, main, books) == self.frozen[year], "a done year changed"

    def _year_state(self, year: int) -> Any:
        main = dump(self.lab.table_name)
        return _year_state(year, main, dump(self.lab.ledger_table_name))

    def _check_references(self, books: list[dict[str, Any]], transactions: dict[str, Any]) -> None:
        lines = {i["PK"]: i for i in books if i["SK"] == "REFERENCE"}
        bank = [tx for tx in transactions.values() if tx["kind"] in ("payment", "payout")]
        assert len(lines) == len(bank) == len(self.references)
        for tx in bank:
            line = lines[f"REFERENCE#{tx['reference'].casefold()}"]
            assert line["transaction_id"] == tx["transaction_id"]


def _year_state(year: int, main: list[dict[str, Any]], books: list[dict[str, Any]]) -> Any:
    """Everything a distributed year consists of; it must never change again."""
    mine = [
        i
        for i in main
        if i["PK"] in (f"DISTRIBUTION#{year}", f"POT#{year}") or i["SK"] == f"COINS#{year}"
    ]
    return mine, [i for i in books if i["PK"].endswith(f"collective:pot:{year}")]


def _balances(books: list[dict[str, Any]]) -> Counter[str]:
    found: Counter[str] = Counter()
    for item in books:
        if item["SK"].startswith("BALANCE#"):
            found[item["PK"].removeprefix("ACCOUNT#")] += item["balance_cents"]
    return found


def _role(account: str, a: AssignmentModel) -> str:
    if account == f"member:{a.member_id}:owes":
        return "member"
    if a.referrer_id and account.startswith(f"member:{a.referrer_id}:"):
        return "referrer"
    if account.startswith("collective:pot:"):
        return "pot"
    assert account == "collective:income:fees", account
    return "operations"


FOUNDERS = 4  # admitted once; every sequence starts from them (admitting costs ~10 calls)


@pytest.fixture
def collective(patched_moto: None) -> Iterator[Lab]:
    global _lab
    with mock_aws():
        lab = new_lab(START, clients_once())
        membership = lab.services.membership
        for n in range(FOUNDERS):
            form = {"name": f"Member {n}", "email": f"member{n}@example.nl"}
            form |= {"years_experience": 10, "disciplines": ["finance"]}
            application = membership.apply(ApplicationIn.model_validate(form).new_application())
            member = membership.approve(application.id, None)
            _founders.append((member.id, member.email, member.joined_at))
        lab.save()
        lab.dynamodb.meta.events.register(
            "before-call.dynamodb", lambda **_: summary.add("stateful DynamoDB calls")
        )
        _lab = lab
        try:
            yield lab
        finally:
            _lab = None
            _founders.clear()


def test_random_lives_of_the_collective_keep_the_books_right(collective: Lab) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    run_state_machine_as_test(
        CollectiveMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    summary.took("stateful sequences (wall)", time.perf_counter() - started)
    summary.took("stateful sequences (cpu)", time.process_time() - cpu)
