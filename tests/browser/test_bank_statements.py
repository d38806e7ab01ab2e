"""The treasurer imports the bank's statement on *Bankafschriften*, in Chromium, against the
local runtime: the demo's statement (`python -m devtools.cli bank statement`) books the
members' payments, the report reads in words, and a waiting line is booked for the member
the page suggests, or set aside, each in two taps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from devtools.runtime_process import PROJECT_DIR, RuntimeProcess

TREASURER = "ton@co-operations.nl"


def demo_statement(runtime: RuntimeProcess, out: Path) -> Path:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COOP_"))}
    dev_json = runtime.local_dir / "dev.json"
    subprocess.run(
        [
            *(sys.executable, "-m", "devtools.cli", "bank", "statement", "--pay-all"),
            *("--out", str(out), "--dev-json", str(dev_json)),
        ],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    return out


def test_the_treasurer_imports_a_statement_and_matches_what_waits(
    new_app: Any, runtime: RuntimeProcess, tmp_path: Path
) -> None:
    statement = demo_statement(runtime, tmp_path / "afschrift.xml")
    ton = new_app().sign_in(TREASURER).go("Bank")
    page = ton.page
    expect(page.get_by_role("heading", name="Bank", level=1)).to_be_visible()

    page.get_by_label("Bankafschrift (camt.053)").set_input_files(str(statement))
    page.get_by_role("button", name="Afschrift inlezen").click()
    report = page.get_by_role("status").filter(has_text="regels ingelezen")
    expect(report).to_contain_text("betalingen geboekt")
    expect(report).to_contain_text("wachten op jou")
    ton.settled()

    waiting = page.locator("main li.card")
    expect(waiting.first).to_be_visible()
    count = waiting.count()
    assert count >= 2  # bank costs and interest at least

    # a credit that waits: booked for a member in two taps (choose, book)
    credit = page.get_by_role("form", name="Boeken: € 0,12 · onbekende betaler")
    credit.get_by_label("Betaling van").select_option(index=1)
    credit.get_by_role("button", name="Boeken als betaling").click()
    expect(page.get_by_text("geboekt als betaling van")).to_be_visible()
    ton.settled()

    # bank costs: set aside with the reason
    costs = page.get_by_role("form", name="Opzijzetten: \u2212€ 0,87 · onbekende betaler")
    costs.get_by_label("Reden").fill("Bankkosten")
    costs.get_by_role("button", name="Opzijzetten").click()
    expect(page.get_by_text("opzijgezet.")).to_be_visible()
    ton.settled()
    expect(page.locator("main li.card")).to_have_count(count - 2)
    ton.check_accessibility()

    # the same statement again books nothing
    page.get_by_label("Bankafschrift (camt.053)").set_input_files(str(statement))
    page.get_by_role("button", name="Afschrift inlezen").click()
    expect(page.get_by_role("status").filter(has_text="regels ingelezen")).to_contain_text(
        "0 betalingen geboekt"
    )
