"""Disciplines and sectors offered as one types them (issue 16): the apply, profile and
new-opportunity forms suggest the known ones in the reader's language, and what is saved is
the known one whatever name was typed."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from devtools.runtime_process import RuntimeProcess
from tests.browser.conftest import App
from tests.browser.test_journeys import PASSWORD
from tests.browser.test_member_pages import admitted_member


def suggestions(app: App, label: str) -> list[str]:
    field = app.page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("list", re.compile(".+"))
    return list(
        app.page.evaluate(
            "(id) => [...document.getElementById(id).options].map((o) => o.value)",
            field.get_attribute("list"),
        )
    )


def test_the_apply_form_suggests_known_disciplines_after_each_comma(new_app: Any) -> None:
    app = new_app().open("/apply")
    field = app.page.get_by_label("Vakgebieden", exact=True)

    offered = suggestions(app, "Vakgebieden")
    field.fill("Projectmanagement, UX")
    after_comma = suggestions(app, "Vakgebieden")

    assert "UX-ontwerp" in offered and "Data engineering" in offered
    assert "Projectmanagement, UX-ontwerp" in after_comma
    assert "Projectmanagement, Projectmanagement" not in after_comma  # not twice
    assert "Zorg" in suggestions(app, "Sectoren")
    assert app.errors == []


def test_the_profile_shows_labels_and_saves_the_known_term(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    email = "joris.vocab@example.nl"
    app = admitted_member(new_app, runtime, "Joris Vocab", email)
    app.open("/profile")

    app.page.get_by_label("Vakgebieden", exact=True).fill("UX'er, scrum master")
    app.page.get_by_label("Sectoren", exact=True).fill("zorg")
    app.page.get_by_role("button", name="Profiel opslaan").click()
    app.settled()

    _, me = runtime.call("GET", "/members/me", token=runtime.token(email, PASSWORD))
    assert (me["disciplines"], me["sectors"]) == (["ux-design", "agile-coaching"], ["healthcare"])
    app.open("/profile")
    field = app.page.get_by_label("Vakgebieden", exact=True)
    expect(field).to_have_value("UX-ontwerp, Agile coaching")
    assert "UX-ontwerp, Data engineering" in suggestions(app, "Vakgebieden")
    assert app.errors == []


def test_the_new_opportunity_form_suggests_disciplines_and_one_sector(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    app = admitted_member(new_app, runtime, "Kees Vocab", "kees.vocab@example.nl")
    app.open("/opportunities/new")

    assert "Softwareontwikkeling" in suggestions(app, "Vakgebieden")
    assert "Overheid" in suggestions(app, "Sector")


BAKERY = """From: Roos Vocab <roos.vocab@example.nl>
To: kansen@co-operations.nl
Subject: Bakkerij zoekt hulp
Message-ID: <bakery-vocab@example.nl>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

De bakker om de hoek zoekt iemand die de planning van zijn winkels op orde brengt.
"""


def test_a_mail_without_a_discipline_is_posted_and_its_referrer_adds_them(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    app = admitted_member(new_app, runtime, "Roos Vocab", "roos.vocab@example.nl")
    outcome = runtime.deliver_mail(BAKERY.encode())
    [confirmation] = [
        m for m in runtime.sent_mail("roos.vocab@example.nl") if "Bakkerij" in m["subject"]
    ]

    app.open(f"/opportunities/{outcome['opportunity_id']}")
    app.page.get_by_label("Vakgebieden van deze kans").fill("projectleider, ")
    app.page.get_by_role("button", name="Vakgebieden opslaan").click()
    app.settled()

    assert outcome["status"] == "accepted"
    assert "Vakgebieden toevoegen" in confirmation["body"]
    expect(app.page.get_by_role("heading", name="Vakgebieden toevoegen")).to_have_count(0)
    expect(app.page.locator(".badge.tag", has_text="Projectmanagement")).to_be_visible()
    token = runtime.token("roos.vocab@example.nl", PASSWORD)
    _, opportunity = runtime.call("GET", f"/opportunities/{outcome['opportunity_id']}", token=token)
    assert opportunity["disciplines"] == ["project-management"]
    assert app.errors == []
