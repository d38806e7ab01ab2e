"""Real Chromium (Debian's, driven by Playwright) against the real local runtime.

One browser for the session, one runtime per module. Elements are found by their role and
label, as people find them; axe-core checks every screen a test shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from devtools.browser import launch, new_context
from devtools.runtime_process import RuntimeProcess

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
NBSP = "\u00a0"
expect.set_options(timeout=15_000)


def euros(text: str) -> re.Pattern[str]:
    """`€ 1.500,00` as Intl.NumberFormat('nl-NL') writes it (a no-break space after €)."""
    return re.compile(re.escape(text).replace(r"\ ", f"[ {NBSP}]"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeProcess]:
    running = RuntimeProcess(tmp_path_factory.mktemp("local"))
    running.start()
    try:
        yield running
    finally:
        running.stop()


class App:
    """One person's browser tab on the web app."""

    def __init__(self, page: Page, runtime: RuntimeProcess) -> None:
        self.page = page
        self.runtime = runtime
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, route: str = "/") -> App:
        target = f"{self.runtime.web_url}/#{route}"
        if self.page.url == target:
            self.page.reload()  # a hash that does not change renders nothing new
        else:
            self.page.goto(target)
        self.settled()
        return self

    def settled(self) -> None:
        """The app has started and no part of the page is still loading."""
        self.page.wait_for_selector("body[data-ready]")
        expect(self.page.locator("main .state-loading")).to_have_count(0)

    def sign_in(self, email: str, password: str | None = None) -> App:
        password = password or self.runtime.user(email)["password"]
        self.open("/signin")
        self.page.get_by_label("E-mailadres", exact=True).fill(email)
        self.page.get_by_label("Wachtwoord", exact=True).fill(password)
        self.page.get_by_role("button", name="Inloggen").click()
        expect(self.page.get_by_role("heading", name="Mijn Co-operations")).to_be_visible()
        self.settled()
        return self

    def go(self, link: str) -> App:
        """Follows a link in the menu (opening it first on a phone)."""
        menu = self.page.get_by_role("button", name="Menu")
        if menu.is_visible():
            menu.click()
        self.page.get_by_role("navigation").get_by_role("link", name=link, exact=True).click()
        self.settled()
        return self

    def check_accessibility(self) -> None:
        """axe-core finds no serious or critical violation on the screen as it is now."""
        self.settled()
        found = serious_violations(self.page)
        assert found == [], f"{self.page.url}: {found}"
        assert self.errors == [], self.errors


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found: list[str] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => `${v.id}: ${v.help} @ ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"
    )
    return found


@pytest.fixture
def new_app(browser: Any, runtime: RuntimeProcess) -> Iterator[Any]:
    """new_app(phone=False): a fresh person (own cookies and storage) on the web app."""
    contexts: list[Any] = []

    def make(phone: bool = False) -> App:
        context = new_context(browser, phone=phone)
        contexts.append(context)
        return App(context.new_page(), runtime)

    yield make
    for context in contexts:
        context.close()
