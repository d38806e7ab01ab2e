"""Paying and being paid through the bank, in the browser (issue 19): a member who owes sees
the collective's IBAN, their RF reference and an EPC QR code on the home page, and registers
the IBAN payouts go to in the profile, a mistyped one refused next to the field."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from devtools.runtime_process import RuntimeProcess
from tests.browser.conftest import euros
from tests.browser.test_journeys import TREASURER
from tests.browser.test_member_pages import admitted_member

MIEKE = "mieke.jansen@example.nl"


def test_a_member_pays_by_rf_reference_or_qr_and_registers_an_iban(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    app = admitted_member(new_app, runtime, "Bas Kuiper", "bas.kuiper@example.nl")
    page = app.page

    # home: what is owed, the collective's account, the RF reference and the QR code
    expect(page.get_by_test_id("owed")).to_have_text(euros("€ 100,00"))
    reference = page.get_by_test_id("payment-reference")
    expect(reference).to_have_text(re.compile(r"^RF\d{2} \d{4} \d{4}$"))
    qr = page.get_by_role("img", name=re.compile(r"^QR-code voor je bank-app: € 100,00"))
    expect(qr).to_be_visible()
    assert page.get_by_test_id("epc-qr").evaluate("img => img.naturalWidth") > 0
    expect(page.locator(".how-to-pay")).to_contain_text("NL91 ABNA 0417 1643 00")
    app.check_accessibility()

    # profile: a mistyped IBAN is refused next to the field; a good one is answered masked
    app.go("Profiel")
    expect(page.get_by_test_id("bank-account-current")).to_have_text(
        "Je hebt nog geen rekening opgegeven."
    )
    page.get_by_label("IBAN", exact=True).fill("NL91 ABNA 0417 1643 01")
    page.get_by_label("Naam rekeninghouder").fill("B. Kuiper")
    page.get_by_role("button", name="Rekening opslaan").click()
    error = page.locator("[data-field=iban] .field-error")
    expect(error).to_contain_text("Vul een geldig IBAN in")
    expect(page.get_by_label("IBAN", exact=True)).to_have_attribute("aria-invalid", "true")

    page.get_by_label("IBAN", exact=True).fill("nl20 ingb 0001 2345 67")
    page.get_by_role("button", name="Rekening opslaan").click()
    expect(page.locator("form[aria-labelledby=bank-account-title] .result")).to_contain_text(
        "**************4567"
    )
    expect(page.get_by_test_id("bank-account-current")).to_have_text(
        "Nu: **************4567 t.n.v. B. Kuiper"
    )
    expect(error).to_have_text("")
    app.check_accessibility()
    mails = runtime.sent_mail("bas.kuiper@example.nl")
    assert any("4567" in m["body"] and "NL20INGB" not in m["body"] for m in mails)


def test_the_treasurer_finds_a_member_by_the_rf_reference_as_a_statement_writes_it(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    mieke = runtime.user(MIEKE)
    token = runtime.token(MIEKE, mieke["password"])
    _, details = runtime.call("GET", "/members/me/payment-details", token=token)
    as_written = details["reference"].lower().replace(" ", "")  # "rf470000002" and so on

    ton = new_app().sign_in(TREASURER).go("Te ontvangen")
    page = ton.page
    page.get_by_role("searchbox", name="Zoek op naam, e-mailadres of kenmerk").fill(as_written)
    page.get_by_role("button", name="Zoeken").click()
    ton.settled()
    expect(page.locator("main .list > li")).to_have_count(1)
    expect(page.locator("main .list > li")).to_contain_text("Mieke Jansen")
