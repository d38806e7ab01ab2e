"""Opportunities by mail (SPEC section 3): an SES notification in, exactly one intake record out.

SES stores the raw mail in S3 and notifies SNS; the handler gives the notification's text to
`receive`, which never raises on any input: whatever arrives (random bytes, a broken event)
ends as one record, accepted or rejected with its reason. What can still raise is the
platform itself (DynamoDB or S3 failing); then SNS/Lambda deliver again and the retry finds
the record keyed on the SES message id, or writes it now: the record, the opportunity, its
pending announcement and the confirmation mail go in ONE TransactWriteItems, so a mail
delivered twice makes one of each. Attachments are stored before that, under keys derived
from the message id, so a retry overwrites them with the same bytes.

Never logged: addresses, subjects, bodies (ids and reasons only).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from chalicelib import observability
from chalicelib.clock import Clock
from chalicelib.domain import disciplines
from chalicelib.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from chalicelib.domain.intake import IntakeOutcome, IntakeRecord, StoredAttachment, Verdicts
from chalicelib.domain.membership import Member
from chalicelib.domain.opportunities import HistoryEvent, Opportunity
from chalicelib.mail.letters import Recipient, intake_confirmation_letter
from chalicelib.mail.links import Links
from chalicelib.policy import Policy
from chalicelib.services.membership import new_id
from chalicelib.services.outbox import MailOutbox, PreparedMail
from chalicelib.store.intake import IntakePage, IntakeStore
from chalicelib.store.mail_bucket import MailBucket, attachment_key
from chalicelib.store.members import MemberStore
from chalicelib.store.opportunities import OpportunityStore

if TYPE_CHECKING:  # imported when a mail arrives: the API's cold start does not pay for them
    from chalicelib.api.ses_events import SesReceived
    from chalicelib.domain.inbound_mail import ParsedMail

log = logging.getLogger("coop.intake")


@dataclass(frozen=True)
class AcceptForm:
    referrer_member_id: str | None
    on_behalf_of_collective: bool
    title: str | None = None
    description: str | None = None
    disciplines: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttachmentLink:
    attachment: StoredAttachment
    url: str
    expires_at: datetime


class IntakeService:
    def __init__(
        self,
        store: IntakeStore,
        bucket: MailBucket,
        members: MemberStore,
        opportunities: OpportunityStore,
        outbox: MailOutbox,
        links: Links,
        clock: Clock,
        policy: Policy,
    ) -> None:
        self.store = store
        self.bucket = bucket
        self.members = members
        self.opportunities = opportunities
        self.outbox = outbox
        self.links = links
        self.clock = clock
        self.policy = policy

    # Receiving -----------------------------------------------------------------------------

    def receive(self, message: str) -> IntakeOutcome:
        """One SES notification (the SNS message text) -> its intake record's outcome."""
        from pydantic import ValidationError

        from chalicelib.api.ses_events import SesReceived

        try:
            event = SesReceived.model_validate_json(message)
        except ValidationError:
            return self._log(self._invalid(message))
        existing = self.store.get(event.mail.message_id)
        if existing is not None:
            return self._log(IntakeOutcome.of(existing, replayed=True))
        return self._log(self._judge(event))

    def _invalid(self, message: str) -> IntakeOutcome:
        digest = hashlib.sha256(message.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        record = IntakeRecord(
            id=f"invalid-{digest}",
            received_at=self.clock.now(),
            from_address="",
            subject="",
            status="rejected",
            reason="invalid_notification",
            verdicts={},
        )
        return self._reject(record, "invalid_notification")

    def _judge(self, event: SesReceived) -> IntakeOutcome:
        from chalicelib.domain import inbound_mail

        verdicts = _verdicts(event)
        record = _first_record(event, verdicts)
        refused = verdicts.rejection()
        if refused is not None:
            return self._reject(record, refused)
        action = event.receipt.action
        size = self.bucket.size(action.bucket_name, action.object_key)
        if size is None:
            return self._reject(record, "mail_missing")
        if size > self.policy.intake_max_mail_bytes:
            return self._reject(record, "too_large")
        try:
            parsed = inbound_mail.parse_mail(
                self.bucket.read(action.bucket_name, action.object_key)
            )
        except inbound_mail.UnparseableMail:
            return self._reject(record, "unparseable")
        record = replace(
            record,
            from_address=parsed.from_address or record.from_address,
            subject=record.subject or parsed.title,
            title=parsed.title,
            description=parsed.description,
            attachments=self._store_attachments(record.id, parsed),
        )
        return self._from_member(event, record, parsed, verdicts)

    def _from_member(
        self, event: SesReceived, record: IntakeRecord, parsed: ParsedMail, verdicts: Verdicts
    ) -> IntakeOutcome:
        member = self._member_for(parsed.from_address)
        if member is None:
            return self._reject(record, "unknown_sender")
        record = replace(record, member_id=member.id)
        if not _from_is_envelope_sender(parsed.from_address, event):
            return self._reject(record, "sender_mismatch")
        if not member.is_active:
            return self._reject(record, "member_cancelled")
        if not parsed.description:
            return self._reject(record, "no_usable_text")
        known = {d for m in self.members.iter_members("active") for d in m.disciplines}
        found = disciplines.recognise(f"{parsed.title}\n{parsed.description}", known)
        record = replace(record, recognised=tuple(found))
        if not found:
            return self._reject(record, "no_discipline")
        return self._accept(record, member, verdicts)

    def _member_for(self, address: str | None) -> Member | None:
        member_id = self.members.member_id_for_email(address) if address else None
        return self.members.get_member(member_id) if member_id else None

    def _store_attachments(
        self, message_id: str, parsed: ParsedMail
    ) -> tuple[StoredAttachment, ...]:
        stored = []
        for number, part in enumerate(parsed.attachments, start=1):
            key = attachment_key(message_id, number, part.filename)
            self.bucket.put(key, part.data, part.content_type)
            stored.append(StoredAttachment(part.filename, part.content_type, len(part.data), key))
        return tuple(stored)

    def _reject(self, record: IntakeRecord, reason: str) -> IntakeOutcome:
        rejected = replace(record, status="rejected", reason=reason)
        if not self.store.write([self.store.new_record_op(rejected)]):
            return self._replay(record.id)
        return IntakeOutcome.of(rejected)

    def _accept(self, record: IntakeRecord, member: Member, verdicts: Verdicts) -> IntakeOutcome:
        opportunity = _opportunity_of(record, member.id, member.id, self.clock.now(), None)
        accepted = replace(record, status="accepted", reason=None, opportunity_id=opportunity.id)
        operations = [
            self.store.new_record_op(accepted),
            *self.opportunities.add_ops(opportunity),
        ]
        confirmation = self._confirmation(member, opportunity) if verdicts.may_answer else None
        if confirmation is not None:
            operations.append(confirmation.op)
        if not self.store.write(operations):
            return self._replay(record.id)
        if confirmation is not None:  # a failed send stays queued for the outbox job
            self.outbox.send_now([confirmation.queued])
        return IntakeOutcome.of(accepted)

    def _confirmation(self, member: Member, opportunity: Opportunity) -> PreparedMail:
        letter = intake_confirmation_letter(Recipient.of(member), self.links, opportunity)
        mail_id = f"intake:{opportunity.intake_id}"
        return self.outbox.prepare(
            mail_id, "intake_confirmation", member.id, letter.to(member.email)
        )

    def _replay(self, intake_id: str) -> IntakeOutcome:
        existing = self.store.get(intake_id)
        if existing is None:  # written and gone cannot happen; a race lost both ways can
            raise Conflict(f"intake {intake_id} is being written; deliver again")
        return IntakeOutcome.of(existing, replayed=True)

    def _log(self, outcome: IntakeOutcome) -> IntakeOutcome:
        """One line per mail (ids and the reason code only, never addresses or text), and the
        metric the treasurer watches; a redelivery counts once."""
        log.info("intake", extra={**outcome.as_dict(), "replayed": outcome.replayed})
        if not outcome.replayed:
            accepted = outcome.status == "accepted"
            observability.count("IntakeAccepted" if accepted else "IntakeRejected")
        return outcome

    # Admins --------------------------------------------------------------------------------

    def browse(self, status: str | None, limit: int, cursor: str | None) -> IntakePage:
        return self.store.browse(status, limit, cursor)

    def get(self, intake_id: str) -> IntakeRecord:
        record = self.store.get(intake_id)
        if record is None:
            raise NotFound(f"no intake {intake_id}")
        return record

    def accept(self, intake_id: str, form: AcceptForm, by: str) -> Opportunity:
        """An admin turns a rejected mail into an opportunity, for a member or the collective."""
        record = self.get(intake_id)
        if record.status != "rejected":
            raise Conflict(f"intake {intake_id} is already accepted")
        referrer = None if form.on_behalf_of_collective else self._referrer(form)
        if form.disciplines:
            record = replace(record, recognised=())
        now = self.clock.now()
        opportunity = _opportunity_of(_filled(record, form), referrer, by, now, form.disciplines)
        accepted = record.accepted(opportunity.id, by, now)
        operations = [self.store.accept_op(accepted), *self.opportunities.add_ops(opportunity)]
        if not self.store.write(operations):
            raise Conflict(f"intake {intake_id} is already accepted")
        return opportunity

    def _referrer(self, form: AcceptForm) -> str:
        member_id = form.referrer_member_id or ""
        try:
            member = self.members.get_member(member_id)
        except NotFound:
            member = None
        if member is None:
            problem = FieldProblem("referrer_member_id", "not_a_member")
            raise InvalidInput("invalid_input", problems=[problem]) from None
        if not member.is_active:
            raise Conflict(f"member {member_id} is not active")
        return member.id

    # Attachments ---------------------------------------------------------------------------

    def attachment_link(self, opportunity_id: str, number: int) -> AttachmentLink:
        opportunity = self.opportunities.get(opportunity_id)
        if not 1 <= number <= len(opportunity.attachments):
            raise NotFound(f"opportunity {opportunity_id} has no attachment {number}")
        attachment = opportunity.attachments[number - 1]
        seconds = self.policy.attachment_link_seconds
        url = self.bucket.download_link(attachment.key, attachment.name, seconds)
        return AttachmentLink(attachment, url, self.clock.now() + timedelta(seconds=seconds))


def _verdicts(event: SesReceived) -> Verdicts:
    r = event.receipt
    dmarc = r.dmarc_verdict.status if r.dmarc_verdict else "GRAY"
    return Verdicts(
        r.spam_verdict.status, r.virus_verdict.status, r.spf_verdict.status, r.dkim_verdict.status,
        dmarc,
    )  # fmt: skip


def _first_record(event: SesReceived, verdicts: Verdicts) -> IntakeRecord:
    """What is known before the mail is read: the envelope and SES's parsed headers."""
    from chalicelib.domain.inbound_mail import clean_line

    headers = event.mail.common_headers
    sender = headers.from_[0] if headers.from_ else event.mail.source
    return IntakeRecord(
        id=event.mail.message_id,
        received_at=event.receipt.timestamp,
        from_address=clean_line(sender)[:320],
        subject=clean_line(headers.subject or "")[:200],
        status="rejected",
        reason=None,
        verdicts=verdicts.as_dict(),
    )


def _from_is_envelope_sender(from_address: str | None, event: SesReceived) -> bool:
    """The From must be the envelope sender (or the Return-Path SES saw), case-insensitively:
    SPF vouches for the envelope, so a From that differs is not vouched for."""
    envelope = {event.mail.source.strip().lower()}
    if event.mail.common_headers.return_path:
        envelope.add(event.mail.common_headers.return_path.strip().strip("<>").lower())
    return from_address is not None and from_address in envelope


def _filled(record: IntakeRecord, form: AcceptForm) -> IntakeRecord:
    """The record with what the admin gave; what is still missing is the admin's to give."""
    filled = replace(
        record,
        title=form.title or record.title or record.subject,
        description=form.description or record.description,
    )
    missing = [
        FieldProblem(name, "missing_in_mail")
        for name, value in (
            ("title", filled.title),
            ("description", filled.description),
            ("disciplines", form.disciplines or record.disciplines),
        )
        if not value
    ]
    if missing:
        raise InvalidInput("mail_lacks_fields", problems=missing)
    return filled


def _opportunity_of(
    record: IntakeRecord,
    referrer_id: str | None,
    by: str,
    now: datetime,
    disciplines_given: tuple[str, ...] | None,
) -> Opportunity:
    return Opportunity(
        id=new_id(),
        title=record.title,
        description=record.description,
        disciplines=disciplines_given or record.disciplines,
        sector=None,
        location=None,
        client=None,
        starts_on=None,
        referrer_id=referrer_id,
        posted_by=by,
        status="open",
        created_at=now,
        history=(HistoryEvent(now, by, "post", None, "open", f"by mail, intake {record.id}"),),
        intake_id=record.id,
        attachments=record.attachments,
        recognised=record.recognised,
    )
