"""The mails that tell a person what just happened to them, in their language.

Each tells one event: interest in a referrer's opportunity, an application received or
rejected, a payment received, a payout made, a coin claim decided, a cancellation. Amounts
are written as money and dates in words; ids never appear.
"""

from __future__ import annotations

from datetime import date

from chalicelib.domain.opportunities import Opportunity
from chalicelib.mail.letter import Action, Letter
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.texts import Language, money, text


def long_date(day: date, lang: Language) -> str:
    """4 mei 2026 in Dutch, 4 May 2026 in English."""
    month = text(lang, "date.months").split(",")[day.month - 1]
    return text(lang, "date.long", day=day.day, month=month, year=day.year)


def _letter(
    to_name: str,
    lang: Language,
    subject: str,
    paragraphs: list[str],
    action: Action | None,
    signature: str = "signature",
    member: bool = True,
) -> Letter:
    return Letter(
        subject=subject,
        greeting=text(lang, "greeting", name=to_name),
        paragraphs=tuple(paragraphs),
        action=action,
        signature=text(lang, signature),
        footer=(text(lang, "footer.why"),) if member else (),
    )


def interest_letter(
    to: Recipient, links: Links, opportunity: Opportunity, candidate_name: str, note: str
) -> Letter:
    """To the referrer: a member showed interest in their opportunity, with the note."""
    lang = to.language
    name, title = candidate_name, opportunity.title
    note_text = (
        text(lang, "interest.note", name=name, note=note.strip())
        if note.strip()
        else text(lang, "interest.no_note", name=name)
    )
    return _letter(
        to.name,
        lang,
        text(lang, "interest.subject", name=name, title=title),
        [
            text(lang, "interest.body", name=name, title=title),
            note_text,
            text(lang, "interest.next"),
        ],
        Action(text(lang, "interest.action"), links.opportunity(opportunity.id)),
        signature="signature.board",
    )


def application_received_letter(name: str, lang: Language) -> Letter:
    return _letter(
        name,
        lang,
        text(lang, "application.received.subject"),
        [text(lang, "application.received.body"), text(lang, "application.received.next")],
        None,
        signature="signature.board",
        member=False,
    )


def application_rejected_letter(name: str, lang: Language, reason: str) -> Letter:
    return _letter(
        name,
        lang,
        text(lang, "application.rejected.subject"),
        [
            text(lang, "application.rejected.body"),
            text(lang, "application.rejected.reason", reason=reason.strip()),
            text(lang, "application.rejected.again"),
        ],
        None,
        signature="signature.board",
        member=False,
    )


def payment_received_letter(
    to: Recipient,
    links: Links,
    amount_cents: int,
    received_on: date,
    reference: str,
    owed_after_cents: int,
) -> Letter:
    """What was received, and what is still owed (or the credit) after it."""
    lang = to.language
    amount = money(amount_cents, lang)
    if owed_after_cents > 0:
        after = text(lang, "payment.owed", amount=money(owed_after_cents, lang))
    elif owed_after_cents < 0:
        after = text(lang, "payment.credit", amount=money(-owed_after_cents, lang))
    else:
        after = text(lang, "payment.settled")
    day = long_date(received_on, lang)
    return _letter(
        to.name,
        lang,
        text(lang, "payment.subject", amount=amount),
        [text(lang, "payment.body", amount=amount, day=day, reference=reference), after],
        Action(text(lang, "payment.action"), links.statement()),
    )


def payout_made_letter(
    to: Recipient,
    links: Links,
    amount_cents: int,
    paid_on: date,
    reference: str,
    to_receive_after_cents: int,
) -> Letter:
    lang = to.language
    amount = money(amount_cents, lang)
    after = (
        text(lang, "payout.made.left", amount=money(to_receive_after_cents, lang))
        if to_receive_after_cents > 0
        else text(lang, "payout.made.none")
    )
    day = long_date(paid_on, lang)
    return _letter(
        to.name,
        lang,
        text(lang, "payout.made.subject", amount=amount),
        [text(lang, "payout.made.body", amount=amount, day=day, reference=reference), after],
        Action(text(lang, "payment.action"), links.statement()),
    )


def claim_approved_letter(
    to: Recipient, links: Links, description: str, coins: int, year: int
) -> Letter:
    lang = to.language
    return _letter(
        to.name,
        lang,
        text(lang, "claim.approved.subject", coins=coins),
        [text(lang, "claim.approved.body", description=description, coins=coins, year=year)],
        Action(text(lang, "claim.action"), links.page("coins")),
        signature="signature.board",
    )


def claim_rejected_letter(to: Recipient, links: Links, description: str, reason: str) -> Letter:
    lang = to.language
    return _letter(
        to.name,
        lang,
        text(lang, "claim.rejected.subject"),
        [
            text(lang, "claim.rejected.body", description=description),
            text(lang, "claim.rejected.reason", reason=reason.strip()),
        ],
        Action(text(lang, "claim.action"), links.page("coins")),
        signature="signature.board",
    )


def cancellation_letter(
    to: Recipient, links: Links, cancelled_on: date, owed_cents: int, to_receive_cents: int
) -> Letter:
    """What happens now: no later dues, debts stay, what is still owed or to receive, and
    that they can still sign in to see their statement."""
    lang = to.language
    paragraphs = [
        text(lang, "cancelled.body", day=long_date(cancelled_on, lang)),
        text(lang, "cancelled.dues"),
    ]
    if owed_cents > 0:
        paragraphs.append(text(lang, "cancelled.owed", amount=money(owed_cents, lang)))
    if to_receive_cents > 0:
        paragraphs.append(text(lang, "cancelled.receive", amount=money(to_receive_cents, lang)))
    if owed_cents <= 0 and to_receive_cents <= 0:
        paragraphs.append(text(lang, "cancelled.settled"))
    paragraphs.append(text(lang, "cancelled.signin"))
    return _letter(
        to.name,
        lang,
        text(lang, "cancelled.subject"),
        paragraphs,
        Action(text(lang, "cancelled.action"), links.statement()),
        signature="signature.board",
        member=False,
    )
