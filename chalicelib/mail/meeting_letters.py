"""The letters about meetings: invitation, reminder, change or cancellation notice, a seat
after the waiting list, and the board's warning about a quarter without a meeting.

Every letter names the meeting's time in Amsterdam and links to its page in the web app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.meetings import Meeting, local_time
from chalicelib.mail.letter import Action, Letter
from chalicelib.mail.letters import Recipient
from chalicelib.mail.links import Links
from chalicelib.mail.texts import Language, text


@dataclass(frozen=True)
class MeetingMailContext:
    """What every meeting letter needs besides the meeting: links and the organiser's name
    (None when the board organises it)."""

    links: Links
    organiser_name: str | None


def meeting_page(links: Links, meeting_id: str) -> str:
    return links.page(f"meetings/{meeting_id}")


def day_text(at: datetime, lang: Language) -> str:
    """'donderdag 18 juni 2026' / 'Thursday 18 June 2026', in Amsterdam time."""
    local = local_time(at)
    weekday = text(lang, "date.weekdays").split(",")[local.weekday()]
    month = text(lang, "date.months").split(",")[local.month - 1]
    return f"{weekday} {local.day} {month} {local.year}"


def when_text(meeting: Meeting, lang: Language) -> str:
    start, end = local_time(meeting.starts_at), local_time(meeting.ends_at)
    weekday, day, month, year = day_text(meeting.starts_at, lang).split(" ")
    return text(
        lang,
        "meeting.when",
        weekday=weekday,
        day=day,
        month=month,
        year=year,
        start=start.strftime("%H:%M"),
        end=end.strftime("%H:%M"),
    )


def details(meeting: Meeting, lang: Language, organiser_name: str | None) -> str:
    lines = [
        meeting.title,
        text(lang, "meeting.when.line", when=when_text(meeting, lang)),
        text(
            lang,
            "meeting.where.line",
            venue=meeting.venue,
            address=meeting.address,
            city=meeting.city,
        ),
    ]
    if meeting.theme:
        lines.append(text(lang, "meeting.theme.line", theme=meeting.theme))
    organiser = organiser_name or text(lang, "meeting.organiser.board")
    lines.append(text(lang, "meeting.organiser.line", organiser=organiser))
    return "\n".join(lines)


def _letter(
    to: Recipient,
    meeting: Meeting,
    context: MeetingMailContext,
    kind: str,
    paragraphs: tuple[str, ...],
    footer: tuple[str, ...] = (),
) -> Letter:
    lang = to.language
    subject = text(
        lang,
        f"meeting.{kind}.subject",
        title=meeting.title,
        date=day_text(meeting.starts_at, lang),
        city=meeting.city,
    )
    body = [text(lang, f"meeting.{kind}.body", date=day_text(meeting.starts_at, lang))]
    body.append(details(meeting, lang, context.organiser_name))
    if meeting.description and kind != "cancelled":
        body.append(meeting.description)
    return Letter(
        subject=subject,
        greeting=text(lang, "greeting", name=to.name),
        paragraphs=(*body, *paragraphs),
        action=Action(text(lang, "meeting.action"), meeting_page(context.links, meeting.id)),
        signature=text(lang, "signature.board"),
        footer=(*footer, text(lang, "footer.why")),
    )


def invitation_letter(to: Recipient, meeting: Meeting, context: MeetingMailContext) -> Letter:
    lang = to.language
    preferences = text(lang, "meeting.invitation.footer", url=context.links.profile())
    return _letter(
        to,
        meeting,
        context,
        "invitation",
        (text(lang, "meeting.invitation.signup"),),
        footer=(preferences,),
    )


def reminder_letter(to: Recipient, meeting: Meeting, context: MeetingMailContext) -> Letter:
    return _letter(
        to, meeting, context, "reminder", (text(to.language, "meeting.reminder.cannot"),)
    )


def notice_letter(to: Recipient, meeting: Meeting, context: MeetingMailContext) -> Letter:
    """A change, or the cancellation, of a meeting the member signed up for."""
    if meeting.status == "cancelled":
        return _letter(to, meeting, context, "cancelled", ())
    return _letter(
        to, meeting, context, "changed", (text(to.language, "meeting.changed.calendar"),)
    )


def moved_up_letter(to: Recipient, meeting: Meeting, context: MeetingMailContext) -> Letter:
    return _letter(
        to, meeting, context, "moved_up", (text(to.language, "meeting.moved_up.cannot"),)
    )


def board_warning_letter(to: Recipient, links: Links, quarter: str) -> Letter:
    lang = to.language
    return Letter(
        subject=text(lang, "meeting.warning.subject", quarter=quarter),
        greeting=text(lang, "greeting", name=to.name),
        paragraphs=(text(lang, "meeting.warning.body", quarter=quarter),),
        action=Action(text(lang, "meeting.warning.action"), links.page("meetings")),
        signature=text(lang, "signature.board"),
        footer=(text(lang, "footer.why"),),
    )
