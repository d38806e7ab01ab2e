"""What a statement line, a coin award and an exported booking say, in the reader's language.

The ledger and the coin ledger store a description in English as it was written at booking
time (old data included). What a person reads is made from the entry's kind and its own
fields (reference, transaction id, the date in the stored text) in their language, and names
things by their name, never by an id: a coin for an opportunity names its title, a coin for a
recruit names the recruit. An entry of a kind not known here reads as it was stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
        # joint assignments: another member's report moved this member's share of the fee
        # ("fee", as the web app says), on the assignment named by its opportunity's title
        "team_fee.grew": "Je deel van de fee op \u201c{title}\u201d veranderde: "
        "de omzet van het team groeide",
        "team_fee.fell": "Je deel van de fee op \u201c{title}\u201d veranderde: "
        "de omzet van het team daalde",
        "team_fee.grew.untitled": "Je deel van de fee op een opdracht veranderde: "
        "de omzet van het team groeide",
        "team_fee.fell.untitled": "Je deel van de fee op een opdracht veranderde: "
        "de omzet van het team daalde",
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
        "team_fee.grew": "Your share of the fee on \u201c{title}\u201d changed: "
        "the team's revenue grew",
        "team_fee.fell": "Your share of the fee on \u201c{title}\u201d changed: "
        "the team's revenue fell",
        "team_fee.grew.untitled": "Your share of the fee on an assignment changed: "
        "the team's revenue grew",
        "team_fee.fell.untitled": "Your share of the fee on an assignment changed: "
        "the team's revenue fell",
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
# A report's transaction (domain.opportunities.transaction_id_of): revenue:<assignment>:...
_REVENUE_TX = re.compile(r"revenue:([^:]+):")


def _t(lang: Language, key: str, **params: object) -> str:
    return TEXTS[lang][key].format(**params)


def team_fee_assignment(kind: str, transaction_id: str, account: str, stored: str) -> str | None:
    """The assignment whose title a line names: that of a line telling a team member their
    share of the fee moved with another member's report; None for every other line."""
    team = _TEAM_FEE.search(stored) if kind == "fee" else None
    # only on another member's `owes` account: the reporter's line is their fee on their
    # invoice, the referrer's their share, the collective's and the pot's lines plain fees
    mover = account.startswith("member:") and account.endswith(":owes")
    if team is None or not mover or account.split(":")[1] == team.group(1):
        return None
    found = _REVENUE_TX.match(transaction_id)
    return found.group(1) if found else None


def ledger_line(
    kind: str,
    transaction_id: str,
    reference: str,
    account: str,
    stored: str,
    lang: Language,
    titles: Mapping[str, str] | None = None,
) -> str:
    """A booking line as the member (or the treasurer) reads it. `account` is the ledger
    account the line is on: a fee line on a referrer's `receives` account is their share.
    `titles`: the opportunity's title by assignment id, for the lines that name their
    assignment (`team_fee_assignment`); one not given reads "an assignment"."""
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
        assignment_id = team_fee_assignment(kind, transaction_id, account, stored)
        if team is not None and assignment_id is not None:
            # another member's report on a joint assignment moved this member's share: which
            # assignment it is matters to a member on two teams
            title = (titles or {}).get(assignment_id)
            if title:
                return _t(lang, f"team_fee.{team.group(2)}", title=title)
            return _t(lang, f"team_fee.{team.group(2)}.untitled")
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
