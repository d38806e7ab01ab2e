"""Every screen of the web app, on a desktop and on a phone, as the person who uses it:
it loads without an error and axe-core finds no serious or critical violation. The tour is
the one the screenshot command takes (devtools/screenshots.py)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from devtools import screenshots
from devtools.runtime_process import RuntimeProcess
from tests.browser.conftest import serious_violations
from tests.conftest import ROOT


def routes_of_the_app() -> set[str]:
    code = "\n".join(p.read_text() for p in (ROOT / "web" / "js" / "pages").rglob("*.js"))
    return set(re.findall(r"path: '([^']+)'", code))


def test_the_tour_covers_every_route_of_the_app() -> None:
    toured = {
        re.sub(r"\{\w+\}", ":id", s.route.split("?")[0])
        for s in screenshots.SCREENS + screenshots.AFTER_NEW_YEAR
    }
    assert toured == routes_of_the_app()


def test_every_screen_loads_and_passes_axe(browser: Any, runtime: RuntimeProcess) -> None:
    problems: list[str] = []
    seen: list[str] = []

    def check(page: Page, screen: screenshots.Screen, phone: bool) -> None:
        where = f"{screen.name} ({'phone' if phone else 'desktop'})"
        seen.append(where)
        expect(page.locator("main h1")).to_be_visible()
        # no programming leftovers shown to a person
        leftovers = re.compile(r"\bnull\b|\bundefined\b|\[object |\bNaN\b|\{\w+\}")
        expect(page.locator("body")).not_to_contain_text(leftovers)
        if page.locator("main .state-error").count():
            problems.append(f"{where}: {page.locator('main .state-error').first.inner_text()}")
        problems.extend(f"{where}: {v}" for v in serious_violations(page))
        if screen.name == "treasurer-pot-distributed":  # the payouts as a chart
            chart = page.get_by_role("img", name=re.compile("^Uitkeringen uit de pot"))
            expect(chart).to_be_visible()
            expect(chart.locator("rect")).to_have_count(2)  # Mieke's and Sanne's coins

    ids = screenshots.give_history(runtime)
    screenshots.bank_in_and_out(runtime)
    for phone in (False, True):
        screenshots.tour(browser, runtime, screenshots.SCREENS, ids, check, phone)
    screenshots.distribute_last_year(runtime, ids)
    for phone in (False, True):
        screenshots.tour(browser, runtime, screenshots.AFTER_NEW_YEAR, ids, check, phone)

    assert problems == []
    toured = screenshots.SCREENS + screenshots.AFTER_NEW_YEAR
    assert len(seen) == sum(2 if s.phone_too else 1 for s in toured)
