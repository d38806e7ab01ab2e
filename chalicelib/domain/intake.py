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
    "too_large": "the mail is larger than the intake accepts",
    "unparseable": "the MIME structure could not be read",
    "unknown_sender": "the sender is not a member",
    "sender_mismatch": "the From address differs from the envelope sender",
    "member_cancelled": "the sender's membership is cancelled",
    "no_usable_text": "the mail has no usable text",
    "no_discipline": "no discipline of the collective was recognised in the text",
}


@dataclass(frozen=True)
class Verdicts:
    """SES's verdicts on a received mail: PASS, FAIL, GRAY or PROCESSING_FAILED."""

    spam: str
    virus: str
    spf: str
    dkim: str
    dmarc: str

    def rejection(self) -> str | None:
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

    def accepted(self, opportunity_id: str, by: str | None, at: datetime) -> IntakeRecord:
        if self.status != "rejected":
            raise Conflict(f"intake {self.id} is already accepted")
        return replace(
            self, status="accepted", opportunity_id=opportunity_id, decided_by=by, decided_at=at
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
