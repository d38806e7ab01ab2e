# ruff: noqa: E501 (sentences are kept whole, one a line)
"""Every error text, one catalogue per language (Dutch is the default).

Domain errors carry a stable code and parameters; the API renders `ERRORS[language][code]`
(a `str.format` template) with those parameters: a `Cents` as money, a `datetime.date` as a
date, a list as "a, b en c". A field problem looks for `"<code>.<field>"` first (a sentence for
that field: "Minimaal {minimum} jaar.") and then `"<code>"`. A code without a text never
reaches a person: they read the generic sentence for the HTTP status instead.

Texts are in a member's words: no patterns, no cents, no internal ids or account keys.
Add codes in a block of your own (owners edit this file side by side).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.i18n import Language, day, joined, language_or_default, money

log = logging.getLogger("coop.i18n")

# What a person reads when a code has no text (or its text cannot be filled in).
GENERIC: dict[Language, dict[int, str]] = {
    "nl": {
        400: "Er klopt iets niet in wat je stuurde. Controleer de gegevens en probeer het opnieuw.",
        401: "Je bent niet (meer) ingelogd. Log in en probeer het opnieuw.",
        403: "Dit mag je niet doen.",
        404: "Dit bestaat niet (meer).",
        405: "Dit kan hier niet.",
        409: "Dit kan nu niet: de gegevens zijn intussen veranderd. Vernieuw de pagina.",
        413: "Wat je stuurde is te groot.",
        415: "Wat je stuurde kunnen we niet lezen.",
        429: "Het is even te druk. Probeer het over een paar seconden opnieuw.",
        500: "Er ging bij ons iets mis. Probeer het later opnieuw.",
        503: "Het is even te druk. Probeer het over een paar seconden opnieuw.",
        504: "Dit duurde te lang. Probeer het opnieuw.",
    },
    "en": {
        400: "Something in what you sent is not right. Check it and try again.",
        401: "You are not signed in (any more). Sign in and try again.",
        403: "You may not do this.",
        404: "This does not exist (any more).",
        405: "That is not possible here.",
        409: "This cannot be done now: things changed meanwhile. Refresh the page.",
        413: "What you sent is too large.",
        415: "We cannot read what you sent.",
        429: "It is busy for a moment. Try again in a few seconds.",
        500: "Something went wrong on our side. Try again later.",
        503: "It is busy for a moment. Try again in a few seconds.",
        504: "This took too long. Try again.",
    },
}

# Field names as people read them (for "Controleer het e-mailadres en ...").
LABELS: dict[Language, dict[str, str]] = {
    "nl": {
        # errors owner ------------------------------------------------------------------
        "body": "het formulier",
        "query": "de zoekopdracht",
        "name": "naam",
        "email": "e-mailadres",
        "referred_by_email": "e-mailadres van wie je aanbeval",
        "disciplines": "disciplines",
        "sectors": "sectoren",
        "years_experience": "jaren werkervaring",
        "linkedin_url": "LinkedIn-adres",
        "motivation": "motivatie",
        "reason": "reden",
        "headline": "kopregel",
        "available": "beschikbaar",
        "notify_opportunities": "mails over kansen",
        "notify_meetings": "mails over bijeenkomsten",
        "opportunity_mail": "hoe vaak je mails over kansen krijgt",
        "language": "taal",
        "amount_cents": "bedrag",
        "received_on": "datum",
        "reference": "kenmerk",
        "invoice_ref": "factuurnummer",
        "invoiced_on": "factuurdatum",
        "title": "titel",
        "description": "omschrijving",
        "sector": "sector",
        "location": "plaats",
        "client": "opdrachtgever",
        "starts_on": "startdatum",
        "on_behalf_of_collective": "namens het collectief",
        "note": "notitie",
        "member_id": "lid",
        "member_ids": "leden",
        "held_on": "datum van het gesprek",
        "contribution": "omvang",
        "outcome": "uitkomst",
        "activity": "activiteit",
        "url": "link",
        "coins": "munten",
        "year": "jaar",
        "quarter": "kwartaal",
        "week": "week",
        "limit": "aantal",
        "cursor": "pagina",
        "status": "status",
        "discipline": "discipline",
        "q": "zoekterm",
        "from": "vanaf",
        "to": "tot en met",
        "theme": "thema",
        "starts_at": "begintijd",
        "ends_at": "eindtijd",
        "venue": "locatie",
        "address": "adres",
        "city": "plaats",
        "capacity": "aantal plaatsen",
        "organiser_member_id": "organisator",
        "pitch": "pitch",
        "when": "periode",
        "referrer_member_id": "aanbrenger",
        "token": "link",
        "iban": "IBAN",
        "account_holder": "naam rekeninghouder",
        "consent": "toestemming",
        "collection_date": "incassodatum",
        "password": "wachtwoord",
        "number": "bijlage",
        "List-Unsubscribe": "afmelden",
    },
    "en": {
        # errors owner ------------------------------------------------------------------
        "body": "the form",
        "query": "the search",
        "name": "name",
        "email": "e-mail address",
        "referred_by_email": "e-mail address of who referred you",
        "disciplines": "disciplines",
        "sectors": "sectors",
        "years_experience": "years of experience",
        "linkedin_url": "LinkedIn address",
        "motivation": "motivation",
        "reason": "reason",
        "headline": "headline",
        "available": "available",
        "notify_opportunities": "opportunity mails",
        "notify_meetings": "meeting mails",
        "opportunity_mail": "how often you get opportunity mails",
        "language": "language",
        "amount_cents": "amount",
        "received_on": "date",
        "reference": "reference",
        "invoice_ref": "invoice number",
        "invoiced_on": "invoice date",
        "title": "title",
        "description": "description",
        "sector": "sector",
        "location": "location",
        "client": "client",
        "starts_on": "start date",
        "on_behalf_of_collective": "on behalf of the collective",
        "note": "note",
        "member_id": "member",
        "member_ids": "members",
        "held_on": "date of the conversation",
        "contribution": "size",
        "outcome": "outcome",
        "activity": "activity",
        "url": "link",
        "coins": "coins",
        "year": "year",
        "quarter": "quarter",
        "week": "week",
        "limit": "number",
        "cursor": "page",
        "status": "status",
        "discipline": "discipline",
        "q": "search term",
        "from": "from",
        "to": "until",
        "theme": "theme",
        "starts_at": "start time",
        "ends_at": "end time",
        "venue": "venue",
        "address": "address",
        "city": "city",
        "capacity": "number of seats",
        "organiser_member_id": "organiser",
        "pitch": "pitch",
        "when": "period",
        "referrer_member_id": "referrer",
        "token": "link",
        "iban": "IBAN",
        "account_holder": "account holder's name",
        "consent": "consent",
        "collection_date": "collection date",
        "password": "password",
        "number": "attachment",
        "List-Unsubscribe": "unsubscribe",
    },
}

ERRORS: dict[Language, dict[str, str]] = {
    "nl": {
        # errors owner: the request itself ----------------------------------------------------
        "invalid_input": "Controleer {fields}.",
        "invalid_query": "Controleer {fields}.",
        "unexpected_query": "Deze pagina kent geen zoekopdracht met {fields}.",
        "not_json": "Wat je stuurde kunnen we niet lezen (het is geen geldige JSON).",
        "not_json.body": "Dit is geen geldige JSON (regel {line}, kolom {column}).",
        "payload_too_large": "Wat je stuurde is te groot (meer dan {limit_kb} kB).",
        "method_not_allowed": "Dit kan hier niet.",
        "unsupported_media_type": "Wat je stuurde kunnen we niet lezen: stuur het als JSON (application/json).",
        "not_found": "Dit bestaat niet (meer).",
        "route_not_found": "Deze pagina bestaat niet.",
        "unavailable": "Het is even te druk. Probeer het over een paar seconden opnieuw.",
        "busy": "Iemand anders wijzigde dit tegelijk met jou. Probeer het opnieuw.",
        "internal": "Er ging bij ons iets mis. Probeer het later opnieuw.",
        "error": "Er ging iets mis.",
        "bad_request": "Er klopt iets niet in wat je stuurde. Controleer het en probeer opnieuw.",
        # errors owner: a field's problem -----------------------------------------------------
        "required": "Vul dit in.",
        "required.disciplines": "Kies minstens één discipline.",
        "not_an_email": "Vul een geldig e-mailadres in.",
        "not_a_url": "Vul een webadres in dat begint met https://.",
        "not_a_reference": (
            "Gebruik alleen letters, cijfers, spaties en deze tekens: . / : # + ( ) , ' & -"
        ),
        "not_a_member": "Kies een lid uit de lijst.",
        "not_a_week": "Vul een week in als 2026-W05.",
        "not_a_quarter": "Vul een kwartaal in als 2026-Q1.",
        "not_a_year": "Vul een jaar in als 2026.",
        "bad_format": "Dit heeft niet de goede vorm.",
        "below_minimum": "Minimaal {minimum}.",
        "below_minimum.years_experience": "Minimaal {minimum} jaar.",
        "below_minimum.amount_cents": "Vul een bedrag van minstens {minimum} in.",
        "above_maximum": "Maximaal {maximum}.",
        "above_maximum.years_experience": "Maximaal {maximum} jaar.",
        "above_maximum.amount_cents": "Vul een bedrag van hoogstens {maximum} in.",
        "too_long": "Maximaal {maximum} tekens.",
        "too_short": "Minimaal {minimum} tekens.",
        "too_many": "Maximaal {maximum}.",
        "too_few": "Minimaal {minimum}.",
        "not_a_whole_number": "Vul een heel getal in.",
        "not_a_whole_number.years_experience": "Vul een heel aantal jaren in.",
        "not_a_whole_number.amount_cents": "Vul een geldig bedrag in.",
        "not_a_number": "Vul een getal in.",
        "not_a_date": "Vul een geldige datum in (jjjj-mm-dd).",
        "not_a_time": "Vul een geldige datum en tijd in.",
        "not_yes_or_no": "Kies ja of nee.",
        "not_a_choice": "Kies een van de mogelijkheden.",
        "not_text": "Vul hier tekst in.",
        "not_a_list": "Dit moet een lijst zijn.",
        "not_an_object": "Dit moet een formulier met velden zijn.",
        "unknown_field": "Dit veld kennen we niet.",
        "control_characters": "Hier staan tekens in die we niet kunnen tonen (zoals stuurtekens).",
        "date_out_of_range": "Kies een datum tussen {first} en {last}.",
        "time_out_of_range": "Kies een tijd tussen {first} en {last}.",
        "time_does_not_exist": "Deze tijd bestaat niet in Nederland (de klok springt dan vooruit).",
        "before_from": "Deze datum ligt vóór de begindatum.",
        "range_too_long": "Kies hoogstens {maximum} dagen (exporteer per jaar).",
        "nothing_to_change": "Wijzig minstens één veld.",
        "cannot_be_empty": "Dit mag niet leeg zijn: {fields}.",
        "not_zero": "Het bedrag mag niet nul zijn (een creditnota is negatief).",
        "referrer_or_collective": "Kies een aanbrenger of 'namens het collectief'.",
        "invalid_value": "Deze waarde klopt niet.",
        "not_a_cursor": "Deze pagina bestaat niet (meer); begin opnieuw bovenaan.",
        # errors owner: signing in and rights -------------------------------------------------
        "unauthenticated": "Je bent niet (meer) ingelogd. Log in en probeer het opnieuw.",
        "token_expired": "Je sessie is verlopen. Log opnieuw in.",
        "forbidden": "Dit mag je niet doen.",
        "admins_only": "Dit mag alleen een beheerder.",
        "sign_in_not_a_member": "Deze inlog hoort niet bij een lid van het collectief.",
        "membership_cancelled": "Je lidmaatschap is opgezegd.",
        "sign_in_needed": "Log in om dit te doen.",
        # errors owner: domain codes -------------------------------------------------------
        "ends_before_start": "Het einde moet na het begin liggen.",
        "longer_than_a_day": "Een bijeenkomst duurt hoogstens 24 uur.",
        "not_in_future": "Kies een moment in de toekomst.",
        "too_little_experience": "Voor het lidmaatschap heb je minstens {minimum} jaar werkervaring nodig.",
        "out_of_range": "Kies een getal van {minimum} tot en met {maximum}.",
        "unsubscribe_link_invalid": "Deze afmeldlink werkt niet. Kopieer de hele link uit de mail.",
        "not_an_unsubscribe_link": "Kopieer de hele link uit de mail.",
        "not_an_active_member": "Kies een lid dat nog lid is.",
        "not_signed_up": "Kies alleen leden die zich hebben aangemeld.",
        "missing_in_mail": "Dit stond niet in de mail: vul het zelf in.",
        "mail_lacks_fields": "De mail mist wat een kans nodig heeft: vul {fields} in.",
        "opportunity_awarded": "Deze kans is al gegund: er verandert niets meer aan.",
        "opportunity_closed": "Deze kans is gesloten: er verandert niets meer aan.",
        "opportunity_not_taking_interest": "Deze kans neemt geen belangstelling meer aan.",
        "referrer_or_admin_only": "Dit mag alleen wie de kans aanbracht, of een beheerder.",
        "referrer_cannot_take_own": "Wie een kans aanbrengt, kan die niet zelf uitvoeren.",
        "award_needs_interest": "Alleen een lid dat belangstelling toonde of met de klant sprak, kan de opdracht krijgen.",
        "organiser_or_admin_only": "Dit mag alleen de organisator van de bijeenkomst, of een beheerder.",
        "meeting_cancelled": "Deze bijeenkomst is afgelast.",
        "meeting_held": "Deze bijeenkomst is al geweest.",
        "meeting_started": "Deze bijeenkomst is al begonnen.",
        "meeting_not_started": "De bijeenkomst is nog niet begonnen: geef de aanwezigheid daarna door.",
        "application_approved": "Deze aanmelding is al goedgekeurd.",
        "application_rejected": "Deze aanmelding is al afgewezen.",
        "membership_already_cancelled": "Dit lidmaatschap is al opgezegd.",
        "own_claim": "Je eigen aanvraag keurt een andere beheerder goed.",
        "claim_approved": "Deze aanvraag is al goedgekeurd.",
        "claim_rejected": "Deze aanvraag is al afgewezen.",
        "credit_above_revenue": "Deze creditnota ({amount}) is groter dan de omzet die tot nu toe is gemeld ({revenue}).",
        "already_applied": "Met het e-mailadres {email} is al aangemeld, of het hoort al bij een lid.",
        "application_not_found": "Deze aanmelding bestaat niet (meer).",
        "member_not_found": "Dit lid bestaat niet (meer).",
        "membership_cancelled_unchangeable": "Een opgezegd lidmaatschap kan niet meer veranderen.",
        "opportunity_not_found": "Deze kans bestaat niet (meer).",
        "assignment_not_found": "Deze opdracht bestaat niet (meer).",
        "claim_not_found": "Deze aanvraag voor munten bestaat niet (meer).",
        "claim_decided_meanwhile": "Over deze aanvraag is intussen al beslist. Vernieuw de pagina.",
        "claim_year_distributed": "De munten kunnen niet meer worden toegekend: de pot van dat jaar is al verdeeld.",
        "meeting_not_found": "Deze bijeenkomst bestaat niet (meer).",
        "intake_not_found": "Deze binnengekomen mail bestaat niet (meer).",
        "attachment_not_found": "Deze bijlage bestaat niet.",
        "calendar_not_found": "Deze agendalink werkt niet meer (misschien is hij vernieuwd).",
        "payout_above_owed": "Het bedrag ({amount}) is meer dan het collectief {member} verschuldigd is ({owed}).",
        "clawback_above_owed": "Deze creditnota neemt {amount} terug van het aandeel van {member}, maar er staat nog maar {owed} open: er is intussen uitbetaald. Probeer het opnieuw.",
        "year_distributed": "De pot van {year} is al verdeeld: daar gaan geen munten of geld meer in.",
        "idempotency_key_reused": "Dit kenmerk is al eerder gebruikt, met andere gegevens. Gebruik een nieuw kenmerk of controleer de eerdere boeking.",
        "reference_already_booked": "Het kenmerk {reference} is al geboekt bij {member}: een regel van het bankafschrift boek je maar één keer.",
        "year_not_distributed": "De pot van {year} is nog niet verdeeld.",
        "week_not_ended": "Week {week} is nog niet voorbij.",
        "year_not_ended": "{year} is nog niet voorbij.",
        "coins_being_indexed": "De munten van {year} worden nog geteld. Probeer het over een minuut opnieuw.",
        "quarter_not_started": "Kwartaal {quarter} is nog niet begonnen.",
        "member_not_active": "{member} is geen lid meer.",
        "admins_choose_organiser": "Alleen een beheerder kiest de organisator van een bijeenkomst.",
        "capacity_below_registered": "Er zijn al {registered} leden aangemeld: het aantal plaatsen kan niet {capacity} worden. Vraag eerst een paar leden zich af te melden.",
        "pitch_needs_available": "Alleen leden die beschikbaar zijn voor werk geven een pitch. Zet in je profiel dat je beschikbaar bent.",
        "admins_post_for_collective": "Alleen een beheerder plaatst een kans namens het collectief.",
        "referrer_cannot_show_interest": "Je kunt geen belangstelling tonen voor een kans die je zelf aanbracht.",
        "referrer_cannot_be_candidate": "Wie de kans aanbracht, kan niet zelf het gesprek met de klant voeren.",
        "assignment_not_yours": "Deze opdracht zien alleen het team, wie de kans aanbracht en de beheerders.",
        "revenue_by_team_or_admin": "Omzet meldt een lid van het team, of een beheerder namens hen.",
        "invoice_reported_differently": "Factuur {invoice} is al gemeld, met andere gegevens. Gebruik een ander factuurnummer of controleer de eerdere melding.",
        # (end of errors owner's nl block)
        # intake owner: the vocabulary and the mail intake ---------------------------------
        "not_a_discipline": "“{value}” is geen discipline: noem een vak of beroep, zoals “projectleider” of “UX-ontwerp”.",
        "not_a_sector": "“{value}” is geen sector: noem een branche, zoals “zorg” of “overheid”.",
        "vocabulary_name_taken": "“{name}” staat al voor {term}.",
        "vocabulary_term_not_found": "“{term}” is geen bekende discipline of sector.",
        "intake_already_accepted": "Van deze mail is al een kans gemaakt, met andere gegevens dan deze. Vernieuw de pagina.",
        "opportunity_changed_meanwhile": "De kans is intussen veranderd. Vernieuw de pagina en probeer het opnieuw.",
        # (end of intake owner's nl block)
        # web-member owner ------------------------------------------------------------
        "conversation_in_the_future": "Een gesprek leg je vast nadat het is gevoerd: kies vandaag of een eerdere datum.",
        # (end of web-member owner's nl block)
        # teams-core owner: joint assignments (a team under one cap) -------------------------
        "team_lead_or_admin_only": "Alleen wie de opdracht leidt, of een beheerder, nodigt leden uit voor het team.",
        "already_on_team": "{member} staat al in het team of is al uitgenodigd.",
        "referrer_cannot_join_team": "Wie de kans aanbracht, kan niet in het team van de opdracht: de aanbrengvergoeding en de fee zouden door elkaar lopen.",
        "team_full": "Het team is vol: een opdracht heeft hoogstens {maximum} teamleden.",
        "team_invitation_not_yours": "Je bent niet (meer) uitgenodigd voor dit team.",
        "team_already_joined": "Je doet al mee in dit team. Wil je eruit, verlaat dan het team.",
        "team_lead_admin_or_self": "Alleen wie de opdracht leidt, een beheerder of het teamlid zelf haalt iemand uit het team.",
        "team_member_not_found": "Dit lid staat niet (meer) in het team.",
        "team_lead_stays": "Wie de opdracht leidt, blijft in het team.",
        "team_member_has_revenue": "Dit teamlid heeft al omzet gemeld en blijft daarom in het team: die omzet draagt een deel van de fee.",
        "revenue_member_not_on_team": "Omzet meld je voor een actief lid van het team. Dit lid doet (nog) niet mee.",
        # (end of teams-core owner's nl block)
        # bank-refs owner: references and members' bank accounts ---------------------------
        "not_an_iban": "Vul een geldig IBAN in, zoals NL91 ABNA 0417 1643 00: controleer de landcode, de lengte en de cijfers.",
        "required.account_holder": "Vul de naam in waarop de rekening staat, zoals je bank die kent.",
        "too_long.account_holder": "Maximaal {maximum} tekens: zo lang mag een naam in een overboeking zijn.",
        # (end of bank-refs owner's nl block)
        # bank-statements owner: importing camt.053 statements, waiting lines ---------------
        "statement_too_large": "Dit bestand is te groot voor een bankafschrift (meer dan {limit_mb} MB). Download een kortere periode bij je bank.",
        "statement_empty": "Dit bestand is leeg. Kies het bankafschrift (camt.053) dat je bij je bank downloadde.",
        "statement_not_xml": "Dit bestand is geen leesbaar bankafschrift: het is geen (volledig) XML-bestand. Download het afschrift opnieuw als camt.053.",
        "statement_unsafe_xml": "Dit bestand bevat XML-onderdelen die een bankafschrift nooit heeft (een DTD of entiteiten). Het is niet ingelezen.",
        "statement_wrong_format": "Dit bestand is geen bankafschrift in camt.053-formaat. Kies bij je bank 'camt.053' als formaat.",
        "statement_version_unsupported": "Deze versie van camt.053 ({version}) lezen we niet; versies 001.02 tot en met 001.08 wel. Kies bij je bank een van die versies.",
        "statement_no_account": "In dit afschrift staat geen rekeningnummer (IBAN).",
        "statement_several_accounts": "Dit bestand bevat afschriften van meer dan één rekening. Download alleen de rekening van het collectief.",
        "statement_not_euro": "Regel {entry} van het afschrift is in {currency}, niet in euro.",
        "statement_entry_no_amount": "Regel {entry} van het afschrift heeft geen bedrag.",
        "statement_entry_bad_amount": "Regel {entry} van het afschrift heeft een bedrag dat we niet kunnen lezen.",
        "statement_entry_no_direction": "Bij regel {entry} van het afschrift staat niet of het bij- of afgeschreven is.",
        "statement_entry_no_date": "Regel {entry} van het afschrift heeft geen geldige boekdatum.",
        "statement_other_account": "Dit is een afschrift van rekening {account}, niet van de rekening van het collectief. Er is niets geboekt.",
        "bank_line_not_found": "Deze regel van het bankafschrift bestaat niet (meer).",
        "bank_line_decided": "Over deze regel is al beslist (geboekt of opzijgezet). Vernieuw de pagina.",
        "bank_line_not_a_credit": "Dit is een afschrijving: alleen een bijschrijving boek je als betaling van een lid.",
        # (end of bank-statements owner's nl block)
        # bank-payouts owner: payout batches ----------------------------------------------
        "payout_batch_not_found": "Deze uitbetalingsronde bestaat niet (meer).",
        "payout_batch_nothing_to_pay": "Er is niemand om uit te betalen: het collectief is niemand iets verschuldigd die een IBAN heeft opgegeven. Leden zonder IBAN: {skipped}.",
        "payout_batch_four_eyes": "Je hebt deze uitbetalingsronde zelf klaargezet. Een andere beheerder keurt hem goed: zo kijken er altijd twee mensen naar een betaling.",
        "payout_batch_not_prepared": "Deze uitbetalingsronde is al goedgekeurd.",
        "payout_batch_not_approved": "Het betaalbestand is er pas als een andere beheerder de uitbetalingsronde heeft goedgekeurd.",
        "payout_batch_incomplete": "De goedkeuring van deze uitbetalingsronde is niet helemaal afgerond. Keur hem nog eens goed: wat al geboekt is, wordt niet opnieuw geboekt.",
        "payout_batch_no_transfers": "In deze uitbetalingsronde zit geen overboeking: alles is verrekend met wat leden verschuldigd waren. Er is dus geen betaalbestand.",
        # (end of bank-payouts owner's nl block)
    },
    "en": {
        # errors owner: the request itself ----------------------------------------------------
        "invalid_input": "Check {fields}.",
        "invalid_query": "Check {fields}.",
        "unexpected_query": "This page takes no search with {fields}.",
        "not_json": "We cannot read what you sent (it is not valid JSON).",
        "not_json.body": "This is not valid JSON (line {line}, column {column}).",
        "payload_too_large": "What you sent is too large (over {limit_kb} KB).",
        "method_not_allowed": "That is not possible here.",
        "unsupported_media_type": "We cannot read what you sent: send it as JSON (application/json).",
        "not_found": "This does not exist (any more).",
        "route_not_found": "This page does not exist.",
        "unavailable": "It is busy for a moment. Try again in a few seconds.",
        "busy": "Someone else changed this at the same time as you. Try again.",
        "internal": "Something went wrong on our side. Try again later.",
        "error": "Something went wrong.",
        "bad_request": "Something in what you sent is not right. Check it and try again.",
        # errors owner: a field's problem -----------------------------------------------------
        "required": "This is required.",
        "required.disciplines": "Choose at least one discipline.",
        "not_an_email": "Enter a valid e-mail address.",
        "not_a_url": "Enter a web address starting with https://.",
        "not_a_reference": (
            "Use only letters, digits, spaces and these marks: . / : # + ( ) , ' & -"
        ),
        "not_a_member": "Choose a member from the list.",
        "not_a_week": "Enter a week like 2026-W05.",
        "not_a_quarter": "Enter a quarter like 2026-Q1.",
        "not_a_year": "Enter a year like 2026.",
        "bad_format": "This is not in the right form.",
        "below_minimum": "At least {minimum}.",
        "below_minimum.years_experience": "At least {minimum} years.",
        "below_minimum.amount_cents": "Enter an amount of at least {minimum}.",
        "above_maximum": "At most {maximum}.",
        "above_maximum.years_experience": "At most {maximum} years.",
        "above_maximum.amount_cents": "Enter an amount of at most {maximum}.",
        "too_long": "At most {maximum} characters.",
        "too_short": "At least {minimum} characters.",
        "too_many": "At most {maximum}.",
        "too_few": "At least {minimum}.",
        "not_a_whole_number": "Enter a whole number.",
        "not_a_whole_number.years_experience": "Enter a whole number of years.",
        "not_a_whole_number.amount_cents": "Enter a valid amount.",
        "not_a_number": "Enter a number.",
        "not_a_date": "Enter a valid date (yyyy-mm-dd).",
        "not_a_time": "Enter a valid date and time.",
        "not_yes_or_no": "Choose yes or no.",
        "not_a_choice": "Choose one of the options.",
        "not_text": "Enter text here.",
        "not_a_list": "This must be a list.",
        "not_an_object": "This must be a form with fields.",
        "unknown_field": "We do not know this field.",
        "control_characters": "This holds characters we cannot show (such as control characters).",
        "date_out_of_range": "Choose a date between {first} and {last}.",
        "time_out_of_range": "Choose a time between {first} and {last}.",
        "time_does_not_exist": "This time does not exist in the Netherlands (the clocks skip it).",
        "before_from": "This date is before the start date.",
        "range_too_long": "Choose at most {maximum} days (export year by year).",
        "nothing_to_change": "Change at least one field.",
        "cannot_be_empty": "These cannot be empty: {fields}.",
        "not_zero": "The amount cannot be zero (a credit note is negative).",
        "referrer_or_collective": "Choose a referrer or 'on behalf of the collective'.",
        "invalid_value": "This value is not right.",
        "not_a_cursor": "This page does not exist (any more); start again at the top.",
        # errors owner: signing in and rights -------------------------------------------------
        "unauthenticated": "You are not signed in (any more). Sign in and try again.",
        "token_expired": "Your session has expired. Sign in again.",
        "forbidden": "You may not do this.",
        "admins_only": "Only an admin may do this.",
        "sign_in_not_a_member": "This sign-in belongs to no member of the collective.",
        "membership_cancelled": "Your membership is cancelled.",
        "sign_in_needed": "Sign in to do this.",
        # errors owner: domain codes -------------------------------------------------------
        "ends_before_start": "The end must be after the start.",
        "longer_than_a_day": "A meeting lasts at most 24 hours.",
        "not_in_future": "Choose a moment in the future.",
        "too_little_experience": "Membership needs at least {minimum} years of work experience.",
        "out_of_range": "Choose a number from {minimum} to {maximum}.",
        "unsubscribe_link_invalid": "This unsubscribe link does not work. Copy the whole link from the mail.",
        "not_an_unsubscribe_link": "Copy the whole link from the mail.",
        "not_an_active_member": "Choose someone who is still a member.",
        "not_signed_up": "Choose only members who signed up.",
        "missing_in_mail": "The mail did not give this: fill it in.",
        "mail_lacks_fields": "The mail lacks what an opportunity needs: fill in {fields}.",
        "opportunity_awarded": "This opportunity has been awarded: nothing changes it any more.",
        "opportunity_closed": "This opportunity is closed: nothing changes it any more.",
        "opportunity_not_taking_interest": "This opportunity no longer takes interest.",
        "referrer_or_admin_only": "Only whoever brought the opportunity, or an admin, may do this.",
        "referrer_cannot_take_own": "Whoever brought an opportunity cannot take it on themselves.",
        "award_needs_interest": "Only a member who showed interest or talked with the client can be given the assignment.",
        "organiser_or_admin_only": "Only the meeting's organiser, or an admin, may do this.",
        "meeting_cancelled": "This meeting was cancelled.",
        "meeting_held": "This meeting has already taken place.",
        "meeting_started": "This meeting has already started.",
        "meeting_not_started": "The meeting has not started yet: mark attendance afterwards.",
        "application_approved": "This application has already been approved.",
        "application_rejected": "This application has already been rejected.",
        "membership_already_cancelled": "This membership is already cancelled.",
        "own_claim": "Another admin approves your own claim.",
        "claim_approved": "This claim has already been approved.",
        "claim_rejected": "This claim has already been rejected.",
        "credit_above_revenue": "This credit note ({amount}) is larger than the revenue reported so far ({revenue}).",
        "already_applied": "The e-mail address {email} has already applied or belongs to a member.",
        "application_not_found": "This application does not exist (any more).",
        "member_not_found": "This member does not exist (any more).",
        "membership_cancelled_unchangeable": "A cancelled membership can no longer change.",
        "opportunity_not_found": "This opportunity does not exist (any more).",
        "assignment_not_found": "This assignment does not exist (any more).",
        "claim_not_found": "This coin claim does not exist (any more).",
        "claim_decided_meanwhile": "This claim was decided meanwhile. Refresh the page.",
        "claim_year_distributed": "The coins can no longer be awarded: that year's pot has been distributed.",
        "meeting_not_found": "This meeting does not exist (any more).",
        "intake_not_found": "This incoming mail does not exist (any more).",
        "attachment_not_found": "This attachment does not exist.",
        "calendar_not_found": "This calendar link no longer works (it may have been reset).",
        "payout_above_owed": "The amount ({amount}) is more than the collective owes {member} ({owed}).",
        "clawback_above_owed": "This credit note takes {amount} back from {member}'s share, but only {owed} is still open: a payout was made meanwhile. Try again.",
        "year_distributed": "The pot of {year} has been distributed: it takes no more coins or money.",
        "idempotency_key_reused": "This reference was used before, with other details. Use a new reference or check the earlier booking.",
        "reference_already_booked": "The reference {reference} is already booked for {member}: a bank statement line is booked once.",
        "year_not_distributed": "The pot of {year} has not been distributed yet.",
        "week_not_ended": "Week {week} has not ended yet.",
        "year_not_ended": "{year} has not ended yet.",
        "coins_being_indexed": "The coins of {year} are still being counted. Try again in a minute.",
        "quarter_not_started": "Quarter {quarter} has not started yet.",
        "member_not_active": "{member} is no longer a member.",
        "admins_choose_organiser": "Only an admin chooses a meeting's organiser.",
        "capacity_below_registered": "{registered} members are registered: the number of seats cannot become {capacity}. Ask some to unregister first.",
        "pitch_needs_available": "Only members who are available for work give a pitch. Mark yourself available in your profile first.",
        "admins_post_for_collective": "Only an admin posts an opportunity on behalf of the collective.",
        "referrer_cannot_show_interest": "You cannot show interest in an opportunity you brought yourself.",
        "referrer_cannot_be_candidate": "Whoever brought the opportunity cannot be the member in conversation.",
        "assignment_not_yours": "Only the team, whoever brought the opportunity and admins see this assignment.",
        "revenue_by_team_or_admin": "Revenue is reported by a team member, or an admin on their behalf.",
        "invoice_reported_differently": "Invoice {invoice} was already reported with other details. Use another invoice number or check the earlier report.",
        # (end of errors owner's en block)
        # intake owner: the vocabulary and the mail intake ---------------------------------
        "not_a_discipline": "“{value}” is not a discipline: name a field or profession, such as “project manager” or “UX design”.",
        "not_a_sector": "“{value}” is not a sector: name an industry, such as “healthcare” or “government”.",
        "vocabulary_name_taken": "“{name}” already stands for {term}.",
        "vocabulary_term_not_found": "“{term}” is not a known discipline or sector.",
        "intake_already_accepted": "This mail was already made an opportunity, with other details than these. Refresh the page.",
        "opportunity_changed_meanwhile": "The opportunity changed meanwhile. Refresh the page and try again.",
        # (end of intake owner's en block)
        # web-member owner ------------------------------------------------------------
        "conversation_in_the_future": "A conversation is recorded after it took place: choose today or an earlier date.",
        # (end of web-member owner's en block)
        # teams-core owner: joint assignments (a team under one cap) -------------------------
        "team_lead_or_admin_only": "Only whoever leads the assignment, or an admin, invites members to the team.",
        "already_on_team": "{member} is on the team or invited already.",
        "referrer_cannot_join_team": "Whoever brought the opportunity cannot join the assignment's team: the referral share and the fee would mix.",
        "team_full": "The team is full: an assignment has at most {maximum} team members.",
        "team_invitation_not_yours": "You are not (or no longer) invited to this team.",
        "team_already_joined": "You are on this team already. To step out, leave the team.",
        "team_lead_admin_or_self": "Only whoever leads the assignment, an admin or the team member themselves takes someone off the team.",
        "team_member_not_found": "This member is not (or no longer) on the team.",
        "team_lead_stays": "Whoever leads the assignment stays on the team.",
        "team_member_has_revenue": "This team member has reported revenue and so stays on the team: that revenue bears part of the fee.",
        "revenue_member_not_on_team": "Revenue is reported for an active team member. This member is not on the team (yet).",
        # (end of teams-core owner's en block)
        # bank-refs owner: references and members' bank accounts ---------------------------
        "not_an_iban": "Enter a valid IBAN, such as NL91 ABNA 0417 1643 00: check the country code, the length and the digits.",
        "required.account_holder": "Enter the name the account is in, as your bank knows it.",
        "too_long.account_holder": "At most {maximum} characters: that is as long as a name in a transfer may be.",
        # (end of bank-refs owner's en block)
        # bank-statements owner: importing camt.053 statements, waiting lines ---------------
        "statement_too_large": "This file is too large for a bank statement (over {limit_mb} MB). Download a shorter period from your bank.",
        "statement_empty": "This file is empty. Choose the bank statement (camt.053) you downloaded from your bank.",
        "statement_not_xml": "This file is not a readable bank statement: it is not (complete) XML. Download the statement again as camt.053.",
        "statement_unsafe_xml": "This file holds XML parts a bank statement never has (a DTD or entities). It was not read.",
        "statement_wrong_format": "This file is not a bank statement in camt.053 format. Choose 'camt.053' as the format at your bank.",
        "statement_version_unsupported": "We do not read this version of camt.053 ({version}); versions 001.02 to 001.08 we do. Choose one of those at your bank.",
        "statement_no_account": "This statement names no account number (IBAN).",
        "statement_several_accounts": "This file holds statements of more than one account. Download only the collective's account.",
        "statement_not_euro": "Line {entry} of the statement is in {currency}, not in euros.",
        "statement_entry_no_amount": "Line {entry} of the statement has no amount.",
        "statement_entry_bad_amount": "Line {entry} of the statement has an amount we cannot read.",
        "statement_entry_no_direction": "Line {entry} of the statement does not say whether it was credited or debited.",
        "statement_entry_no_date": "Line {entry} of the statement has no valid booking date.",
        "statement_other_account": "This is a statement of account {account}, not of the collective's account. Nothing was booked.",
        "bank_line_not_found": "This bank statement line does not exist (any more).",
        "bank_line_decided": "This line was decided already (booked or set aside). Refresh the page.",
        "bank_line_not_a_credit": "This is a debit: only a credit is booked as a member's payment.",
        # (end of bank-statements owner's en block)
        # bank-payouts owner: payout batches ----------------------------------------------
        "payout_batch_not_found": "This payout batch does not exist (any more).",
        "payout_batch_nothing_to_pay": "There is nobody to pay: the collective owes nothing to anyone who gave an IBAN. Members without an IBAN: {skipped}.",
        "payout_batch_four_eyes": "You prepared this payout batch yourself. Another admin approves it: that way two people always look at a payment.",
        "payout_batch_not_prepared": "This payout batch was approved already.",
        "payout_batch_not_approved": "The payment file is there once another admin has approved the payout batch.",
        "payout_batch_incomplete": "Approving this payout batch did not quite finish. Approve it once more: what was booked already is not booked again.",
        "payout_batch_no_transfers": "This payout batch holds no transfer: everything was offset against what members owed. So there is no payment file.",
        # (end of bank-payouts owner's en block)
    },
}


def label(field: str, language: str) -> str:
    """A field's name as a person reads it; a nested one (`disciplines.2`) by its first part."""
    lang = language_or_default(language)
    labels = LABELS[lang]
    if field in labels:
        return labels[field]
    first = field.split(".")[0]
    if first in labels:
        return labels[first]
    # a name we have no label for: its words if it is a plain name, else no echo of it
    if first.isascii() and first.replace("_", "").isalpha():
        return first.replace("_", " ")
    return "een onbekend veld" if lang == "nl" else "an unknown field"


def _readable(value: Any, language: Language) -> Any:
    from chalicelib.domain.errors import Cents  # the domain is light: no cycle, no cost

    if isinstance(value, Cents):
        return money(value, language)
    if isinstance(value, date):
        return day(value, language)
    if isinstance(value, list | tuple | set | frozenset):
        return joined([str(_readable(v, language)) for v in value], language)
    return value


# Parameters a text may name that the raiser could not always give (a member's name needs a
# read the store that noticed the problem does not make): the words used instead.
DEFAULT_PARAMS: dict[Language, dict[str, str]] = {
    "nl": {"member": "dit lid"},
    "en": {"member": "this member"},
}


class _WithDefaults(dict[str, Any]):
    def __init__(self, values: Mapping[str, Any], language: Language) -> None:
        super().__init__(values)
        self.language = language

    def __missing__(self, key: str) -> Any:
        return DEFAULT_PARAMS[self.language][key]  # KeyError: the text cannot be filled in


def fill(template: str, language: Language, params: Mapping[str, Any]) -> str:
    readable = {k: _readable(v, language) for k, v in params.items() if v is not None}
    return template.format_map(_WithDefaults(readable, language))


def render(
    code: str, language: str, params: Mapping[str, Any] | None = None, status: int = 400
) -> str:
    """The sentence for `code` in `language`; the generic one for `status` if there is none."""
    lang = language_or_default(language)
    template = ERRORS[lang].get(code)
    if template is not None:
        try:
            return fill(template, lang, params or {})
        except (KeyError, IndexError, ValueError):
            log.warning("error text %s/%s lacks a parameter: %s", lang, code, sorted(params or {}))
    else:
        log.warning("no %s text for error code %s", lang, code)
    return generic(status, lang)


def generic(status: int, language: str) -> str:
    lang = language_or_default(language)
    texts = GENERIC[lang]
    return texts.get(status) or texts[500 if status >= 500 else 400]


def render_field(
    field: str, code: str, language: str, params: Mapping[str, Any] | None = None
) -> str:
    """The sentence next to a field: `"<code>.<field>"` if it has one, else `"<code>"`."""
    lang = language_or_default(language)
    base = field.split(".")[0]
    for key in (f"{code}.{field}", f"{code}.{base}", code):
        template = ERRORS[lang].get(key)
        if template is not None:
            try:
                return fill(template, lang, params or {})
            except (KeyError, IndexError, ValueError):
                log.warning("error text %s/%s lacks a parameter", lang, key)
    log.warning("no %s text for field code %s", lang, code)
    return ERRORS[lang]["invalid_value"]
