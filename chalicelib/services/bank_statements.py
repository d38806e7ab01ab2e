"""Bank statements in: an admin imports a camt.053 of the collective's account; every credit
carrying a member's payment reference is booked as that member's payment, the rest waits for
an admin to assign or set aside (SPEC "Money through the bank", "Statements in").

A statement of another account, or a file that is not a readable camt.053, is refused whole
before anything is written. Each line is then one unit of work: its record (on condition that
no import wrote it before) together with what it books, so importing a statement twice,
statements that overlap, or two imports at the same moment book every line at most once.

Debits carrying a payout's end-to-end id and returned transfers are settled through a port
(`PayoutSettlement`), which the payout batches implement; without one they wait as unmatched.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from chalicelib.clock import Clock
from chalicelib.domain import ledger, references
from chalicelib.domain.errors import Conflict
from chalicelib.domain.membership import Member
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.notices import payment_received_letter
from chalicelib.services.outbox import MailOutbox, PreparedMail
from chalicelib.store.bank_lines import BankLine, BankLinePage, BankLineStore, LineSeenBefore
from chalicelib.store.ledger import BookingReplayed, LedgerStore
from chalicelib.store.members import MemberStore
from chalicelib.store.uow import UnitOfWork

if TYPE_CHECKING:
    from chalicelib.domain.camt053 import BankStatement, StatementLine

log = logging.getLogger("coop.bank")


class PayoutSettlement(Protocol):
    """What a statement line means for the payout batches. Each method registers its writes
    on `uow` (committed together with the line's record, or not at all) and answers whether
    the line was one of ours; False leaves the line waiting as unmatched."""

    def mark_executed(self, uow: UnitOfWork, end_to_end_id: str, line: StatementLine) -> bool:
        """A debit with this end-to-end id: the bank executed that payout."""
        ...

    def reverse_returned(
        self, uow: UnitOfWork, end_to_end_id: str, reason_code: str, line: StatementLine
    ) -> bool:
        """A credit returning the transfer with this end-to-end id, for this reason (AC04...):
        reverse that payout so the collective owes the member again, and mail them."""
        ...


class NoPayoutSettlement:
    """No payout batches to settle: such lines wait as unmatched."""

    def mark_executed(self, uow: UnitOfWork, end_to_end_id: str, line: StatementLine) -> bool:
        return False

    def reverse_returned(
        self, uow: UnitOfWork, end_to_end_id: str, reason_code: str, line: StatementLine
    ) -> bool:
        return False


class MemberNumberLookup(Protocol):
    """Whose payment references member numbers are (services.member_numbers)."""

    def member_ids_of(self, numbers: list[int]) -> dict[int, str]: ...


class IbanLookup(Protocol):
    """Who registered an IBAN as their payout account (services.bank_accounts)."""

    def member_id_by_iban(self, iban: str) -> str | None: ...


@dataclass
class ImportReport:
    id: str
    account_iban: str
    lines: int = 0
    booked: int = 0
    already_booked: int = 0
    unmatched: int = 0
    executed: int = 0
    returned: int = 0
    booked_cents: int = 0
    mails: list[PreparedMail] = field(default_factory=list, repr=False)


class BankStatementsService:
    def __init__(
        self,
        lines: BankLineStore,
        members: MemberStore,
        ledger_store: LedgerStore,
        numbers: MemberNumberLookup,
        ibans: IbanLookup,
        outbox: MailOutbox,
        links: Links,
        clock: Clock,
        account_iban: Callable[[], str],
        uow: Callable[[], UnitOfWork],
        payouts: PayoutSettlement | None = None,
    ) -> None:
        self.store = lines
        self.members = members
        self.ledger = ledger_store
        self.numbers = numbers
        self.ibans = ibans
        self.outbox = outbox
        self.links = links
        self.clock = clock
        self.account_iban = account_iban
        self.uow = uow
        self.payouts: PayoutSettlement = payouts or NoPayoutSettlement()

    # Importing ---------------------------------------------------------------------------

    def import_statement(self, data: bytes, by: str | None = None) -> ImportReport:
        # the reader (and its XML parser) is imported when a statement comes in
        from chalicelib.domain.camt053 import parse_statement

        statement = parse_statement(data)  # InvalidInput: nothing is written
        ours = self.account_iban().replace(" ", "").upper()
        if statement.account_iban != ours:
            raise Conflict("statement_other_account", account=statement.account_iban)
        report = ImportReport(
            id="stmt-" + hashlib.sha256(data).hexdigest()[:20],
            account_iban=statement.account_iban,
            lines=len(statement.lines),
        )
        seen = self.store.seen([line.line_key for line in statement.lines])
        fresh = [line for line in statement.lines if line.line_key not in seen]
        report.already_booked = len(statement.lines) - len(fresh)
        context = _ImportContext(self, statement, fresh)
        for line in fresh:
            self._import_line(line, report, context, by)
        if report.mails:  # after every line is booked: mail never holds up money
            self.outbox.send_claimed([m.queued for m in report.mails])
        log.info(
            "statement imported",
            extra={k: v for k, v in report.__dict__.items() if k not in ("mails", "account_iban")},
        )
        return report

    def _import_line(
        self,
        line: StatementLine,
        report: ImportReport,
        context: _ImportContext,
        by: str | None,
    ) -> None:
        record = BankLine(
            line_key=line.line_key,
            statement_id=report.id,
            status="unmatched",
            direction=line.direction,
            amount_cents=line.amount_cents,
            booked_on=line.booked_on,
            structured_reference=line.structured_reference,
            remittance_text=line.remittance_text,
            counterparty_name=line.counterparty_name,
            counterparty_iban=line.counterparty_iban,
            end_to_end_id=line.end_to_end_id,
            return_reason=line.return_reason,
            imported_at=self.clock.now(),
        )
        try:
            outcome, mail, record = self._commit_line(line, record, context, by)
        except LineSeenBefore:
            report.already_booked += 1  # another import took it meanwhile
            return
        except BookingReplayed as replayed:
            # The member's payment under this bank reference was recorded by hand before:
            # that booking is this line; recorded as booked, nothing booked again.
            booked_before = replayed.transaction
            self._record_only(
                replace(
                    record,
                    status="booked",
                    member_id=booked_before.member_id,
                    transaction_id=booked_before.transaction_id,
                ),
                report,
            )
            return
        except Conflict as refused:
            if refused.code != "reference_already_booked":
                raise
            # The bank reference was booked by hand before, for another member or as a
            # payout: that booking is this line; recorded as booked, nothing booked again.
            member_id = refused.params.get("member_id")
            self._record_only(
                replace(record, status="booked", member_id=member_id, transaction_id=None),
                report,
            )
            return
        if outcome == "booked":
            report.booked += 1
            report.booked_cents += line.amount_cents
            if mail is not None and record.member_id is not None:
                report.mails.append(mail)
                context.owed_cents[record.member_id] -= line.amount_cents
        elif outcome == "executed":
            report.executed += 1
        elif outcome == "returned":
            report.returned += 1
        else:
            report.unmatched += 1

    def _record_only(self, record: BankLine, report: ImportReport) -> None:
        try:
            with self.uow() as uow:
                self.store.register_new(uow, record)
                uow.commit()
        except LineSeenBefore:
            pass
        report.already_booked += 1

    def _commit_line(
        self, line: StatementLine, record: BankLine, context: _ImportContext, by: str | None
    ) -> tuple[str, PreparedMail | None, BankLine]:
        """One unit of work for the line: its record first (a line seen before explains the
        refusal), then what it books. A port that answers "not ours" leaves its unit of work
        uncommitted (dropped) and the line waits."""
        e2e = line.end_to_end_id
        if line.direction == "debit" and e2e:
            executed = replace(record, status="executed")
            with self.uow() as uow:
                self.store.register_new(uow, executed)
                if self.payouts.mark_executed(uow, e2e, line):
                    uow.commit()
                    return "executed", None, executed
        if line.direction == "credit" and line.return_reason and e2e:
            returned = replace(record, status="returned")
            with self.uow() as uow:
                self.store.register_new(uow, returned)
                if self.payouts.reverse_returned(uow, e2e, line.return_reason, line):
                    uow.commit()
                    return "returned", None, returned
        member = context.member_paying(line)
        if line.direction == "credit" and member is not None and not line.return_reason:
            owed = context.owed_cents.get(member.id, 0)
            # booked by whoever imported the statement (None: a job)
            booked, transaction, mail = self._payment(record, member, owed, by)
            with self.uow() as uow:
                self.store.register_new(uow, booked)
                self.ledger.register_booking(uow, transaction)
                self.outbox.register(uow, mail, claimed=True)
                uow.commit()
            return "booked", mail, booked
        waiting = replace(record, suggested_member_id=context.suggestion(line))
        with self.uow() as uow:
            self.store.register_new(uow, waiting)
            uow.commit()
        return "unmatched", None, waiting

    def _payment(
        self, record: BankLine, member: Member, owed_before_cents: int, by: str | None
    ) -> tuple[BankLine, ledger.LedgerTransaction, PreparedMail]:
        """The member's payment under the line's key, the line as booked, and the mail."""
        transaction = ledger.payment_received(
            member.id,
            record.amount_cents,
            record.booked_on,
            record.line_key,
            self.clock.now(),
            by,
        )
        booked = replace(
            record,
            status="booked",
            member_id=member.id,
            transaction_id=transaction.transaction_id,
        )
        letter = payment_received_letter(
            Recipient.of(member),
            self.links,
            record.amount_cents,
            record.booked_on,
            _reference_for_member(record),
            owed_before_cents - record.amount_cents,
        )
        mail = self.outbox.prepare(
            f"{transaction.transaction_id}:mail",
            "payment_received",
            member.id,
            letter.to(member.email),
        )
        return booked, transaction, mail

    # Reading and deciding ----------------------------------------------------------------

    def page(
        self, status: str, limit: int, cursor: str | None
    ) -> tuple[BankLinePage, dict[str, Member]]:
        """A page of lines of one status, with the members they name (booked or suggested)."""
        page = self.store.page(status, limit, cursor)
        ids = {i for line in page.lines for i in (line.member_id, line.suggested_member_id) if i}
        return page, self.members.get_members(sorted(ids)) if ids else {}

    def assign(self, line_key: str, member_id: str, by: str) -> tuple[BankLine, Member]:
        """Books a waiting credit as the member's payment; the same assignment again answers
        the line as booked."""
        line = self.store.get(line_key)
        member = self.members.get_member(member_id)
        if line.status == "booked" and line.member_id == member_id:
            return line, member  # a repeat (a double click): answered as before
        if line.status != "unmatched":
            raise Conflict("bank_line_decided")
        if line.direction != "credit":
            raise Conflict("bank_line_not_a_credit")
        owed_cents = self.ledger.balance_cents(ledger.member_owes_account(member_id))
        booked, transaction, mail = self._payment(line, member, owed_cents, by)
        booked = replace(booked, decided_by=by, decided_at=self.clock.now())
        try:
            with self.uow() as uow:
                self.store.register_decision(uow, booked, _decided_meanwhile)
                self.ledger.register_booking(uow, transaction)
                self.outbox.register(uow, mail, claimed=True)
                uow.commit()
        except (BookingReplayed, Conflict) as refused:
            now = self.store.get(line_key)
            if now.status == "booked" and now.member_id == member_id:
                return now, member  # the same assignment at the same moment
            if isinstance(refused, Conflict):
                _name_the_member(refused, self.members)
                raise
            raise Conflict("bank_line_decided") from refused
        self.outbox.send_claimed([mail.queued])
        return booked, member

    def set_aside(self, line_key: str, reason: str, by: str) -> BankLine:
        """Puts a waiting line aside with the reason (bank costs, interest, a refund)."""
        line = self.store.get(line_key)
        if line.status == "set_aside" and line.reason == reason:
            return line  # a repeat: answered as before
        if line.status != "unmatched":
            raise Conflict("bank_line_decided")
        aside = replace(
            line, status="set_aside", reason=reason, decided_by=by, decided_at=self.clock.now()
        )
        with self.uow() as uow:
            self.store.register_decision(uow, aside, _decided_meanwhile)
            uow.commit()
        return aside


def _name_the_member(refused: Conflict, members: MemberStore) -> None:
    """A refusal naming a member names them by name, never by id."""
    member_id = refused.params.pop("member_id", None)
    if member_id:
        known = members.get_members([member_id]).get(member_id)
        if known is not None:
            refused.params["member"] = known.name


def _decided_meanwhile() -> Conflict:
    return Conflict("bank_line_decided")


def _reference_for_member(line: BankLine) -> str:
    """What the member's mail calls the payment: their own reference when they gave one, else
    the bank's reference of the line, never a digest."""
    found = references.references_in(f"{line.structured_reference or ''} {line.remittance_text}")
    if found:
        return references.formatted(found[0])
    if not line.line_key.startswith("line-"):
        return line.line_key
    return line.booked_on.isoformat()


class _ImportContext:
    """What an import reads once for all its lines: the members the references name, what
    they owe (for the mails), and the directory for suggestions."""

    def __init__(
        self, service: BankStatementsService, statement: BankStatement, fresh: list[StatementLine]
    ) -> None:
        self.service = service
        self.member_of_line: dict[str, str] = {}
        # Read once for all lines, in batches: whose numbers the references name, those
        # members, and what they owe (each mail says what is left after the payment).
        numbers = {
            line.line_key: number
            for line in fresh
            if line.direction == "credit" and not line.return_reason
            for number in [_member_number(line)]
            if number is not None
        }
        by_number = service.numbers.member_ids_of(sorted(set(numbers.values())))
        for line_key, number in numbers.items():
            if number in by_number:
                self.member_of_line[line_key] = by_number[number]
        ids = sorted(set(self.member_of_line.values()))
        self.members = service.members.get_members(ids) if ids else {}
        owes = {ledger.member_owes_account(m): m for m in self.members}
        balances = service.ledger.member_balances_cents(sorted(owes)) if owes else {}
        self.owed_cents: dict[str, int] = {owes[a]: cents for a, cents in balances.items()}
        self._directory: list[Member] | None = None

    def member_paying(self, line: StatementLine) -> Member | None:
        member_id = self.member_of_line.get(line.line_key)
        return self.members.get(member_id) if member_id else None

    def suggestion(self, line: StatementLine) -> str | None:
        """The member a waiting line probably belongs to: the payer's IBAN registered by a
        member, else the one member whose name matches the payer's."""
        if line.counterparty_iban:
            found = self.service.ibans.member_id_by_iban(line.counterparty_iban)
            if found:
                return found
        if not line.counterparty_name:
            return None
        if self._directory is None:
            self._directory = [
                m
                for status in ("active", "cancelled")
                for m in self.service.members.iter_members(status)
            ]
        matches = [m.id for m in self._directory if names_match(line.counterparty_name, m.name)]
        return matches[0] if len(matches) == 1 else None


def _member_number(line: StatementLine) -> int | None:
    """The member number a line's reference names: the structured reference first, else the
    first valid RF reference in the free text (any case, any spacing)."""
    candidates = []
    if line.structured_reference:
        candidates.append(line.structured_reference)
        candidates.extend(references.references_in(line.structured_reference))
    candidates.extend(references.references_in(line.remittance_text))
    for candidate in candidates:
        number = references.member_number_of(candidate)
        if number is not None:
            return number
    return None


def _words(name: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return [w for w in "".join(c if c.isalnum() else " " for c in plain).split() if w]


def names_match(bank_name: str, member_name: str) -> bool:
    """'J. de Vries' or 'DE VRIES J' is 'Jan de Vries': every word of two letters or more the
    bank wrote is in the member's name, and an initial, when written, starts a given name."""
    bank_words, member_words = _words(bank_name), _words(member_name)
    if not bank_words or not member_words:
        return False
    long_words = [w for w in bank_words if len(w) > 1]
    initials = [w for w in bank_words if len(w) == 1]
    if not long_words or any(w not in member_words for w in long_words):
        return False
    given = [w for w in member_words if w not in long_words]
    return all(any(g.startswith(i) for g in given) for i in initials) if initials else True
