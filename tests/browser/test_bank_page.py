"""The Bank page, in Chromium, against the local runtime (SPEC "Money through the bank"): the
treasurer imports the bank's statement and reads the report in words, books a waiting line
for the member the page suggests in one tap, finds another member by name on a phone, sets
bank costs aside in two taps, and prepares a payout batch she may not approve herself (the
page says why); the chair approves it and downloads the pain.001 file with the batch's total."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from devtools import screenshots
from devtools.runtime_process import RuntimeProcess
from tests.browser.conftest import euros
from tests.browser.test_bank_statements import demo_statement

TREASURER = "ton@co-operations.nl"
CHAIR = "fatima@co-operations.nl"
DAAN = "daan.smit@example.nl"


def money_nl(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    return f"€ {whole:,}".replace(",", ".") + f",{rest:02d}"


def test_statement_in_payouts_out_with_four_eyes(
    new_app: Any, runtime: RuntimeProcess, tmp_path: Path
) -> None:
    # Given members who owe the collective and a fee the collective owes its members
    screenshots.give_history(runtime)
    statement = demo_statement(runtime, tmp_path / "afschrift.xml")

    # When the treasurer imports the statement
    ton = new_app().sign_in(TREASURER).go("Bank")
    page = ton.page
    expect(page.get_by_role("heading", name="Bank", level=1)).to_be_visible()

    # a file that is no statement: the API's reason, in Dutch, next to the file
    upload = page.get_by_role("form", name="Afschrift inlezen")
    not_a_statement = tmp_path / "foto.xml"
    not_a_statement.write_text("dit is geen afschrift", encoding="utf-8")
    upload.get_by_label("Bankafschrift (camt.053)").set_input_files(str(not_a_statement))
    upload.get_by_role("button", name="Afschrift inlezen").click()
    expect(upload.get_by_role("alert")).to_contain_text("geen leesbaar bankafschrift")
    page.get_by_label("Bankafschrift (camt.053)").set_input_files(str(statement))
    page.get_by_role("button", name="Afschrift inlezen").click()

    # then the report says in words what was booked and what waits
    report = page.get_by_role("status").filter(has_text="regels ingelezen")
    expect(report).to_contain_text("betalingen geboekt")
    expect(report).to_contain_text(re.compile(r"^\d+ regels ingelezen: \d+ betalingen geboekt"))
    expect(report).to_contain_text(re.compile(r"\d+ wachten op jou\.$"))
    expect(report).not_to_contain_text("uitbetalingen")  # none in this statement
    expect(upload.get_by_role("alert")).to_have_count(0)
    ton.settled()
    waiting = page.locator(".bank-statements li.card")
    expect(waiting.first).to_be_visible()
    count = waiting.count()

    # a line the page recognises is booked for the suggested member in one tap
    quick = page.get_by_role("button", name=re.compile(r"^Boeken bij "))
    expect(quick.first).to_be_visible()
    quick.first.click()
    expect(page.get_by_text("geboekt als betaling van")).to_be_visible()
    ton.settled()
    expect(waiting).to_have_count(count - 1)

    # bank costs are set aside in two taps: the reason, then the button
    costs = page.get_by_role("form", name="Opzijzetten: \u2212€ 0,87 · onbekende betaler")
    costs.get_by_role("button", name="Bankkosten").click()
    costs.get_by_role("button", name="Opzijzetten", exact=True).click()
    expect(page.get_by_text("opzijgezet.")).to_be_visible()
    ton.settled()
    expect(waiting).to_have_count(count - 2)
    expect(page.locator("main")).not_to_contain_text("undefined")
    ton.check_accessibility()

    # On a phone (375 px) the treasurer books what waits for a member too
    phone = new_app(phone=True)
    phone.page.set_viewport_size({"width": 375, "height": 812})
    phone.sign_in(TREASURER).go("Bank")
    lines = phone.page.locator(".bank-statements li.card")
    expect(lines).to_have_count(count - 2)
    credit = phone.page.get_by_role("form", name="Boeken: € 0,12 · onbekende betaler")
    credit.get_by_label("Zoek een lid op naam").fill("daan")
    expect(credit.get_by_label("Betaling van")).to_have_value(runtime.user(DAAN)["member_id"])
    credit.get_by_role("button", name="Boeken als betaling").click()
    expect(phone.page.get_by_text("geboekt als betaling van Daan Smit")).to_be_visible()
    phone.settled()
    expect(lines).to_have_count(count - 3)
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width} px)"
    phone.check_accessibility()

    # When the treasurer prepares a payout batch
    payouts = page.get_by_role("region", name="Uitbetalingen")
    payouts.get_by_role("button", name="Uitbetalingsronde klaarzetten").click()
    expect(payouts.get_by_role("status")).to_contain_text("Uitbetalingsronde klaargezet")
    ton.settled()

    # then she reviews who gets what, and cannot approve it herself: the page says why
    batch = payouts.get_by_role("listitem").filter(has_text="wacht op goedkeuring").first
    expect(batch.get_by_role("table")).to_contain_text("Patrick Bakker")
    approve = batch.get_by_role("button", name="Goedkeuren")
    expect(approve).to_be_disabled()
    expect(batch).to_contain_text("Een andere beheerder keurt hem goed")
    token = runtime.token(CHAIR, runtime.user(CHAIR)["password"])
    _, listed = runtime.call("GET", "/bank/payout-batches", token=token)
    newest = listed["items"][0]
    assert newest["status"] == "prepared" and newest["total_cents"] > 0
    expect(batch).to_contain_text(euros(money_nl(newest["total_cents"])))
    expect(batch).not_to_contain_text(newest["id"])
    ton.check_accessibility()

    # When the chair signs in and approves it
    fatima = new_app().sign_in(CHAIR).go("Bank")
    region = fatima.page.get_by_role("region", name="Uitbetalingen")
    waiting_batch = region.get_by_role("listitem").filter(has_text="wacht op goedkeuring").first
    waiting_batch.get_by_role("button", name="Goedkeuren").click()
    expect(region.get_by_role("status")).to_contain_text("Uitbetalingsronde goedgekeurd")
    fatima.settled()
    approved = region.get_by_role("listitem").filter(has_text="goedgekeurd").first
    expect(approved).to_contain_text("Goedgekeurd door Fatima El Amrani")
    fatima.check_accessibility()

    # then the payment file downloads: pain.001 XML with the batch's total
    with fatima.page.expect_download() as download:
        approved.get_by_role("button", name="Betaalbestand downloaden (pain.001)").click()
    saved = tmp_path / "betaalbestand.xml"
    download.value.save_as(saved)
    xml = saved.read_text(encoding="utf-8")
    assert xml.startswith("<?xml")
    assert "pain.001" in xml
    total = newest["total_cents"]
    assert f"<CtrlSum>{total // 100}.{total % 100:02d}</CtrlSum>" in xml
