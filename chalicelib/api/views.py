"""Domain objects shaped into API answers."""

from __future__ import annotations

from chalicelib.api import models
from chalicelib.domain.coins import CoinAward
from chalicelib.domain.membership import Application, Member
from chalicelib.services.accounts import MemberStatement
from chalicelib.store.ledger import Booking, JournalLine
from chalicelib.store.timestamps import unstamp


def application(a: Application) -> models.ApplicationOut:
    return models.ApplicationOut(
        id=a.id,
        name=a.name,
        email=a.email,
        disciplines=list(a.disciplines),
        sectors=list(a.sectors),
        years_experience=a.years_experience,
        linkedin_url=a.linkedin_url,
        motivation=a.motivation,
        referred_by_email=a.referred_by_email,
        status=a.status,
        created_at=a.created_at,
        decided_at=a.decided_at,
        decided_by=a.decided_by,
        rejection_reason=a.rejection_reason,
        member_id=a.id if a.status == "approved" else None,
    )


def member(m: Member) -> models.MemberOut:
    return models.MemberOut(
        id=m.id,
        name=m.name,
        email=m.email,
        headline=m.headline,
        disciplines=list(m.disciplines),
        sectors=list(m.sectors),
        available=m.available,
        notify_opportunities=m.notify_opportunities,
        status=m.status,
        joined_at=m.joined_at,
        cancelled_at=m.cancelled_at,
        recruited_by=m.recruited_by,
        linkedin_url=m.linkedin_url,
    )


def directory_entry(m: Member) -> models.DirectoryEntry:
    return models.DirectoryEntry(
        id=m.id,
        name=m.name,
        headline=m.headline,
        disciplines=list(m.disciplines),
        sectors=list(m.sectors),
        available=m.available,
        email=m.email,
    )


def statement_line(line: JournalLine) -> models.StatementLine:
    owes = line.account.endswith(":owes")
    return models.StatementLine(
        transaction_id=line.transaction_id,
        booked_at=unstamp(line.booked_at_s),
        kind=line.kind,
        description=line.description,
        reference=line.reference,
        account="owed" if owes else "to_receive",
        # What the member owes grows with debits; what they are to receive with credits.
        amount_cents=line.amount_cents if owes else -line.amount_cents,
    )


def statement(s: MemberStatement) -> models.Statement:
    return models.Statement(
        member_id=s.member_id,
        owed_cents=s.owed_cents,
        to_receive_cents=s.to_receive_cents,
        entries=[statement_line(line) for line in s.lines],
        next=s.next_cursor,
    )


def booking(b: Booking, member_account: str) -> models.TransactionOut:
    tx = b.transaction
    return models.TransactionOut(
        transaction_id=tx.transaction_id,
        kind=tx.kind,
        member_id=tx.member_id,
        amount_cents=abs(tx.amount_for(member_account)),
        reference=tx.reference,
        description=tx.description,
        booked_at=tx.booked_at,
        replayed=b.replayed,
    )


def coin_award(a: CoinAward) -> models.CoinAwardOut:
    return models.CoinAwardOut(
        award_id=a.award_id,
        coins=a.coins,
        reason=a.reason,
        description=a.description,
        awarded_at=a.awarded_at,
    )
