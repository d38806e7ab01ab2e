"""Mail intake (SPEC section 3): which mails become opportunities, and why the rest do not.

Every mail received ends as exactly one intake record, keyed on the SES message id: accepted
(with the opportunity it became) or rejected (with its reason, for an admin to look at and
possibly accept). The checks run cheapest and most suspicious first: SES's verdicts, the
size, the MIME structure, the sender, then the content.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from chalicelib.domain.disciplines import Recognised
from chalicelib.domain.errors import Conflict

IntakeStatus = Literal["accepted", "rejected"]

# Why a mail did not become an opportunity: code -> what an admin reads.
REASONS: dict[str, str] = {
    "invalid_notification": "the notification from SES could not be read",
    "mail_missing": "the raw mail was not found in the intake bucket",
    "virus": "SES found a virus",
    "spam": "SES judged it spam",
    "not_authenticated": "SPF and DKIM both failed: the sender cannot be trusted",
    "from_not_authenticated": (
        "the mail is not authenticated for the domain of its From address (DMARC did not "
        "pass, and neither SPF nor DKIM passed for that domain): the sender may be forged"
    ),
    "duplicate": "the same message (same Message-ID from the same sender) was received before",
    "too_large": "the mail is larger than the intake accepts",
    "unparseable": "the MIME structure could not be read",
    "unknown_sender": "the sender is not a member",
    "sender_mismatch": "the From address differs from the envelope sender",
    "member_cancelled": "the sender's membership is cancelled",
    "no_usable_text": "the mail has no usable text",
    "no_discipline": "no discipline of the collective was recognised in the text",
}

# Why an attachment was not kept: code -> what an admin reads.
NOT_KEPT: dict[str, str] = {
    "too_many": "the mail has more attachments than the intake keeps",
}


@dataclass(frozen=True)
class MailNotice:
    """A mail SES received and stored, as the intake needs it (the notification parsed at
    the edge: chalicelib/api/ses_events.py): its SES id, the envelope and SES's parsed
    headers, the verdicts, and where the raw mail lies."""

    message_id: str  # SES's id: the intake record's key
    received_at: datetime
    source: str  # the envelope sender (MAIL FROM)
    from_: tuple[str, ...]
    subject: str | None
    return_path: str | None
    verdicts: Verdicts
    bucket: str
    key: str


@dataclass(frozen=True)
class UnreadableNotice:
    """A notification that is not one SES sends; `fingerprint`: the same text gives the same
    one, so a redelivery finds its record."""

    fingerprint: str


@dataclass(frozen=True)
class Verdicts:
    """SES's verdicts on a received mail: PASS, FAIL, GRAY or PROCESSING_FAILED."""

    spam: str
    virus: str
    spf: str
    dkim: str
    dmarc: str

    def rejection(self) -> str | None:
        """A verdict that rejects the mail before it is read."""
        if self.virus == "FAIL":
            return "virus"
        if self.spam == "FAIL":
            return "spam"
        if "PASS" not in (self.spf, self.dkim):
            return "not_authenticated"
        return None

    @property
    def may_answer(self) -> bool:
        """Mail goes back only to a sender both SPF and DKIM vouch for (no backscatter)."""
        return self.spf == "PASS" and self.dkim == "PASS"

    def as_dict(self) -> dict[str, str]:
        return {
            "spam": self.spam,
            "virus": self.virus,
            "spf": self.spf,
            "dkim": self.dkim,
            "dmarc": self.dmarc,
        }


@dataclass(frozen=True)
class StoredAttachment:
    name: str
    content_type: str
    size: int
    key: str  # where the file is in the intake bucket


@dataclass(frozen=True)
class SkippedAttachment:
    """An attachment the intake did not keep, and why (recorded, never silently dropped)."""

    name: str
    content_type: str
    size: int
    reason: str  # a key of NOT_KEPT

    @property
    def reason_text(self) -> str:
        return NOT_KEPT.get(self.reason, self.reason)


def domain_of(address: str | None) -> str:
    """The domain of an address (`Name <a@b.nl>` or `a@b.nl`), lowercased; "" if none."""
    if not address:
        return ""
    return address.strip().strip("<>").rpartition("@")[2].strip().strip(">").lower().rstrip(".")


def aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment (DMARC): the same domain, or one a subdomain of the other."""
    if not domain or not from_domain:
        return False
    return (
        domain == from_domain
        or domain.endswith("." + from_domain)
        or from_domain.endswith("." + domain)
    )


def authenticated_for(
    from_domain: str,
    verdicts: Verdicts,
    envelope_domains: tuple[str, ...],
    dkim_domains: tuple[str, ...],
) -> bool:
    """Is the mail authenticated for the domain of its From address? DMARC passed, or SPF
    passed for an envelope sender (MAIL FROM, Return-Path) aligned with it, or DKIM passed
    with a signature (d=) aligned with it. Anything else may be a forged From."""
    if verdicts.dmarc == "PASS":
        return True
    if verdicts.spf == "PASS" and any(aligned(d, from_domain) for d in envelope_domains):
        return True
    return verdicts.dkim == "PASS" and any(aligned(d, from_domain) for d in dkim_domains)


@dataclass(frozen=True)
class IntakeRecord:
    id: str  # the SES message id
    received_at: datetime
    from_address: str
    subject: str
    status: IntakeStatus
    reason: str | None
    verdicts: dict[str, str]
    title: str = ""
    description: str = ""
    recognised: tuple[Recognised, ...] = ()
    attachments: tuple[StoredAttachment, ...] = ()
    skipped_attachments: tuple[SkippedAttachment, ...] = ()
    sector: str | None = None  # recognised in the text, when exactly one was
    # The mail's own Message-ID header, and the intake record that first had it (duplicate).
    mail_message_id: str | None = None
    duplicate_of: str | None = None
    # An admin's accept: what they sent (its hash), so a repeat answers the same opportunity.
    accept_request: str | None = None
    member_id: str | None = None  # the sending member, when the sender is one
    opportunity_id: str | None = None
    decided_by: str | None = None  # the admin who accepted it; None: accepted on arrival
    decided_at: datetime | None = None

    @property
    def message_id(self) -> str:
        return self.id

    @property
    def reason_text(self) -> str | None:
        return REASONS.get(self.reason, self.reason) if self.reason else None

    @property
    def disciplines(self) -> tuple[str, ...]:
        return tuple(r.discipline for r in self.recognised)

    def accepted(
        self, opportunity_id: str, by: str | None, at: datetime, request: str | None = None
    ) -> IntakeRecord:
        if self.status != "rejected":
            raise Conflict("intake_already_accepted")
        return replace(
            self,
            status="accepted",
            opportunity_id=opportunity_id,
            decided_by=by,
            decided_at=at,
            accept_request=request,
        )


@dataclass
class IntakeOutcome:
    """What the handler answers (and the CLI prints): one JSON line per mail."""

    intake_id: str
    status: IntakeStatus
    reason: str | None
    opportunity_id: str | None
    replayed: bool = False

    @classmethod
    def of(cls, record: IntakeRecord, replayed: bool = False) -> IntakeOutcome:
        return cls(record.id, record.status, record.reason, record.opportunity_id, replayed)

    def as_dict(self) -> dict[str, object]:
        return {
            "intake_id": self.intake_id,
            "status": self.status,
            "reason": self.reason,
            "opportunity_id": self.opportunity_id,
        }
