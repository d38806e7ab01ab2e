"""Mail intake: only mail authenticated for its From domain counts as a member's, the same
message sent twice makes one opportunity, nothing is rejected for its wording, and no file
is dropped silently."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage

import pytest

from chalicelib.api.ses_events import notice_of
from tests.conftest import World
from tests.intake_helpers import corpus, counts, deliver, make_bucket, notification, people, sent


@pytest.fixture
def members(world: World) -> Iterator[dict[str, str]]:
    make_bucket()
    yield people(world)


def signed(raw: bytes, domain: str) -> bytes:
    """The mail with a DKIM-Signature of `domain` (SES checks it; here its verdict is given)."""
    header = (
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n"
        f" d={domain}; s=sel; h=from:subject; bh=abc=; b=def=\n"
    )
    return header.encode() + raw


def opportunities(world: World) -> int:
    return len(world.services.opportunities.browse(None, None, 50, None).opportunities)


@pytest.mark.parametrize(
    ("domain", "status"),
    [
        ("example.nl", "accepted"),  # the From's own domain
        ("mail.example.nl", "accepted"),  # a subdomain of it: aligned
        ("mailer.example", "rejected"),  # a domain that is not the From's: forged
    ],
)
def test_a_passing_dkim_signature_counts_only_for_its_own_domain(
    world: World, members: dict[str, str], domain: str, status: str
) -> None:
    raw = signed(corpus("gmail_alternative.eml"), domain)

    outcome = deliver(world, raw, spf="FAIL", dkim="PASS", dmarc="FAIL")

    assert outcome.status == status
    if status == "rejected":
        assert outcome.reason == "from_not_authenticated"
        assert opportunities(world) == 0
    record = world.services.intake.get(outcome.intake_id)
    assert "forged" in (record.reason_text or "forged")
    assert sent(world) == []  # SPF failed: nothing goes back


def test_spf_counts_when_the_envelope_sender_is_of_the_from_domain(
    world: World, members: dict[str, str]
) -> None:
    aligned = deliver(
        world,
        corpus("gmail_alternative.eml"),
        message_id="aligned",
        spf="PASS",
        dkim="FAIL",
        dmarc="FAIL",
        source="bounces@lists.example.nl",
    )
    forged = deliver(
        world,
        corpus("apple_mail.eml"),
        message_id="forged",
        spf="PASS",
        dkim="FAIL",
        dmarc="FAIL",
        source="bounces@mailer.example",
    )

    assert aligned.status == "accepted"
    assert (forged.status, forged.reason) == ("rejected", "from_not_authenticated")


def test_a_forged_member_from_is_not_posted_in_their_name(
    world: World, members: dict[str, str]
) -> None:
    outcome = deliver(world, corpus("gmail_alternative.eml"), spf="FAIL", dkim="PASS", dmarc="FAIL")

    assert (outcome.status, outcome.reason) == ("rejected", "from_not_authenticated")
    assert opportunities(world) == 0 and sent(world) == []
    assert world.services.announcements.run().mailed == 0


def test_the_same_message_sent_twice_makes_one_opportunity_mail_and_announcement(
    world: World, members: dict[str, str]
) -> None:
    world.member("Femke", "femke@example.nl", disciplines=["data-engineering"])
    raw = corpus("gmail_alternative.eml")

    first = deliver(world, raw, message_id="ses-first")
    again = deliver(world, raw, message_id="ses-again")  # the sender sent it again
    announced = world.services.announcements.run()

    assert first.status == "accepted"
    assert (again.status, again.reason, again.opportunity_id) == ("rejected", "duplicate", None)
    assert world.services.intake.get("ses-again").duplicate_of == "ses-first"
    assert counts(world)[:2] == (2, 1)
    assert [m.to for m in sent(world) if m.subject.startswith("Je kans")] == ["mieke@example.nl"]
    assert announced.mailed == 1  # Femke, once


@pytest.mark.usefixtures("patched_moto")  # moto's own transactions are not thread-safe
def test_the_same_message_arriving_twice_at_the_same_moment_makes_one_opportunity(
    world: World, members: dict[str, str]
) -> None:
    raw = corpus("gmail_alternative.eml")
    at = world.clock.now()
    messages = [notification(raw, f"ses-{n}", received_at=at) for n in range(4)]
    gate = threading.Barrier(len(messages))

    def receive(message: str) -> str:
        gate.wait()
        return world.services.intake.receive(notice_of(message)).status

    with ThreadPoolExecutor(len(messages)) as pool:
        statuses = list(pool.map(receive, messages))

    assert sorted(statuses) == ["accepted", "rejected", "rejected", "rejected"]
    assert counts(world) == (4, 1, 1)


def test_a_mail_without_a_recognised_discipline_is_posted_and_the_member_asked(
    world: World, members: dict[str, str]
) -> None:
    world.member("Piet", "piet@example.nl", disciplines=["broodbezorging"])
    outcome = deliver(world, corpus("no_discipline.eml"))
    opportunity = world.services.opportunities.get(str(outcome.opportunity_id))

    [mail] = sent(world)
    assert outcome.status == "accepted" and opportunity.disciplines == ()
    assert "geen discipline" in mail.text and "Vakgebieden toevoegen" in mail.text
    assert world.services.announcements.run().mailed == 0  # nobody matches yet

    added = world.services.intake.set_disciplines(
        opportunity.id, ("Broodbezorging",), members["mieke"], is_admin=False
    )
    again = world.services.intake.set_disciplines(
        opportunity.id, ("broodbezorging",), members["mieke"], is_admin=False
    )

    assert added.disciplines == again.disciplines == ("broodbezorging",)
    assert world.services.announcements.run().mailed == 1  # Piet hears of it now


def test_a_common_word_a_member_once_listed_matches_no_mail(
    world: World, members: dict[str, str]
) -> None:
    store = world.services.members_store
    mieke = store.get_member(members["mieke"])
    store.update_profile(mieke.id, {"disciplines": ("de", "en", *mieke.disciplines)})

    outcome = deliver(world, corpus("no_discipline.eml"))

    record = world.services.intake.get(outcome.intake_id)
    assert outcome.status == "accepted" and record.recognised == ()


def test_attachments_beyond_the_limit_are_recorded_not_dropped(
    world: World, members: dict[str, str]
) -> None:
    mail = EmailMessage()
    mail["From"] = "Mieke <mieke@example.nl>"
    mail["To"] = "kansen@co-operations.nl"
    mail["Subject"] = "Data engineering met veel bijlagen"
    mail["Message-ID"] = "<many-files@example.nl>"
    mail.set_content("Een data engineer gezocht; zie de bijlagen.")
    for n in range(1, 24):
        mail.add_attachment(b"x" * n, maintype="application", subtype="pdf", filename=f"d{n}.pdf")

    outcome = deliver(world, bytes(mail))
    record = world.services.intake.get(outcome.intake_id)

    assert outcome.status == "accepted"
    assert [a.name for a in record.attachments] == [f"d{n}.pdf" for n in range(1, 21)]
    assert [(s.name, s.size, s.reason) for s in record.skipped_attachments] == [
        ("d21.pdf", 21, "too_many"),
        ("d22.pdf", 22, "too_many"),
        ("d23.pdf", 23, "too_many"),
    ]
    assert "more attachments" in record.skipped_attachments[0].reason_text


def test_the_recognised_sector_is_the_opportunitys(world: World, members: dict[str, str]) -> None:
    outcome = deliver(world, corpus("gmail_alternative.eml"))  # "bij een zorgverzekeraar"

    opportunity = world.services.opportunities.get(str(outcome.opportunity_id))

    assert opportunity.sector == "healthcare"
    assert json.dumps(opportunity.disciplines) == '["data-engineering"]'
