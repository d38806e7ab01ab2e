"""The letters of a joint assignment: the invitation to join its team, and the lead's news
that an invitee accepted or declined. In the recipient's language; names and the
opportunity's title, never an id; each links to the assignment's page in the web app."""

from __future__ import annotations

from typing import Literal

from chalicelib.mail.letter import Action, Letter
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.texts import Language, text

TEXTS: dict[Language, dict[str, str]] = {
    "nl": {
        "team.invite.subject": "{lead} nodigt je uit in het team voor \u201c{title}\u201d",
        "team.invite.body": (
            "{lead} voert de opdracht \u201c{title}\u201d uit en vraagt je om mee te doen. "
            "Als teamlid meld je je eigen facturen; de fee van de opdracht valt onder "
            "\u00e9\u00e9n plafond en ieder draagt zijn deel naar rato van de eigen omzet."
        ),
        "team.invite.next": "Op de pagina van de opdracht neem je de uitnodiging aan of sla je "
        "hem af.",
        "team.invite.action": "Bekijk de uitnodiging",
        "team.accepted.subject": "{name} doet mee aan \u201c{title}\u201d",
        "team.accepted.body": "{name} nam je uitnodiging aan en hoort nu bij het team voor "
        "\u201c{title}\u201d. {name} meldt voortaan de eigen facturen.",
        "team.declined.subject": "{name} doet niet mee aan \u201c{title}\u201d",
        "team.declined.body": "{name} sloeg je uitnodiging voor het team van \u201c{title}\u201d "
        "af. Je kunt een ander lid uitnodigen.",
        "team.lead.action": "Bekijk het team",
    },
    "en": {
        "team.invite.subject": "{lead} invites you to the team for \u201c{title}\u201d",
        "team.invite.body": (
            "{lead} carries out the assignment \u201c{title}\u201d and asks you to join. "
            "As a team member you report your own invoices; the assignment's fee stays under "
            "one cap and everyone bears their share in proportion to their own revenue."
        ),
        "team.invite.next": "Accept or decline the invitation on the assignment's page.",
        "team.invite.action": "See the invitation",
        "team.accepted.subject": "{name} joins \u201c{title}\u201d",
        "team.accepted.body": "{name} accepted your invitation and is now on the team for "
        "\u201c{title}\u201d. From now on {name} reports their own invoices.",
        "team.declined.subject": "{name} will not join \u201c{title}\u201d",
        "team.declined.body": "{name} declined your invitation to the team for "
        "\u201c{title}\u201d. You may invite another member.",
        "team.lead.action": "See the team",
    },
}


def assignment_page(links: Links, assignment_id: str) -> str:
    """The web app's page of an assignment (route `#/assignments/<id>`)."""
    return links.page(f"assignments/{assignment_id}")


def _t(lang: Language, key: str, **params: str) -> str:
    return TEXTS[lang][key].format(**params)


def _letter(to: Recipient, subject: str, paragraphs: list[str], action: Action) -> Letter:
    lang = to.language
    return Letter(
        subject=subject,
        greeting=text(lang, "greeting", name=to.name),
        paragraphs=tuple(paragraphs),
        action=action,
        signature=text(lang, "signature"),
        footer=(text(lang, "footer.why"),),
    )


def team_invitation_letter(
    to: Recipient, links: Links, assignment_id: str, title: str, lead_name: str
) -> Letter:
    """To the invitee: the lead asks them to join; the link opens the page to accept."""
    lang = to.language
    return _letter(
        to,
        _t(lang, "team.invite.subject", lead=lead_name, title=title),
        [
            _t(lang, "team.invite.body", lead=lead_name, title=title),
            _t(lang, "team.invite.next"),
        ],
        Action(_t(lang, "team.invite.action"), assignment_page(links, assignment_id)),
    )


def team_answer_letter(
    to: Recipient,
    links: Links,
    assignment_id: str,
    title: str,
    invitee_name: str,
    answer: Literal["accepted", "declined"],
) -> Letter:
    """To the lead: the invitee accepted or declined."""
    lang = to.language
    return _letter(
        to,
        _t(lang, f"team.{answer}.subject", name=invitee_name, title=title),
        [_t(lang, f"team.{answer}.body", name=invitee_name, title=title)],
        Action(_t(lang, "team.lead.action"), assignment_page(links, assignment_id)),
    )
