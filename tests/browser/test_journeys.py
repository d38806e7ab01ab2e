"""Whole journeys through the web app as people make them, in a real browser, against the
local runtime. Each test uses its own people so the tests do not depend on each other."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from devtools.runtime_process import RuntimeProcess
from tests.browser.conftest import App, euros, serious_violations

TREASURER = "ton@co-operations.nl"
PASSWORD = "Fresh-pass-1!"


def test_apply_get_approved_and_sign_in_for_the_first_time(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    # Given someone who applies with too little experience
    fleur = new_app().open("/apply")
    page = fleur.page
    page.get_by_label("Naam").fill("Fleur Mulder")
    page.get_by_label("E-mailadres", exact=True).fill("fleur@example.nl")
    page.get_by_label("Vakgebieden").fill("legal, privacy")
    page.get_by_label("Jaren werkervaring").fill("3")
    page.get_by_role("button", name="Aanmelding versturen").click()
    # then the API's message for that field shows next to it
    years = page.get_by_label("Jaren werkervaring")
    expect(years).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-field=years_experience] .field-error")).to_have_text(
        "Minimaal 5 jaar."
    )
    fleur.check_accessibility()
    # and corrected, the application goes through
    years.fill("15")
    page.get_by_role("button", name="Aanmelding versturen").click()
    expect(page.get_by_role("heading", name="Bedankt voor je aanmelding")).to_be_visible()
    fleur.check_accessibility()

    # When the treasurer approves it
    ton = new_app().sign_in(TREASURER).go("Aanmeldingen")
    ton.check_accessibility()
    ton.page.get_by_role("button", name="Fleur Mulder toelaten").click()
    expect(ton.page.get_by_role("button", name="Fleur Mulder toelaten")).to_have_count(0)

    # then Fleur finds the invitation in the local mailbox (the sign-in page links to it),
    fleur.open("/signin")
    page.get_by_role("link", name="lokale mailbox").click()
    invitation = (
        page.get_by_role("article")
        .filter(has_text="Aan / to: fleur@example.nl")
        .filter(has_text="Welkom bij Co-operations")  # not the receipt of her application
    )
    expect(invitation).to_contain_text("Welkom bij Co-operations")
    temporary = re.search(r"tijdelijke wachtwoord: (\S+)", invitation.inner_text())
    assert temporary is not None
    assert serious_violations(page) == []
    # signs in with the temporary password and chooses her own
    fleur.open("/signin")
    page.get_by_label("E-mailadres", exact=True).fill("fleur@example.nl")
    page.get_by_label("Wachtwoord", exact=True).fill(temporary.group(1))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Kies een eigen wachtwoord")).to_be_visible()
    fleur.check_accessibility()
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("Fleur-pass-1!")
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill("Fleur-pass-1!")
    page.get_by_role("button", name="Wachtwoord opslaan en inloggen").click()
    # and her home page shows the registration fee and the first quarter's dues owed,
    # with how to pay them
    owed = page.get_by_role("region", name="Wat ik verschuldigd ben")
    expect(owed).to_contain_text(euros("€ 100,00"))
    expect(owed).to_contain_text("Vermeld als kenmerk")
    fleur.check_accessibility()

    # When the treasurer records a payment of 60 euros
    ton.go("Te ontvangen")
    ton.page.get_by_role("button", name="Betaling van Fleur Mulder vastleggen").click()
    form = ton.page.get_by_role("form", name="Betaling van Fleur Mulder")
    form.get_by_label("Bedrag (€)").fill("60,00")
    form.get_by_label("Kenmerk (bankafschrift)").fill("NL-2026-0042")
    ton.check_accessibility()
    form.get_by_role("button", name="Betaling van Fleur Mulder boeken").click()
    expect(ton.page.get_by_role("status").filter(has_text="geboekt")).to_be_visible()

    # then what Fleur owes drops to 40 euros
    fleur.open("/")
    expect(page.get_by_role("region", name="Wat ik verschuldigd ben")).to_contain_text(
        euros("€ 40,00")
    )


def test_from_opportunity_to_revenue_on_a_phone(new_app: Any) -> None:
    # Given Patrick posts an opportunity from his phone
    patrick = new_app(phone=True).sign_in("patrick.bakker@example.nl")
    patrick.go("Kansen")
    patrick.page.get_by_role("link", name="Kans plaatsen").click()
    patrick.settled()
    form = patrick.page
    form.get_by_label("Titel").fill("Interim data architect, provincie")
    form.get_by_label("Omschrijving").fill("Zes maanden, drie dagen per week.")
    form.get_by_label("Vakgebieden").fill("data-engineering")
    form.get_by_label("Sector").fill("government")
    patrick.check_accessibility()
    form.get_by_role("button", name="Kans plaatsen").click()
    expect(form.get_by_role("heading", name="Interim data architect, provincie")).to_be_visible()
    opportunity_url = form.url

    # When Mieke expresses interest with a note
    mieke = new_app(phone=True).sign_in("mieke.jansen@example.nl").go("Kansen")
    mieke.page.get_by_role("link", name="Interim data architect, provincie").click()
    mieke.settled()
    mieke.page.get_by_label("Toelichting voor de aanbrenger").fill(
        "Deed dit eerder bij Rijkswaterstaat"
    )
    mieke.page.get_by_role("button", name="Ik heb interesse").click()
    expect(mieke.page.get_by_text("Je hebt interesse getoond")).to_be_visible()
    mieke.check_accessibility()

    # then Patrick sees her as a candidate, with why she matches
    assert patrick.page.url == opportunity_url
    patrick.page.reload()
    patrick.settled()
    candidate = patrick.page.get_by_role("listitem").filter(has_text="Mieke Jansen")
    expect(candidate).to_contain_text("1 gedeeld(e) vakgebied(en): data-engineering")
    expect(candidate).to_contain_text("Deed dit eerder bij Rijkswaterstaat")
    patrick.check_accessibility()

    # When Mieke takes the assignment with the small tier and reports 20.000 euros
    mieke.page.reload()
    mieke.settled()
    mieke.page.get_by_role("button", name="Opdracht vastleggen").click()
    expect(mieke.page.get_by_text(euros("de fee stopt bij € 5.000,00"))).to_be_visible()
    mieke.page.get_by_role("radio", name=re.compile("^Klein")).check()
    mieke.check_accessibility()
    mieke.page.get_by_role("button", name="Verder naar de samenvatting").click()
    expect(mieke.page.get_by_test_id("award-fee")).to_have_text(
        euros("15 % van je omzet tot € 5.000,00")
    )
    mieke.page.get_by_role("button", name="Opdracht aannemen").click()
    expect(mieke.page.get_by_role("heading", name="Omzet of creditnota melden")).to_be_visible()
    mieke.settled()
    mieke.page.get_by_label("Bedrag (€, exclusief btw)").fill("20.000,00")
    mieke.page.get_by_label("Factuurnummer").fill("2026-017")
    mieke.page.get_by_role("button", name="Melden").click()

    # then the bar shows the cumulative fee against the cap
    bar = mieke.page.get_by_role("img", name=re.compile("^Fee tot nu toe"))
    expect(bar).to_have_attribute("aria-label", euros("Fee tot nu toe: € 3.000,00 van € 5.000,00"))
    mieke.check_accessibility()
    # and Patrick's home page shows his referral share to receive
    patrick.go("Start")
    expect(
        patrick.page.get_by_role("region", name="Wat het collectief mij betaalt")
    ).to_contain_text(euros("€ 1.500,00"))
    patrick.go("Opdrachten")
    expect(patrick.page.get_by_role("region", name="Opdrachten die ik aanbracht")).to_contain_text(
        euros("€ 1.500,00")
    )
    patrick.check_accessibility()


def test_an_approved_publicity_claim_shows_as_coins(new_app: Any) -> None:
    sanne = new_app().sign_in("sanne.visser@example.nl").go("Coins")
    sanne.page.get_by_label("Wat heb je gedaan?").fill(
        "Podcast Zelfstandig Sterk over het collectief"
    )
    sanne.page.get_by_role("button", name="Claim indienen").click()
    expect(sanne.page.get_by_text("in behandeling")).to_be_visible()
    sanne.check_accessibility()

    ton = new_app().sign_in(TREASURER).go("Coin-claims")
    ton.check_accessibility()
    ton.page.get_by_label("Aantal coins voor Sanne Visser").fill("5")
    ton.page.get_by_role("button", name="Claim van Sanne Visser toekennen").click()
    expect(ton.page.get_by_text("Geen claims te beoordelen.")).to_be_visible()

    sanne.open("/coins")
    expect(sanne.page.get_by_test_id("coins-total")).to_have_text("5")
    expect(sanne.page.get_by_text("toegekend")).to_be_visible()


def test_english_switch_is_remembered(new_app: Any) -> None:
    ton = new_app().sign_in(TREASURER)
    ton.page.get_by_role("button", name="English").click()
    expect(ton.page.get_by_role("heading", name="My Co-operations")).to_be_visible()
    expect(ton.page.get_by_role("region", name="What I owe")).to_contain_text(euros("€ 100,00"))
    ton.check_accessibility()
    ton.page.reload()
    ton.settled()
    expect(ton.page.get_by_role("link", name="Opportunities", exact=True)).to_be_visible()
    expect(ton.page.locator("html")).to_have_attribute("lang", "en")
    ton.page.get_by_role("button", name="Nederlands").click()
    expect(ton.page.get_by_role("heading", name="Mijn Co-operations")).to_be_visible()


def test_an_expired_session_returns_to_sign_in_and_then_to_where_one_was(new_app: Any) -> None:
    mieke = new_app().sign_in("mieke.jansen@example.nl")
    # Tokens that no longer work and a refresh token Cognito does not know
    mieke.page.evaluate(
        """() => {
        const s = JSON.parse(localStorage.getItem('coop.session'));
        s.idToken = s.idToken.slice(0, -8) + 'AAAAAAAA';
        s.refreshToken = 'revoked';
        localStorage.setItem('coop.session', JSON.stringify(s));
    }"""
    )
    mieke.page.goto(f"{mieke.runtime.web_url}/#/statement")
    expect(mieke.page.get_by_role("heading", name="Inloggen")).to_be_visible()
    expect(mieke.page.get_by_text("Je sessie is verlopen")).to_be_visible()
    mieke.page.get_by_label("E-mailadres", exact=True).fill("mieke.jansen@example.nl")
    mieke.page.get_by_label("Wachtwoord", exact=True).fill(
        mieke.runtime.user("mieke.jansen@example.nl")["password"]
    )
    mieke.page.get_by_role("button", name="Inloggen").click()
    expect(mieke.page.get_by_role("heading", name="Mijn overzicht")).to_be_visible()
    assert mieke.page.url.endswith("#/statement")


def test_tokens_refresh_silently(new_app: Any) -> None:
    mieke = new_app().sign_in("mieke.jansen@example.nl")
    old = mieke.page.evaluate("JSON.parse(localStorage.getItem('coop.session')).idToken")
    # The ID token is about to expire: the next call refreshes it first, without asking
    mieke.page.evaluate(
        """() => {
        const s = JSON.parse(localStorage.getItem('coop.session'));
        s.expiresAt = Date.now() + 1000;
        localStorage.setItem('coop.session', JSON.stringify(s));
    }"""
    )
    mieke.go("Overzicht")
    expect(mieke.page.get_by_role("heading", name="Mijn overzicht")).to_be_visible()
    new = mieke.page.evaluate("JSON.parse(localStorage.getItem('coop.session'))")
    assert new["idToken"] != old and new["expiresAt"] > 0


def test_a_forgotten_password_is_replaced(new_app: Any) -> None:
    daan = new_app().open("/signin")
    daan.page.get_by_role("link", name="Wachtwoord vergeten?").click()
    daan.settled()
    daan.page.get_by_label("E-mailadres", exact=True).fill("daan.smit@example.nl")
    daan.page.get_by_role("button", name="Code versturen").click()
    expect(daan.page.get_by_text("elke code werkt")).to_be_visible()
    daan.check_accessibility()
    daan.page.get_by_label("Code").fill("123456")
    daan.page.get_by_label("Nieuw wachtwoord", exact=True).fill("Daan-new-pass-1!")
    daan.page.get_by_role("button", name="Nieuw wachtwoord instellen").click()
    expect(daan.page.get_by_text("Je wachtwoord is gewijzigd")).to_be_visible()
    daan.sign_in("daan.smit@example.nl", "Daan-new-pass-1!")


def test_wrong_password_is_explained_and_sign_out_clears_everything(new_app: Any) -> None:
    sanne = new_app().open("/signin")
    sanne.page.get_by_label("E-mailadres", exact=True).fill("sanne.visser@example.nl")
    sanne.page.get_by_label("Wachtwoord", exact=True).fill("not-her-password")
    sanne.page.get_by_role("button", name="Inloggen").click()
    expect(sanne.page.get_by_role("alert")).to_have_text("E-mailadres of wachtwoord klopt niet.")

    sanne.sign_in("sanne.visser@example.nl")
    sanne.page.get_by_role("button", name="Uitloggen").click()
    expect(sanne.page.get_by_role("heading", name="Inloggen")).to_be_visible()
    assert sanne.page.evaluate("localStorage.getItem('coop.session')") is None
    sanne.page.goto(f"{sanne.runtime.web_url}/#/statement")
    expect(sanne.page.get_by_role("heading", name="Inloggen")).to_be_visible()


def admitted_member(new_app: Any, runtime: RuntimeProcess, name: str, email: str) -> App:
    """Someone the treasurer admitted (through the API), signed in for the first time."""
    admin = runtime.token(TREASURER, runtime.user(TREASURER)["password"])
    application = {"name": name, "email": email, "disciplines": ["legal"], "years_experience": 9}
    _, created = runtime.call("POST", "/applications", application)
    runtime.call("POST", f"/applications/{created['id']}/approve", token=admin)
    # the invitation among the mails (the application's receipt came first)
    bodies = [mail["body"] for mail in runtime.sent_mail(email)]
    [temporary] = [m for b in bodies if (m := re.search(r"tijdelijke wachtwoord: (\S+)", b))]
    app = new_app().open("/signin")
    app.page.get_by_label("E-mailadres", exact=True).fill(email)
    app.page.get_by_label("Wachtwoord", exact=True).fill(temporary.group(1))
    app.page.get_by_role("button", name="Inloggen").click()
    app.page.get_by_label("Nieuw wachtwoord", exact=True).fill(PASSWORD)
    app.page.get_by_label("Herhaal het nieuwe wachtwoord").fill(PASSWORD)
    app.page.get_by_role("button", name="Wachtwoord opslaan en inloggen").click()
    expect(app.page.get_by_role("heading", name="Mijn Co-operations")).to_be_visible()
    app.settled()
    return app


def test_the_profile_changes_what_members_see_and_the_language(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    lotte = admitted_member(new_app, runtime, "Lotte de Wit", "lotte@example.nl")
    lotte.go("Profiel")
    page = lotte.page
    page.get_by_label("Kopregel").fill("Privacyjurist voor zorginstellingen")
    page.get_by_label("Ik ben beschikbaar voor nieuwe opdrachten").uncheck()
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Profiel opslaan").click()
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    lotte.check_accessibility()

    lotte.go("Members")
    page.get_by_label("Availability").select_option("false")
    page.get_by_role("button", name="Filter").click()
    entry = page.get_by_role("listitem").filter(has_text="Lotte de Wit")
    expect(entry).to_contain_text("Privacyjurist voor zorginstellingen")
    expect(entry).to_contain_text("not available")
    token = runtime.token("lotte@example.nl", PASSWORD)
    assert runtime.call("GET", "/members/me", token=token)[1]["language"] == "en"


def test_cancelling_membership_is_explained_and_confirmed(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    kees = admitted_member(new_app, runtime, "Kees Bos", "kees@example.nl")
    kees.go("Profiel")
    kees.check_accessibility()
    kees.page.get_by_role("button", name="Lidmaatschap opzeggen").click()
    dialog = kees.page.get_by_role("dialog", name="Weet je het zeker?")
    expect(dialog).to_be_visible()
    kees.check_accessibility()
    dialog.get_by_role("button", name="Annuleren").click()
    expect(dialog).to_have_count(0)
    kees.page.get_by_role("button", name="Lidmaatschap opzeggen").click()
    kees.page.get_by_role("button", name="Ja, zeg mijn lidmaatschap op").click()
    expect(kees.page.get_by_text("Je lidmaatschap is opgezegd")).to_be_visible()

    # Signing in again shows, read-only, when it ended, what is still owed, the statement
    kees.page.get_by_label("E-mailadres", exact=True).fill("kees@example.nl")
    kees.page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    kees.page.get_by_role("button", name="Inloggen").click()
    page = kees.page
    expect(page.get_by_role("heading", name="Je lidmaatschap is beëindigd")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Je lidmaatschap is beëindigd op \d"))).to_be_visible()
    owed = page.get_by_text(euros("Je bent het collectief nog € 100,00 verschuldigd"))
    expect(owed).to_be_visible()
    # where to pay it: the collective's account and the member's reference
    expect(owed).to_contain_text(re.compile(r"naar NL[\dA-Z ]+ t\.n\.v\. .+, met kenmerk \S"))
    expect(page.get_by_role("region", name="Boekingen, nieuwste eerst")).to_contain_text(
        "Inschrijfgeld"
    )
    expect(page.get_by_role("link", name="Kansen")).to_have_count(0)  # no menu: nothing else
    kees.check_accessibility()
    page.goto(f"{runtime.web_url}/#/opportunities")
    expect(page.get_by_role("heading", name="Je lidmaatschap is beëindigd")).to_be_visible()
    kees.settled()
    assert page.url.endswith("#/")
    page.get_by_role("main").get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()


def test_keyboard_only_sign_in_with_visible_focus(new_app: Any) -> None:
    ton = new_app().open("/signin")
    page = ton.page
    # the page's heading has the focus after a route change; the skip link comes first
    expect(page.get_by_role("heading", name="Inloggen")).to_be_focused()
    first = "document.querySelector('a[href], button, input, select, textarea').id"
    assert page.evaluate(first) == "skip-link"
    page.keyboard.press("Tab")
    email = page.get_by_label("E-mailadres", exact=True)
    expect(email).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type(TREASURER)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord", exact=True)).to_be_focused()
    page.keyboard.type(ton.runtime.user(TREASURER)["password"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Mijn Co-operations")).to_be_visible()


def test_the_service_worker_caches_the_app_shell_but_never_money(new_app: Any) -> None:
    ton = new_app().sign_in(TREASURER)
    cached = ton.page.evaluate(
        """async () => {
        await navigator.serviceWorker.ready;
        const names = await caches.keys();
        const urls = [];
        for (const name of names) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return {names, urls};
    }"""
    )
    assert cached["names"] == ["coop-shell-v1"]
    assert any(url.endswith("/js/app.js") for url in cached["urls"])
    web_origin = ton.runtime.web_url
    assert all(url.startswith(web_origin) for url in cached["urls"])  # no API answer
    assert not any(url.endswith("config.json") for url in cached["urls"])
