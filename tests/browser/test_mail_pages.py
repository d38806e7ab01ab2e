"""The web app's side of mail, in a real browser against the local runtime: unsubscribing
from the link in a real announcement mail, choosing how often mails come, an admin turning
a rejected mail into an opportunity, and a mailed-in opportunity's matched words and
attachments. Each test uses its own people so the tests do not depend on each other."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from devtools.runtime_process import RuntimeProcess
from tests.conftest import ROOT

TREASURER = "ton@co-operations.nl"
MIEKE, PATRICK = "mieke.jansen@example.nl", "patrick.bakker@example.nl"
SANNE, DAAN = "sanne.visser@example.nl", "daan.smit@example.nl"
MAIL = ROOT / "tests" / "mail"


def token(runtime: RuntimeProcess, email: str) -> str:
    return runtime.token(email, runtime.user(email)["password"])


def me(runtime: RuntimeProcess, email: str) -> dict[str, Any]:
    status, answer = runtime.call("GET", "/members/me", token=token(runtime, email))
    assert status == 200, answer
    return dict(answer)


def test_unsubscribe_from_the_link_in_a_real_announcement_only_when_asked(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    # Given a new data-engineering opportunity is announced to Daan, who wants such mails
    admin = token(runtime, TREASURER)
    posted = {
        "title": "Datalake voor een woningcorporatie",
        "description": "Vier maanden, drie dagen per week.",
        "disciplines": ["data-engineering"],
        "on_behalf_of_collective": True,
    }
    assert runtime.call("POST", "/opportunities", posted, admin)[0] == 201
    assert runtime.call("POST", "/jobs/announcements", {}, admin)[0] == 200
    [mail] = [m for m in runtime.sent_mail(DAAN) if posted["title"] in m["body"]]
    found = re.search(r"(\S+#/unsubscribe\?token=\S+)", mail["body"])
    assert found is not None, mail["body"]
    link = found.group(1)
    assert link.startswith(runtime.web_url)

    # When he follows the link in the mail (not signed in), nothing changes yet
    daan = new_app()
    daan.page.goto(link)
    daan.settled()
    page = daan.page
    expect(
        page.get_by_role("heading", name="Afmelden voor mails over nieuwe kansen")
    ).to_be_visible()
    expect(page.get_by_text("Er verandert pas iets als je op de knop drukt")).to_be_visible()
    daan.check_accessibility()
    assert me(runtime, DAAN)["notify_opportunities"] is True

    # until he presses the button: then he is told, and the API agrees
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("status").filter(has_text="Je bent afgemeld")).to_be_visible()
    expect(page.get_by_role("link", name="Zet het aan in je profiel")).to_have_attribute(
        "href", "#/profile"
    )
    daan.check_accessibility()
    assert me(runtime, DAAN)["notify_opportunities"] is False

    # and a garbled link says so instead of pretending it worked
    garbled = new_app().open("/unsubscribe?token=" + link.rsplit("=", 1)[1][:-4] + "XXXX")
    garbled.page.get_by_role("button", name="Afmelden").click()
    alert = garbled.page.get_by_role("alert")
    expect(alert).to_contain_text("Deze afmeldlink klopt niet")
    expect(garbled.page.get_by_role("status").filter(has_text="Je bent afgemeld")).to_have_count(0)
    garbled.check_accessibility()


def test_choose_a_weekly_digest_and_no_meeting_invitations_on_the_profile(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    # Given Sanne gets a mail per opportunity and meeting invitations
    sanne = new_app().sign_in(SANNE).go("Profiel")
    page = sanne.page
    each = page.get_by_role("radio", name="Per kans")
    weekly = page.get_by_role("radio", name="Wekelijks overzicht")
    meetings = page.get_by_label("Mail mij uitnodigingen voor bijeenkomsten")
    expect(each).to_be_checked()
    expect(meetings).to_be_checked()
    sanne.check_accessibility()

    # How often only matters while the mails are on
    notify = page.get_by_label("Mail mij nieuwe kansen in mijn vakgebieden")
    notify.uncheck()
    expect(weekly).to_be_disabled()
    notify.check()
    expect(weekly).to_be_enabled()

    # When she chooses the weekly digest and no meeting invitations
    weekly.check()
    meetings.uncheck()
    page.get_by_role("button", name="Profiel opslaan").click()
    expect(page.get_by_role("status").filter(has_text="Je profiel is opgeslagen")).to_be_visible()

    # then a reload shows them kept, and the API agrees
    sanne.open("/profile")
    expect(page.get_by_role("radio", name="Wekelijks overzicht")).to_be_checked()
    expect(page.get_by_label("Mail mij uitnodigingen voor bijeenkomsten")).not_to_be_checked()
    expect(page.get_by_label("Mail mij nieuwe kansen in mijn vakgebieden")).to_be_checked()
    profile = me(runtime, SANNE)
    assert (profile["opportunity_mail"], profile["notify_meetings"]) == ("weekly", False)
    assert profile["notify_opportunities"] is True


def test_an_admin_posts_a_rejected_mail_for_the_collective(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    # Given a mail from someone who is not a member was rejected
    delivered = runtime.deliver_mail((MAIL / "unknown_sender.eml").read_bytes())
    assert (delivered["status"], delivered["reason"]) == ("rejected", "unknown_sender")
    subject = "Data engineering kandidaten beschikbaar!"

    # When the treasurer opens the incoming mail
    ton = new_app().sign_in(TREASURER).go("Ingekomen mail")
    page = ton.page
    item = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=subject, exact=True)
    )
    expect(item).to_contain_text("van jobs@recruiter.example")
    expect(item).to_contain_text("Reden: de afzender is geen lid")
    ton.check_accessibility()

    # and posts it: first without saying for whom
    item.get_by_role("button", name=f"“{subject}” als kans plaatsen").click()
    form = page.get_by_role("form", name=f"Als kans plaatsen: {subject}")
    expect(form.get_by_label("Titel")).to_have_value(subject)
    form.get_by_role("button", name="Kans plaatsen").click()
    expect(form.get_by_label("Welk lid")).to_have_attribute("aria-invalid", "true")
    ton.check_accessibility()
    form.get_by_label("Namens het collectief").check()
    expect(form.get_by_label("Welk lid")).to_be_hidden()
    form.get_by_label("Titel").fill("Data engineers gezocht door een bureau")
    # then with a discipline, by any of its names, it becomes the collective's opportunity,
    # which the page opens
    form.get_by_label("Vakgebieden").fill("data engineer")
    form.get_by_role("button", name="Kans plaatsen").click()
    heading = page.get_by_role("heading", name="Data engineers gezocht door een bureau")
    expect(heading).to_be_visible()
    ton.settled()
    expect(page.locator(".details")).to_contain_text("het collectief")
    expect(page.get_by_role("region", name="Per mail binnengekomen")).to_be_visible()
    opportunity_id = page.url.rsplit("/", 1)[1]
    ton.check_accessibility()

    # and the incoming mail, now accepted, links to it
    ton.open("/admin/intake?status=accepted")
    accepted = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=subject, exact=True)
    )
    expect(accepted.get_by_role("link", name="Naar de kans")).to_have_attribute(
        "href", f"#/opportunities/{opportunity_id}"
    )
    _, record = runtime.call(
        "GET", f"/intake/{delivered['intake_id']}", token=token(runtime, TREASURER)
    )
    assert (record["status"], record["opportunity_id"]) == ("accepted", opportunity_id)


def test_a_mailed_in_opportunity_shows_its_words_and_gives_signed_attachment_links(
    new_app: Any, runtime: RuntimeProcess
) -> None:
    # Given Mieke mails in a request for quotation with a logo and a PDF
    raw = (MAIL / "attachments.eml").read_bytes().replace(b"mieke@example.nl", MIEKE.encode())
    delivered = runtime.deliver_mail(raw)
    assert delivered["status"] == "accepted", delivered

    # When Patrick opens the opportunity
    patrick = new_app().sign_in(PATRICK).open(f"/opportunities/{delivered['opportunity_id']}")
    page = patrick.page
    mailed = page.get_by_role("region", name="Per mail binnengekomen")
    expect(mailed).to_contain_text("Data engineering")  # the discipline by its name
    expect(mailed).to_contain_text("uit de woorden “data engineering”, “data engineer”")
    expect(mailed).to_contain_text("application/pdf")
    patrick.check_accessibility()

    # then each attachment comes through a short-lived signed link
    for number, name in ((1, "attachment-1.png"), (2, "uitvraag meetnet \u2013 versie 2.pdf")):
        with (
            page.expect_response(re.compile(rf"/attachments/{number}$")) as answered,
            page.expect_download() as downloading,
        ):
            mailed.get_by_role("button", name=f"{name} downloaden").click()
        assert answered.value.status == 200
        download = downloading.value
        assert download.url == answered.value.json()["url"]
        assert download.url.startswith(runtime.info["aws_endpoint_url"])
        assert "Signature" in download.url
        content = download.path().read_bytes()
        assert content.startswith(b"%PDF" if number == 2 else b"\x89PNG")
    expect(mailed.get_by_role("link", name="Opnieuw downloaden")).to_have_count(2)
    patrick.check_accessibility()
