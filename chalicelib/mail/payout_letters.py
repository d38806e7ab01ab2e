"""The mail to a member whose payout the bank sent back: check your IBAN (nl, en).

Its texts live here rather than in texts.py so that this feature's owner edits one file. The
IBAN is shown masked but its last four characters (a mail can be forwarded), the amount as
money, the bank's reason in words where we know the code; never an id.
"""

from __future__ import annotations

from chalicelib.mail.letter import Action, Letter
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.texts import Language, money, text

TEXTS: dict[Language, dict[str, str]] = {
    "nl": {
        "subject": "Je uitbetaling van {amount} is teruggekomen",
        "body": (
            "We hebben {amount} naar je rekening {iban} overgemaakt, maar de bank heeft het "
            "bedrag teruggestuurd{why}."
        ),
        "owed": (
            "We zijn je dit bedrag dus nog steeds verschuldigd; het staat weer op je overzicht."
        ),
        "check": (
            "Wil je in je profiel controleren of je IBAN en de naam van de rekeninghouder "
            "kloppen? Bij de volgende uitbetaling maken we het opnieuw over."
        ),
        "action": "Naar je profiel",
        "reason.AC01": "het rekeningnummer klopt niet",
        "reason.AC04": "de rekening is opgeheven",
        "reason.AC06": "de rekening is geblokkeerd",
        "reason.AG01": "de rekening neemt deze betaling niet aan",
        "reason.BE04": "het adres van de begunstigde ontbreekt",
        "reason.MD07": "de rekeninghouder is overleden",
        "reason.MS02": "de begunstigde heeft de betaling geweigerd",
        "reason.RC01": "de bankcode klopt niet",
        "reason.RR01": "gegevens van de rekeninghouder ontbreken",
        "why": " ({reason})",
    },
    "en": {
        "subject": "Your payout of {amount} came back",
        "body": (
            "We transferred {amount} to your account {iban}, but the bank sent the amount "
            "back{why}."
        ),
        "owed": "So we still owe you this amount; it is on your statement again.",
        "check": (
            "Could you check on your profile that your IBAN and the account holder's name are "
            "right? We will transfer it again with the next payout."
        ),
        "action": "Go to your profile",
        "reason.AC01": "the account number is wrong",
        "reason.AC04": "the account was closed",
        "reason.AC06": "the account is blocked",
        "reason.AG01": "the account does not take this payment",
        "reason.BE04": "the beneficiary's address is missing",
        "reason.MD07": "the account holder has died",
        "reason.MS02": "the beneficiary refused the payment",
        "reason.RC01": "the bank code is wrong",
        "reason.RR01": "the account holder's details are missing",
        "why": " ({reason})",
    },
}


def _t(lang: Language, key: str, **params: str) -> str:
    return TEXTS[lang][key].format(**params)


def payout_returned_letter(
    to: Recipient, links: Links, amount_cents: int, masked_iban: str, reason_code: str
) -> Letter:
    lang = to.language
    amount = money(amount_cents, lang)
    reason = TEXTS[lang].get(f"reason.{reason_code.strip().upper()}")
    why = _t(lang, "why", reason=reason) if reason else ""
    return Letter(
        subject=_t(lang, "subject", amount=amount),
        greeting=text(lang, "greeting", name=to.name),
        paragraphs=(
            _t(lang, "body", amount=amount, iban=masked_iban, why=why),
            _t(lang, "owed"),
            _t(lang, "check"),
        ),
        action=Action(_t(lang, "action"), links.profile()),
        signature=text(lang, "signature"),
        footer=(text(lang, "footer.why"),),
    )
