"""The mail that tells a member their payout account was registered or changed.

A hijacked sign-in must not silently redirect payouts: the member reads what the account is
now and was before (masked but the last four characters), and whom to contact.
"""

from __future__ import annotations

from chalicelib.domain.bank_accounts import BankAccount
from chalicelib.mail.letter import Action, Letter
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.notices import long_date
from chalicelib.mail.texts import text
from chalicelib.periods import local_date


def bank_account_letter(
    to: Recipient, links: Links, account: BankAccount, previous: BankAccount | None
) -> Letter:
    lang = to.language
    event = "registered" if previous is None else "changed"
    now = text(
        lang,
        "bank_account.account",
        iban=account.masked_iban,
        account_holder=account.account_holder,
    )
    paragraphs = [
        text(
            lang, f"bank_account.{event}.body", day=long_date(local_date(account.changed_at), lang)
        )
        + "\n"
        + now
    ]
    if previous is not None:
        paragraphs.append(
            text(
                lang,
                "bank_account.before",
                iban=previous.masked_iban,
                account_holder=previous.account_holder,
            )
        )
    paragraphs.append(text(lang, "bank_account.not_you"))
    return Letter(
        subject=text(lang, f"bank_account.{event}.subject"),
        greeting=text(lang, "greeting", name=to.name),
        paragraphs=tuple(paragraphs),
        action=Action(text(lang, "bank_account.action"), links.profile()),
        signature=text(lang, "signature"),
        footer=(text(lang, "footer.why"),),
    )
