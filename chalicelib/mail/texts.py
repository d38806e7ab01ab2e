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
            "Wil je dit overmaken naar {iban} t.n.v. {account_name}, onder vermelding van je "
            "betalingskenmerk {reference}? Met de QR-code op je startpagina betaal je het in "
            "één keer vanuit je bank-app."
        ),
        "reminder.paid": "Heb je al betaald, dan kun je dit bericht negeren.",
        "reminder.action": "Bekijk je overzicht",
        "announcement.subject": "Nieuwe kans: {title}",
        "announcement.body": "Er is een nieuwe kans binnen Co-operations die bij je past:",
        "announcement.disciplines": "Vakgebieden: {disciplines}",
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
        "intake.disciplines": "Herkende vakgebieden, met de woorden waaraan we ze herkenden:",
        "intake.matched": "- {discipline}: {words}",
        "intake.attachments": "Bijlagen: {count}, voor leden te downloaden bij de kans.",
        "intake.check": "Klopt er iets niet? Je kunt de kans in de app sluiten.",
        "intake.no_discipline": (
            "We herkenden in je mail geen discipline. Voeg ze toe bij de kans in de app "
            "(Vakgebieden toevoegen): dan horen de leden bij wie ze passen ervan."
        ),
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
            "Please transfer it to {iban} in the name of {account_name}, mentioning your "
            "payment reference {reference}. The QR code on your home page pays it in one go "
            "from your banking app."
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
        "intake.no_discipline": (
            "We did not recognise a discipline in your mail. Add them to the opportunity in "
            "the app (Add disciplines): then the members they match hear of it."
        ),
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


# The mails people expect after what they or the treasurer did (issue 16): interest shown,
# an application received or rejected, a payment received, a payout made, a coin claim
# decided, a cancellation confirmed. Kept in a block of their own.
CATALOGUE["nl"] |= {
    "date.long": "{day} {month} {year}",
    "interest.subject": "{name} heeft interesse in je kans: {title}",
    "interest.body": "{name} heeft interesse getoond in je kans \u201c{title}\u201d.",
    "interest.note": "Toelichting van {name}:\n{note}",
    "interest.no_note": "{name} gaf geen toelichting.",
    "interest.next": (
        "Bij de kandidaten zie je wie er interesse heeft, wie het best past en waarom. "
        "Leg een gesprek vast zodra je iemand hebt voorgesteld."
    ),
    "interest.action": "Bekijk de kandidaten",
    "application.received.subject": "We hebben je aanmelding ontvangen",
    "application.received.body": (
        "Dank je voor je aanmelding bij Co-operations. We hebben haar in goede orde ontvangen."
    ),
    "application.received.next": (
        "Het bestuur bekijkt je aanmelding. Word je toegelaten, dan krijg je een mail met je "
        "tijdelijke wachtwoord om je aan te melden; anders laten we je weten waarom niet."
    ),
    "application.rejected.subject": "Je aanmelding bij Co-operations",
    "application.rejected.body": (
        "Dank je voor je aanmelding bij Co-operations. Helaas kunnen we je op dit moment niet "
        "toelaten."
    ),
    "application.rejected.reason": "De reden:\n{reason}",
    "application.rejected.again": (
        "Verandert er iets, dan ben je welkom om je later opnieuw aan te melden."
    ),
    "payment.subject": "Betaling ontvangen: {amount}",
    "payment.body": "We hebben op {day} je betaling van {amount} ontvangen (kenmerk {reference}).",
    "payment.owed": "Er staat nog {amount} open.",
    "payment.settled": "Daarmee is alles betaald: er staat niets meer open.",
    "payment.credit": "Je hebt {amount} te veel betaald; dat houden we voor je tegoed.",
    "payment.action": "Bekijk je overzicht",
    "payout.made.subject": "Uitbetaald: {amount}",
    "payout.made.body": (
        "We hebben op {day} {amount} naar je overgemaakt, met als kenmerk {reference}."
    ),
    "payout.made.left": "Je hebt daarna nog {amount} van ons te ontvangen.",
    "payout.made.none": "Daarmee heb je alles ontvangen wat we je verschuldigd waren.",
    "claim.approved.subject": "Je coin-aanvraag is goedgekeurd: {coins} coins",
    "claim.approved.body": (
        "Je aanvraag voor coins voor \u201c{description}\u201d is goedgekeurd: je krijgt er "
        "{coins} coins voor, in de pot van {year}."
    ),
    "claim.rejected.subject": "Je coin-aanvraag is afgewezen",
    "claim.rejected.body": "Je aanvraag voor coins voor \u201c{description}\u201d is afgewezen.",
    "claim.rejected.reason": "De reden:\n{reason}",
    "claim.action": "Bekijk je coins",
    "cancelled.subject": "Je lidmaatschap van Co-operations is opgezegd",
    "cancelled.body": (
        "Je lidmaatschap is per {day} opgezegd. Jammer dat je gaat, en dank voor je bijdrage."
    ),
    "cancelled.dues": (
        "Je betaalt geen contributie meer voor de kwartalen hierna. Wat al in rekening was "
        "gebracht blijft staan: een opzegging scheldt geen schulden kwijt."
    ),
    "cancelled.owed": "Je hebt nog {amount} te betalen.",
    "cancelled.receive": "Je hebt nog {amount} van ons te ontvangen; dat maken we aan je over.",
    "cancelled.settled": "Er staat niets meer open: je hoeft niets te betalen of te ontvangen.",
    "cancelled.signin": (
        "Je kunt je blijven aanmelden om je overzicht te bekijken, tot alles is afgerond."
    ),
    "cancelled.action": "Bekijk je overzicht",
}
CATALOGUE["en"] |= {
    "date.long": "{day} {month} {year}",
    "interest.subject": "{name} is interested in your opportunity: {title}",
    "interest.body": "{name} expressed interest in your opportunity \u201c{title}\u201d.",
    "interest.note": "{name}'s note:\n{note}",
    "interest.no_note": "{name} added no note.",
    "interest.next": (
        "The candidates show who is interested, who fits best and why. Record a conversation "
        "once you have introduced someone."
    ),
    "interest.action": "See the candidates",
    "application.received.subject": "We received your application",
    "application.received.body": (
        "Thank you for applying to Co-operations. We have received your application."
    ),
    "application.received.next": (
        "The board will review it. If you are admitted you get a mail with a temporary "
        "password to sign in; if not, we will tell you why."
    ),
    "application.rejected.subject": "Your application to Co-operations",
    "application.rejected.body": (
        "Thank you for applying to Co-operations. Unfortunately we cannot admit you at this time."
    ),
    "application.rejected.reason": "The reason:\n{reason}",
    "application.rejected.again": "If things change, you are welcome to apply again later.",
    "payment.subject": "Payment received: {amount}",
    "payment.body": "We received your payment of {amount} on {day} (reference {reference}).",
    "payment.owed": "{amount} is still outstanding.",
    "payment.settled": "Everything is paid: nothing is outstanding.",
    "payment.credit": "You paid {amount} too much; we keep it as your credit.",
    "payment.action": "See your statement",
    "payout.made.subject": "Paid out: {amount}",
    "payout.made.body": "On {day} we transferred {amount} to you, with reference {reference}.",
    "payout.made.left": "You still have {amount} to receive from us.",
    "payout.made.none": "You have now received everything we owed you.",
    "claim.approved.subject": "Your coin claim is approved: {coins} coins",
    "claim.approved.body": (
        "Your claim for coins for \u201c{description}\u201d is approved: you get {coins} coins "
        "for it, in the {year} pot."
    ),
    "claim.rejected.subject": "Your coin claim is rejected",
    "claim.rejected.body": "Your claim for coins for \u201c{description}\u201d is rejected.",
    "claim.rejected.reason": "The reason:\n{reason}",
    "claim.action": "See your coins",
    "cancelled.subject": "Your Co-operations membership is cancelled",
    "cancelled.body": (
        "Your membership is cancelled as of {day}. We are sorry to see you go, and thank you "
        "for your part."
    ),
    "cancelled.dues": (
        "You pay no dues for the quarters after this. What was charged already stands: "
        "cancelling does not cancel debts."
    ),
    "cancelled.owed": "You still owe {amount}.",
    "cancelled.receive": "You still have {amount} to receive from us; we will transfer it.",
    "cancelled.settled": "Nothing is outstanding: you neither owe nor receive anything.",
    "cancelled.signin": (
        "You can still sign in to see your statement until everything is settled."
    ),
    "cancelled.action": "See your statement",
}

# bank-refs owner: a member's bank account registered or changed --------------------------
CATALOGUE["nl"] |= {
    "bank_account.registered.subject": "Je rekeningnummer voor uitbetalingen is vastgelegd",
    "bank_account.changed.subject": "Je rekeningnummer voor uitbetalingen is gewijzigd",
    "bank_account.registered.body": (
        "Op {day} is in je profiel een rekeningnummer vastgelegd. Uitbetalingen van "
        "Co-operations gaan voortaan naar:"
    ),
    "bank_account.changed.body": (
        "Op {day} is het rekeningnummer in je profiel gewijzigd. Uitbetalingen van "
        "Co-operations gaan voortaan naar:"
    ),
    "bank_account.account": "Rekening: {iban}\nTen name van: {account_holder}",
    "bank_account.before": "Daarvoor was het: {iban}, ten name van {account_holder}.",
    "bank_account.not_you": (
        "Heb je dit niet zelf gedaan? Neem dan meteen contact op met de penningmeester, "
        "zodat er niets naar een verkeerde rekening gaat, en kies een nieuw wachtwoord."
    ),
    "bank_account.action": "Bekijk je profiel",
}
CATALOGUE["en"] |= {
    "bank_account.registered.subject": "Your bank account for payouts was registered",
    "bank_account.changed.subject": "Your bank account for payouts was changed",
    "bank_account.registered.body": (
        "On {day} a bank account was registered in your profile. Payouts from Co-operations "
        "will go to:"
    ),
    "bank_account.changed.body": (
        "On {day} the bank account in your profile was changed. Payouts from Co-operations "
        "will go to:"
    ),
    "bank_account.account": "Account: {iban}\nIn the name of: {account_holder}",
    "bank_account.before": "Before, it was: {iban}, in the name of {account_holder}.",
    "bank_account.not_you": (
        "Did you not do this yourself? Contact the treasurer at once, so that nothing is paid "
        "into the wrong account, and choose a new password."
    ),
    "bank_account.action": "See your profile",
}
# (end of bank-refs owner's block)
