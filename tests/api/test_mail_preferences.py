"""What members choose about mail on new opportunities: one each or a weekly digest, and a
one-click unsubscribe (RFC 8058) that works without signing in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from chalice.test import Client

from app import app
from chalicelib.services.opportunities import NewOpportunity
from tests.conftest import ROOT, World

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DATA = ["data-engineering"]
API = "https://api.co-operations.test"


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.fixture
def api_url(world: World, monkeypatch: pytest.MonkeyPatch) -> str:
    """As deployed: COOP_API_URL names the API, so one-click links point at it."""
    service = world.services.announcements
    monkeypatch.setattr(service, "unsubscribes", replace(service.unsubscribes, api_url=API))
    return API


def post(world: World, referrer: str, title: str = "Grid study") -> str:
    form = NewOpportunity(title, "Six months", tuple(DATA), None, "Arnhem", None, None, False)
    return world.services.opportunities.post(form, referrer, is_admin=False).id


def scheduled(client: Client) -> Any:
    return client.events.generate_cw_event(
        source="aws.events",
        detail_type="Scheduled Event",
        detail={},
        resources=["arn:aws:events:eu-west-1:123456789012:rule/weekly_digest"],
    )


def test_announcements_carry_a_one_click_unsubscribe_that_works_without_signing_in(
    world: World, client: Client, api_url: str
) -> None:
    referrer = world.member("Patrick", "patrick@example.nl")
    mieke = world.member("Mieke", "mieke@example.nl", disciplines=DATA)
    post(world, referrer)
    world.services.announcements.run()
    [mail] = world.sent_mail()
    one_click = mail.headers["List-Unsubscribe"].strip("<>")
    assert one_click.startswith(f"{api_url}/unsubscribe?token=")
    page = f"{world.services.config.web_url}/#/unsubscribe?token="

    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert page in mail.text and f'href="{page}' in mail.html
    token = parse_qs(urlsplit(one_click).query)["token"][0]
    # what a mail client sends: a form POST, no token of ours, no JSON
    response = client.http.post(
        f"/unsubscribe?token={token}", body="List-Unsubscribe=One-Click", headers=FORM
    )
    again = client.http.post(
        f"/unsubscribe?token={token}", body="List-Unsubscribe=One-Click", headers=FORM
    )

    assert (response.status_code, json.loads(response.body)) == (200, {"status": "unsubscribed"})
    assert again.status_code == 200
    assert world.services.membership.member(mieke).notify_opportunities is False
    post(world, referrer, "Second study")
    assert world.services.announcements.run().mailed == 0


def test_without_an_api_url_the_header_falls_back_to_the_web_page(
    world: World, client: Client
) -> None:
    referrer = world.member("Patrick", "patrick@example.nl")
    world.member("Mieke", "mieke@example.nl", disciplines=DATA)
    post(world, referrer)

    world.services.announcements.run()

    [mail] = world.sent_mail()
    web = world.services.config.web_url
    assert mail.headers["List-Unsubscribe"].startswith(f"<{web}/#/unsubscribe?token=")
    assert "List-Unsubscribe-Post" not in mail.headers


@pytest.mark.parametrize(
    ("path", "body", "headers"),
    [
        ("/unsubscribe?token=abc.forged", "List-Unsubscribe=One-Click", FORM),
        ("/unsubscribe", "List-Unsubscribe=One-Click", FORM),
        ("/unsubscribe?token=TOKEN", "", FORM),
        ("/unsubscribe?token=TOKEN", "List-Unsubscribe=Yes", FORM),
    ],
)
def test_a_forged_token_or_a_wrong_body_unsubscribes_nobody(
    world: World, client: Client, path: str, body: str, headers: dict[str, str]
) -> None:
    mieke = world.member("Mieke", "mieke@example.nl", disciplines=DATA)
    token = world.services.announcements.unsubscribes.token(mieke)

    response = client.http.post(path.replace("TOKEN", token), body=body, headers=headers)

    assert response.status_code == 400
    assert world.services.membership.member(mieke).notify_opportunities is True


def test_the_web_apps_page_may_post_json_too(world: World, client: Client) -> None:
    mieke = world.member("Mieke", "mieke@example.nl", disciplines=DATA)
    token = world.services.announcements.unsubscribes.token(mieke)

    response = client.http.post(
        f"/unsubscribe?token={token}",
        body=json.dumps({"List-Unsubscribe": "One-Click"}),
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 200
    assert world.services.membership.member(mieke).notify_opportunities is False


def test_a_member_chooses_the_weekly_digest_and_gets_it_once_a_week(
    world: World, client: Client
) -> None:
    referrer = world.member("Patrick", "patrick@example.nl")
    world.member("Mieke", "mieke@example.nl", disciplines=DATA)
    world.member("Femke", "femke@example.nl", disciplines=DATA)
    patch = client.http.request(
        "PATCH",
        "/members/me",
        body=json.dumps({"opportunity_mail": "weekly", "language": "en"}),
        headers=world.headers("mieke@example.nl") | {"Content-Type": "application/json"},
    )
    assert json.loads(patch.body)["opportunity_mail"] == "weekly"
    world.clock.set(datetime(2026, 5, 5, 9, tzinfo=UTC))  # week 19
    first = post(world, referrer, "Grid study")
    second = post(world, referrer, "Data platform")

    world.services.announcements.run()
    world.clock.set(datetime(2026, 5, 11, 5, tzinfo=UTC))  # Monday of week 20
    report = client.lambda_.invoke("weekly_digest", scheduled(client)).payload
    rerun = client.lambda_.invoke("weekly_digest", scheduled(client)).payload

    assert (report["week"], report["mailed"], report["opportunities"]) == ("2026-W19", 1, 2)
    assert (rerun["mailed"], rerun["already_mailed"]) == (0, 1)
    by_recipient: dict[str, list[Any]] = {}
    for mail in world.sent_mail():
        by_recipient.setdefault(mail.to, []).append(mail)
    assert sorted(m.subject for m in by_recipient["femke@example.nl"]) == [
        "Nieuwe kans: Data platform",
        "Nieuwe kans: Grid study",
    ]
    [digest] = by_recipient["mieke@example.nl"]  # no single announcements for her
    assert digest.subject == "New opportunities of week 2026-W19: 2"
    for opportunity_id in (first, second):
        assert f"/#/opportunities/{opportunity_id}" in digest.text
        assert f"/#/opportunities/{opportunity_id}" in digest.html
    assert digest.headers["List-Unsubscribe"]


def test_admins_run_the_digest_by_hand_for_a_week_that_ended(world: World, client: Client) -> None:
    world.member("Ton", "ton@example.nl", admin=True)
    admin = world.headers("ton@example.nl") | {"Content-Type": "application/json"}

    def run(query: str) -> tuple[int, Any]:
        response = client.http.post(f"/jobs/digest{query}", headers=admin)
        return response.status_code, json.loads(response.body)

    status, report = run("")
    assert (status, report["week"]) == (200, "2026-W18")  # the clock stands in week 19
    assert run("?week=2026-W19")[0] == 409
    assert run("?week=2026-W99")[0] == 400
    mieke = world.member("Mieke", "mieke@example.nl")
    headers = world.headers("mieke@example.nl")
    assert client.http.post("/jobs/digest", headers=headers).status_code == 403
    assert mieke
