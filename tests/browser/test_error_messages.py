"""A wrong input is told next to its field, in the person's language and in words: checked
in the browser before sending where it is obvious, and otherwise the API's own message."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

MACHINE_TALK = re.compile(r"pattern|\^|\\s|String should|Input should|cents|member:|%[0-9A-F]{2}")


def apply_form(app: Any) -> Any:
    page = app.page
    page.get_by_label("Naam").fill("Fleur Mulder")
    page.get_by_label("Vakgebieden").fill("legal, privacy")
    return page


def field_error(page: Any, name: str) -> Any:
    return page.locator(f"[data-field={name}] .field-error")


def test_obvious_mistakes_are_told_in_dutch_next_to_their_fields_before_sending(
    new_app: Any,
) -> None:
    fleur = new_app().open("/apply")
    page = apply_form(fleur)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/applications" in r.url else None)
    page.get_by_label("E-mailadres", exact=True).fill("fleur-at-example.nl")
    page.get_by_label("Jaren werkervaring").fill("7.5")

    page.get_by_role("button", name="Aanmelding versturen").click()

    expect(field_error(page, "email")).to_have_text("Vul een geldig e-mailadres in.")
    expect(field_error(page, "years_experience")).to_have_text("Vul een heel aantal jaren in.")
    expect(page.get_by_label("E-mailadres", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("Controleer de velden hieronder")
    for name in ("email", "years_experience"):
        assert not MACHINE_TALK.search(field_error(page, name).inner_text())
    assert sent == []  # nothing went to the API
    fleur.check_accessibility()


def test_the_apis_message_shows_next_to_the_field_in_dutch(new_app: Any) -> None:
    fleur = new_app().open("/apply")
    page = apply_form(fleur)
    page.get_by_label("E-mailadres", exact=True).fill("fleur.api@example.nl")
    page.get_by_label("Jaren werkervaring").fill("3")  # under the collective's minimum

    page.get_by_role("button", name="Aanmelding versturen").click()

    expect(field_error(page, "years_experience")).to_have_text("Minimaal 5 jaar.")
    expect(page.get_by_role("alert")).to_contain_text("minstens 5 jaar werkervaring")
    assert not MACHINE_TALK.search(page.locator("form").inner_text())
    fleur.check_accessibility()


def test_in_english_the_api_answers_in_english(new_app: Any) -> None:
    app = new_app()
    app.page.add_init_script("localStorage.setItem('coop.language', 'en')")
    app.open("/apply")
    page = app.page
    page.locator("[data-field=name] input").fill("Fleur Mulder")
    page.locator("[data-field=disciplines] input").fill("legal")
    page.locator("[data-field=email] input").fill("fleur.en@example.nl")
    page.locator("[data-field=years_experience] input").fill("3")

    page.locator("form button[type=submit]").click()

    expect(field_error(page, "years_experience")).to_have_text("At least 5 years.")
    page.locator("[data-field=email] input").fill("")
    page.locator("form button[type=submit]").click()
    expect(field_error(page, "email")).to_have_text("Enter your e-mail address.")
