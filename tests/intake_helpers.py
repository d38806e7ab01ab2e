"""Delivering mails to the intake in tests, the way SES does: raw mail in S3, SNS message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chalicelib.api.ses_events import notice_of
from chalicelib.domain.intake import IntakeOutcome
from devtools import ses_inbound
from tests.conftest import SESSION, World

CORPUS = Path(__file__).resolve().parent / "mail"
BUCKET = "coop-local-intake"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def make_bucket() -> None:
    SESSION.client("s3").create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )


def notification(raw: bytes, message_id: str, **verdicts: Any) -> str:
    SESSION.client("s3").put_object(Bucket=BUCKET, Key=f"raw/{message_id}", Body=raw)
    message = ses_inbound.notification(raw, bucket=BUCKET, message_id=message_id, **verdicts)
    return json.dumps(message)


def deliver(world: World, raw: bytes, message_id: str = "m1", **verdicts: Any) -> IntakeOutcome:
    """As SES delivers it: redelivering the same message id sends the same notification."""
    at = world.clock.now()
    return world.services.intake.receive(
        notice_of(notification(raw, message_id, received_at=at, **verdicts))
    )


def people(world: World) -> dict[str, str]:
    """The members the corpus mails come from, with the disciplines the corpus mentions."""
    ids = {
        "ton": world.member("Ton", "ton@example.nl", admin=True, disciplines=["finance"]),
        "mieke": world.member(
            "Mieke", "mieke@example.nl", disciplines=["data-engineering", "software-development"]
        ),
        "patrick": world.member(
            "Patrick",
            "patrick@example.nl",
            disciplines=["project-management", "interim-management"],
        ),
        "sanne": world.member("Sanne", "sanne@example.nl", disciplines=["ux-design"]),
        "daan": world.member("Daan", "daan@example.nl", disciplines=["software-development"]),
    }
    world.services.membership.cancel(ids["daan"])
    world.services.membership.update_profile(ids["sanne"], {"language": "en"})
    _BEFORE[id(world)] = len(world.sent_mail())  # Daan's cancellation mail is not the intake's
    return ids


_BEFORE: dict[int, int] = {}


def sent(world: World) -> list[Any]:
    """The mails sent since the corpus's members were made."""
    return world.sent_mail()[_BEFORE.get(id(world), 0) :]


def counts(world: World) -> tuple[int, int, int]:
    """Intake records, opportunities, mails sent."""
    services = world.services
    records = len(services.intake.browse(None, 200, None).records)
    opportunities = len(services.opportunities.browse(None, None, 200, None).opportunities)
    return records, opportunities, len(sent(world))
