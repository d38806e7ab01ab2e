"""A joint assignment in the browser (issue 18): Mieke takes an assignment and invites Jan from
the directory, Jan accepts from the link in his mail on his phone, both report revenue, and
each sees their own figures and the team's totals, never the other's; the treasurer sees the
split. The amounts are the SPEC's worked example with Jan's invoice made different from
Mieke's, so that none of Mieke's figures can appear on Jan's pages by coincidence."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from playwright.sync_api import Locator, Page, expect

from devtools.runtime_process import RuntimeProcess
from tests.browser.conftest import App, euros

TREASURER = "ton@co-operations.nl"
MIEKE = "mieke.jansen@example.nl"
PATRICK = "patrick.bakker@example.nl"
JAN = "jan.team@example.nl"
PASSWORD = "Fresh-pass-1!"
TITLE = "Datamigratie voor een waterschap"

# Mieke reports € 20.000 (fee € 3.000, all hers); Jan reports € 25.000: the team's fee
# would be € 6.750, capped at € 5.000, borne 20:25 -> € 2.222,22 and € 2.777,78 (the cent left
# over goes to Jan's larger remainder).
MIEKE_REVENUE, MIEKE_FEE_ALONE, MIEKE_FEE = "€ 20.000,00", "€ 3.000,00", "€ 2.222,22"
JAN_REVENUE, JAN_FEE = "€ 25.000,00", "€ 2.777,78"
TEAM_REVENUE, CAP = "€ 45.000,00", "€ 5.000,00"


def token(runtime: RuntimeProcess, email: str) -> str:
    return runtime.token(email, runtime.user(email)["password"])


def admitted_on_a_phone(new_app: Any, runtime: RuntimeProcess, name: str, email: str) -> App:
    """Someone the treasurer admitted (through the API), signed in for the first time on a phone."""
    application = {
        "name": name,
        "email": email,
        "disciplines": ["data-engineering"],
        "years_experience": 14,
    }
    status, created = runtime.call("POST", "/applications", application)
    assert status == 201, created
    status, _ = runtime.call(
        "POST", f"/applications/{created['id']}/approve", token=token(runtime, TREASURER)
    )
    assert status == 200
    bodies = [mail["body"] for mail in runtime.sent_mail(email)]
    [temporary] = [m for b in bodies if (m := re.search(r"tijdelijke wachtwoord: (\S+)", b))]
    app = new_app(phone=True).open("/signin")
    app.page.get_by_label("E-mailadres", exact=True).fill(email)
    app.page.get_by_label("Wachtwoord", exact=True).fill(temporary.group(1))
    app.page.get_by_role("button", name="Inloggen").click()
    app.page.get_by_label("Nieuw wachtwoord", exact=True).fill(PASSWORD)
    app.page.get_by_label("Herhaal het nieuwe wachtwoord").fill(PASSWORD)
    app.page.get_by_role("button", name="Wachtwoord opslaan en inloggen").click()
    expect(app.page.get_by_role("heading", name="Mijn Co-operations")).to_be_visible()
    app.settled()
    return app


def assignment_of_mieke(runtime: RuntimeProcess) -> str:
    """Patrick's opportunity, taken by Mieke with the small tier (cap € 5.000), through the API."""
    posted = {
        "title": TITLE,
        "description": "Vier maanden: twee databases samenvoegen, twee mensen nodig.",
        "disciplines": ["data-engineering"],
    }
    status, opportunity = runtime.call("POST", "/opportunities", posted, token(runtime, PATRICK))
    assert status == 201, opportunity
    mieke = token(runtime, MIEKE)
    runtime.call("POST", f"/opportunities/{opportunity['id']}/interest", {"note": ""}, mieke)
    award = {"contribution": "small", "starts_on": date.today().isoformat()}
    status, assignment = runtime.call(
        "POST", f"/opportunities/{opportunity['id']}/assignment", award, mieke
    )
    assert status == 201, assignment
    return str(assignment["id"])


def report(page: Page, amount: str, invoice: str) -> None:
    page.get_by_label("Bedrag (€, exclusief btw)").fill(amount)
    page.get_by_label("Factuurnummer").fill(invoice)
    page.get_by_role("button", name="Melden").click()
    expect(page.get_by_role("status").filter(has_text="Gemeld")).to_be_visible()


def team_row(page: Page, name: str) -> Locator:
    """The row of one person in the assignment's team."""
    return team_of(page).get_by_role("row").filter(has_text=name)


def team_of(page: Page) -> Locator:
    return page.get_by_role("region", name="Team", exact=True)


def test_mieke_invites_jan_who_accepts_on_his_phone_and_sees_only_his_own_figures(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    jan = admitted_on_a_phone(new_app, runtime, "Jan de Boer", JAN)
    assignment = assignment_of_mieke(runtime)

    # Given Mieke on her assignment's page: a team of one, herself the lead
    mieke = new_app().sign_in(MIEKE).open(f"/assignments/{assignment}")
    page = mieke.page
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(team_row(page, "Mieke Jansen")).to_contain_text("Penvoerder")

    # When she looks Jan up by name (any case, part of it) and invites him
    page.get_by_label("Zoek een lid op naam").fill("jan de b")
    page.get_by_role("button", name="Jan de Boer uitnodigen").click()

    # then the team shows him as invited, and the invitation is mailed to him
    expect(page.get_by_role("status").filter(has_text="Jan de Boer is uitgenodigd")).to_be_focused()
    expect(team_row(page, "Jan de Boer")).to_contain_text("Uitgenodigd")
    mieke.check_accessibility()
    links = [
        found.group(1)
        for mail in runtime.sent_mail(JAN)
        if (found := re.search(rf"(\S+#/assignments/{re.escape(assignment)})\b", mail["body"]))
    ]
    assert links, [mail["subject"] for mail in runtime.sent_mail(JAN)]
    assert links[0].startswith(runtime.web_url)

    # When Jan, signed out, follows the mail's link on his phone and signs in
    phone = jan.page
    phone.get_by_role("button", name="Uitloggen").click()
    expect(phone.get_by_role("heading", name="Inloggen")).to_be_visible()
    phone.goto(links[0])
    jan.settled()
    phone.get_by_label("E-mailadres", exact=True).fill(JAN)
    phone.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Inloggen").click()
    # then sign-in brings him back to the assignment
    expect(phone).to_have_url(re.compile(rf"#/assignments/{assignment}$"))
    expect(phone.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    jan.settled()
    # then he sees the invitation with what it means, and no form to report on yet
    invitation = phone.get_by_role("region", name="Je bent uitgenodigd voor dit team")
    expect(invitation).to_contain_text("Mieke Jansen nodigt je uit")
    expect(invitation).to_contain_text(euros(f"één plafond van {CAP}"))
    expect(phone.get_by_role("heading", name="Omzet of creditnota melden")).to_have_count(0)
    jan.check_accessibility()
    # and accepting it, he is on the team and may report
    phone.get_by_role("button", name="Uitnodiging aannemen").click()
    expect(phone.get_by_role("status").filter(has_text="Je doet mee in het team")).to_be_visible()
    expect(team_row(phone, "Jan de Boer")).to_contain_text("Doet mee")
    expect(phone.get_by_role("heading", name="Omzet of creditnota melden")).to_be_visible()
    jan.check_accessibility()
    # the lead is told (by mail)
    assert any("Jan de Boer" in mail["body"] for mail in runtime.sent_mail(MIEKE))

    # When Mieke reports € 20.000: the whole fee is hers
    mieke.open(f"/assignments/{assignment}")
    report(page, "20.000,00", "2026-041")
    expect(page.get_by_test_id("my-fee")).to_have_text(euros(MIEKE_FEE_ALONE))
    # and Jan reports € 25.000 on his phone (his own invoice numbering)
    report(phone, "25000", "2026-041")

    # then Jan sees his own figures and the team's totals against the one cap
    expect(phone.get_by_test_id("my-revenue")).to_have_text(euros(JAN_REVENUE))
    expect(phone.get_by_test_id("my-fee")).to_have_text(euros(JAN_FEE))
    expect(phone.get_by_test_id("revenue")).to_have_text(euros(TEAM_REVENUE))
    bar = phone.get_by_role("img", name=re.compile("^Fee van het team"))
    expect(bar).to_have_attribute("aria-label", euros(f"Fee van het team: {CAP} van {CAP}"))
    jan.check_accessibility()
    # and Mieke's share went down because the team's revenue grew past the cap
    mieke.open(f"/assignments/{assignment}")
    expect(page.get_by_test_id("my-revenue")).to_have_text(euros(MIEKE_REVENUE))
    expect(page.get_by_test_id("my-fee")).to_have_text(euros(MIEKE_FEE))
    expect(page.get_by_test_id("revenue")).to_have_text(euros(TEAM_REVENUE))
    mieke.check_accessibility()

    # Jan's pages never show Mieke's revenue or fee: the assignment, his list, home, statement
    hidden = [euros(MIEKE_REVENUE), euros(MIEKE_FEE), euros(MIEKE_FEE_ALONE)]
    for route in (f"/assignments/{assignment}", "/assignments", "/", "/statement"):
        jan.open(route)
        text = phone.locator("main").inner_text()
        assert not any(amount.search(text) for amount in hidden), (route, text)
    jan.open("/assignments")
    expect(phone.get_by_role("main")).to_contain_text(euros(JAN_FEE))
    # nor do Mieke's: Jan's figures are his
    mieke.open(f"/assignments/{assignment}")
    text = page.locator("main").inner_text()
    assert not euros(JAN_FEE).search(text) and not euros(JAN_REVENUE).search(text), text

    # Mieke's statement says in a sentence why what she owes went down, and on which assignment
    mieke.open("/statement")
    line = page.get_by_role("row").filter(has_text="omzet van het team")
    expect(line.first).to_contain_text(euros("€ -777,78"))
    expect(line.first).to_contain_text(f"Je deel van de fee op \u201c{TITLE}\u201d veranderde")
    mieke.check_accessibility()

    # Jan has reported revenue, so Mieke cannot take him off the team: the API tells her
    # page so (without his revenue), and it offers no button that would only be refused
    mieke.open(f"/assignments/{assignment}")
    expect(team_row(page, "Jan de Boer")).to_be_visible()
    expect(page.get_by_role("button", name="Jan de Boer verwijderen")).to_have_count(0)

    # The treasurer sees the split per member
    ton = new_app().sign_in(TREASURER).open(f"/assignments/{assignment}")
    for name, revenue, fee in (
        ("Mieke Jansen", MIEKE_REVENUE, MIEKE_FEE),
        ("Jan de Boer", JAN_REVENUE, JAN_FEE),
    ):
        expect(team_row(ton.page, name)).to_contain_text(euros(revenue))
        expect(team_row(ton.page, name)).to_contain_text(euros(fee))
    ton.check_accessibility()


def test_an_invitation_declined_leaves_the_team_as_it_was(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    sara = admitted_on_a_phone(new_app, runtime, "Sara Kok", "sara.team@example.nl")
    assignment = assignment_of_mieke(runtime)
    mieke = new_app().sign_in(MIEKE).open(f"/assignments/{assignment}")
    mieke.page.get_by_label("Zoek een lid op naam").fill("sara")
    mieke.page.get_by_role("button", name="Sara Kok uitnodigen").click()
    expect(
        mieke.page.get_by_role("status").filter(has_text="Sara Kok is uitgenodigd")
    ).to_be_visible()
    # a member already invited is not offered again
    mieke.page.get_by_label("Zoek een lid op naam").fill("sara")
    expect(mieke.page.get_by_text("Geen actief lid gevonden met die naam.")).to_be_visible()

    sara.open(f"/assignments/{assignment}")
    sara.page.get_by_role("button", name="Uitnodiging afslaan").click()
    expect(sara.page.get_by_role("heading", name="Mijn opdrachten")).to_be_visible()
    expect(sara.page.get_by_text(TITLE)).to_have_count(0)

    # and the invitation is gone from Mieke's team: she may invite someone else
    mieke.open(f"/assignments/{assignment}")
    expect(team_row(mieke.page, "Mieke Jansen")).to_be_visible()
    expect(team_row(mieke.page, "Sara Kok")).to_have_count(0)
