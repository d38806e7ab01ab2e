"""Applications and members: the admission rule and the allowed state changes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from chalicelib.domain.errors import Conflict, FieldProblem, InvalidInput
from chalicelib.periods import Quarter
from chalicelib.policy import Policy

ApplicationStatus = Literal["pending", "approved", "rejected"]
MemberStatus = Literal["active", "cancelled"]


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class NewApplication:
    """What an applicant sends: the application before it has an id, a status or a time.
    Tags as typed (normalised: see `normalise_tags`); the service stores known terms."""

    name: str
    email: str
    disciplines: tuple[str, ...]
    sectors: tuple[str, ...]
    years_experience: int
    linkedin_url: str | None = None
    motivation: str | None = None
    referred_by_email: str | None = None
    language: str | None = None  # of the applicant's mails; None: Dutch


@dataclass(frozen=True)
class Application:
    id: str
    name: str
    email: str
    disciplines: tuple[str, ...]
    sectors: tuple[str, ...]
    years_experience: int
    linkedin_url: str | None
    motivation: str | None
    referred_by_email: str | None
    status: ApplicationStatus
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    rejection_reason: str | None = None
    language: str = "nl"  # of the mails the applicant gets, and the member's after admission

    def approved(self, by: str | None, at: datetime) -> Application:
        self._must_be_pending("approve")
        return replace(self, status="approved", decided_at=at, decided_by=by)

    def rejected(self, by: str | None, at: datetime, reason: str) -> Application:
        self._must_be_pending("reject")
        return replace(
            self, status="rejected", decided_at=at, decided_by=by, rejection_reason=reason
        )

    def _must_be_pending(self, action: str) -> None:
        if self.status != "pending":
            # application_approved, application_rejected
            raise Conflict(f"application_{self.status}", action=action)


def check_admission(years_experience: int, policy: Policy) -> None:
    """The only admission criterion is ample work experience."""
    minimum = policy.admission_min_years_experience
    if years_experience < minimum:
        problem = FieldProblem("years_experience", "below_minimum", {"minimum": minimum})
        raise InvalidInput("too_little_experience", problems=[problem], minimum=minimum)


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    email: str
    headline: str
    disciplines: tuple[str, ...]
    sectors: tuple[str, ...]
    available: bool
    notify_opportunities: bool
    status: MemberStatus
    joined_at: datetime
    recruited_by: str | None = None
    linkedin_url: str | None = None
    cancelled_at: datetime | None = None
    language: str = "nl"  # of the mails the member gets: "nl" or "en"
    notify_meetings: bool = True  # invitations to new meetings (not the mails about one's own)
    # How new opportunities reach a member who wants them (notify_opportunities): one mail
    # each ("each") or a weekly digest ("weekly").
    opportunity_mail: str = "each"

    @classmethod
    def admitted(cls, application: Application, at: datetime, recruited_by: str | None) -> Member:
        # The member keeps the application's id: one person, one opaque id from the start,
        # which also makes admission idempotent (a retried approval finds the same member).
        return cls(
            id=application.id,
            name=application.name,
            email=application.email,
            headline="",
            disciplines=application.disciplines,
            sectors=application.sectors,
            available=True,
            notify_opportunities=True,
            status="active",
            joined_at=at,
            recruited_by=recruited_by,
            linkedin_url=application.linkedin_url,
            language=application.language,
        )

    def cancelled(self, at: datetime) -> Member:
        if self.status == "cancelled":
            raise Conflict("membership_already_cancelled")
        return replace(self, status="cancelled", cancelled_at=at, available=False)

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def owes_dues_for(self, quarter: Quarter) -> bool:
        """Dues are owed for every quarter in which the member was active at any moment: the
        joining quarter and the quarter of cancellation included, none after it."""
        joined_by_its_end = self.joined_at < quarter.next().starts_at()
        still_there_at_its_start = self.cancelled_at is None or self.cancelled_at > (
            quarter.starts_at()
        )
        return joined_by_its_end and still_there_at_its_start
