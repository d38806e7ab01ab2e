"""The member's web app as a Dutch member who is not technical uses it (issue 16): taking an
assignment as a deliberate step, money in view on a phone, references as typed, the focus
after an action, where one's interest stands, one language setting, a session that expires
on a deep page, passwords checked before sending and changed on the profile."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from devtools.runtime_process import RuntimeProcess
from tests.browser.conftest import App, euros
from tests.browser.test_journeys import PASSWORD, TREASURER

PATRICK = "patrick.bakker@example.nl"


def post_opportunity(runtime: RuntimeProcess, title: str) -> str:
    token = runtime.token(PATRICK, runtime.user(PATRICK)["password"])
    body = {"title": title, "description": "Drie maanden.", "disciplines": ["legal"]}
    status, posted = runtime.call("POST", "/opportunities", body, token=token)
    assert status == 201
    return str(posted["id"])


def admitted_member(new_app: Any, runtime: RuntimeProcess, name: str, email: str) -> App:
    """Someone the treasurer admitted (through the API), signed in for the first time with
    the invitation's temporary password and their own new one."""
    admin = runtime.token(TREASURER, runtime.user(TREASURER)["password"])
    application = {"name": name, "email": email, "disciplines": ["legal"], "years_experience": 9}
    _, created = runtime.call("POST", "/applications", application)
    runtime.call("POST", f"/applications/{created['id']}/approve", token=admin)
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


def money_in_view(page: Page) -> None:
    """Every amount cell of the page is inside the phone's screen, and nothing scrolls sideways."""
    found = page.evaluate(
        """() => ({
        sideways: document.documentElement.scrollWidth - window.innerWidth,
        cells: [...document.querySelectorAll('main td.num')].map((td) => {
            const r = td.getBoundingClientRect();
            return {text: td.innerText, left: r.left, right: r.right, width: r.width};
        }),
        width: window.innerWidth,
    })"""
    )
    assert found["sideways"] <= 0, found
    assert found["cells"], "no amounts on the page"
    for cell in found["cells"]:
        assert cell["width"] > 0 and cell["left"] >= 0 and cell["right"] <= found["width"], cell


def test_taking_an_assignment_is_a_deliberate_step_and_money_stays_in_view_on_a_phone(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    opportunity_id = post_opportunity(runtime, "Privacy-audit bij een gemeente")
    admitted_member(new_app, runtime, "Rosa Vermeer", "rosa@example.nl")
    rosa = new_app(phone=True).sign_in("rosa@example.nl", PASSWORD)
    page = rosa.page

    # Rosa shows interest: the focus goes to the result, and she sees where it stands
    rosa.open(f"/opportunities/{opportunity_id}")
    page.get_by_label("Toelichting voor de aanbrenger").fill("Ik deed er drie")
    page.get_by_role("button", name="Ik heb interesse").click()
    expect(
        page.get_by_role("status").filter(has_text="Je interesse is doorgegeven")
    ).to_be_focused()
    expect(page.get_by_test_id("my-stage")).to_contain_text("nog geen gesprek")

    # Patrick records a conversation: not in the future, and the history names Rosa
    patrick = new_app().sign_in(PATRICK)
    patrick.open(f"/opportunities/{opportunity_id}")
    held_on = patrick.page.get_by_label("Datum gesprek van Rosa Vermeer met de opdrachtgever")
    assert held_on.get_attribute("max") == held_on.input_value()  # today at the latest
    held_on.evaluate("(input) => { input.removeAttribute('max'); input.value = '2999-01-01'; }")
    patrick.page.get_by_role("button", name=re.compile("Rosa Vermeer")).click()
    expect(held_on).to_have_attribute("aria-invalid", "true")
    expect(patrick.page.locator("[data-field=held_on] .field-error")).to_contain_text("toekomst")
    held_on.evaluate("(input) => { input.value = input.defaultValue; }")
    patrick.page.get_by_role("button", name=re.compile("Rosa Vermeer")).click()
    expect(patrick.page.get_by_role("status").filter(has_text="Rosa Vermeer")).to_be_focused()
    expect(patrick.page.locator("ol.history")).to_contain_text(
        "gesprek met Rosa Vermeer vastgelegd · Patrick Bakker"
    )
    patrick.check_accessibility()

    # Rosa sees she is in conversation, then records the assignment step by step
    rosa.open(f"/opportunities/{opportunity_id}")
    expect(page.get_by_test_id("my-stage")).to_contain_text("je bent in gesprek")
    expect(page.get_by_role("radio")).to_have_count(0)  # nothing chosen for her up front
    page.get_by_role("button", name="Opdracht vastleggen").click()
    page.get_by_role("button", name="Verder naar de samenvatting").click()
    expect(page.locator("[data-field=contribution] .field-error")).to_have_text(
        "Kies hoe groot de bijdrage van het collectief was."
    )
    page.get_by_role("radio", name=re.compile("^Klein")).check()
    rosa.check_accessibility()
    page.get_by_role("button", name="Verder naar de samenvatting").click()
    expect(page.get_by_role("heading", name="Klopt dit?")).to_be_visible()
    expect(page.get_by_test_id("award-fee")).to_have_text(euros("15 % van je omzet tot € 5.000,00"))
    expect(page.get_by_test_id("award-referrer")).to_have_text(
        euros("Patrick Bakker krijgt 50 % van die fee: tot € 2.500,00")
    )
    rosa.check_accessibility()
    page.get_by_role("button", name="Opdracht aannemen").click()
    expect(page.get_by_role("heading", name="Omzet of creditnota melden")).to_be_visible()
    rosa.settled()

    # she reports an invoice numbered as her invoices are (spaces included)
    page.get_by_label("Bedrag (€, exclusief btw)").fill("20.000,00")
    page.get_by_label("Factuurnummer").fill("INV 2026 017")
    page.get_by_role("button", name="Melden").click()
    expect(page.get_by_role("status").filter(has_text="geboekt")).to_be_focused()
    report = page.get_by_role("region", name="Gemelde omzet")
    expect(report).to_contain_text("INV 2026 017")
    expect(report).to_contain_text(euros("€ 20.000,00"))
    money_in_view(page)
    rosa.check_accessibility()

    # the statement shows every amount on the phone's screen
    rosa.go("Overzicht")
    money_in_view(page)
    rosa.check_accessibility()

    # a long link in a coin claim does not make the coins page scroll sideways
    rosa.go("Coins")
    expect(page.get_by_text("Coins krijg je voor wat je voor het collectief doet")).to_be_visible()
    page.get_by_label("Wat heb je gedaan?").fill("Artikel over het collectief")
    page.get_by_label(re.compile("^Link")).fill("https://example.nl/" + "artikel-" * 30)
    page.get_by_role("button", name="Claim indienen").click()
    expect(page.get_by_role("status").filter(has_text="ingediend")).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    rosa.check_accessibility()


def test_one_language_for_the_app_the_profile_and_the_mails(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    joost = admitted_member(new_app, runtime, "Joost Kramer", "joost@example.nl")
    joost.page.get_by_role("button", name="English").click()
    expect(joost.page.get_by_role("heading", name="My Co-operations")).to_be_visible()
    token = runtime.token("joost@example.nl", PASSWORD)
    assert runtime.call("GET", "/members/me", token=token)[1]["language"] == "en"

    # signing in elsewhere (a browser that never chose) takes the profile's language
    elsewhere = new_app().open("/signin")
    elsewhere.page.get_by_label("E-mailadres", exact=True).fill("joost@example.nl")
    elsewhere.page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    elsewhere.page.get_by_role("button", name="Inloggen").click()
    expect(elsewhere.page.get_by_role("heading", name="My Co-operations")).to_be_visible()

    # and the profile's choice switches the app back; saving keeps the focus on the result
    elsewhere.go("Profile")
    elsewhere.page.get_by_label("Language").select_option("nl")
    elsewhere.page.get_by_role("button", name="Save profile").click()
    expect(elsewhere.page.get_by_role("heading", name="Mijn profiel")).to_be_visible()
    expect(elsewhere.page.get_by_role("status").filter(has_text="opgeslagen")).to_be_focused()
    assert runtime.call("GET", "/members/me", token=token)[1]["language"] == "nl"
    elsewhere.check_accessibility()


def test_an_expired_session_on_a_deep_page_returns_there(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    opportunity_id = post_opportunity(runtime, "Contractmanagement, waterschap")
    sanne = new_app().sign_in("sanne.visser@example.nl")
    sanne.open(f"/opportunities/{opportunity_id}")
    sanne.page.evaluate(
        """() => {
        const s = JSON.parse(localStorage.getItem('coop.session'));
        s.idToken = s.idToken.slice(0, -8) + 'AAAAAAAA';
        s.refreshToken = 'revoked';
        localStorage.setItem('coop.session', JSON.stringify(s));
    }"""
    )
    sanne.page.reload()
    expect(sanne.page.get_by_role("heading", name="Inloggen")).to_be_visible()
    expect(sanne.page.get_by_text("Je sessie is verlopen")).to_be_visible()
    sanne.page.get_by_label("E-mailadres", exact=True).fill("sanne.visser@example.nl")
    sanne.page.get_by_label("Wachtwoord", exact=True).fill(
        runtime.user("sanne.visser@example.nl")["password"]
    )
    sanne.page.get_by_role("button", name="Inloggen").click()
    expect(sanne.page.get_by_role("heading", name="Contractmanagement, waterschap")).to_be_visible()
    assert sanne.page.url.endswith(f"#/opportunities/{opportunity_id}")


def field_error(app: App, name: str) -> Any:
    return app.page.locator(f"[data-field={name}] .field-error")


def test_passwords_are_checked_before_sending_and_changed_on_the_profile(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    # forgotten password: an empty address is stopped next to the field
    guest = new_app().open("/forgot")
    guest.page.get_by_role("button", name="Code versturen").click()
    expect(guest.page.get_by_label("E-mailadres", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(field_error(guest, "email")).to_have_text("Vul je e-mailadres in.")
    guest.page.get_by_label("E-mailadres", exact=True).fill("daan.smit@example.nl")
    guest.page.get_by_role("button", name="Code versturen").click()
    expect(guest.page.get_by_text("Minstens 12 tekens, met een hoofdletter")).to_be_visible()
    guest.page.get_by_label("Code").fill("123456")
    guest.page.get_by_label("Nieuw wachtwoord", exact=True).fill("kort1")
    guest.page.get_by_role("button", name="Nieuw wachtwoord instellen").click()
    expect(field_error(guest, "password")).to_have_text(
        "Dit wachtwoord mist nog: minstens 12 tekens, een hoofdletter."
    )
    guest.check_accessibility()

    # the profile: change the password (the current one first), then sign in with it
    lieke = admitted_member(new_app, runtime, "Lieke Dekker", "lieke@example.nl")
    lieke.go("Profiel")
    page = lieke.page
    page.get_by_label("Huidig wachtwoord").fill("Not-my-pass-1")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("Lieke-nieuw-2026")
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill("Lieke-nieuw-2026")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(field_error(lieke, "current")).to_have_text("Je huidige wachtwoord klopt niet.")
    page.get_by_label("Huidig wachtwoord").fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("Lieke-nieuw-2026")
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill("Lieke-nieuw-2026")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.get_by_role("status").filter(has_text="Je wachtwoord is gewijzigd")).to_be_focused()
    lieke.check_accessibility()
    page.get_by_role("button", name="Uitloggen").click()
    lieke.sign_in("lieke@example.nl", "Lieke-nieuw-2026")
