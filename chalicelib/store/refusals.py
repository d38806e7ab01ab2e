"""What a registered write's failed condition means, free of DynamoDB and boto3.

The unit of work raises these (or the domain errors a repository registers); both
implementations (`chalicelib.store.uow`, `chalicelib.store.memory`) raise the same ones, so a
service catches them without knowing which store it runs on. The DynamoDB modules re-export
the ones they used to define.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.domain.coins import CoinAward
from chalicelib.domain.errors import Conflict
from chalicelib.domain.ledger import LedgerTransaction
from chalicelib.domain.opportunities import RevenueReport

MAX_ACTIONS = 100  # DynamoDB's limit for one TransactWriteItems (the in-memory one keeps it)

Refusal = Callable[[], BaseException]


class AlreadyDone(Exception):
    """The write named `name` found its idempotency record: the work was done before. The
    repository that registered it catches this and answers the original result."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class ConditionFailed(Exception):
    """A write without a declared refusal failed its condition: a bug in the caller's
    reasoning (it registered a condition it did not explain), never a person's mistake."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__(f"condition failed: {', '.join(names)}")
        self.names = names


class BookingReplayed(AlreadyDone):
    """The transaction's record exists: this booking was made before (a replay). The caller
    answers `LedgerStore.replay(transaction)`, the original booking."""

    def __init__(self, name: str, transaction: LedgerTransaction) -> None:
        super().__init__(name)
        self.transaction = transaction


class AwardReplayed(AlreadyDone):
    """The award's record exists: it was booked before; `CoinStore.replay` answers it."""

    def __init__(self, name: str, award: CoinAward) -> None:
        super().__init__(name)
        self.award = award


class SeatsChanged(Exception):
    """The meeting's seats, status or version, or the registration, are not as they were
    read (Outcome.REFUSED): the caller reads again and decides."""


class SignedUpAlready(AlreadyDone):
    """The member's registration exists (Outcome.EXISTS)."""


class MessageClaimed(AlreadyDone):
    """The mail's Message-ID was claimed by an earlier record: a duplicate."""


class NameTaken(Exception):
    """The name (or the new term's id) is already in the vocabulary."""


# Opportunities and assignments --------------------------------------------------------------


class VersionConflict(Conflict):
    """The item changed since it was read; the caller re-reads and tries again (escaping its
    retries, it is what it means to a person: someone changed it at the same time)."""

    def __init__(self, item_id: str) -> None:
        super().__init__("busy")
        self.item_id = item_id


class ReportReplayed(AlreadyDone):
    """The report's record exists: it was booked before; `replay_report` answers it."""

    def __init__(self, name: str, report: RevenueReport) -> None:
        super().__init__(name)
        self.report = report
