"""Screenshots of the web app's main screens, desktop and phone, into docs/screenshots/.

    python -m devtools.screenshots            # or: make screenshots

Starts the local runtime on free ports with its own state, gives the demo collective a
little history through the API (an opportunity awarded and invoiced, claims, an
application), visits every screen as the person who uses it, then moves the clock into
the next year to distribute the pot and show its chart. The same tour is what the browser
tests check with axe-core (tests/browser/test_every_screen.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from devtools.browser import launch, new_context
from devtools.runtime_process import PROJECT_DIR, RuntimeProcess

OUT = PROJECT_DIR / "docs" / "screenshots"
TON, MIEKE, PATRICK = "ton@co-operations.nl", "mieke.jansen@example.nl", "patrick.bakker@example.nl"
SANNE, DAAN = "sanne.visser@example.nl", "daan.smit@example.nl"
GRID_TITLE = "Data platform for a regional grid operator"


@dataclass(frozen=True)
class Screen:
    name: str
    who: str | None  # signed in as (None: nobody)
    route: str  # may hold {assignment}, {grid}, {year}
    phone_too: bool = False
    clicks: tuple[str, ...] = ()  # buttons (by name) pressed on the page first


SCREENS = [
    Screen("sign-in", None, "/signin", phone_too=True),
    Screen("apply", None, "/apply"),
    Screen("forgotten-password", None, "/forgot"),
    Screen("home", MIEKE, "/", phone_too=True),
    Screen("opportunities", MIEKE, "/opportunities", phone_too=True),
    Screen(
        "opportunity-take-the-assignment",
        MIEKE,
        "/opportunities/{grid}",
        phone_too=True,
        clicks=("Opdracht vastleggen",),
    ),
    Screen("opportunity-candidates", PATRICK, "/opportunities/{grid}"),
    Screen("opportunity-mailed-in", PATRICK, "/opportunities/{mailed}", phone_too=True),
    Screen("meetings", MIEKE, "/meetings", phone_too=True),
    Screen("meeting-sign-up", DAAN, "/meetings/{meeting}", phone_too=True),
    Screen("meeting-attendees-and-pitches", PATRICK, "/meetings/{meeting}"),
    Screen("plan-a-meeting", TON, "/meetings/new"),
    Screen("post-an-opportunity", PATRICK, "/opportunities/new"),
    Screen("assignments", MIEKE, "/assignments"),
    Screen("assignment", MIEKE, "/assignments/{assignment}", phone_too=True),
    Screen("team-assignment-lead", MIEKE, "/assignments/{team}", phone_too=True),
    Screen("team-invitation", DAAN, "/assignments/{team}", phone_too=True),
    Screen("team-assignment-treasurer", TON, "/assignments/{team}"),
    Screen("statement", MIEKE, "/statement"),
    Screen("coins", SANNE, "/coins"),
    Screen("directory", MIEKE, "/directory"),
    Screen("profile", MIEKE, "/profile"),
    Screen("unsubscribe", None, "/unsubscribe?token={unsubscribe}", phone_too=True),
    Screen("treasurer-applications", TON, "/admin/applications"),
    Screen("treasurer-find-members", TON, "/admin/members"),
    Screen("treasurer-member", TON, "/admin/members/{mieke}", phone_too=True),
    Screen("treasurer-receivables", TON, "/admin/receivables", phone_too=True),
    Screen("treasurer-payables", TON, "/admin/payables"),
    Screen("treasurer-coin-claims", TON, "/admin/claims"),
    Screen("treasurer-incoming-mail", TON, "/admin/intake", phone_too=True),
    Screen("treasurer-runs-and-export", TON, "/admin/jobs"),
    Screen("treasurer-pot", TON, "/admin/pots?year={year}"),
    Screen("treasurer-bank", TON, "/admin/bank", phone_too=True),
]
AFTER_NEW_YEAR = [Screen("treasurer-pot-distributed", TON, "/admin/pots?year={year}", True)]

Visit = Callable[[Page, Screen, bool], None]


def give_history(runtime: RuntimeProcess) -> dict[str, str]:
    """What the screens show besides the demo seed; answers the ids the routes need."""
    token = {
        who: runtime.token(who, runtime.user(who)["password"])
        for who in (TON, MIEKE, PATRICK, SANNE, DAAN)
    }
    _, page = runtime.call("GET", "/opportunities?status=open", token=token[MIEKE])
    grid = next(o["id"] for o in page["items"] if o["title"] == GRID_TITLE)
    posted = {
        "title": "Interim data architect, provincie",
        "description": "Zes maanden, drie dagen per week: een datastrategie voor de provincie.",
        "disciplines": ["data-engineering"],
        "sector": "government",
        "location": "Zwolle",
    }
    _, opportunity = runtime.call("POST", "/opportunities", posted, token[PATRICK])
    note = {"note": "Deed dit eerder voor Rijkswaterstaat."}
    runtime.call("POST", f"/opportunities/{opportunity['id']}/interest", note, token[MIEKE])
    award = {"contribution": "small", "starts_on": date.today().isoformat()}
    _, assignment = runtime.call(
        "POST", f"/opportunities/{opportunity['id']}/assignment", award, token[MIEKE]
    )
    revenue = {
        "amount_cents": 2_000_000,
        "invoice_ref": "2026-017",
        "invoiced_on": date.today().isoformat(),
    }
    runtime.call("POST", f"/assignments/{assignment['id']}/revenue", revenue, token[MIEKE])
    claim = {
        "activity": "publicity",
        "description": "Podcast Zelfstandig Sterk over het collectief",
    }
    _, filed = runtime.call("POST", "/coins/claims", claim, token[SANNE])
    runtime.call("POST", f"/coins/claims/{filed['id']}/approve", {"coins": 5}, token[TON])
    talk = {
        "activity": "publicity",
        "description": "Lezing op de Dag van de Zelfstandige",
        "url": "https://example.nl/lezing",
    }
    runtime.call("POST", "/coins/claims", talk, token[DAAN])
    payment = {
        "amount_cents": 10_000,
        "received_on": date.today().isoformat(),
        "reference": "NL-2026-0001",
    }
    runtime.call(
        "POST", f"/members/{runtime.user(SANNE)['member_id']}/payments", payment, token[TON]
    )
    fleur = {
        "name": "Fleur Mulder",
        "email": "fleur@example.nl",
        "disciplines": ["legal", "privacy"],
        "sectors": ["healthcare"],
        "years_experience": 15,
        "motivation": "Privacyjurist; Mieke en ik werkten samen aan een patiëntenportaal.",
        "referred_by_email": MIEKE,
    }
    runtime.call("POST", "/applications", fleur)
    return {
        "grid": grid,
        "assignment": assignment["id"],
        "year": str(date.today().year),
        "mieke": str(runtime.user(MIEKE)["member_id"]),
        "meeting": plan_meeting(runtime, token),
        "team": joint_assignment(runtime, token),
        **mail_in_and_out(runtime, token),
    }


def bank_in_and_out(runtime: RuntimeProcess) -> None:
    """The Bank page's content: the demo statement imported (some lines wait for the
    treasurer) and a payout batch the treasurer prepared, awaiting the chair's approval."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COOP_"))}
    dev_json = str(runtime.local_dir / "dev.json")
    written = subprocess.run(
        [sys.executable, "-m", "devtools.cli", "bank", "statement", "--dev-json", dev_json],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    token = runtime.token(TON, runtime.user(TON)["password"])
    request = urllib.request.Request(
        runtime.info["api_url"] + "/bank/statements",
        method="POST",
        data=written.stdout,
        headers={"Content-Type": "application/xml", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        json.loads(response.read())
    status, _ = runtime.call("POST", "/bank/payout-batches", token=token)
    if status != 201:
        raise RuntimeError(f"preparing a payout batch answered {status}")


def mail_in_and_out(runtime: RuntimeProcess, token: dict[str, str]) -> dict[str, str]:
    """Mieke mails in a request with attachments, a recruiter's mail is rejected, and the
    announcements go out: the mailed-in opportunity and Daan's unsubscribe token."""
    corpus = PROJECT_DIR / "tests" / "mail"
    raw = (corpus / "attachments.eml").read_bytes().replace(b"mieke@example.nl", MIEKE.encode())
    mailed = runtime.deliver_mail(raw)
    runtime.deliver_mail((corpus / "unknown_sender.eml").read_bytes())
    runtime.call("POST", "/jobs/announcements", {}, token[TON])
    unsubscribe = next(
        found.group(1)
        for mail in runtime.sent_mail(DAAN)
        if (found := re.search(r"#/unsubscribe\?token=(\S+)", mail["body"]))
    )
    return {"mailed": str(mailed["opportunity_id"]), "unsubscribe": unsubscribe}


def joint_assignment(runtime: RuntimeProcess, token: dict[str, str]) -> str:
    """Mieke's joint assignment (issue 18): Sanne joined her team, Daan is invited; Mieke
    reported 20.000 euros and Sanne 25.000, past the small tier's cap."""
    posted = {
        "title": "Datamigratie voor een waterschap",
        "description": "Vier maanden: twee databases samenvoegen en een nieuw klantportaal.",
        "disciplines": ["data-engineering", "ux-design"],
        "sector": "government",
    }
    _, opportunity = runtime.call("POST", "/opportunities", posted, token[PATRICK])
    runtime.call("POST", f"/opportunities/{opportunity['id']}/interest", {}, token[MIEKE])
    award = {"contribution": "small", "starts_on": date.today().isoformat()}
    _, assignment = runtime.call(
        "POST", f"/opportunities/{opportunity['id']}/assignment", award, token[MIEKE]
    )
    team = f"/assignments/{assignment['id']}/team"
    for who in (SANNE, DAAN):
        runtime.call("POST", team, {"member_id": runtime.user(who)["member_id"]}, token[MIEKE])
    runtime.call("POST", f"{team}/accept", {}, token[SANNE])
    for who, amount_cents, ref in ((MIEKE, 2_000_000, "2026-052"), (SANNE, 2_500_000, "S-2026-9")):
        revenue = {
            "amount_cents": amount_cents,
            "invoice_ref": ref,
            "invoiced_on": date.today().isoformat(),
        }
        runtime.call("POST", f"/assignments/{assignment['id']}/revenue", revenue, token[who])
    return str(assignment["id"])


def plan_meeting(runtime: RuntimeProcess, token: dict[str, str]) -> str:
    """A meeting a month ahead that Patrick organises: Mieke has a seat and a pitch, the last
    seat is taken by Sanne, and Ton waits."""
    day = (date.today() + timedelta(days=30)).isoformat()
    meeting = {
        "title": "Personal branding",
        "theme": "Portretfoto's voor iedereen",
        "starts_at": f"{day}T18:00:00",
        "ends_at": f"{day}T21:30:00",
        "venue": "Pakhuis de Zwijger",
        "address": "Piet Heinkade 179",
        "city": "Amsterdam",
        "capacity": 2,
        "description": "Een fotograaf maakt van ieder een portret; daarna pitches en borrel.",
        "organiser_member_id": runtime.user(PATRICK)["member_id"],
    }
    _, planned = runtime.call("POST", "/meetings", meeting, token[TON])
    path = f"/meetings/{planned['id']}/registration"
    runtime.call("POST", path, {"pitch": "Data-engineering, drie dagen per week"}, token[MIEKE])
    runtime.call("POST", path, {}, token[SANNE])
    runtime.call("POST", path, {}, token[TON])
    return str(planned["id"])


def sign_in(page: Page, runtime: RuntimeProcess, email: str) -> None:
    page.goto(f"{runtime.web_url}/#/signin")
    page.wait_for_selector("body[data-ready]")
    page.get_by_label("E-mailadres", exact=True).fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(runtime.user(email)["password"])
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Mijn Co-operations").wait_for()


def show(page: Page, runtime: RuntimeProcess, route: str) -> None:
    target = f"{runtime.web_url}/#{route}"
    if page.url == target:
        page.reload()
    else:
        page.goto(target)
    page.wait_for_selector("body[data-ready]")
    page.wait_for_function("!document.querySelector('main .state-loading')")


@contextmanager
def person(
    browser: Browser, runtime: RuntimeProcess, who: str | None, phone: bool
) -> Iterator[Page]:
    context = new_context(browser, phone=phone)
    try:
        page = context.new_page()
        if who is not None:
            sign_in(page, runtime, who)
        yield page
    finally:
        context.close()


def tour(
    browser: Browser,
    runtime: RuntimeProcess,
    screens: list[Screen],
    ids: dict[str, str],
    visit: Visit,
    phone: bool,
) -> None:
    """Visits the screens (those meant for a phone too, when `phone`), one person at a time."""
    wanted = [s for s in screens if s.phone_too or not phone]
    for who in dict.fromkeys(s.who for s in wanted):
        with person(browser, runtime, who, phone) as page:
            for screen in (s for s in wanted if s.who == who):
                show(page, runtime, screen.route.format(**ids))
                for name in screen.clicks:
                    page.get_by_role("button", name=name, exact=True).click()
                visit(page, screen, phone)


def distribute_last_year(runtime: RuntimeProcess, ids: dict[str, str]) -> dict[str, str]:
    """Restarts the runtime in the next January and distributes the year's pot."""
    year = int(ids["year"])
    runtime.stop()
    runtime.start(coop_now=f"{year + 1}-01-02T09:00:00+01:00")
    token = runtime.token(TON, runtime.user(TON)["password"])
    status, _ = runtime.call("POST", f"/jobs/distributions/{year}", token=token)
    if status != 200:
        raise RuntimeError(f"distribution of {year} answered {status}")
    return ids


def save_to(directory: Path) -> Visit:
    def visit(page: Page, screen: Screen, phone: bool) -> None:
        path = directory / f"{screen.name}-{'phone' if phone else 'desktop'}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"  {path.relative_to(PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else path}")

    return visit


def run(visit: Visit, work_dir: Path) -> None:
    runtime = RuntimeProcess(work_dir)
    runtime.start()
    try:
        ids = give_history(runtime)
        bank_in_and_out(runtime)
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                for phone in (False, True):
                    tour(browser, runtime, SCREENS, ids, visit, phone)
                distribute_last_year(runtime, ids)
                for phone in (False, True):
                    tour(browser, runtime, AFTER_NEW_YEAR, ids, visit, phone)
            finally:
                browser.close()
    finally:
        runtime.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work_dir:
        run(save_to(args.out.resolve()), Path(work_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
