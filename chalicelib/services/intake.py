"""Opportunities by mail (SPEC section 3): an SES notification in, exactly one intake record out.

SES stores the raw mail in S3 and notifies SNS; the handler gives the notification's text to
`receive`, which never raises on any input: whatever arrives (random bytes, a broken event)
ends as one record, accepted or rejected with its reason. What can still raise is the
platform itself (DynamoDB or S3 failing); then SNS/Lambda deliver again and the retry finds
the record keyed on the SES message id, or writes it now: the record, the opportunity, its
pending announcement and the confirmation mail go in ONE unit of work, so a mail
delivered twice makes one of each. Attachments are stored before that, under keys derived
from the message id, so a retry overwrites them with the same bytes.

Never logged: addresses, subjects, bodies (ids and reasons only).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from chalicelib import observability
from chalicelib.clock import Clock
from chalicelib.domain import disciplines
from chalicelib.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from chalicelib.domain.ids import new_id
from chalicelib.domain.intake import (
    IntakeOutcome,
    IntakeRecord,
    MailNotice,
    SkippedAttachment,
    StoredAttachment,
    UnreadableNotice,
    Verdicts,
    authenticated_for,
    domain_of,
)
from chalicelib.domain.membership import Member
from chalicelib.domain.opportunities import HistoryEvent, Opportunity
from chalicelib.domain.vocabulary import Term, Vocabulary
from chalicelib.mail.letters import Recipient, intake_confirmation_letter
from chalicelib.mail.links import Links
from chalicelib.policy import Policy
from chalicelib.services.outbox import MailOutbox, PreparedMail
from chalicelib.services.vocabulary import VocabularyService
from chalicelib.store.intake import IntakePage, IntakeStore, MessageClaimed
from chalicelib.store.mail_bucket import MailBucket, attachment_key
from chalicelib.store.members import MemberStore
from chalicelib.store.ports import OpportunityRepository
from chalicelib.store.refusals import VersionConflict
from chalicelib.store.uow import AlreadyDone, UnitOfWork
from chalicelib.store.vocabulary import VocabularyStore

if TYPE_CHECKING:  # imported when a mail arrives: the API's cold start does not pay for them
    from chalicelib.domain.inbound_mail import ParsedMail

log = logging.getLogger("coop.intake")
# Two admins giving an opportunity's disciplines at the same moment: the loser reads again.
_RETRIES = 5


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
        opportunities: OpportunityRepository[UnitOfWork],
        outbox: MailOutbox,
        links: Links,
        clock: Clock,
        policy: Policy,
        uow: Callable[[], UnitOfWork],
        vocabulary: VocabularyService | None = None,
    ) -> None:
        self.uow = uow
        self.vocabulary = vocabulary or VocabularyService(VocabularyStore(store.table), clock)
        self.store = store
        self.bucket = bucket
        self.members = members
        self.opportunities = opportunities
        self.outbox = outbox
        self.links = links
        self.clock = clock
        self.policy = policy

    # Receiving -----------------------------------------------------------------------------

    def receive(self, notice: MailNotice | UnreadableNotice) -> IntakeOutcome:
        """One SES notification (parsed at the edge: `api.ses_events.notice_of`) -> its
        intake record's outcome."""
        if isinstance(notice, UnreadableNotice):
            return self._log(self._invalid(notice))
        existing = self.store.get(notice.message_id)
        if existing is not None:
            return self._log(IntakeOutcome.of(existing, replayed=True))
        return self._log(self._judge(notice))

    def _invalid(self, notice: UnreadableNotice) -> IntakeOutcome:
        record = IntakeRecord(
            id=f"invalid-{notice.fingerprint}",
            received_at=self.clock.now(),
            from_address="",
            subject="",
            status="rejected",
            reason="invalid_notification",
            verdicts={},
        )
        return self._reject(record, "invalid_notification")

    def _judge(self, event: MailNotice) -> IntakeOutcome:
        from chalicelib.domain import inbound_mail

        verdicts = event.verdicts
        record = _first_record(event, verdicts)
        refused = verdicts.rejection()
        if refused is not None:
            return self._reject(record, refused)
        size = self.bucket.size(event.bucket, event.key)
        if size is None:
            return self._reject(record, "mail_missing")
        if size > self.policy.intake_max_mail_bytes:
            return self._reject(record, "too_large")
        try:
            parsed = inbound_mail.parse_mail(self.bucket.read(event.bucket, event.key))
        except inbound_mail.UnparseableMail:
            return self._reject(record, "unparseable")
        record = replace(
            record,
            from_address=parsed.from_address or record.from_address,
            subject=record.subject or parsed.title,
            title=parsed.title,
            description=parsed.description,
            attachments=self._store_attachments(record.id, parsed),
            skipped_attachments=tuple(
                SkippedAttachment(s.filename, s.content_type, s.size, s.reason)
                for s in parsed.skipped
            ),
            mail_message_id=parsed.message_id,
        )
        return self._from_member(event, record, parsed, verdicts)

    def _from_member(
        self, event: MailNotice, record: IntakeRecord, parsed: ParsedMail, verdicts: Verdicts
    ) -> IntakeOutcome:
        member = self._member_for(parsed.from_address)
        if member is None:
            return self._reject(record, "unknown_sender")
        record = replace(record, member_id=member.id)
        if not authenticated_for(
            domain_of(parsed.from_address), verdicts, _envelope_domains(event), parsed.dkim_domains
        ):
            return self._reject(record, "from_not_authenticated")
        if not member.is_active:
            return self._reject(record, "member_cancelled")
        if not parsed.description:
            return self._reject(record, "no_usable_text")
        # Never rejected for its wording: without a recognised discipline it is posted
        # without one, and the confirmation asks the member to add them.
        text = f"{parsed.title}\n{parsed.description}"
        vocabulary = self._recognising()
        found = disciplines.recognise(text, vocabulary)
        sectors = disciplines.recognise(text, vocabulary, kind="sector")
        sector = sectors[0].discipline if len(sectors) == 1 else None
        record = replace(record, recognised=tuple(found), sector=sector)
        return self._accept(record, member, verdicts)

    def _recognising(self) -> Vocabulary:
        """The vocabulary with what active members list as their own (a typed term that
        names no known one); short and common words are never recognised."""
        vocabulary = self.vocabulary.current()
        own = {
            d
            for m in self.members.iter_members("active")
            for d in m.disciplines
            if vocabulary.resolve("discipline", d) is None
        }
        if not own:
            return vocabulary
        return vocabulary.with_additions(
            Term(d, "discipline", d, d, (), built_in=False) for d in sorted(own)
        )

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
        if not self.store.add(rejected):
            return self._replay(record.id)
        return IntakeOutcome.of(rejected)

    def _accept(self, record: IntakeRecord, member: Member, verdicts: Verdicts) -> IntakeOutcome:
        """The record, the opportunity (with its pending announcement), the claim on the
        mail's Message-ID and the confirmation: one unit of work. The same message received
        twice (two SES ids, even at the same moment) finds the claim taken: it is recorded as
        a duplicate and makes nothing."""
        first = self.store.first_with_message(record)
        if first is not None:
            return self._duplicate(record, first)
        opportunity = _opportunity_of(record, member.id, member.id, self.clock.now(), None)
        accepted = replace(record, status="accepted", reason=None, opportunity_id=opportunity.id)
        confirmation = self._confirmation(member, opportunity) if verdicts.may_answer else None
        with self.uow() as uow:
            self.store.register_new(uow, accepted)
            self.opportunities.register_new(uow, opportunity)
            self.store.register_message_claim(uow, accepted)
            if confirmation is not None:
                self.outbox.register(uow, confirmation)
            try:
                uow.commit()
            except MessageClaimed:
                return self._duplicate(record, self.store.first_with_message(record))
            except AlreadyDone:
                return self._replay(record.id)
        if confirmation is not None:  # a failed send stays queued for the outbox job
            self.outbox.send_now([confirmation.queued])
        return IntakeOutcome.of(accepted)

    def _duplicate(self, record: IntakeRecord, first: str | None) -> IntakeOutcome:
        return self._reject(replace(record, duplicate_of=first), "duplicate")

    def _confirmation(self, member: Member, opportunity: Opportunity) -> PreparedMail:
        letter = intake_confirmation_letter(Recipient.of(member), self.links, opportunity)
        mail_id = f"intake:{opportunity.intake_id}"
        return self.outbox.prepare(
            mail_id, "intake_confirmation", member.id, letter.to(member.email)
        )

    def _replay(self, intake_id: str) -> IntakeOutcome:
        existing = self.store.get(intake_id)
        if existing is None:  # written and gone cannot happen; a race lost both ways can
            raise Conflict("busy")
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
            raise NotFound("intake_not_found")
        return record

    def accept(self, intake_id: str, form: AcceptForm, by: str) -> Opportunity:
        """An admin turns a rejected mail into an opportunity (201), for a member or the
        collective. The same request again, later or at the same moment, answers the same
        opportunity (see `accept_once`); another request after acceptance is a 409."""
        return self.accept_once(intake_id, form, by)[0]

    def accept_once(self, intake_id: str, form: AcceptForm, by: str) -> tuple[Opportunity, bool]:
        """The opportunity, and whether this answers an earlier identical request."""
        typed = self.vocabulary.canonical("discipline", form.disciplines, "disciplines")
        form = replace(form, disciplines=typed)
        request = _request_hash(form)
        record = self.get(intake_id)
        if record.status != "rejected":
            return self._accepted_before(record, request), True
        referrer = None if form.on_behalf_of_collective else self._referrer(form)
        if form.disciplines:
            record = replace(record, recognised=())
        now = self.clock.now()
        opportunity = _opportunity_of(_filled(record, form), referrer, by, now, form.disciplines)
        accepted = record.accepted(opportunity.id, by, now, request)
        with self.uow() as uow:  # the same accept at the same moment: one wins
            self.store.register_accept(uow, accepted)
            self.opportunities.register_new(uow, opportunity)
            try:
                uow.commit()
                return opportunity, False
            except AlreadyDone:
                pass
        return self._accepted_before(self.get(intake_id), request), True

    def _accepted_before(self, record: IntakeRecord, request: str) -> Opportunity:
        """A repeat of the request that accepted the record answers its opportunity."""
        if (
            record.status == "accepted"
            and record.decided_by is not None
            and record.accept_request == request
            and record.opportunity_id is not None
        ):
            return self.opportunities.get(record.opportunity_id)
        raise Conflict("intake_already_accepted")

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
            raise Conflict("member_not_active", member=member.name)
        return member.id

    # Disciplines added afterwards ------------------------------------------------------------

    def set_disciplines(
        self, opportunity_id: str, typed: tuple[str, ...], by: str, is_admin: bool
    ) -> Opportunity:
        """The referrer (or an admin) gives the disciplines of an opportunity, typically one
        mailed in without a recognised discipline; the members they match then hear of it."""
        chosen = self.vocabulary.canonical("discipline", typed, "disciplines")
        for _ in range(_RETRIES):
            opportunity = self.opportunities.get(opportunity_id)
            opportunity.require_manager(by, is_admin)
            opportunity.require_open_for_interest()
            if opportunity.disciplines == chosen:
                return opportunity  # a repeat changes nothing
            now = self.clock.now()
            event = HistoryEvent(
                now, by, "disciplines", opportunity.status, opportunity.status, ", ".join(chosen)
            )
            changed = replace(
                opportunity,
                disciplines=chosen,
                version=opportunity.version + 1,
                history=(*opportunity.history, event),
            )
            with self.uow() as uow:
                self.opportunities.register_save(uow, changed)
                self.opportunities.register_announcement(uow, changed)
                try:
                    uow.commit()
                    return changed
                except VersionConflict:
                    continue
        raise Conflict("opportunity_changed_meanwhile")

    # Attachments ---------------------------------------------------------------------------

    def attachment_link(self, opportunity_id: str, number: int) -> AttachmentLink:
        opportunity = self.opportunities.get(opportunity_id)
        if not 1 <= number <= len(opportunity.attachments):
            raise NotFound("attachment_not_found")
        attachment = opportunity.attachments[number - 1]
        seconds = self.policy.attachment_link_seconds
        url = self.bucket.download_link(attachment.key, attachment.name, seconds)
        return AttachmentLink(attachment, url, self.clock.now() + timedelta(seconds=seconds))


def _first_record(event: MailNotice, verdicts: Verdicts) -> IntakeRecord:
    """What is known before the mail is read: the envelope and SES's parsed headers."""
    from chalicelib.domain.inbound_mail import clean_line

    sender = event.from_[0] if event.from_ else event.source
    return IntakeRecord(
        id=event.message_id,
        received_at=event.received_at,
        from_address=clean_line(sender)[:320],
        subject=clean_line(event.subject or "")[:200],
        status="rejected",
        reason=None,
        verdicts=verdicts.as_dict(),
    )


def _envelope_domains(event: MailNotice) -> tuple[str, ...]:
    """The domains SPF vouches for: the envelope sender (MAIL FROM) and the Return-Path."""
    domains = [domain_of(event.source)]
    if event.return_path:
        domains.append(domain_of(event.return_path))
    return tuple(d for d in dict.fromkeys(domains) if d)


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
        )
        if not value
    ]
    if missing:
        raise InvalidInput("mail_lacks_fields", problems=missing)
    return filled


def _request_hash(form: AcceptForm) -> str:
    """What an admin's accept asked for, as one value (the idempotency of an accept)."""
    asked = {
        "referrer_member_id": None if form.on_behalf_of_collective else form.referrer_member_id,
        "on_behalf_of_collective": form.on_behalf_of_collective,
        "title": form.title,
        "description": form.description,
        "disciplines": list(form.disciplines),
    }
    return hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest()


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
        sector=record.sector,
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
