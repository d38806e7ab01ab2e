"""A quarterly meeting from planning to the evening, in a real browser against the local
runtime: the treasurer plans it, one member takes the only seat with a pitch, another waits,
moves up when the first leaves (and is mailed), adds it to the calendar, and the organiser
sees the sign-ups with their pitches in order."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import expect

from devtools.runtime_process import RuntimeProcess

TREASURER = "ton@co-operations.nl"
MIEKE, PATRICK = "mieke.jansen@example.nl", "patrick.bakker@example.nl"


def test_plan_sign_up_with_a_pitch_wait_move_up_and_see_the_pitches(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    # Given the treasurer plans a meeting with one seat, six weeks ahead
    ton = new_app().sign_in(TREASURER).go("Bijeenkomsten")
    ton.check_accessibility()
    ton.page.get_by_role("link", name="Bijeenkomst plannen").first.click()
    ton.settled()
    day = (date.today() + timedelta(days=42)).isoformat()
    form = ton.page
    form.get_by_label("Titel").fill("Personal branding")
    form.get_by_label("Thema").fill("Portretfoto's voor iedereen")
    form.get_by_label("Begint").fill(f"{day}T18:00")
    form.get_by_label("Eindigt").fill(f"{day}T21:30")
    form.get_by_label("Locatie").fill("Pakhuis de Zwijger")
    form.get_by_label("Adres").fill("Piet Heinkade 179")
    form.get_by_label("Plaats", exact=True).fill("Amsterdam")
    form.get_by_label("Aantal plaatsen").fill("1")
    ton.check_accessibility()
    form.get_by_role("button", name="Bijeenkomst plannen").click()
    expect(form.get_by_role("heading", name="Personal branding")).to_be_visible()
    ton.settled()
    ton.check_accessibility()
    meeting_id = re.sub(r".*#/meetings/", "", form.url)
    expect(form.get_by_text("18:00\u201321:30")).to_be_visible()  # Amsterdam time, as entered

    # When Mieke takes the seat with a pitch
    mieke = new_app().sign_in(MIEKE).open(f"/meetings/{meeting_id}")
    mieke.page.get_by_label("Je pitch (één regel)").fill("Data-engineering, drie dagen per week")
    mieke.page.get_by_role("button", name="Aanmelden").click()
    expect(mieke.page.get_by_test_id("my-place")).to_have_text("Je bent aangemeld. Tot dan!")
    expect(mieke.page.get_by_test_id("my-place")).to_be_focused()  # not <body>
    mieke.check_accessibility()

    # and Patrick, with the meeting full, joins the waiting list with his pitch
    patrick = new_app().sign_in(PATRICK).open(f"/meetings/{meeting_id}")
    expect(patrick.page.get_by_text("Alle plaatsen zijn bezet")).to_be_visible()
    patrick.page.get_by_label("Je pitch (één regel)").fill("Interim programmamanagement")
    patrick.page.get_by_role("button", name="Op de wachtlijst").click()
    expect(patrick.page.get_by_test_id("my-place")).to_contain_text("op plek 1")
    patrick.check_accessibility()
    patrick.open("/")
    upcoming = patrick.page.get_by_role("region", name="Komende bijeenkomsten")
    expect(upcoming).to_contain_text("wachtlijst, plek 1")

    # Then Mieke cannot come after all: her seat goes to Patrick at once, who is mailed
    mieke.page.get_by_role("button", name="Afmelden").click()
    mieke.page.get_by_role("dialog").get_by_role("button", name="Afmelden").click()
    expect(mieke.page.get_by_role("status").filter(has_text="Je bent afgemeld")).to_be_visible()
    expect(mieke.page.get_by_role("button", name="Op de wachtlijst")).to_be_visible()  # full again
    patrick.open(f"/meetings/{meeting_id}")
    expect(patrick.page.get_by_test_id("my-place")).to_have_text("Je bent aangemeld. Tot dan!")
    [moved_up] = [m for m in runtime.sent_mail(PATRICK) if "Personal branding" in m["subject"]]
    assert moved_up["subject"].startswith("Er is een plek voor je: Personal branding")
    assert f"#/meetings/{meeting_id}" in moved_up["body"]

    # and Patrick puts it in his calendar
    with patrick.page.expect_download() as downloading:
        patrick.page.get_by_role("button", name="Toevoegen aan agenda (.ics)").click()
    download = downloading.value
    assert download.suggested_filename == f"meeting-{meeting_id}.ics"
    ics = open(download.path(), encoding="utf-8").read()  # noqa: SIM115
    assert "BEGIN:VEVENT" in ics and "TZID=Europe/Amsterdam" in ics

    # and the treasurer sees who comes, in order, with the pitches for the evening
    ton.open(f"/meetings/{meeting_id}")
    sign_ups = ton.page.get_by_role("heading", name="Aanmeldingen en pitches").locator("..")
    expect(sign_ups).to_contain_text("Patrick Bakker")
    expect(sign_ups).to_contain_text("Interim programmamanagement")
    expect(sign_ups).not_to_contain_text("Mieke Jansen")
    expect(sign_ups).to_contain_text("aangemeld sinds")
    expect(sign_ups).not_to_contain_text("aangemeld aangemeld")
    ton.check_accessibility()

    # and the directory's members see nothing pitched yet: the meeting has not been held
    ton.go("Leden")
    expect(ton.page.get_by_text("Pitchte op de laatste bijeenkomst")).to_have_count(0)
