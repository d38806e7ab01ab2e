"""How a member pays what they owe: the collective's account, the member's RF reference, the
amount, and an EPC QR code their banking app scans (SPEC "Money through the bank")."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain import ledger
from chalicelib.domain.bank_accounts import format_iban
from chalicelib.domain.epc_qr import MAX_AMOUNT_CENTS, epc_payload, qr_svg
from chalicelib.domain.references import formatted
from chalicelib.i18n import Language, money
from chalicelib.policy import Policy
from chalicelib.services.member_numbers import MemberNumbers
from chalicelib.store.ledger import LedgerStore

QR_TITLE = {
    "nl": "QR-code voor je bank-app: {amount} aan {name}, kenmerk {reference}",
    "en": "QR code for your banking app: {amount} to {name}, reference {reference}",
}


@dataclass(frozen=True)
class PaymentDetails:
    iban: str  # in groups of four
    account_holder: str
    reference: str  # in groups of four
    bic: str
    amount_cents: int  # owed now, 0 when nothing is
    epc_qr_svg: str | None  # None when nothing is owed


class PaymentDetailsService:
    def __init__(self, policy: Policy, numbers: MemberNumbers, ledger_store: LedgerStore) -> None:
        self.policy = policy
        self.numbers = numbers
        self.ledger = ledger_store

    def of(self, member_id: str, language: Language) -> PaymentDetails:
        """Reads the member's number (given now if they had none) and what they owe."""
        policy = self.policy
        reference = self.numbers.reference_of(member_id)
        owed = max(self.ledger.balance_cents(ledger.member_owes_account(member_id)), 0)
        qr = None
        if 0 < owed <= MAX_AMOUNT_CENTS:
            payload = epc_payload(
                bic=policy.bank_bic,
                name=policy.bank_account_name,
                iban=policy.bank_iban,
                amount_cents=owed,
                reference=reference,
            )
            title = QR_TITLE[language].format(
                amount=money(owed, language),
                name=policy.bank_account_name,
                reference=formatted(reference),
            )
            qr = qr_svg(payload, title)
        return PaymentDetails(
            iban=format_iban(policy.bank_iban),
            account_holder=policy.bank_account_name,
            reference=formatted(reference),
            bic=policy.bank_bic,
            amount_cents=owed,
            epc_qr_svg=qr,
        )
