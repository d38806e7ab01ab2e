"""What the scheduled jobs report when run now."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from chalicelib.api.models.common import Answer, Query


class DuesReportOut(Answer):
    quarter: str
    members_seen: int
    charged: int
    already_charged: int
    not_due: int = Field(description="members seen who were not members at any moment of it")
    failed: int
    failed_member_ids: list[str]
    complete: bool
    resume_cursor: str | None = Field(
        description="when not complete: pass as ?cursor= to continue where this run stopped"
    )


class JobQuery(Query):
    cursor: str | None = Field(default=None, max_length=2000)


class ReminderReportOut(Answer):
    members_owing: int
    reminded: int
    not_due: int
    failed: int
    failed_member_ids: list[str]


class DistributionReportOut(Answer):
    year: int
    pot_cents: int
    total_coins: int
    paid: int = Field(description="payouts booked by this run")
    already_paid: int = Field(description="payouts booked before (a re-run books nothing)")
    carried_over_cents: int
    complete: bool
    resume_after: str | None
    mails_queued: int = Field(description="payout mails queued by this run")
    mails_sent: int = Field(description="of those, sent at once; the rest follow from the outbox")


class OutboxReportOut(Answer):
    sent: int
    failed: int = Field(description="failed now; tried again later with growing pauses")
    given_up: int = Field(description="failed too often; left for a person to look at")
    complete: bool
    failed_mail_ids: list[str]
    failed_member_ids: list[str]


class AnnouncementReportOut(Answer):
    opportunities: int
    mailed: int
    failed: int
    complete: bool
    failed_member_ids: list[str]


class DistributionRunOut(Answer):
    years: list[DistributionReportOut]


class MeetingMailReportOut(Answer):
    meetings: int
    mailed: int
    failed: int = Field(description="failed now; the outbox job tries again")
    complete: bool
    failed_mail_ids: list[str]


class BoardWarningReportOut(Answer):
    quarter: str
    meetings_planned: int
    warning_due: bool
    mailed: int
    failed: int


class DigestQuery(Query):
    week: (
        Annotated[str, StringConstraints(pattern=r"^2[0-9]{3}-W(0[1-9]|[1-4][0-9]|5[0-3])$")] | None
    ) = Field(
        default=None, description="an ISO week like 2026-W19; default: the last week that ended"
    )


class DigestReportOut(Answer):
    week: str
    opportunities: int
    members_seen: int = Field(description="members who chose the weekly digest")
    mailed: int
    already_mailed: int = Field(description="mailed before (a re-run mails nobody twice)")
    nothing_new: int
    failed: int
    complete: bool
    failed_member_ids: list[str]
