"""`devtools.cli intake deliver` and `mail list`, wired to the in-process world."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

import app as app_module
from chalicelib.mail.letter import Letter
from devtools import cli
from devtools.cli import intake as intake_cli
from devtools.cli import mail as mail_cli
from tests.conftest import SENDER, SESSION, World
from tests.intake_helpers import CORPUS, make_bucket, people


@pytest.fixture
def local(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI pointed at the world instead of a running local runtime."""
    make_bucket()
    people(world)
    monkeypatch.setattr(intake_cli, "point_at_local_runtime", lambda info: None)
    monkeypatch.setattr(intake_cli, "_s3", lambda info: SESSION.client("s3"))
    monkeypatch.setattr(intake_cli, "_handler", lambda: app_module.intake_mail)
    dev_json = tmp_path / "dev.json"
    dev_json.write_text(json.dumps({"region": "eu-west-1", "aws_endpoint_url": "x"}))
    return dev_json


def deliver(dev_json: Path, *args: str) -> tuple[int, str]:
    """Runs the command as `python -m devtools.cli` would: its exit code and what it printed
    (standard output when it succeeded, standard error when it did not)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["intake", "deliver", *args, "--dev-json", str(dev_json)])
    return code, out.getvalue() if code == 0 else err.getvalue()


def test_deliver_prints_one_json_line_with_the_outcome(world: World, local: Path) -> None:
    code, output = deliver(local, str(CORPUS / "gmail_alternative.eml"))

    assert code == 0, output
    [line] = output.splitlines()
    outcome = json.loads(line)
    assert set(outcome) == {"intake_id", "status", "reason", "opportunity_id"}
    assert (outcome["status"], outcome["reason"]) == ("accepted", None)
    assert world.services.opportunities.get(outcome["opportunity_id"]).title == (
        "Data engineering bij een zorgverzekeraar"
    )


@pytest.mark.parametrize(("flag", "reason"), [("--spam", "spam"), ("--virus", "virus")])
def test_verdict_flags_reach_the_handler(local: Path, flag: str, reason: str) -> None:
    code, output = deliver(local, str(CORPUS / "gmail_alternative.eml"), flag, "FAIL")

    assert code == 0, output
    assert json.loads(output)["reason"] == reason


@pytest.mark.parametrize(
    ("flags", "status", "reason"),
    [
        (
            ["--spf", "FAIL", "--dkim", "PASS", "--dmarc", "FAIL"],
            "rejected",
            "from_not_authenticated",
        ),
        (["--spf", "GRAY", "--dkim", "FAIL"], "rejected", "not_authenticated"),
        (["--spf", "PASS", "--dkim", "FAIL", "--dmarc", "FAIL"], "accepted", None),  # SPF aligned
        (["--spf", "FAIL", "--dkim", "FAIL", "--dmarc", "PASS"], "rejected", "not_authenticated"),
        (["--dmarc", "GRAY"], "accepted", None),
    ],
)
def test_authentication_flags_reach_the_handler(
    world: World, local: Path, flags: list[str], status: str, reason: str | None
) -> None:
    code, output = deliver(local, str(CORPUS / "gmail_alternative.eml"), *flags)

    assert code == 0, output
    outcome = json.loads(output)
    assert (outcome["status"], outcome["reason"]) == (status, reason)
    posted = world.services.opportunities.browse(None, None, 10, None).opportunities
    assert len(posted) == (status == "accepted")


def test_a_verdict_that_is_not_one_is_refused(local: Path) -> None:
    with pytest.raises(SystemExit) as refused:
        deliver(local, str(CORPUS / "gmail_alternative.eml"), "--dkim", "MAYBE")

    assert refused.value.code == 2


def test_the_same_message_id_again_is_a_redelivery(world: World, local: Path) -> None:
    file = str(CORPUS / "apple_mail.eml")
    first = deliver(local, file, "--message-id", "abc123")[1]
    again = deliver(local, file, "--message-id", "abc123")[1]

    assert json.loads(first) == json.loads(again)
    assert len(world.services.intake.browse(None, 10, None).records) == 1


def test_a_missing_file_or_runtime_exits_2(local: Path, tmp_path: Path) -> None:
    assert deliver(local, str(tmp_path / "nope.eml"))[0] == 2
    code, output = deliver(tmp_path / "dev.json.missing", str(CORPUS / "apple_mail.eml"))
    assert code == 2 and "make run" in output


def test_mail_list_shows_a_sent_mail_readably() -> None:
    letter = Letter(
        "Nieuwe kans: Grid study",
        "Beste Mieke,",
        ("Een kans.",),
        "Groet",
        headers={"List-Unsubscribe": "<https://api.x.nl/unsubscribe?token=t>"},
    )
    raw = letter.to("mieke@example.nl").mime(SENDER).decode()

    shown = mail_cli.readable(raw)

    assert "To:      mieke@example.nl" in shown
    assert "Subject: Nieuwe kans: Grid study" in shown
    assert "List-Unsubscribe: <https://api.x.nl/unsubscribe?token=t>" in shown
    assert "Parts:   text, html" in shown
    assert shown.endswith("Beste Mieke,\n\nEen kans.\n\nGroet")
