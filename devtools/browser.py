"""Debian's Chromium driven by Playwright, for the browser tests and the screenshots.

Playwright cannot download its own browsers here; it drives the system Chromium through
its executable path. Without the background-networking flags Chromium keeps trying to
reach Google's services, which the closed network refuses.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found is None:
        raise RuntimeError(
            "Chromium is not installed: `make test` installs it (apt-get install chromium "
            "chromium-driver, as root), or install it yourself"
        )
    return Path(found)


def launch(playwright: Any) -> Any:
    """A headless Chromium browser from a started `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=str(chromium_path()), args=ARGS)


def new_context(browser: Any, phone: bool = False) -> Any:
    if phone:
        return browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="nl-NL"
        )
    return browser.new_context(viewport=DESKTOP, locale="nl-NL")
