"""Members' bank accounts: registering the IBAN and account holder payouts go to, and finding
them (for payouts, and a statement line's suggested member)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from chalicelib.clock import Clock
from chalicelib.domain.bank_accounts import (
    ACCOUNT_HOLDER_MAX,
    BankAccount,
    normalise_iban,
    same_account,
)
from chalicelib.domain.errors import FieldProblem, InvalidInput
from chalicelib.mail.bank_letters import bank_account_letter
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.services.outbox import MailOutbox
from chalicelib.store.bank_accounts import BankAccountStore
from chalicelib.store.members import MemberStore
from chalicelib.store.timestamps import stamp
from chalicelib.store.uow import UnitOfWork


class BankAccounts:
    def __init__(
        self,
        store: BankAccountStore,
        members: MemberStore,
        outbox: MailOutbox,
        links: Links,
        clock: Clock,
        uow: Callable[[], UnitOfWork],
    ) -> None:
        self.store = store
        self.members = members
        self.outbox = outbox
        self.links = links
        self.clock = clock
        self.uow = uow

    def bank_account_of(self, member_id: str) -> BankAccount | None:
        return self.store.bank_account_of(member_id)

    def member_id_by_iban(self, iban: str) -> str | None:
        """The member who registered this IBAN (any spacing or case) most recently; None for
        an IBAN nobody registered, or text that is no IBAN."""
        from stdnum import iban as iban_scheme  # python-stdnum imported on first use

        compact = str(iban_scheme.compact(iban)) if isinstance(iban, str) else ""
        if not compact or not iban_scheme.is_valid(compact):
            return None
        return self.store.member_id_by_iban(compact)

    def register(self, member_id: str, iban: str, account_holder: str) -> BankAccount:
        """Registers or changes the member's payout account; the member is mailed, in the
        same unit of work, what it is now (and was), masked. The same account again changes
        nothing and mails nothing."""
        compact = normalise_iban(iban)
        holder = " ".join(account_holder.split()) if isinstance(account_holder, str) else ""
        if not holder:
            raise InvalidInput(
                "invalid_input", problems=[FieldProblem("account_holder", "required")]
            )
        if len(holder) > ACCOUNT_HOLDER_MAX:
            raise InvalidInput(
                "invalid_input",
                problems=[
                    FieldProblem("account_holder", "too_long", {"maximum": ACCOUNT_HOLDER_MAX})
                ],
            )
        member = self.members.get_member(member_id)
        previous = self.store.bank_account_of(member_id)
        if previous is not None and same_account(previous, compact, holder):
            return previous
        account = BankAccount(member_id, compact, holder, self.clock.now())
        letter = bank_account_letter(Recipient.of(member), self.links, account, previous)
        # The mail's key names the new account too: two different changes within one clock
        # tick are two mails, never one refused write.
        digest = hashlib.sha256(f"{compact}|{holder}".encode()).hexdigest()[:12]
        mail = self.outbox.prepare(
            f"bank-account:{member_id}:{stamp(account.changed_at)}:{digest}",
            "bank_account",
            member_id,
            letter.to(member.email),
        )
        with self.uow() as uow:
            self.store.register_change(uow, account, previous)
            self.outbox.register(uow, mail)
            uow.commit()
        self.outbox.send_now([mail.queued])  # a failed send stays queued for the outbox job
        return account
