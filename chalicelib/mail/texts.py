"""Every text of every mail, one catalogue per language (Dutch is the default).

Templates are `str.format` strings; amounts arrive formatted by `money()` for the language.
A key missing in English falls back to Dutch, so a new mail never goes out without text.
"""

from __future__ import annotations

from typing import Any, Literal

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
DEFAULT_LANGUAGE: Language = "nl"

CATALOGUE: dict[str, dict[str, str]] = {
    "nl": {
        "greeting": "Beste {name},",
        "signature": "Hartelijke groet,\nDe penningmeester van Co-operations",
        "signature.board": "Hartelijke groet,\nHet bestuur van Co-operations",
        "footer.why": "Je ontvangt deze mail als lid van Co-operations.",
        "footer.unsubscribe": "Geen mails meer over nieuwe kansen? Afmelden: {url}",
        "payout.subject": "Jouw deel van de pot {year}: {amount}",
        "payout.body": (
            "De pot van {year} is verdeeld: {pot} over {total_coins} coins, "
            "ongeveer {per_coin} per coin."
        ),
        "payout.share": "Jij verdiende {coins} coins; jouw deel is {amount}.",
        "payout.where": "Het staat op je overzicht als te ontvangen bedrag.",
        "payout.action": "Bekijk je overzicht",
        "reminder.subject": "Herinnering: {amount} open bij Co-operations",
        "reminder.body": "Volgens onze administratie staat er {amount} open:",
        "reminder.line": "{day}  {description}: {amount}",
        "reminder.pay": (
            "Wil je dit overmaken naar {iban} t.n.v. Co-operations, "
            "onder vermelding van je lidnummer {member_id}?"
        ),
        "reminder.paid": "Heb je al betaald, dan kun je dit bericht negeren.",
        "reminder.action": "Bekijk je overzicht",
        "announcement.subject": "Nieuwe kans: {title}",
        "announcement.body": "Er is een nieuwe kans binnen Co-operations die bij je past:",
        "announcement.disciplines": "Disciplines: {disciplines}",
        "announcement.sector": "Sector: {sector}",
        "announcement.location": "Locatie: {location}",
        "announcement.starts": "Start: {day}",
        "announcement.action": "Bekijk de kans en meld je interesse",
        "invitation.subject": "Welkom bij Co-operations: je tijdelijke wachtwoord",
        "invitation.body": "Welkom bij Co-operations! Je aanmelding is goedgekeurd.",
        "invitation.login": "Je e-mailadres: {email}\nJe tijdelijke wachtwoord: {password}",
        "invitation.first": "Bij de eerste keer aanmelden kies je een eigen wachtwoord.",
        "invitation.action": "Aanmelden",
        "date.weekdays": "maandag,dinsdag,woensdag,donderdag,vrijdag,zaterdag,zondag",
        "date.months": (
            "januari,februari,maart,april,mei,juni,juli,augustus,september,oktober,"
            "november,december"
        ),
        "meeting.when": "{weekday} {day} {month} {year}, {start}\u2013{end} uur",
        "meeting.when.line": "Wanneer: {when}",
        "meeting.where.line": "Waar: {venue}, {address}, {city}",
        "meeting.theme.line": "Thema: {theme}",
        "meeting.organiser.line": "Organisatie: {organiser}",
        "meeting.organiser.board": "het bestuur",
        "meeting.action": "Bekijk de bijeenkomst",
        "meeting.invitation.subject": "Uitnodiging: {title}, {date} in {city}",
        "meeting.invitation.body": (
            "Je bent van harte uitgenodigd voor de volgende bijeenkomst van Co-operations:"
        ),
        "meeting.invitation.signup": (
            "Meld je aan in de app. Ben je beschikbaar voor werk, zet er dan in één regel bij "
            "wat voor opdracht je zoekt: op de avond krijgt ieder die dat wil even het woord."
        ),
        "meeting.invitation.footer": (
            "Geen uitnodigingen voor bijeenkomsten meer? Zet ze uit in je profiel: {url}"
        ),
        "meeting.reminder.subject": "Herinnering: {title}, {date}",
        "meeting.reminder.body": "Je bent aangemeld voor de bijeenkomst van {date}. Tot dan!",
        "meeting.reminder.cannot": (
            "Kun je toch niet? Meld je dan af in de app: dan schuift de eerste op de wachtlijst "
            "door."
        ),
        "meeting.changed.subject": "Gewijzigd: {title}, {date}",
        "meeting.changed.body": (
            "De bijeenkomst waarvoor je je hebt aangemeld is gewijzigd. Zo ziet ze er nu uit:"
        ),
        "meeting.changed.calendar": ("Heb je je agenda gekoppeld, dan werkt die zich vanzelf bij."),
        "meeting.cancelled.subject": "Afgelast: {title}, {date}",
        "meeting.cancelled.body": (
            "De bijeenkomst waarvoor je je had aangemeld gaat helaas niet door:"
        ),
        "meeting.moved_up.subject": "Er is een plek voor je: {title}, {date}",
        "meeting.moved_up.body": (
            "Er is een plek vrijgekomen: je staat niet meer op de wachtlijst maar bent nu "
            "aangemeld voor de bijeenkomst."
        ),
        "meeting.moved_up.cannot": "Kun je toch niet? Meld je dan af in de app.",
        "meeting.warning.subject": "Nog geen bijeenkomst gepland voor {quarter}",
        "meeting.warning.body": (
            "Het kwartaal is over de helft en voor {quarter} staat nog geen bijeenkomst "
            "gepland. Het collectief komt minstens eens per kwartaal bij elkaar."
        ),
        "meeting.warning.action": "Plan een bijeenkomst",
        "meeting.calendar.name": "Co-operations bijeenkomsten",
        "meeting.calendar.waitlisted": "(wachtlijst) {title}",
        "unsubscribe.label": "Afmelden voor mails over nieuwe kansen",
        "intake.subject": "Je kans staat erop: {title}",
        "intake.body": (
            "Dank je! We hebben je mail ontvangen en er een kans van gemaakt, "
            "met jou als aanbrenger. Leden met passende disciplines horen ervan."
        ),
        "intake.disciplines": "Herkende disciplines, met de woorden waaraan we ze herkenden:",
        "intake.matched": "- {discipline}: {words}",
        "intake.attachments": "Bijlagen: {count}, voor leden te downloaden bij de kans.",
        "intake.check": "Klopt er iets niet? Je kunt de kans in de app sluiten.",
        "intake.action": "Bekijk je kans",
        "digest.subject": "Nieuwe kansen van week {week}: {count}",
        "digest.body": "Deze nieuwe kansen passen bij je disciplines:",
        "digest.item": "{title} ({disciplines})",
        "digest.why": "Je krijgt één overzicht per week; kies in je profiel voor losse mails.",
        "digest.action": "Bekijk alle kansen",
    },
    "en": {
        "greeting": "Dear {name},",
        "signature": "Kind regards,\nThe treasurer of Co-operations",
        "signature.board": "Kind regards,\nThe board of Co-operations",
        "footer.why": "You receive this mail as a member of Co-operations.",
        "footer.unsubscribe": "No more mails about new opportunities? Unsubscribe: {url}",
        "payout.subject": "Your share of the {year} pot: {amount}",
        "payout.body": (
            "The {year} pot has been shared out: {pot} over {total_coins} coins, "
            "about {per_coin} per coin."
        ),
        "payout.share": "You earned {coins} coins; your share is {amount}.",
        "payout.where": "It is on your statement as an amount to receive.",
        "payout.action": "See your statement",
        "reminder.subject": "Reminder: {amount} outstanding at Co-operations",
        "reminder.body": "According to our books {amount} is outstanding:",
        "reminder.line": "{day}  {description}: {amount}",
        "reminder.pay": (
            "Please transfer it to {iban} (Co-operations), "
            "mentioning your member number {member_id}."
        ),
        "reminder.paid": "If you have paid already, please ignore this message.",
        "reminder.action": "See your statement",
        "announcement.subject": "New opportunity: {title}",
        "announcement.body": "There is a new opportunity in Co-operations that fits you:",
        "announcement.disciplines": "Disciplines: {disciplines}",
        "announcement.sector": "Sector: {sector}",
        "announcement.location": "Location: {location}",
        "announcement.starts": "Starts: {day}",
        "announcement.action": "See the opportunity and express interest",
        "invitation.subject": "Welcome to Co-operations: your temporary password",
        "invitation.body": "Welcome to Co-operations! Your application has been approved.",
        "invitation.login": "Your email address: {email}\nYour temporary password: {password}",
        "invitation.first": "When you sign in for the first time you choose your own password.",
        "invitation.action": "Sign in",
        "date.weekdays": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
        "date.months": (
            "January,February,March,April,May,June,July,August,September,October,November,December"
        ),
        "meeting.when": "{weekday} {day} {month} {year}, {start}\u2013{end}",
        "meeting.when.line": "When: {when}",
        "meeting.where.line": "Where: {venue}, {address}, {city}",
        "meeting.theme.line": "Theme: {theme}",
        "meeting.organiser.line": "Organised by: {organiser}",
        "meeting.organiser.board": "the board",
        "meeting.action": "See the meeting",
        "meeting.invitation.subject": "Invitation: {title}, {date} in {city}",
        "meeting.invitation.body": "You are warmly invited to the next Co-operations meeting:",
        "meeting.invitation.signup": (
            "Sign up in the app. If you are available for work, add one line on the assignment "
            "you are looking for: on the evening everyone who wants one gets a moment to speak."
        ),
        "meeting.invitation.footer": (
            "No more invitations to meetings? Turn them off in your profile: {url}"
        ),
        "meeting.reminder.subject": "Reminder: {title}, {date}",
        "meeting.reminder.body": "You signed up for the meeting of {date}. See you there!",
        "meeting.reminder.cannot": (
            "Can't make it after all? Please cancel in the app, so the first on the waiting "
            "list gets your seat."
        ),
        "meeting.changed.subject": "Changed: {title}, {date}",
        "meeting.changed.body": (
            "The meeting you signed up for has changed. This is how it looks now:"
        ),
        "meeting.changed.calendar": "If you linked your calendar, it updates by itself.",
        "meeting.cancelled.subject": "Cancelled: {title}, {date}",
        "meeting.cancelled.body": (
            "Unfortunately the meeting you signed up for will not take place:"
        ),
        "meeting.moved_up.subject": "A seat for you: {title}, {date}",
        "meeting.moved_up.body": (
            "A seat became free: you are no longer on the waiting list but registered for the "
            "meeting."
        ),
        "meeting.moved_up.cannot": "Can't make it after all? Please cancel in the app.",
        "meeting.warning.subject": "No meeting planned for {quarter} yet",
        "meeting.warning.body": (
            "The quarter is past its middle and no meeting is planned for {quarter} yet. The "
            "collective meets at least once a quarter."
        ),
        "meeting.warning.action": "Plan a meeting",
        "meeting.calendar.name": "Co-operations meetings",
        "meeting.calendar.waitlisted": "(waiting list) {title}",
        "unsubscribe.label": "Unsubscribe from mails about new opportunities",
        "intake.subject": "Your opportunity is posted: {title}",
        "intake.body": (
            "Thank you! We received your mail and made it an opportunity, with you as "
            "its referrer. Members with matching disciplines will hear about it."
        ),
        "intake.disciplines": "Disciplines recognised (and the words that gave them):",
        "intake.matched": "- {discipline}: {words}",
        "intake.attachments": "Attachments: {count}, for members to download with it.",
        "intake.check": "Something not right? You can close the opportunity in the app.",
        "intake.action": "See your opportunity",
        "digest.subject": "New opportunities of week {week}: {count}",
        "digest.body": "These new opportunities match your disciplines:",
        "digest.item": "{title} ({disciplines})",
        "digest.why": "You get one overview a week; choose single mails in your profile.",
        "digest.action": "See all opportunities",
    },
}


def language_or_default(language: str | None) -> Language:
    return "en" if language == "en" else DEFAULT_LANGUAGE


def text(language: Language, key: str, **params: Any) -> str:
    template = CATALOGUE[language].get(key) or CATALOGUE[DEFAULT_LANGUAGE][key]
    return template.format(**params)


def money(cents: int, language: Language) -> str:
    """€ 1.234,56 in Dutch, €1,234.56 in English; a minus sign in front when negative."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    if language == "en":
        return f"{sign}€{whole:,}.{rest:02d}"
    return f"{sign}€ {whole:,}".replace(",", ".") + f",{rest:02d}"
