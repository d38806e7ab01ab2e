"""What a statement line, a coin award and an exported booking say, in the reader's language.

The ledger and the coin ledger store a description in English as it was written at booking
time (old data included). What a person reads is made from the entry's kind and its own
fields (reference, transaction id, the date in the stored text) in their language, and names
things by their name, never by an id: a coin for an opportunity names its title, a coin for a
recruit names the recruit. An entry of a kind not known here reads as it was stored.
"""

from __future__ import annotations

import re
from datetime import date

from chalicelib.i18n import Language, day

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "registration_fee": "Inschrijfgeld",
        "dues": "Contributie {quarter}",
        "quarter": "{n}e kwartaal {year}",
        "payment": "Betaling ontvangen",
        "payment.on": "Betaling ontvangen op {day}",
        "payout": "Uitbetaald",
        "payout.on": "Uitbetaald op {day}",
        "fee": "Fee op factuur {reference}",
        "referral": "Aanbrengvergoeding, factuur {reference}",
        # joint assignments: another member's report moved this member's share
        "team_fee.grew": "Je aandeel in de teamvergoeding veranderde: "
        "de omzet van het team groeide",
        "team_fee.fell": "Je aandeel in de teamvergoeding veranderde: de omzet van het team daalde",
        "pot_payout": "Deel van de pot van {year}",
        "pot_carry_over": "Pot van {year} doorgeschoven naar {next} (er zijn geen coins verdiend)",
        # bank-payouts: a payout batch's offset and a transfer the bank sent back
        "payout_offset.owes": "Verrekend met wat je van ons te ontvangen had",
        "payout_offset.receives": "Verrekend met wat je ons verschuldigd was",
        "payout_return": "Uitbetaling teruggekomen van de bank",
        "coin.recruitment": "{name} is lid geworden",
        "coin.recruitment.unnamed": "Een nieuw lid aangebracht",
        "coin.no_deal": "\u201c{title}\u201d leidde tot een gesprek, gesloten zonder deal",
        "coin.no_deal.untitled": "Een kans leidde tot een gesprek, gesloten zonder deal",
    },
    "en": {
        "registration_fee": "Registration fee",
        "dues": "Dues {quarter}",
        "quarter": "Q{n} {year}",
        "payment": "Payment received",
        "payment.on": "Payment received on {day}",
        "payout": "Paid out",
        "payout.on": "Paid out on {day}",
        "fee": "Fee on invoice {reference}",
        "referral": "Referral share, invoice {reference}",
        "team_fee.grew": "Your share of the team fee changed: the team's revenue grew",
        "team_fee.fell": "Your share of the team fee changed: the team's revenue fell",
        "pot_payout": "Share of the {year} pot",
        "pot_carry_over": "Pot of {year} carried over to {next} (no coins were earned)",
        # bank-payouts: a payout batch's offset and a transfer the bank sent back
        "payout_offset.owes": "Offset against what we owed you",
        "payout_offset.receives": "Offset against what you owed us",
        "payout_return": "Payout returned by the bank",
        "coin.recruitment": "{name} became a member",
        "coin.recruitment.unnamed": "Recruited a new member",
        "coin.no_deal": "\u201c{title}\u201d led to a conversation, closed without a deal",
        "coin.no_deal.untitled": "An opportunity led to a conversation, closed without a deal",
    },
}

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"(\d{4})")
# A joint assignment's fee (domain.ledger.revenue_fee): who reported, and whether the team's
# revenue grew or fell with it.
_TEAM_FEE = re.compile(r" by member (\S+); team revenue (grew|fell)$")


def _t(lang: Language, key: str, **params: object) -> str:
    return TEXTS[lang][key].format(**params)


def ledger_line(
    kind: str, transaction_id: str, reference: str, account: str, stored: str, lang: Language
) -> str:
    """A booking line as the member (or the treasurer) reads it. `account` is the ledger
    account the line is on: a fee line on a referrer's `receives` account is their share."""
    if kind == "registration_fee":
        return _t(lang, "registration_fee")
    if kind == "dues":
        quarter = _QUARTER.search(transaction_id)
        if quarter is None:
            return stored
        year, n = quarter.groups()
        return _t(lang, "dues", quarter=_t(lang, "quarter", n=n, year=year))
    if kind in ("payment", "payout"):
        found = _ISO_DAY.search(stored)
        if found is None:
            return _t(lang, kind)
        on = date(*(int(part) for part in found.groups()))
        return _t(lang, f"{kind}.on", day=day(on, lang))
    if kind == "fee":
        share = account.endswith(":receives")
        team = _TEAM_FEE.search(stored)
        if team is not None and not share and account.split(":")[1] != team.group(1):
            # another member's report on a joint assignment moved this member's share
            return _t(lang, f"team_fee.{team.group(2)}")
        return _t(lang, "referral" if share else "fee", reference=reference)
    if kind in ("pot_payout", "pot_carry_over"):
        year = _YEAR.search(reference)
        if year is None:
            return stored
        first = int(year.group(1))
        return _t(lang, kind, year=first, next=first + 1)
    if kind == "payout_offset":  # bank-payouts: one line on each of the member's accounts
        return _t(lang, f"payout_offset.{account.rpartition(':')[2]}")
    if kind == "payout_return":
        return _t(lang, kind)
    return stored


def coin_subject(award_id: str) -> tuple[str, str] | None:
    """What an award is about, to name it: ("opportunity", id) for a no-deal award,
    ("member", id) for a recruitment; None for one that names itself (publicity)."""
    kind, _, subject = award_id.partition(":")
    if kind == "no_deal" and subject:
        return "opportunity", subject
    if kind == "recruitment" and subject:
        return "member", subject
    return None


def coin_award(reason: str, stored: str, lang: Language, name: str | None = None) -> str:
    """A coin award as its member reads it; `name` is the title of the opportunity or the
    name of the recruit it is about (None when unknown: it then says so without an id)."""
    if reason == "recruitment":
        return (
            _t(lang, "coin.recruitment", name=name)
            if name
            else _t(lang, "coin.recruitment.unnamed")
        )
    if reason == "no_deal_after_conversation":
        return _t(lang, "coin.no_deal", title=name) if name else _t(lang, "coin.no_deal.untitled")
    return stored  # publicity: the member's own words
