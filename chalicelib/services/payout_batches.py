"""Payout batches: prepare, approve (four eyes), the SEPA file, and what the bank did with it.

Prepare reads every member the collective owes (the `PAYABLES` index, one paginated Query),
what each owes (one GetItem each) and their bank account, and stores the plan. Approval books
item by item, each step one unit of work with its conditions:

  1. the offset (if any): the balanced offset transaction + `offset_booked` on the item
     (condition: still pending, offset not booked);
  2. the transfer (if any): the ledger's payout booking with the end-to-end id as reference
     and idempotency key + the item `booked` (condition: pending) + the payout mail.

Before step 1 the member's balances are read again: when they no longer give exactly the
item's offset and amount (a payment, a charge or a payout meanwhile) the item is dropped
with the reason `balances_changed` and nothing of it is booked; the member is in the next
batch. A retry after a crash half-way, or a second approval at the same moment, runs the same
steps: a step done before fails its condition and is skipped, so nothing books twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from chalicelib.clock import Clock
from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict
from chalicelib.domain.ids import new_id
from chalicelib.domain.membership import Member
from chalicelib.domain.payout_batches import (
    DROPPED_BALANCES_CHANGED,
    BankAccountLike,
    MemberBalances,
    PayoutBatch,
    PayoutItem,
    check_approver,
    offset_transaction,
    parse_end_to_end_id,
    payout_transaction,
    plan_batch,
    return_transaction,
    still_as_prepared,
)
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.notices import payout_made_letter
from chalicelib.mail.payout_letters import payout_returned_letter
from chalicelib.periods import local_date
from chalicelib.services.outbox import MailOutbox, PreparedMail
from chalicelib.store.ledger import LedgerStore
from chalicelib.store.members import MemberStore
from chalicelib.store.payout_batches import BatchAlreadyApproved, ItemChanged, PayoutBatchStore
from chalicelib.store.refusals import BookingReplayed
from chalicelib.store.timestamps import stamp
from chalicelib.store.uow import UnitOfWork

if TYPE_CHECKING:
    from chalicelib.domain.camt053 import StatementLine

log = logging.getLogger("coop.payout_batches")
ITEMS_PER_WRITE = 90  # a batch's items are stored in transactions of at most this many
REMITTANCE = "Uitbetaling Co-operations"


class BankAccounts(Protocol):
    """Where each member's payouts go (bank-refs' BankAccountStore)."""

    def bank_account_of(self, member_id: str) -> BankAccountLike | None: ...


@dataclass(frozen=True)
class CollectiveAccount:
    """The collective's own bank account: the debtor of every payout (from the policy)."""

    name: str
    iban: str
    bic: str | None


@dataclass(frozen=True)
class Approval:
    batch: PayoutBatch
    replayed: bool  # approved before: this answers the batch (and finished any step left)


class PayoutBatchService:
    def __init__(
        self,
        batches: PayoutBatchStore,
        ledger_store: LedgerStore,
        members: MemberStore,
        bank_accounts: BankAccounts,
        outbox: MailOutbox,
        links: Links,
        clock: Clock,
        collective: CollectiveAccount,
        single_admin_approval: bool,
        uow: Callable[[], UnitOfWork],
    ) -> None:
        self.batches = batches
        self.ledger = ledger_store
        self.members = members
        self.bank_accounts = bank_accounts
        self.outbox = outbox
        self.links = links
        self.clock = clock
        self.collective = collective
        self.single_admin_approval = single_admin_approval
        self.uow = uow

    # Preparing and reading ----------------------------------------------------------------

    def prepare(self, admin_id: str) -> PayoutBatch:
        """A new batch of every member the collective owes (Conflict when nobody can be paid)."""
        balances = [
            MemberBalances(
                member_id,
                self.ledger.balance_cents(ledger.member_owes_account(member_id)),
                to_receive,
            )
            for member_id, to_receive in self.ledger.iter_payable_balances()
            if to_receive > 0
        ]
        accounts = {b.member_id: self.bank_accounts.bank_account_of(b.member_id) for b in balances}
        batch = plan_batch(new_id(), balances, accounts, admin_id, self.clock.now())
        items = list(batch.items)
        for start in range(0, len(items), ITEMS_PER_WRITE):
            with self.uow() as uow:
                self.batches.register_items(
                    uow, batch.batch_id, items[start : start + ITEMS_PER_WRITE]
                )
                uow.commit()
        with self.uow() as uow:  # last: the batch exists once all of it is stored
            self.batches.register_header(uow, batch)
            uow.commit()
        log.info(
            "payout batch prepared",
            extra={
                "batch_id": batch.batch_id,
                "items": len(batch.items),
                "skipped": len(batch.skipped),
                "total_cents": batch.total_cents,
            },
        )
        return batch

    def get(self, batch_id: str) -> PayoutBatch:
        return self.batches.get(batch_id)

    def page(self, limit: int, cursor: str | None) -> tuple[list[PayoutBatch], str | None]:
        """Batches, newest first: one awaiting approval is found by the other admin here."""
        return self.batches.page(limit, cursor)

    def names(self, batch: PayoutBatch) -> dict[str, Member]:
        """The members a batch names, and who prepared and approved it (one batch read)."""
        ids = {i.member_id for i in batch.items} | {s.member_id for s in batch.skipped}
        ids |= {batch.prepared_by} | ({batch.approved_by} if batch.approved_by else set())
        return self.members.get_members(sorted(ids))

    def may_approve(self, batch: PayoutBatch, admin_id: str) -> bool:
        return batch.status == "prepared" and (
            admin_id != batch.prepared_by or self.single_admin_approval
        )

    # Approving ----------------------------------------------------------------------------

    def approve(self, batch_id: str, admin_id: str) -> Approval:
        """Four eyes, then every offset and transfer booked once. Approving an approved batch
        answers it (and finishes what a failed approval left undone)."""
        batch = self.batches.get(batch_id)
        check_approver(batch, admin_id, self.single_admin_approval)
        replayed = batch.status != "prepared"
        if not replayed:
            now = self.clock.now()
            try:
                with self.uow() as uow:
                    self.batches.register_approval(
                        uow, batch_id, admin_id, stamp(now), local_date(now)
                    )
                    uow.commit()
            except BatchAlreadyApproved:
                replayed = True  # another approval at the same moment won
            batch = self.batches.get(batch_id)
        for item in batch.items:
            if item.status == "pending":
                self._book(batch, item)
        return Approval(self.batches.get(batch_id), replayed)

    def _book(self, batch: PayoutBatch, item: PayoutItem) -> None:
        if not item.offset_booked and not self._still_as_prepared(item):
            self._drop(batch, item, DROPPED_BALANCES_CHANGED)
            return
        offset_pending = item.offset_cents > 0 and not item.offset_booked
        if offset_pending and not self._book_offset(batch, item):
            return
        if item.amount_cents > 0:
            self._book_transfer(batch, item)

    def _still_as_prepared(self, item: PayoutItem) -> bool:
        owed = self.ledger.balance_cents(ledger.member_owes_account(item.member_id))
        to_receive = -self.ledger.balance_cents(ledger.member_receives_account(item.member_id))
        return still_as_prepared(item, owed, to_receive)

    def _book_offset(self, batch: PayoutBatch, item: PayoutItem) -> bool:
        """True when the transfer may follow (the offset is booked, now or before)."""
        transaction = offset_transaction(item, self.clock.now(), batch.approved_by)
        try:
            with self.uow() as uow:
                self.ledger.register_booking(uow, transaction)
                self.batches.register_item_step(
                    uow,
                    batch.batch_id,
                    item.number,
                    expected=("pending",),
                    offset_booked=True,
                    offset_not_booked=True,
                    # an item without a transfer is done with its offset
                    status="booked" if item.amount_cents == 0 else None,
                )
                uow.commit()
        except (BookingReplayed, ItemChanged):
            pass  # booked before (a retry) or by an approval at the same moment
        except Conflict:  # its ceiling: paid out meanwhile, in the instant since the check
            self._drop(batch, item, DROPPED_BALANCES_CHANGED)
            return False
        return True

    def _book_transfer(self, batch: PayoutBatch, item: PayoutItem) -> None:
        assert batch.execution_date is not None  # approved
        transaction = payout_transaction(
            item, batch.execution_date, self.clock.now(), batch.approved_by
        )
        mail = self._payout_mail(transaction, item)
        try:
            with self.uow() as uow:
                self.ledger.register_booking(uow, transaction)
                self.batches.register_item_step(
                    uow, batch.batch_id, item.number, expected=("pending",), status="booked"
                )
                if mail is not None:
                    self.outbox.register(uow, mail)
                uow.commit()
        except (BookingReplayed, ItemChanged):
            return  # booked before, or by an approval at the same moment
        except Conflict as refused:  # above what is owed now, or the reference taken
            log.warning("payout item refused: %s", refused.code)
            self._drop(batch, item, DROPPED_BALANCES_CHANGED, offset_may_be_booked=True)
            return
        if mail is not None:
            self.outbox.send_now([mail.queued])  # a failed send stays queued for the job

    def _payout_mail(
        self, transaction: ledger.LedgerTransaction, item: PayoutItem
    ) -> PreparedMail | None:
        member = self.members.get_members([item.member_id]).get(item.member_id)
        if member is None:
            return None
        to_receive = -self.ledger.balance_cents(ledger.member_receives_account(item.member_id))
        paid_on = local_date(transaction.booked_at)
        letter = payout_made_letter(
            Recipient.of(member),
            self.links,
            item.amount_cents,
            paid_on,
            item.end_to_end_id,
            max(to_receive - item.amount_cents, 0),
        )
        return self.outbox.prepare(
            f"{transaction.transaction_id}:mail", "payout_made", member.id, letter.to(member.email)
        )

    def _drop(
        self,
        batch: PayoutBatch,
        item: PayoutItem,
        reason: str,
        offset_may_be_booked: bool = False,
    ) -> None:
        try:
            with self.uow() as uow:
                self.batches.register_item_step(
                    uow,
                    batch.batch_id,
                    item.number,
                    expected=("pending",),
                    status="dropped",
                    reason=reason,
                    offset_not_booked=not offset_may_be_booked,
                )
                uow.commit()
        except ItemChanged:
            pass  # another approval moved it on meanwhile: its step stands
        log.info("payout item dropped", extra={"batch_id": batch.batch_id, "reason": reason})

    # The file -----------------------------------------------------------------------------

    def credit_transfer_file(self, batch_id: str) -> tuple[PayoutBatch, bytes]:
        """pain.001.001.09 of an approved batch: its booked transfers, the same bytes always."""
        # the writer is imported when a file is asked for: most requests ask for none
        from chalicelib.bank.pain001 import Party, Transfer, credit_transfer

        batch = self.batches.get(batch_id)
        if batch.status == "prepared" or batch.approved_at is None:
            raise Conflict("payout_batch_not_approved")
        if not batch.complete:
            # a failed approval left steps undone: approving again finishes them
            raise Conflict("payout_batch_incomplete")
        transfers = [
            Transfer(
                i.end_to_end_id,
                i.amount_cents,
                i.account_holder,
                i.iban,
                remittance(i, batch),
            )
            for i in batch.transfers
        ]
        if not transfers:
            raise Conflict("payout_batch_no_transfers")
        assert batch.execution_date is not None
        document = credit_transfer(
            batch.batch_id,
            batch.prepared_at,
            batch.execution_date,
            Party(self.collective.name, self.collective.iban, self.collective.bic),
            transfers,
        )
        return batch, document

    # Settlement from imported statements (bank_statements.PayoutSettlement) ---------------
    # Each registers its writes on the importer's unit of work, committed together with the
    # statement line's record (registered first: a line imported before explains a refusal).

    def mark_executed(self, uow: UnitOfWork, end_to_end_id: str, line: StatementLine) -> bool:
        """A debit on the statement carrying one of our end-to-end ids: the transfer left (the
        batch reads `executed` once all its transfers did). False when the id is none of
        ours, or names a transfer that was never booked."""
        item, batch_id = self._item_of(end_to_end_id)
        if item is None or batch_id is None or item.status in ("pending", "dropped"):
            return False
        if item.status == "booked":
            self.batches.register_item_step(
                uow, batch_id, item.number, expected=("booked", "executed"), status="executed"
            )
        return True  # executed or returned before: the line is ours, nothing changes

    def reverse_returned(
        self, uow: UnitOfWork, end_to_end_id: str, reason_code: str, line: StatementLine
    ) -> bool:
        """A credit returning one of our transfers: reverses that payout (the collective owes
        the member again) and queues a mail asking them to check their IBAN (the outbox job
        sends it). Once per transfer, whichever statements carry the return."""
        item, batch_id = self._item_of(end_to_end_id)
        if item is None or batch_id is None or item.status in ("pending", "dropped"):
            return False
        if item.status == "returned":
            return True  # reversed before (another statement carrying the same return)
        self.ledger.register_booking(uow, return_transaction(item, reason_code, self.clock.now()))
        self.batches.register_item_step(
            uow,
            batch_id,
            item.number,
            expected=("booked", "executed"),
            status="returned",
            reason=reason_code.strip()[:8] or None,
        )
        mail = self._returned_mail(item, reason_code)
        if mail is not None:
            self.outbox.register(uow, mail)
        return True

    def _item_of(self, end_to_end_id: str) -> tuple[PayoutItem | None, str | None]:
        parsed = parse_end_to_end_id(end_to_end_id or "")
        if parsed is None:
            return None, None
        batch_id, number = parsed
        item = self.batches.item(batch_id, number)
        if item is None or item.end_to_end_id != end_to_end_id.strip() or not item.is_transfer:
            return None, None
        return item, batch_id

    def _returned_mail(self, item: PayoutItem, reason_code: str) -> PreparedMail | None:
        member = self.members.get_members([item.member_id]).get(item.member_id)
        if member is None:
            return None
        masked = "*" * max(len(item.iban) - 4, 0) + item.iban[-4:]
        letter = payout_returned_letter(
            Recipient.of(member), self.links, item.amount_cents, masked, reason_code
        )
        return self.outbox.prepare(
            f"payout-return:{item.member_id}:{item.end_to_end_id}:mail",
            "payout_returned",
            member.id,
            letter.to(member.email),
        )


def remittance(item: PayoutItem, batch: PayoutBatch) -> str:
    """What the member reads on their bank statement (Dutch, the collective's language)."""
    on = local_date(batch.prepared_at).strftime("%d-%m-%Y")
    text = f"{REMITTANCE} {on}"
    if item.offset_cents > 0:
        whole, cents = divmod(item.offset_cents, 100)
        text += f", na verrekening van EUR {whole},{cents:02d} die je verschuldigd was"
    return text
