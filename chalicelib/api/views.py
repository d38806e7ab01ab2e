"""Domain objects shaped into API answers.

An answer is validated from the domain object's attributes of the same names
(`Model.model_validate(object, from_attributes=True)`); `_Attributes` adds what an answer
words otherwise (a computed field, a value in the reader's language) and, for an answer drawn
from two objects, the second one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.api.lazy import models
from chalicelib.domain.coins import CoinAward, CoinClaim
from chalicelib.domain.intake import IntakeRecord, StoredAttachment
from chalicelib.domain.meetings import Meeting
from chalicelib.domain.membership import Application, Member
from chalicelib.domain.opportunities import Assignment, Opportunity, RevenueReport
from chalicelib.i18n import Language, descriptions
from chalicelib.services.accounts import MemberStatement
from chalicelib.services.intake import AttachmentLink
from chalicelib.services.meetings import Attendee, SignUp
from chalicelib.services.member_overview import MyAssignment
from chalicelib.services.opportunities import AssignmentDetails, Candidate
from chalicelib.store.ledger import Booking, JournalLine
from chalicelib.store.timestamps import unstamp

_MISSING = object()


class _Attributes:
    """What `from_attributes` reads: the values given first, then each source's attribute."""

    def __init__(self, *sources: object, **values: object) -> None:
        self._sources = sources
        self._values = values

    def __getattr__(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        for source in self._sources:
            found = getattr(source, name, _MISSING)
            if found is not _MISSING:
                return found
        raise AttributeError(name)


def application(a: Application) -> models.ApplicationOut:
    return models.ApplicationOut.model_validate(
        _Attributes(a, member_id=a.id if a.status == "approved" else None), from_attributes=True
    )


def member(m: Member) -> models.MemberOut:
    return models.MemberOut.model_validate(m, from_attributes=True)


def directory_entry(m: Member, last_meeting_pitch: str | None = None) -> models.DirectoryEntry:
    return models.DirectoryEntry.model_validate(
        _Attributes(
            m,
            pitched_at_last_meeting=last_meeting_pitch is not None,
            last_meeting_pitch=last_meeting_pitch,
        ),
        from_attributes=True,
    )


def statement_line(
    line: JournalLine, lang: Language = "nl", titles: Mapping[str, str] | None = None
) -> models.StatementLine:
    owes = line.account.endswith(":owes")
    return models.StatementLine.model_validate(
        _Attributes(
            line,
            booked_at=unstamp(line.booked_at_s),
            # in the reader's language, from the line's kind (the stored text is English),
            # naming the assignment a line is about by its title (`titles`, by assignment id)
            description=descriptions.ledger_line(
                line.kind,
                line.transaction_id,
                line.reference,
                line.account,
                line.description,
                lang,
                titles,
            ),
            account="owed" if owes else "to_receive",
            # What the member owes grows with debits; what they are to receive with credits.
            amount_cents=line.amount_cents if owes else -line.amount_cents,
        ),
        from_attributes=True,
    )


def statement(
    s: MemberStatement, lang: Language = "nl", titles: Mapping[str, str] | None = None
) -> models.Statement:
    return models.Statement.model_validate(
        _Attributes(
            s,
            entries=[statement_line(line, lang, titles) for line in s.lines],
            next=s.next_cursor,
        ),
        from_attributes=True,
    )


def booking(b: Booking, member_account: str, lang: Language = "nl") -> models.TransactionOut:
    tx = b.transaction
    return models.TransactionOut.model_validate(
        _Attributes(
            tx,
            amount_cents=abs(tx.amount_for(member_account)),
            description=descriptions.ledger_line(
                tx.kind, tx.transaction_id, tx.reference, member_account, tx.description, lang
            ),
            replayed=b.replayed,
        ),
        from_attributes=True,
    )


def coin_award(a: CoinAward, lang: Language = "nl", name: str | None = None) -> models.CoinAwardOut:
    return models.CoinAwardOut.model_validate(
        # names the opportunity or recruit it is about (`name`), in the reader's language
        _Attributes(a, description=descriptions.coin_award(a.reason, a.description, lang, name)),
        from_attributes=True,
    )


def opportunity(o: Opportunity) -> models.OpportunityOut:
    return models.OpportunityOut.model_validate(
        _Attributes(
            o,
            history=[
                models.HistoryEventOut.model_validate(
                    _Attributes(e, member_id=e.member), from_attributes=True
                )
                for e in o.history
            ],
            attachments=_attachments(o.attachments),
        ),
        from_attributes=True,
    )


def candidate(c: Candidate) -> models.CandidateOut:
    reasons = [
        f"{len(c.shared_disciplines)} shared discipline(s)"
        + (f": {', '.join(c.shared_disciplines)}" if c.shared_disciplines else ""),
        "works in the sector" if c.sector_match else "not in the sector",
        "available" if c.member.available else "not available",
    ]
    return models.CandidateOut.model_validate(
        _Attributes(
            c,
            c.member,
            member_id=c.member.id,
            explanation="; ".join(reasons)
            + " (ranked by disciplines, then sector, then availability)",
        ),
        from_attributes=True,
    )


def assignment_created(a: Assignment) -> models.AssignmentCreated:
    return models.AssignmentCreated.model_validate(a, from_attributes=True)


def revenue_booked(r: RevenueReport, fee_cap_cents: int) -> models.RevenueBooked:
    b = r.booking
    # a report from before teams was the lead's on a team of one: the totals were theirs
    return models.RevenueBooked.model_validate(
        _Attributes(
            b,
            cumulative_revenue_cents=b.after.revenue_cents,
            cumulative_fee_cents=b.after.fee_cents,
            fee_cap_cents=fee_cap_cents,
            my_revenue_cents=(
                b.after.revenue_cents if r.my_revenue_cents is None else r.my_revenue_cents
            ),
            my_fee_cents=b.after.fee_cents if r.my_fee_cents is None else r.my_fee_cents,
        ),
        from_attributes=True,
    )


def assignment(d: AssignmentDetails) -> models.AssignmentOut:
    """An assignment as its reader may see it: admins every member's figures, a team member
    their own, the referrer the totals (services.opportunities chose the reports)."""
    a, t = d.assignment, d.assignment.totals
    return models.AssignmentOut.model_validate(
        _Attributes(
            a,
            cumulative_revenue_cents=t.revenue_cents,
            cumulative_fee_cents=t.fee_cents,
            cumulative_referrer_share_cents=t.referrer_cents,
            cumulative_collective_share_cents=t.collective_cents,
            cumulative_pot_share_cents=t.pot_cents,
            remaining_to_cap_cents=a.fee_cap_cents - t.fee_cents,
            reports=[
                models.RevenueReportOut.model_validate(
                    _Attributes(r, **revenue_booked(r, a.fee_cap_cents).model_dump()),
                    from_attributes=True,
                )
                for r in sorted(d.reports, key=lambda r: r.reported_at)
            ],
            team=[
                models.TeamMemberOut(
                    member_id=m.member_id,
                    name=d.names.get(m.member_id, ""),
                    role=m.role,
                    status=m.status,
                    revenue_cents=m.revenue_cents if d.is_admin else None,
                    fee_cents=m.fee_cents if d.is_admin else None,
                    has_revenue=d.has_revenue.get(m.member_id),
                )
                for m in d.team.members
            ],
            my_team_role=d.me.role if d.me else None,
            my_team_status=d.me.status if d.me else None,
            my_revenue_cents=d.me.revenue_cents if d.me else None,
            my_fee_cents=d.me.fee_cents if d.me else None,
        ),
        from_attributes=True,
    )


def claim(c: CoinClaim) -> models.ClaimOut:
    return models.ClaimOut.model_validate(c, from_attributes=True)


def my_assignment(m: MyAssignment) -> models.MyAssignmentOut:
    a, t = m.assignment, m.assignment.totals
    place: dict[str, Any] = {}
    if m.role == "executing" and m.membership is not None:
        place = {
            "team_role": "member",
            "team_status": m.membership.status,
            "my_revenue_cents": m.membership.revenue_cents,
            "my_fee_cents": m.membership.fee_cents,
        }
    elif m.role == "executing":
        # the lead: their own figures once a report wrote them, else the totals (a team of one)
        place = {
            "team_role": "lead",
            "team_status": "active",
            "my_revenue_cents": (
                t.revenue_cents if a.lead_revenue_cents is None else a.lead_revenue_cents
            ),
            "my_fee_cents": t.fee_cents if a.lead_fee_cents is None else a.lead_fee_cents,
        }
    return models.MyAssignmentOut.model_validate(
        _Attributes(
            m,
            a,
            cumulative_revenue_cents=t.revenue_cents,
            cumulative_fee_cents=t.fee_cents,
            cumulative_referrer_share_cents=t.referrer_cents,
            **place,
        ),
        from_attributes=True,
    )


def meeting(
    m: Meeting, mine: SignUp | None, organiser_name: str | None, can_manage: bool
) -> models.MeetingOut:
    return models.MeetingOut.model_validate(
        _Attributes(
            m,
            timezone="Europe/Amsterdam",
            organiser_name=organiser_name,
            my_status=mine.status if mine else None,
            my_position=mine.position if mine else None,
            my_pitch=(mine.pitch or None) if mine else None,
            can_manage=can_manage,
        ),
        from_attributes=True,
    )


def sign_up(s: SignUp) -> models.RegistrationOut:
    return models.RegistrationOut.model_validate(
        _Attributes(s, pitch=s.pitch or None), from_attributes=True
    )


def attendee(a: Attendee) -> models.AttendeeOut:
    r, member = a.registration, a.member
    return models.AttendeeOut.model_validate(
        _Attributes(
            r,
            name=member.name if member else "",
            email=member.email if member else "",
            headline=member.headline if member else "",
            position=a.position,
            pitch=r.pitch or None,
        ),
        from_attributes=True,
    )


def _attachments(attachments: tuple[StoredAttachment, ...]) -> list[models.AttachmentOut]:
    return [
        models.AttachmentOut.model_validate(_Attributes(a, number=n), from_attributes=True)
        for n, a in enumerate(attachments, start=1)
    ]


def intake(r: IntakeRecord) -> models.IntakeOut:
    return models.IntakeOut.model_validate(
        _Attributes(
            r,
            from_=r.from_address,
            attachments=_attachments(r.attachments),
            verdicts=dict(r.verdicts),
            attachments_not_kept=r.skipped_attachments,
        ),
        from_attributes=True,
    )


def attachment_link(link: AttachmentLink) -> models.AttachmentLinkOut:
    return models.AttachmentLinkOut.model_validate(
        _Attributes(link, link.attachment), from_attributes=True
    )
