"""Every request body, query and answer of the API, as pydantic v2 models: one module a feature.

Bodies are strict (JSON `"10"` and `1.5` are not cents), forbid unknown fields, and are the
same models the OpenAPI document is generated from. `common` holds the field types and base
classes every feature shares; `applications`, `members`, `money` (statements, payments,
receivables, payables), `coins`, `opportunities`, `assignments` (with revenue), `meetings`,
`intake`, `vocabulary`, `mail_preferences`, `jobs` (what a run-now route reports) and `service`
(health, policy, the error body) hold a route group's models each.

Importing this package builds nothing. A model is reached by its name (`models.MemberOut`,
`from chalicelib.api.models import MemberOut`, or a route declaration's
`response="MemberOut"`, see chalicelib/api/lazy.py); the first time a name is asked for, only
the module of its feature is imported (with `common`), so `import app` builds no model and
the API's first request builds only the models of the features it touches. A new model goes in
its feature's module and its name in `_FEATURES` below (tests/api/test_models_package.py
checks that the two agree).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # every feature's names, for the type checker
    from chalicelib.api.models.applications import *  # noqa: F403
    from chalicelib.api.models.assignments import *  # noqa: F403
    from chalicelib.api.models.bank import *  # noqa: F403
    from chalicelib.api.models.bank_payouts import *  # noqa: F403
    from chalicelib.api.models.coins import *  # noqa: F403
    from chalicelib.api.models.common import *  # noqa: F403
    from chalicelib.api.models.intake import *  # noqa: F403
    from chalicelib.api.models.jobs import *  # noqa: F403
    from chalicelib.api.models.mail_preferences import *  # noqa: F403
    from chalicelib.api.models.meetings import *  # noqa: F403
    from chalicelib.api.models.members import *  # noqa: F403
    from chalicelib.api.models.money import *  # noqa: F403
    from chalicelib.api.models.opportunities import *  # noqa: F403
    from chalicelib.api.models.service import *  # noqa: F403
    from chalicelib.api.models.vocabulary import *  # noqa: F403

# Where each name lives: feature module -> the public names it defines.
_FEATURES: dict[str, list[str]] = {
    "common": [
        "Answer",
        "Body",
        "Cents",
        "Day",
        "Email",
        "FileAnswer",
        "Headline",
        "LongText",
        "PageQuery",
        "Paragraphs",
        "Query",
        "Reason",
        "Reference",
        "RejectIn",
        "SearchTerm",
        "Tag",
        "Text",
        "Url",
        "WholeNumber",
    ],
    "service": ["ErrorField", "ErrorOut", "Health", "PolicyOut"],
    "applications": [
        "ApplicationCreated",
        "ApplicationIn",
        "ApplicationList",
        "ApplicationOut",
        "ApplicationsQuery",
    ],
    "members": [
        "AdminMembersQuery",
        "BankAccountIn",
        "BankAccountOut",
        "DirectoryEntry",
        "DirectoryList",
        "DirectoryQuery",
        "MemberEventOut",
        "MemberHistoryOut",
        "MemberList",
        "MemberOut",
        "ProfilePatch",
    ],
    "money": [
        "ExportQuery",
        "MoneyIn",
        "PayableList",
        "PayableOut",
        "PayablesQuery",
        "PaymentDetailsOut",
        "ReceivableList",
        "ReceivableOut",
        "ReceivablesQuery",
        "Statement",
        "StatementLine",
        "TransactionOut",
    ],
    "coins": [
        "ApproveClaimIn",
        "ClaimIn",
        "ClaimList",
        "ClaimOut",
        "ClaimsQuery",
        "CoinAwardOut",
        "CoinsOut",
        "CoinsQuery",
        "DistributionOut",
        "PayoutOut",
        "PotOut",
    ],
    "jobs": [
        "AnnouncementReportOut",
        "BoardWarningReportOut",
        "DigestQuery",
        "DigestReportOut",
        "DistributionReportOut",
        "DistributionRunOut",
        "DuesReportOut",
        "JobQuery",
        "MeetingMailReportOut",
        "OutboxReportOut",
        "ReminderReportOut",
    ],
    "opportunities": [
        "AttachmentOut",
        "CandidateList",
        "CandidateOut",
        "CloseIn",
        "ConversationIn",
        "HistoryEventOut",
        "InterestIn",
        "InvolvementOut",
        "OpportunitiesQuery",
        "OpportunityIn",
        "OpportunityList",
        "OpportunityOut",
        "RecognisedOut",
    ],
    "assignments": [
        "AssignmentCreated",
        "AssignmentIn",
        "AssignmentOut",
        "MyAssignmentList",
        "MyAssignmentOut",
        "MyAssignmentsQuery",
        "RevenueBooked",
        "RevenueIn",
        "RevenueReportOut",
        "TeamChangeOut",
        "TeamInviteIn",
        "TeamMemberId",
        "TeamMemberOut",
        "TeamRole",
        "TeamStatus",
    ],
    "meetings": [
        "AttendanceIn",
        "AttendeeList",
        "AttendeeOut",
        "CalendarLinkOut",
        "MeetingCoverageOut",
        "MeetingIn",
        "MeetingList",
        "MeetingOut",
        "MeetingPatch",
        "MeetingStatus",
        "MeetingTime",
        "MeetingsQuery",
        "MemberRef",
        "PitchLine",
        "QuarterMeetingsOut",
        "RegistrationIn",
        "RegistrationOut",
        "RegistrationStatus",
        "Seats",
    ],
    "intake": [
        "AttachmentLinkOut",
        "IntakeAcceptIn",
        "IntakeList",
        "IntakeOut",
        "IntakeQuery",
        "SkippedAttachmentOut",
    ],
    "vocabulary": ["DisciplinesIn", "VocabularyOut", "VocabularyTermIn", "VocabularyTermOut"],
    "mail_preferences": ["OneClickIn", "UnsubscribeQuery", "UnsubscribedOut"],
    # bank-payouts: payout batches
    "bank_payouts": ["PayoutBatchList", "PayoutBatchOut", "PayoutItemOut", "SkippedMemberOut"],
    # bank-statements: statements in, the lines waiting
    "bank": [
        "AssignIn",
        "BankLineList",
        "BankLineOut",
        "BankLinesQuery",
        "MemberNamed",
        "SetAsideIn",
        "StatementFile",
        "StatementImported",
    ],
}
_HOME = {name: feature for feature, names in _FEATURES.items() for name in names}


if not TYPE_CHECKING:  # (hidden from the type checker, which then knows every name exactly)

    def __getattr__(name: str) -> Any:
        """A model (or field type) by name: its feature's module is imported on first use."""
        feature = _HOME.get(name)
        if feature is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        found = getattr(importlib.import_module(f"{__name__}.{feature}"), name)
        globals()[name] = found  # the next lookup is a plain attribute
        return found

    def __dir__() -> list[str]:
        return sorted({*globals(), *_HOME})
