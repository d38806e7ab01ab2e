"""Mail intake on the local runtime, as a developer tries it: `devtools.cli intake deliver`
hands a mail to the running runtime, the API shows the result, `mail list` shows the mail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import ROOT
from tests.e2e.test_local_http import Runtime, admin_token

MAIL = """From: Mieke Jansen <Mieke.Jansen@example.nl>
To: kansen@co-operations.nl
Subject: =?utf-8?q?Data_engineering_bij_een_co=C3=B6peratie?=
Message-ID: <e2e-1@example.nl>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Een energiecoöperatie zoekt een data engineer, drie maanden.

--\x20
Mieke
"""


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    running = Runtime(tmp_path_factory.mktemp("local"))
    running.start()
    try:
        yield running
    finally:
        if running.process and running.process.poll() is None:
            running.stop()


def cli(runtime: Runtime, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COOP_"))}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "devtools.cli",
            *args,
            "--dev-json",
            str(runtime.local_dir / "dev.json"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_mail_delivered_locally_becomes_an_opportunity_and_a_confirmation(
    runtime: Runtime, tmp_path: Path
) -> None:
    eml = tmp_path / "kans.eml"
    eml.write_bytes(MAIL.encode())

    [line] = cli(runtime, "intake", "deliver", str(eml)).splitlines()
    outcome = json.loads(line)
    [spam] = cli(runtime, "intake", "deliver", str(eml), "--spam", "FAIL").splitlines()
    admin = admin_token(runtime)
    _, opportunity = runtime.call("GET", f"/opportunities/{outcome['opportunity_id']}", None, admin)
    _, rejected = runtime.call("GET", "/intake?status=rejected", None, admin)
    mails = cli(runtime, "mail", "list")

    assert (outcome["status"], outcome["reason"]) == ("accepted", None)
    assert json.loads(spam)["reason"] == "spam"
    assert opportunity["title"] == "Data engineering bij een coöperatie"
    assert (
        opportunity["description"] == "Een energiecoöperatie zoekt een data engineer, drie maanden."
    )
    assert [r["discipline"] for r in opportunity["recognised"]] == ["data-engineering"]
    assert [r["id"] for r in rejected["items"]] == [json.loads(spam)["intake_id"]]
    assert "To:      mieke.jansen@example.nl" in mails
    assert "Subject: Je kans staat erop: Data engineering bij een coöperatie" in mails


def test_a_forged_sender_and_a_mail_sent_twice_post_nothing_more(
    runtime: Runtime, tmp_path: Path
) -> None:
    eml = tmp_path / "twice.eml"
    eml.write_bytes(MAIL.replace("e2e-1@example.nl", "e2e-twice@example.nl").encode())
    deliver = ("intake", "deliver", str(eml))

    forged = json.loads(
        cli(runtime, *deliver, "--spf", "FAIL", "--dkim", "PASS", "--dmarc", "FAIL")
    )
    first = json.loads(cli(runtime, *deliver))
    again = json.loads(cli(runtime, *deliver))  # the sender sent it again: another SES id

    assert (forged["status"], forged["reason"]) == ("rejected", "from_not_authenticated")
    assert first["status"] == "accepted"
    assert (again["status"], again["reason"], again["opportunity_id"]) == (
        "rejected",
        "duplicate",
        None,
    )
    _, record = runtime.call("GET", f"/intake/{forged['intake_id']}", None, admin_token(runtime))
    assert "forged" in record["reason_text"]


def test_announcements_unsubscribe_in_one_click_over_http(runtime: Runtime) -> None:
    admin = admin_token(runtime)
    body = {
        "title": "Dataplatform voor een zorgapp",
        "description": "Twee dagen per week.",
        "disciplines": ["data-engineering"],
        "on_behalf_of_collective": True,
    }
    assert runtime.call("POST", "/opportunities", body, admin)[0] == 201
    assert runtime.call("POST", "/jobs/announcements", {}, admin)[0] == 200
    listed = cli(runtime, "mail", "list", "--last", "1")
    one_click = next(
        line.split(": ", 1)[1].strip("<>")
        for line in listed.splitlines()
        if line.startswith("List-Unsubscribe: ")
    )
    assert one_click.startswith(runtime.info["api_url"] + "/unsubscribe?token=")
    assert parse_qs(urlsplit(one_click).query)["token"]

    request = urllib.request.Request(
        one_click,
        data=b"List-Unsubscribe=One-Click",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert (answer.status, json.loads(answer.read())) == (200, {"status": "unsubscribed"})
