"""Members, meetings and intake register named writes: a failed condition is raised as what it
means (already applied, signed up already, a duplicate mail, a replay), and nothing of the
refused unit of work is written. On DynamoDB (moto) and in memory alike (the `stores`
fixture)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.intake import IntakeRecord
from chalicelib.domain.meetings import Registration
from chalicelib.domain.membership import Application
from chalicelib.store.records import Outcome
from chalicelib.store.refusals import AlreadyDone, MessageClaimed
from tests.store.conftest import Stores
from tests.store.test_meeting_stores import meeting

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def application(application_id: str, email: str) -> Application:
    return Application(
        id=application_id,
        name="Anna",
        email=email,
        disciplines=("ux-design",),
        sectors=(),
        years_experience=8,
        linkedin_url=None,
        motivation=None,
        referred_by_email=None,
        status="pending",
        created_at=NOW,
    )


def test_a_second_application_with_the_same_email_is_refused_and_writes_nothing(
    stores: Stores,
) -> None:
    members = stores.members
    members.add_application(application("a1", "anna@example.nl"))

    with pytest.raises(Conflict) as refused:
        members.add_application(application("a2", "anna@example.nl"))

    assert refused.value.code == "already_applied"
    assert refused.value.params == {"email": "anna@example.nl"}
    with pytest.raises(NotFound):
        members.get_application("a2")


def test_signing_up_twice_is_signed_up_already_and_takes_no_second_seat(
    stores: Stores,
) -> None:
    meetings = stores.meetings
    meetings.add(meeting("m1", capacity=3))
    registration = Registration("m1", "anna", "registered", 1, "", NOW)

    first = meetings.take_seat(registration)
    again = meetings.take_seat(registration)

    assert (first, again) == (Outcome.DONE, Outcome.EXISTS)
    assert meetings.get("m1").registered_count == 1


def record(intake_id: str) -> IntakeRecord:
    return IntakeRecord(
        id=intake_id,
        received_at=NOW,
        from_address="mieke@example.nl",
        subject="Data engineer gezocht",
        status="accepted",
        reason=None,
        verdicts={},
        mail_message_id="<abc@example.nl>",
    )


def test_the_same_message_under_another_ses_id_is_a_duplicate_and_a_redelivery_a_replay(
    stores: Stores,
) -> None:
    intake = stores.intake

    def write(accepted: IntakeRecord) -> None:
        with stores.uow() as uow:
            intake.register_new(uow, accepted)
            intake.register_message_claim(uow, accepted)
            uow.commit()

    write(record("ses-1"))
    with pytest.raises(MessageClaimed):
        write(record("ses-2"))  # the same Message-ID sent twice
    with pytest.raises(AlreadyDone) as replayed:
        write(record("ses-1"))  # SES delivering ses-1 again: both conditions fail

    assert not isinstance(replayed.value, MessageClaimed)
    assert intake.get("ses-2") is None
    assert intake.first_with_message(record("ses-2")) == "ses-1"
