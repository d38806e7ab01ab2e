"""What the repositories answer (pages, journal lines, queued mails, ...) and the few rules
both implementations share, free of DynamoDB and boto3.

The DynamoDB repositories (`chalicelib.store.<feature>`) and the in-memory ones
(`chalicelib.store.memory`) answer these same values; the DynamoDB modules re-export the ones
they used to define, so `from chalicelib.store.ledger import JournalLine` keeps working.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Literal

from chalicelib.domain.coins import CoinAward, CoinClaim
from chalicelib.domain.errors import Conflict, IdempotencyConflict
from chalicelib.domain.intake import IntakeRecord
from chalicelib.domain.ledger import Entry, LedgerTransaction, balance_shards, pot_account
from chalicelib.domain.meetings import Meeting
from chalicelib.domain.membership import Application, Member
from chalicelib.domain.opportunities import Assignment, Opportunity, RevenueReport
from chalicelib.domain.teams import Team, TeamMember
from chalicelib.mail.message import OutgoingMail

# Ledger -----------------------------------------------------------------------------------

# Transactions whose reference is a line of the collective's bank statement: unique across
# the collective, whichever member and whichever direction.
BANK_LINE_KINDS = frozenset({"payment", "payout"})


def journal_partition(account: str) -> str:
    """A member's accounts share one journal (their statement); other accounts have their own."""
    if account.startswith("member:"):
        return f"JOURNAL#member:{account.split(':')[1]}"
    return f"JOURNAL#{account}"


def actions_per_booking(tx: LedgerTransaction) -> int:
    """The writes one more booking adds to a batch (besides the balances it shares)."""
    return 1 + len(tx.entries) + int(tx.kind in BANK_LINE_KINDS)


def pot_years_moved(tx: LedgerTransaction) -> dict[int, bool]:
    """The years whose pot the transaction moves, each with whether the move must respect the
    year being distributed: everything but the distribution taking money out of its year."""
    prefix = pot_account(0).removesuffix("0")
    moved: dict[int, bool] = {}
    for entry in tx.entries:
        if entry.account.startswith(prefix):
            takes_out = entry.amount_cents > 0  # a debit lowers a credit-normal pot
            distributing = tx.kind in ("pot_payout", "pot_carry_over") and takes_out
            moved[int(entry.account.removeprefix(prefix))] = not distributing
    return moved


@dataclass(frozen=True)
class Booking:
    transaction: LedgerTransaction
    replayed: bool  # True when the key was booked before and this answers the original


@dataclass(frozen=True)
class JournalLine:
    transaction_id: str
    kind: str
    booked_at_s: str
    account: str
    amount_cents: int
    reference: str
    description: str
    booked_by: str | None = None


@dataclass(frozen=True)
class JournalPage:
    lines: list[JournalLine]
    next_cursor: str | None


# Coins, claims, pots, distributions -------------------------------------------------------


@dataclass(frozen=True)
class PotState:
    year: int
    total_coins: int
    distributed_at: datetime | None


@dataclass(frozen=True)
class CoinYear:
    year: int
    total: int
    awards: list[CoinAward]


@dataclass(frozen=True)
class ClaimPage:
    claims: list[CoinClaim]
    next_cursor: str | None


@dataclass(frozen=True)
class PotYear:
    year: int
    total_coins: int
    distributed_at: datetime | None  # frozen: no more coins, no more money
    completed_at: datetime | None  # every payout (or the carry-over) booked


@dataclass(frozen=True)
class DistributionHeader:
    year: int
    pot_cents: int
    total_coins: int
    frozen_at: datetime
    completed_at: datetime | None = None


@dataclass(frozen=True)
class Payout:
    member_id: str
    coins: int
    amount_cents: int


# Mail -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueuedMail:
    mail_id: str
    kind: str
    member_id: str | None
    mail: OutgoingMail
    queued_at: datetime
    attempts: int
    sent_at: datetime | None
    message_id: str | None
    last_error: str | None


# Members ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberPage:
    members: list[Member]
    next_cursor: str | None


@dataclass(frozen=True)
class ApplicationPage:
    applications: list[Application]
    next_cursor: str | None


# Meetings ---------------------------------------------------------------------------------


class Outcome(Enum):
    DONE = "done"
    REFUSED = "refused"  # the meeting's condition failed: the seats are not as assumed
    EXISTS = "exists"  # the member is signed up already
    CONFLICT = "conflict"  # another write touched the same items at that moment: retry


@dataclass(frozen=True)
class MeetingPage:
    meetings: list[Meeting]
    next_cursor: str | None


@dataclass(frozen=True)
class News:
    """A change the people concerned have not been mailed about yet."""

    meeting_id: str
    sequence: int
    kind: str  # published, changed, cancelled


# Intake -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakePage:
    records: list[IntakeRecord]
    next_cursor: str | None


# Opportunities (`chalicelib.store.opportunities`, `chalicelib.store.memory.opportunities`) ----

AssignmentRole = Literal["executing", "referrer"]


@dataclass(frozen=True)
class OpportunityPage:
    opportunities: list[Opportunity]
    next_cursor: str | None


@dataclass(frozen=True)
class AssignmentPage:
    assignments: list[Assignment]
    next_cursor: str | None
    # the member's place on each joint assignment they are on but do not lead, by assignment id
    memberships: dict[str, TeamMember] = field(default_factory=dict)


@dataclass(frozen=True)
class Interest:
    member_id: str
    note: str
    at_s: str


@dataclass(frozen=True)
class Conversation:
    member_id: str
    held_on: date
    recorded_by: str
    at_s: str


# Joint assignments: what a report was computed from (both stores condition on it) ------------


def moved_by(report: RevenueReport) -> set[str]:
    """The members whose figures a report changes: its reporter and each burden that moved."""
    moved = {m for m, _ in report.burden_changes}
    if report.member_id is not None:
        moved.add(report.member_id)
    return moved


def figures_as_read(team_after: Team, report: RevenueReport) -> dict[str, tuple[int, int, int]]:
    """Each team member's (revenue, fee, reports) as read when `report` was computed: the
    figures after it less what it moved (the reporter's amount and report, the burdens)."""
    burden_changes = dict(report.burden_changes)
    read = {}
    for m in team_after.members:
        reporting = m.member_id == report.member_id
        read[m.member_id] = (
            m.revenue_cents - (report.amount_cents if reporting else 0),
            m.fee_cents - burden_changes.get(m.member_id, 0),
            m.reports - int(reporting),
        )
    return read


def may_have_moved(member: TeamMember, read: tuple[int, int, int]) -> bool:
    """Whether a member the report left alone needs a check: all but one who left without
    figures (they gain none before an invitation, acceptance and report of their own). So
    at most MAX_TEAM_SIZE - 1 items are checked or written: well inside 100 actions."""
    return member.on_team or read != (0, 0, 0)


# The ledger: how a batch of transactions moves the balance items (both stores) -------------


def balance_moves(
    txs: list[LedgerTransaction],
) -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], tuple[LedgerTransaction, Entry, int]]]:
    """Per balance item (account, shard): the sum it moves, and for an item under a ceiling
    the transaction, entry and ceiling that guard it. A guarded item moves once a batch."""
    moves: dict[tuple[str, int], int] = {}
    ceilings: dict[tuple[str, int], tuple[LedgerTransaction, Entry, int]] = {}
    for tx in txs:
        limits = {c.account: c.max_balance_cents for c in tx.ceilings}
        for entry in tx.entries:
            shard = zlib.crc32(tx.transaction_id.encode()) % balance_shards(entry.account)
            key = (entry.account, shard)
            if key in ceilings or (key in moves and entry.account in limits):
                raise ValueError(f"a guarded balance moved twice in one batch: {key}")
            moves[key] = moves.get(key, 0) + entry.amount_cents
            if entry.account in limits:
                ceilings[key] = (tx, entry, limits[entry.account])
    return moves, ceilings


def replayed_report(original: RevenueReport | None, report: RevenueReport) -> RevenueReport:
    """The report booked before under the same invoice, if its request is the same one."""
    if original is None:
        raise Conflict("busy")
    if original.request_hash != report.request_hash:
        raise IdempotencyConflict(report.invoice_ref)
    return original
