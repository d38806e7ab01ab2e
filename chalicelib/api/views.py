"""Domain objects shaped into API answers."""

from __future__ import annotations

from chalicelib.api.lazy import models
from chalicelib.domain.coins import CoinAward, CoinClaim
from chalicelib.domain.disciplines import Recognised
from chalicelib.domain.intake import IntakeRecord, StoredAttachment
from chalicelib.domain.meetings import Meeting
from chalicelib.domain.membership import Application, Member
from chalicelib.domain.opportunities import Assignment, Opportunity, RevenueReport
from chalicelib.i18n import Language, descriptions
from chalicelib.services.accounts import MemberStatement
from chalicelib.services.intake import AttachmentLink
from chalicelib.services.meetings import Attendee, SignUp
from chalicelib.services.member_overview import MyAssignment
from chalicelib.services.opportunities import Candidate
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
        language=m.language,
        notify_meetings=m.notify_meetings,
        opportunity_mail=m.opportunity_mail,
    )


def directory_entry(m: Member, last_meeting_pitch: str | None = None) -> models.DirectoryEntry:
    return models.DirectoryEntry(
        id=m.id,
        name=m.name,
        headline=m.headline,
        disciplines=list(m.disciplines),
        sectors=list(m.sectors),
        available=m.available,
        email=m.email,
        pitched_at_last_meeting=last_meeting_pitch is not None,
        last_meeting_pitch=last_meeting_pitch,
    )


def statement_line(line: JournalLine, lang: Language = "nl") -> models.StatementLine:
    owes = line.account.endswith(":owes")
    return models.StatementLine(
        transaction_id=line.transaction_id,
        booked_at=unstamp(line.booked_at_s),
        kind=line.kind,
        # in the reader's language, from the line's kind (the stored text is English)
        description=descriptions.ledger_line(
            line.kind, line.transaction_id, line.reference, line.account, line.description, lang
        ),
        reference=line.reference,
        account="owed" if owes else "to_receive",
        # What the member owes grows with debits; what they are to receive with credits.
        amount_cents=line.amount_cents if owes else -line.amount_cents,
        booked_by=line.booked_by,
    )


def statement(s: MemberStatement, lang: Language = "nl") -> models.Statement:
    return models.Statement(
        member_id=s.member_id,
        owed_cents=s.owed_cents,
        to_receive_cents=s.to_receive_cents,
        entries=[statement_line(line, lang) for line in s.lines],
        next=s.next_cursor,
    )


def booking(b: Booking, member_account: str, lang: Language = "nl") -> models.TransactionOut:
    tx = b.transaction
    return models.TransactionOut(
        transaction_id=tx.transaction_id,
        kind=tx.kind,
        member_id=tx.member_id,
        amount_cents=abs(tx.amount_for(member_account)),
        reference=tx.reference,
        description=descriptions.ledger_line(
            tx.kind, tx.transaction_id, tx.reference, member_account, tx.description, lang
        ),
        booked_at=tx.booked_at,
        replayed=b.replayed,
    )


def coin_award(a: CoinAward, lang: Language = "nl", name: str | None = None) -> models.CoinAwardOut:
    return models.CoinAwardOut(
        award_id=a.award_id,
        coins=a.coins,
        reason=a.reason,
        # names the opportunity or recruit it is about (`name`), in the reader's language
        description=descriptions.coin_award(a.reason, a.description, lang, name),
        awarded_at=a.awarded_at,
    )


def opportunity(o: Opportunity) -> models.OpportunityOut:
    return models.OpportunityOut(
        id=o.id,
        title=o.title,
        description=o.description,
        disciplines=list(o.disciplines),
        sector=o.sector,
        location=o.location,
        client=o.client,
        starts_on=o.starts_on,
        referrer_id=o.referrer_id,
        status=o.status,
        outcome=o.outcome,
        created_at=o.created_at,
        history=[
            models.HistoryEventOut(
                at=e.at,
                by=e.by,
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                note=e.note,
                member_id=e.member,
            )
            for e in o.history
        ],
        intake_id=o.intake_id,
        attachments=_attachments(o.attachments),
        recognised=_recognised(o.recognised),
    )


def candidate(c: Candidate) -> models.CandidateOut:
    reasons = [
        f"{len(c.shared_disciplines)} shared discipline(s)"
        + (f": {', '.join(c.shared_disciplines)}" if c.shared_disciplines else ""),
        "works in the sector" if c.sector_match else "not in the sector",
        "available" if c.member.available else "not available",
    ]
    return models.CandidateOut(
        member_id=c.member.id,
        name=c.member.name,
        email=c.member.email,
        headline=c.member.headline,
        disciplines=list(c.member.disciplines),
        available=c.member.available,
        interested=c.interested,
        introduced=c.introduced,
        note=c.note,
        shared_disciplines=c.shared_disciplines,
        sector_match=c.sector_match,
        explanation="; ".join(reasons) + " (ranked by disciplines, then sector, then availability)",
    )


def assignment_created(a: Assignment) -> models.AssignmentCreated:
    return models.AssignmentCreated(
        id=a.id,
        opportunity_id=a.opportunity_id,
        member_id=a.member_id,
        referrer_id=a.referrer_id,
        contribution=a.contribution,
        fee_cap_cents=a.fee_cap_cents,
    )


def revenue_booked(r: RevenueReport, fee_cap_cents: int) -> models.RevenueBooked:
    b = r.booking
    return models.RevenueBooked(
        fee_cents=b.fee_cents,
        referrer_share_cents=b.referrer_share_cents,
        collective_share_cents=b.collective_share_cents,
        pot_share_cents=b.pot_share_cents,
        cumulative_revenue_cents=b.after.revenue_cents,
        cumulative_fee_cents=b.after.fee_cents,
        fee_cap_cents=fee_cap_cents,
    )


def assignment(a: Assignment, reports: list[RevenueReport]) -> models.AssignmentOut:
    t = a.totals
    return models.AssignmentOut(
        **assignment_created(a).model_dump(),
        starts_on=a.starts_on,
        created_at=a.created_at,
        cumulative_revenue_cents=t.revenue_cents,
        cumulative_fee_cents=t.fee_cents,
        cumulative_referrer_share_cents=t.referrer_cents,
        cumulative_collective_share_cents=t.collective_cents,
        cumulative_pot_share_cents=t.pot_cents,
        remaining_to_cap_cents=a.fee_cap_cents - t.fee_cents,
        reports=[
            models.RevenueReportOut(
                **revenue_booked(r, a.fee_cap_cents).model_dump(),
                invoice_ref=r.invoice_ref,
                amount_cents=r.amount_cents,
                invoiced_on=r.invoiced_on,
                reported_at=r.reported_at,
                reported_by=r.reported_by,
            )
            for r in sorted(reports, key=lambda r: r.reported_at)
        ],
    )


def claim(c: CoinClaim) -> models.ClaimOut:
    return models.ClaimOut(
        id=c.id,
        member_id=c.member_id,
        activity=c.activity,
        description=c.description,
        url=c.url,
        status=c.status,
        filed_at=c.filed_at,
        decided_at=c.decided_at,
        decided_by=c.decided_by,
        coins=c.coins,
        rejection_reason=c.rejection_reason,
    )


def my_assignment(m: MyAssignment) -> models.MyAssignmentOut:
    a, t = m.assignment, m.assignment.totals
    return models.MyAssignmentOut(
        **assignment_created(a).model_dump(),
        role=m.role,
        opportunity_title=m.opportunity_title,
        starts_on=a.starts_on,
        created_at=a.created_at,
        cumulative_revenue_cents=t.revenue_cents,
        cumulative_fee_cents=t.fee_cents,
        cumulative_referrer_share_cents=t.referrer_cents,
    )


def meeting(
    m: Meeting, mine: SignUp | None, organiser_name: str | None, can_manage: bool
) -> models.MeetingOut:
    return models.MeetingOut(
        id=m.id,
        title=m.title,
        theme=m.theme,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        timezone="Europe/Amsterdam",
        venue=m.venue,
        address=m.address,
        city=m.city,
        capacity=m.capacity,
        description=m.description,
        organiser_member_id=m.organiser_member_id,
        organiser_name=organiser_name,
        status=m.status,
        sequence=m.sequence,
        registered_count=m.registered_count,
        waitlist_count=m.waitlist_count,
        free_seats=m.free_seats,
        my_status=mine.status if mine else None,
        my_position=mine.position if mine else None,
        my_pitch=(mine.pitch or None) if mine else None,
        can_manage=can_manage,
        created_at=m.created_at,
        updated_at=m.updated_at,
    )


def sign_up(s: SignUp) -> models.RegistrationOut:
    return models.RegistrationOut(
        meeting_id=s.meeting_id, status=s.status, position=s.position, pitch=s.pitch or None
    )


def attendee(a: Attendee) -> models.AttendeeOut:
    r, member = a.registration, a.member
    return models.AttendeeOut(
        member_id=r.member_id,
        name=member.name if member else "",
        email=member.email if member else "",
        headline=member.headline if member else "",
        status=r.status,
        position=a.position,
        pitch=r.pitch or None,
        registered_at=r.registered_at,
        attended=r.attended,
    )


def _attachments(attachments: tuple[StoredAttachment, ...]) -> list[models.AttachmentOut]:
    return [
        models.AttachmentOut(number=n, name=a.name, content_type=a.content_type, size=a.size)
        for n, a in enumerate(attachments, start=1)
    ]


def _recognised(recognised: tuple[Recognised, ...]) -> list[models.RecognisedOut]:
    return [models.RecognisedOut(discipline=r.discipline, words=list(r.words)) for r in recognised]


def intake(r: IntakeRecord) -> models.IntakeOut:
    return models.IntakeOut(
        id=r.id,
        message_id=r.message_id,
        received_at=r.received_at,
        from_=r.from_address,
        subject=r.subject,
        status=r.status,
        reason=r.reason,
        reason_text=r.reason_text,
        opportunity_id=r.opportunity_id,
        member_id=r.member_id,
        title=r.title,
        description=r.description,
        recognised=_recognised(r.recognised),
        attachments=_attachments(r.attachments),
        verdicts=dict(r.verdicts),
        decided_by=r.decided_by,
        attachments_not_kept=[
            models.SkippedAttachmentOut(
                name=a.name,
                content_type=a.content_type,
                size=a.size,
                reason=a.reason,
                reason_text=a.reason_text,
            )
            for a in r.skipped_attachments
        ],
        sector=r.sector,
        duplicate_of=r.duplicate_of,
    )


def attachment_link(link: AttachmentLink) -> models.AttachmentLinkOut:
    a = link.attachment
    return models.AttachmentLinkOut(
        name=a.name,
        content_type=a.content_type,
        size=a.size,
        url=link.url,
        expires_at=link.expires_at,
    )
