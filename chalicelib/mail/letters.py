"""The letters the platform writes to members, in the member's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain import vocabulary
from chalicelib.domain.membership import Member
from chalicelib.domain.opportunities import Opportunity
from chalicelib.i18n import day as long_day
from chalicelib.mail.letter import Action, Letter
from chalicelib.mail.links import Links
from chalicelib.mail.texts import Language, language_or_default, money, text
from chalicelib.mail.unsubscribe import UnsubscribeLink


@dataclass(frozen=True)
class Recipient:
    member_id: str
    name: str
    email: str
    language: Language

    @classmethod
    def of(cls, member: Member) -> Recipient:
        return cls(member.id, member.name, member.email, language_or_default(member.language))


@dataclass(frozen=True)
class UnpaidLine:
    day: date
    description: str
    unpaid_cents: int


def payout_letter(
    to: Recipient,
    links: Links,
    year: int,
    pot_cents: int,
    total_coins: int,
    coins: int,
    amount_cents: int,
) -> Letter:
    lang = to.language
    return Letter(
        subject=text(lang, "payout.subject", year=year, amount=money(amount_cents, lang)),
        greeting=text(lang, "greeting", name=to.name),
        paragraphs=(
            text(
                lang,
                "payout.body",
                year=year,
                pot=money(pot_cents, lang),
                total_coins=total_coins,
                per_coin=money(pot_cents // total_coins, lang),
            ),
            text(lang, "payout.share", coins=coins, amount=money(amount_cents, lang)),
            text(lang, "payout.where"),
        ),
        action=Action(text(lang, "payout.action"), links.statement()),
        signature=text(lang, "signature"),
        footer=(text(lang, "footer.why"),),
    )


def reminder_letter(
    to: Recipient,
    links: Links,
    owed_cents: int,
    unpaid: Sequence[UnpaidLine],
    iban: str,
    reference: str,
    account_name: str = "Co-operations",
) -> Letter:
    """`iban` and `reference` as the member types them (in groups of four)."""
    lang = to.language
    lines = "\n".join(
        text(
            lang,
            "reminder.line",
            day=long_day(line.day, lang),
            description=line.description,
            amount=money(line.unpaid_cents, lang),
        )
        for line in unpaid
    )
    return Letter(
        subject=text(lang, "reminder.subject", amount=money(owed_cents, lang)),
        greeting=text(lang, "greeting", name=to.name),
        paragraphs=(
            text(lang, "reminder.body", amount=money(owed_cents, lang)) + "\n" + lines,
            text(lang, "reminder.pay", iban=iban, account_name=account_name, reference=reference),
            text(lang, "reminder.paid"),
        ),
        action=Action(text(lang, "reminder.action"), links.statement()),
        signature=text(lang, "signature"),
        footer=(text(lang, "footer.why"),),
    )


def announcement_letter(
    to: Recipient,
    links: Links,
    opportunity: Opportunity,
    unsubscribe: UnsubscribeLink | None = None,
) -> Letter:
    lang = to.language
    names = ", ".join(discipline_name(d, lang) for d in opportunity.disciplines)
    details = [text(lang, "announcement.disciplines", disciplines=names)]
    if opportunity.sector:
        details.append(text(lang, "announcement.sector", sector=opportunity.sector))
    if opportunity.location:
        details.append(text(lang, "announcement.location", location=opportunity.location))
    if opportunity.starts_on:
        details.append(text(lang, "announcement.starts", day=long_day(opportunity.starts_on, lang)))
    return Letter(
        subject=text(lang, "announcement.subject", title=opportunity.title),
        greeting=text(lang, "greeting", name=to.name),
        paragraphs=(
            text(lang, "announcement.body"),
            opportunity.title + "\n" + "\n".join(details),
            opportunity.description,
        ),
        action=Action(text(lang, "announcement.action"), links.opportunity(opportunity.id)),
        signature=text(lang, "signature.board"),
        footer=(text(lang, "footer.why"),),
        **_unsubscribing(lang, unsubscribe),
    )


def discipline_name(discipline: str, lang: Language) -> str:
    """A discipline as people call it in their language (`data-engineering` -> Data
    engineering), from the vocabulary; one it does not know, in words without hyphens."""
    term = vocabulary.DEFAULT.term("discipline", discipline)
    return term.label(lang) if term is not None else " ".join(discipline.split("-"))


def _unsubscribing(lang: Language, unsubscribe: UnsubscribeLink | None) -> dict[str, Any]:
    """The footer link and List-Unsubscribe headers of a mail about new opportunities."""
    if unsubscribe is None:
        return {}
    return {
        "footer_link": Action(text(lang, "unsubscribe.label"), unsubscribe.page_url),
        "headers": dict(unsubscribe.headers),
    }


def intake_confirmation_letter(to: Recipient, links: Links, opportunity: Opportunity) -> Letter:
    """To a member whose mail became an opportunity: what was made of it, and why."""
    lang = to.language
    matched = "\n".join(
        text(
            lang,
            "intake.matched",
            discipline=discipline_name(r.discipline, lang),
            words=", ".join(r.words),
        )
        for r in opportunity.recognised
    )
    found = (  # none recognised: it is posted without, and the member is asked to add them
        text(lang, "intake.disciplines") + "\n" + matched
        if opportunity.recognised
        else text(lang, "intake.no_discipline")
    )
    paragraphs = [text(lang, "intake.body"), opportunity.title, found]
    if opportunity.attachments:
        paragraphs.append(text(lang, "intake.attachments", count=len(opportunity.attachments)))
    paragraphs.append(text(lang, "intake.check"))
    return Letter(
        subject=text(lang, "intake.subject", title=opportunity.title),
        greeting=text(lang, "greeting", name=to.name),
        paragraphs=tuple(paragraphs),
        action=Action(text(lang, "intake.action"), links.opportunity(opportunity.id)),
        signature=text(lang, "signature.board"),
        footer=(text(lang, "footer.why"),),
    )


def digest_letter(
    to: Recipient,
    links: Links,
    week: str,
    opportunities: Sequence[Opportunity],
    unsubscribe: UnsubscribeLink,
) -> Letter:
    """The weekly overview of new opportunities matching a member's disciplines."""
    lang = to.language
    items = tuple(
        Action(
            text(
                lang,
                "digest.item",
                title=o.title,
                disciplines=", ".join(discipline_name(d, lang) for d in o.disciplines),
            ),
            links.opportunity(o.id),
        )
        for o in opportunities
    )
    return Letter(
        subject=text(lang, "digest.subject", week=week, count=len(opportunities)),
        greeting=text(lang, "greeting", name=to.name),
        paragraphs=(text(lang, "digest.body"),),
        items=items,
        action=Action(text(lang, "digest.action"), links.opportunities()),
        signature=text(lang, "signature.board"),
        footer=(text(lang, "footer.why"), text(lang, "digest.why")),
        **_unsubscribing(lang, unsubscribe),
    )


def invitation_letter(
    name: str, email: str, temporary_password: str, links: Links, lang: Language = "nl"
) -> Letter:
    """The first sign-in: what the local stage mails itself (on AWS Cognito does)."""
    return Letter(
        subject=text(lang, "invitation.subject"),
        greeting=text(lang, "greeting", name=name),
        paragraphs=(
            text(lang, "invitation.body"),
            text(lang, "invitation.login", email=email, password=temporary_password),
            text(lang, "invitation.first"),
        ),
        action=Action(text(lang, "invitation.action"), links.page("signin")),
        signature=text(lang, "signature.board"),
    )
