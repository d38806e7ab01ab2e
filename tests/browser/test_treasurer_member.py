"""The treasurer's lists and a member's page in Chromium, as a Dutch treasurer uses them:
totals and counts, searching by name or by the reference as the bank wrote it, lists longer
than a page, and on the member's page the statement, a payment, revenue reported on the
member's behalf and the history. And the member's home page breaks down what is owed."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from devtools import screenshots
from devtools.runtime_process import RuntimeProcess
from tests.browser.conftest import euros

TREASURER = "ton@co-operations.nl"
MIEKE = screenshots.MIEKE
ASSIGNMENT = "Interim data architect, provincie"  # given to Mieke by give_history


def money_nl(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    return f"€ {whole:,}".replace(",", ".") + f",{rest:02d}"


def test_totals_search_and_the_member_page(new_app: Any, runtime: RuntimeProcess) -> None:
    screenshots.give_history(runtime)
    token = runtime.token(TREASURER, runtime.user(TREASURER)["password"])
    _, everyone = runtime.call("GET", "/admin/receivables?limit=1", token=token)
    mieke_id = runtime.user(MIEKE)["member_id"]

    # The list says how much is owed in all and by how many members
    ton = new_app().sign_in(TREASURER).go("Te ontvangen")
    page = ton.page
    totals = page.get_by_test_id("totals")
    expect(totals).to_contain_text(euros(money_nl(everyone["total_cents"])))
    expect(totals).to_contain_text(f"aantal leden: {everyone['count']}")
    ton.check_accessibility()

    # Searching by the payment reference as a bank statement writes it finds Mieke only
    spaced = " ".join(mieke_id[i : i + 4] for i in range(0, len(mieke_id), 4)).upper()
    page.get_by_role("searchbox", name="Zoek op naam, e-mailadres of kenmerk").fill(spaced)
    page.get_by_role("button", name="Zoeken").click()
    ton.settled()
    expect(page.locator("main .list > li")).to_have_count(1)
    expect(totals).to_contain_text("aantal leden: 1")

    # and her name opens her page
    page.get_by_role("link", name="Mieke Jansen").click()
    ton.settled()
    expect(page.get_by_role("heading", level=1, name="Mieke Jansen")).to_be_visible()
    expect(page.get_by_test_id("member-status")).to_contain_text("lid sinds")
    expect(page.get_by_role("region", name="Contact en status")).to_contain_text(mieke_id)
    owes = page.get_by_test_id("member-owes")
    before = owes.inner_text()
    expect(
        page.get_by_role("region", name="Boekingen van Mieke Jansen, nieuwste eerst")
    ).to_contain_text("Fee op factuur 2026-017")
    history = page.get_by_role("region", name="Geschiedenis")
    expect(history).to_contain_text("toegelaten als lid")
    ton.check_accessibility()

    # The treasurer records a payment for her: what she owes drops and the history shows it
    page.get_by_role("button", name="Betaling van Mieke Jansen vastleggen").click()
    form = page.get_by_role("form", name="Betaling van Mieke Jansen")
    form.get_by_label("Bedrag (€)").fill("25,00")
    form.get_by_label("Kenmerk (bankafschrift)").fill("NL-2026-0042")
    form.get_by_role("button", name="Betaling van Mieke Jansen boeken").click()
    expect(owes).not_to_have_text(before)
    expect(history).to_contain_text(
        euros("betaling van € 25,00 ontvangen (kenmerk NL-2026-0042) door Ton de Vries")
    )

    # and reports an invoice on her behalf (numbered as on the invoice, space included)
    page.get_by_role("button", name=f"Omzet melden voor {ASSIGNMENT}").click()
    revenue = page.get_by_role("form", name=f"Omzet voor {ASSIGNMENT}")
    revenue.get_by_label("Bedrag (€, exclusief btw)").fill("1.000")
    revenue.get_by_label("Factuurnummer").fill("2026 018")
    revenue.get_by_role("button", name="Omzet boeken namens Mieke Jansen").click()
    expect(page.get_by_role("region", name="Opdrachten")).to_contain_text(
        euros("omzet € 21.000,00")
    )
    expect(
        page.get_by_role("region", name="Boekingen van Mieke Jansen, nieuwste eerst")
    ).to_contain_text("Fee op factuur 2026 018")
    ton.check_accessibility()

    # The directory links an admin to the member page too
    ton.go("Leden")
    expect(page.get_by_role("link", name="Mieke Jansen")).to_have_attribute(
        "href", f"#/admin/members/{mieke_id}"
    )

    # Mieke's home page says what her open amount is for
    mieke = new_app().sign_in(MIEKE)
    breakdown = mieke.page.get_by_test_id("owed-breakdown")
    expect(breakdown).to_contain_text(f"Fee op de opdracht {ASSIGNMENT}")
    rows = breakdown.locator("td")
    cents = sum(int(re.sub(r"\D", "", text)) for text in rows.all_inner_texts())
    assert money_nl(cents) == mieke.page.get_by_test_id("owed").inner_text().replace("\u00a0", " ")
    mieke.check_accessibility()
    assert ton.errors == [] and mieke.errors == []


def test_lists_longer_than_a_page_load_more(new_app: Any, runtime: RuntimeProcess) -> None:
    # Given more members owing than one page shows (50)
    token = runtime.token(TREASURER, runtime.user(TREASURER)["password"])
    for n in range(55):
        application = {
            "name": f"Lid {n:02d} Achternaam",
            "email": f"lid{n:02d}@example.nl",
            "disciplines": ["legal"],
            "years_experience": 10,
        }
        status, made = runtime.call("POST", "/applications", application)
        assert status == 201, made
        status, _ = runtime.call("POST", f"/applications/{made['id']}/approve", token=token)
        assert status == 200
    _, first = runtime.call("GET", "/admin/receivables?limit=1", token=token)
    assert first["count"] > 55

    ton = new_app().sign_in(TREASURER).go("Te ontvangen")
    items = ton.page.locator("main .list > li")
    expect(items).to_have_count(50)
    more = ton.page.get_by_role("button", name="Meer laden")
    while more.count():
        shown = items.count()
        more.click()
        expect(items).not_to_have_count(shown)
    expect(items).to_have_count(first["count"])
    expect(ton.page.get_by_test_id("totals")).to_contain_text(f"aantal leden: {first['count']}")

    # Applications page beyond the first page too (approved ones link to the member)
    ton.go("Aanmeldingen")
    ton.page.get_by_label("Toon").select_option("approved")
    ton.settled()
    expect(ton.page.get_by_role("link", name="Lid 54 Achternaam")).to_be_visible()
    ton.check_accessibility()
