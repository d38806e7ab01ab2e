"""The treasurer distributes last year's pot on *Runs en export*, in Chromium, against the
local runtime restarted in January (COOP_NOW): the report reads in Dutch, and an earlier
error does not stay beside it."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from devtools import screenshots
from devtools.runtime_process import RuntimeProcess
from tests.browser.conftest import euros

TREASURER = "ton@co-operations.nl"


def test_the_treasurer_distributes_the_pot_and_reads_the_report(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    # Given a year with coins earned and money in the pot, and the clock in the next January
    ids = screenshots.give_history(runtime)
    year = int(ids["year"])
    runtime.stop()
    runtime.start(coop_now=f"{year + 1}-01-02T09:00:00+01:00")
    token = runtime.token(TREASURER, runtime.user(TREASURER)["password"])
    _, pot = runtime.call("GET", f"/pots/{year}", token=token)
    assert pot["balance_cents"] > 0 and pot["total_coins"] > 0

    ton = new_app().sign_in(TREASURER).go("Runs en export")
    page = ton.page
    distribution = page.get_by_role("region", name="Verdeling van de pot")
    year_field = distribution.get_by_label("Jaar")

    # When the treasurer first asks for a year that has not ended
    year_field.fill(str(year + 1))
    distribution.get_by_role("button", name="Pot verdelen").click()
    refused = distribution.get_by_role("alert")
    expect(refused).to_be_visible()

    # and then for last year
    year_field.fill(str(year))
    distribution.get_by_role("button", name="Pot verdelen").click()

    # then the report says what was booked, in Dutch, without the earlier error beside it
    report = distribution.get_by_role("status")
    expect(distribution.get_by_role("heading", name=f"Verslag: {year}")).to_be_visible()
    expect(report).to_contain_text(euros(money_nl(pot["balance_cents"])))
    expect(report).to_contain_text("Uitkeringen geboekt")
    expect(report).to_contain_text(re.compile(r"Klaar\s*ja"))
    expect(distribution.get_by_role("alert")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Cannot read")
    expect(page.locator("main")).not_to_contain_text("undefined")
    link = distribution.get_by_role("link", name=f"Bekijk de uitkeringen van {year}")
    expect(link).to_be_visible()
    ton.check_accessibility()

    # and running it again books nothing twice and says so
    distribution.get_by_role("button", name="Pot verdelen").click()
    expect(report).to_contain_text("Al eerder geboekt")
    expect(report).to_contain_text(re.compile(r"Uitkeringen geboekt\s*0"))

    # and the payouts are on the pot's page
    link.click()
    ton.settled()
    expect(page.get_by_role("img", name=re.compile("^Uitkeringen uit de pot"))).to_be_visible()
    assert ton.errors == []


def money_nl(cents: int) -> str:
    """`€ 1.234,56` as the web app writes an amount."""
    euros_, rest = divmod(cents, 100)
    return f"€ {euros_:,}".replace(",", ".") + f",{rest:02d}"
