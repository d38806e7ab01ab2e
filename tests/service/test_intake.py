"""Opportunities by mail: every mail of the corpus ends in the right intake record, the
handler never raises, and delivering a mail again changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from chalicelib.api.ses_events import notice_of
from devtools import ses_inbound
from tests.conftest import SESSION, World
from tests.intake_helpers import BUCKET, corpus, counts, deliver, make_bucket, people, sent


@pytest.fixture
def members(world: World) -> Iterator[dict[str, str]]:
    make_bucket()
    yield people(world)


@dataclass(frozen=True)
class Expect:
    status: str
    reason: str | None = None
    title: str | None = None
    sender: str | None = None
    disciplines: set[str] = field(default_factory=set)
    contains: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()
    attachments: set[str] = field(default_factory=set)


CASES = {
    "outlook_alternative.eml": Expect(
        "accepted",
        title="Interim projectmanager gezocht bij Gemeente Utrecht",
        sender="patrick",
        disciplines={"interim-management", "project-management"},
        contains=("Tarief in overleg (€ 110-130 per uur)", "twaalf mensen, vier dagen"),
    ),
    "gmail_alternative.eml": Expect(
        "accepted",
        title="Data engineering bij een zorgverzekeraar",
        sender="mieke",
        disciplines={"data-engineering"},
        contains=("voor één jaar", "Groetes,\nMieke"),
        lacks=("schreef Ton", "Heb jij nog iemand"),
    ),
    "apple_mail.eml": Expect(
        "accepted",
        title="Softwareontwikkelaar voor een energiebedrijf",
        disciplines={"software-development"},
        contains=("Wie wil er kennismaken?",),
        lacks=("Verstuurd vanaf mijn iPhone",),
    ),
    "html_only.eml": Expect(
        "accepted",
        disciplines={"interim-management", "programme-management"},
        contains=("- start 1 juli\n- Den Bosch & thuis", "(https://www.example.nl/vacature/123)"),
        lacks=("alert", "font-family", "<p>", "ignored"),
    ),
    "latin1_body.eml": Expect(
        "accepted", contains=("Een coöperatie in Zeeland", "café-bedrijf", "Ideeën")
    ),
    "mislabelled_charset.eml": Expect(
        "accepted", contains=("Één opdracht", "Zoëterwoude, € 95"), lacks=("Ã", "\ufffd")
    ),
    "unknown_charset.eml": Expect(
        "accepted", contains=("\u2013 “liefst snel”", "Café om de hoek"), lacks=("\ufffd",)
    ),
    "encoded_subject_utf8.eml": Expect(
        "accepted",
        title="UX-design voor een zorgapp \u2013 Zoë zoekt hulp",
        sender="sanne",
        disciplines={"ux-design"},
    ),
    "encoded_subject_latin1.eml": Expect(
        "accepted", title="Geïnteresseerd in data engineering?", disciplines={"data-engineering"}
    ),
    "attachments.eml": Expect(
        "accepted",
        disciplines={"data-engineering"},
        attachments={"uitvraag meetnet \u2013 versie 2.pdf", "attachment-1.png"},
    ),
    "forwarded_attachment.eml": Expect(
        "accepted",
        title="Aanvraag interim management afdeling Financiën",
        sender="patrick",
        contains=("per direct een interim manager voor de afdeling Financiën", "Karin Smit"),
        lacks=("FYI",),
        attachments={"functieprofiel.pdf"},
    ),
    "forwarded_inline_gmail.eml": Expect(
        "accepted",
        title="Vraag: projectleider ERP-implementatie",
        sender="mieke",
        disciplines={"project-management"},
        contains=("Hoi Mieke,", "project management van onze ERP-implementatie"),
        lacks=("Ter info", "Forwarded message", "joost@fabriek.example"),
    ),
    "forwarded_outlook.eml": Expect(
        "accepted",
        title="Inhuur data engineer",
        contains=("programma Stikstof", "Team Inkoop"),
        lacks=("Zie hieronder", "Sent:", "____"),
    ),
    "reply_quoted.eml": Expect(
        "accepted",
        title="Nog iemand voor data engineering?",
        contains=("vanaf half juni, vier dagen per week.",),
        lacks=("Jansen Data", "Weet iemand", "het volgende geschreven"),
    ),
    "empty_body.eml": Expect("rejected", "no_usable_text", sender="mieke"),
    "very_large_body.eml": Expect("accepted", disciplines={"software-development"}),
    "broken_mime.eml": Expect("rejected", "unparseable"),
    "unknown_sender.eml": Expect("rejected", "unknown_sender"),
    "sender_case.eml": Expect("accepted", sender="mieke", disciplines={"data-engineering"}),
    "cancelled_member.eml": Expect("rejected", "member_cancelled", sender="daan"),
    "no_discipline.eml": Expect("accepted", sender="mieke"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_mail_of_the_corpus_ends_in_the_right_record_once(
    world: World, members: dict[str, str], name: str
) -> None:
    expect = CASES[name]

    outcome = deliver(world, corpus(name), message_id=name.removesuffix(".eml"))
    before = counts(world)
    again = deliver(world, corpus(name), message_id=name.removesuffix(".eml"))

    # delivered twice (SNS and Lambda deliver at least once): nothing changes
    assert again.as_dict() == outcome.as_dict() and again.replayed
    assert counts(world) == before

    record = world.services.intake.get(outcome.intake_id)
    assert (record.status, record.reason) == (expect.status, expect.reason)
    if expect.title is not None:
        assert record.title == expect.title
    if expect.sender is not None:
        assert record.member_id == members[expect.sender]
    for text in expect.contains:
        assert text in record.description
    for text in expect.lacks:
        assert text not in record.description
    assert {a.name for a in record.attachments} == expect.attachments
    if expect.status == "accepted":
        opportunity = world.services.opportunities.get(str(outcome.opportunity_id))
        assert opportunity.referrer_id == record.member_id
        assert (opportunity.title, opportunity.description) == (record.title, record.description)
        assert 0 < len(opportunity.description) <= 10_000
        if expect.disciplines:
            assert set(opportunity.disciplines) == expect.disciplines
    else:
        assert outcome.opportunity_id is None


def test_the_member_gets_a_confirmation_with_what_was_recognised(
    world: World, members: dict[str, str]
) -> None:
    outcome = deliver(world, corpus("gmail_alternative.eml"))

    [mail] = sent(world)
    assert mail.to == "mieke@example.nl"
    assert mail.subject == "Je kans staat erop: Data engineering bij een zorgverzekeraar"
    # the discipline by its name, never its id, and the words that gave it
    assert "Herkende vakgebieden" in mail.text
    assert "- Data engineering: Data engineering, data-engineer" in mail.text
    link = f"{world.services.config.web_url}/#/opportunities/{outcome.opportunity_id}"
    assert link in mail.text and f'href="{link}"' in mail.html


def test_the_confirmation_speaks_the_members_language(
    world: World, members: dict[str, str]
) -> None:
    deliver(world, corpus("encoded_subject_utf8.eml"))

    [mail] = sent(world)
    assert mail.to == "sanne@example.nl"
    assert mail.subject.startswith("Your opportunity is posted: UX-design")
    assert "- UX design: UX-design, UX design" in mail.text
    assert "ux-design:" not in mail.text


ELSEWHERE, FORGED = "x@elsewhere.example", "from_not_authenticated"


@pytest.mark.parametrize(
    ("verdicts", "reason"),
    [
        ({"spam": "FAIL"}, "spam"),
        ({"virus": "FAIL"}, "virus"),
        ({"virus": "FAIL", "spam": "FAIL"}, "virus"),
        ({"spf": "FAIL", "dkim": "FAIL"}, "not_authenticated"),
        ({"spf": "GRAY", "dkim": "PROCESSING_FAILED"}, "not_authenticated"),
        # a member's From, but authenticated for another domain only: a forged sender
        ({"spf": "FAIL", "dkim": "PASS", "dmarc": "FAIL"}, "from_not_authenticated"),
        ({"spf": "PASS", "dkim": "FAIL", "dmarc": "FAIL", "source": ELSEWHERE}, FORGED),
        ({"spf": "PASS", "dkim": "PASS", "dmarc": "GRAY", "source": ELSEWHERE}, FORGED),
    ],
)
def test_untrusted_mail_is_rejected_and_nobody_is_mailed(
    world: World, members: dict[str, str], verdicts: dict[str, str], reason: str
) -> None:
    outcome = deliver(world, corpus("gmail_alternative.eml"), **verdicts)

    assert (outcome.status, outcome.reason) == ("rejected", reason)
    assert sent(world) == []
    assert world.services.opportunities.browse(None, None, 10, None).opportunities == []


def test_one_passing_check_is_enough_to_accept_but_not_to_answer(
    world: World, members: dict[str, str]
) -> None:
    outcome = deliver(world, corpus("gmail_alternative.eml"), spf="PASS", dkim="FAIL")

    assert outcome.status == "accepted"
    assert sent(world) == []  # no backscatter unless SPF and DKIM both passed
    assert world.services.outbox.deliver().sent == 0


def test_a_mail_over_the_size_limit_is_refused_unread(
    world: World, members: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    intake = world.services.intake
    monkeypatch.setattr(intake, "policy", replace(intake.policy, intake_max_mail_bytes=100_000))
    read = intake.bucket.read
    monkeypatch.setattr(intake.bucket, "read", lambda *a: pytest.fail(f"read {a}") or read(*a))

    outcome = deliver(world, corpus("very_large_body.eml"))

    assert (outcome.status, outcome.reason) == ("rejected", "too_large")
    record = intake.get(outcome.intake_id)
    assert record.subject == "Grote uitvraag software development ministerie"


def test_attachments_are_stored_and_handed_out_by_signed_links(
    world: World, members: dict[str, str]
) -> None:
    outcome = deliver(world, corpus("attachments.eml"))
    opportunity = world.services.opportunities.get(str(outcome.opportunity_id))

    link = world.services.intake.attachment_link(opportunity.id, 2)

    assert link.attachment.name == "uitvraag meetnet \u2013 versie 2.pdf"
    assert link.attachment.content_type == "application/pdf"
    # Signature V4 (buckets refuse V2), for the policy's few minutes
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in link.url
    assert "X-Amz-Expires=300" in link.url and "X-Amz-Signature=" in link.url
    assert "AWSAccessKeyId=" not in link.url
    stored = SESSION.client("s3").get_object(Bucket=BUCKET, Key=link.attachment.key)
    assert stored["Body"].read().startswith(b"%PDF-1.4")
    assert link.attachment.key.startswith("attachments/m1/2/")
    assert (link.expires_at - world.clock.now()).total_seconds() == 300


def test_a_mail_that_is_not_in_the_bucket_is_recorded_as_missing(
    world: World, members: dict[str, str]
) -> None:
    message = ses_inbound.notification(
        corpus("gmail_alternative.eml"), bucket=BUCKET, message_id="gone"
    )

    outcome = world.services.intake.receive(notice_of(json.dumps(message)))

    assert (outcome.status, outcome.reason) == ("rejected", "mail_missing")


def test_a_failure_after_the_record_loses_nothing_and_a_redelivery_does_nothing_twice(
    world: World, members: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox = world.services.outbox

    class SesDown:
        def send(self, mail: object) -> str:
            raise RuntimeError("SES throttled")

    monkeypatch.setattr(outbox, "mailer", SesDown())
    first = deliver(world, corpus("gmail_alternative.eml"))
    monkeypatch.undo()
    again = deliver(world, corpus("gmail_alternative.eml"))
    world.clock.advance(timedelta(minutes=5))
    retried = outbox.deliver()

    assert first.status == "accepted" and again.opportunity_id == first.opportunity_id
    assert retried.sent == 1
    assert [m.to for m in sent(world)] == ["mieke@example.nl"]


def test_a_storage_failure_raises_for_a_retry_that_then_finishes_the_job(
    world: World, members: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = world.services.intake.store.table.client
    real = client.transact_write_items

    def throttled(**request: object) -> None:
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException"}}, "Tx")

    monkeypatch.setattr(client, "transact_write_items", throttled)
    with pytest.raises(ClientError):
        deliver(world, corpus("gmail_alternative.eml"))
    monkeypatch.setattr(client, "transact_write_items", real)

    outcome = deliver(world, corpus("gmail_alternative.eml"))

    assert outcome.status == "accepted" and not outcome.replayed
    assert counts(world) == (1, 1, 1)


def test_opportunities_from_mail_are_announced_like_any_other(
    world: World, members: dict[str, str]
) -> None:
    world.member("Femke", "femke@example.nl", disciplines=["data-engineering"])
    outcome = deliver(world, corpus("forwarded_outlook.eml"))

    report = world.services.announcements.run()

    assert report.mailed == 2  # Mieke and Femke; not Patrick, who brought it
    announced = {m.to for m in sent(world) if m.subject.startswith("Nieuwe kans")}
    assert announced == {"mieke@example.nl", "femke@example.nl"}
    assert outcome.opportunity_id is not None


def test_a_notification_that_is_not_one_is_kept_as_a_rejected_record_once(
    world: World, members: dict[str, str]
) -> None:
    intake = world.services.intake

    first = intake.receive(notice_of("this is not json"))
    again = intake.receive(notice_of("this is not json"))

    assert (first.status, first.reason) == ("rejected", "invalid_notification")
    assert again.intake_id == first.intake_id and again.replayed
    assert counts(world)[0] == 1
