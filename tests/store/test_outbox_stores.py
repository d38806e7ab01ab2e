"""The mail outbox, on DynamoDB (moto) and in memory alike: a mail queued once, due oldest
first, taken by one worker at a time, retried from its pause, given up for good, and never due
again once sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import Conflict
from chalicelib.mail.message import OutgoingMail
from tests.store.conftest import Stores

AT = datetime(2026, 3, 2, 10, tzinfo=UTC)


def mail(n: int) -> OutgoingMail:
    return OutgoingMail(f"m{n}@example.nl", f"Onderwerp {n}", "tekst", "<p>tekst</p>")


def queue(stores: Stores, n: int, minutes: int = 0) -> bool:
    return bool(
        stores.outbox.enqueue(
            f"mail-{n}", "test", f"m{n}", mail(n), AT + timedelta(minutes=minutes)
        )
    )


def due_ids(stores: Stores, now: datetime, limit: int = 10) -> list[str]:
    return [m.mail_id for m in stores.outbox.due(now, limit)]


def test_a_mail_is_queued_once_and_read_back(stores: Stores) -> None:
    assert queue(stores, 1) is True
    assert queue(stores, 1) is False

    queued = stores.outbox.get("mail-1")
    assert (queued.mail, queued.kind, queued.member_id, queued.attempts) == (
        mail(1),
        "test",
        "m1",
        0,
    )
    assert (queued.sent_at, queued.message_id, queued.last_error) == (None, None, None)
    assert stores.outbox.get("mail-9") is None


def test_a_mail_queued_in_a_unit_of_work_refuses_a_second_time_as_the_caller_says(
    stores: Stores,
) -> None:
    with stores.uow() as uow:
        stores.outbox.register_enqueue(uow, "mail-1", "test", None, mail(1), AT)
        uow.commit()
    with pytest.raises(Conflict), stores.uow() as uow:
        stores.outbox.register_enqueue(
            uow, "mail-1", "test", None, mail(2), AT, refusal=lambda: Conflict("sent_before")
        )
        uow.commit()

    assert stores.outbox.get("mail-1").mail == mail(1)


def test_mails_are_due_oldest_first_and_sent_ones_never_again(stores: Stores) -> None:
    queue(stores, 2, minutes=2)
    queue(stores, 1, minutes=1)
    queue(stores, 3, minutes=30)

    assert due_ids(stores, AT + timedelta(minutes=5)) == ["mail-1", "mail-2"]
    stores.outbox.mark_sent_many([("mail-1", "ses-1"), ("mail-2", "ses-2")], AT)

    assert due_ids(stores, AT + timedelta(hours=1)) == ["mail-3"]
    assert stores.outbox.get("mail-2").message_id == "ses-2"


def test_one_worker_at_a_time_takes_a_mail_until_its_lease_ends(stores: Stores) -> None:
    queue(stores, 1)
    lease = AT + timedelta(minutes=2)

    assert stores.outbox.claim("mail-1", AT, lease) is True
    assert stores.outbox.claim("mail-1", AT + timedelta(minutes=1), lease) is False
    assert stores.outbox.claim("mail-1", AT + timedelta(minutes=3), AT + timedelta(minutes=5))
    assert stores.outbox.get("mail-1").attempts == 2
    stores.outbox.mark_sent("mail-1", "ses-1", AT + timedelta(minutes=3))
    assert stores.outbox.claim("mail-1", AT + timedelta(hours=1), AT + timedelta(hours=2)) is False


def test_a_failed_mail_waits_for_its_retry_and_a_given_up_one_is_never_due(
    stores: Stores,
) -> None:
    queue(stores, 1)
    queue(stores, 2)
    stores.outbox.claim("mail-1", AT, AT + timedelta(minutes=2))
    stores.outbox.mark_failed("mail-1", "SES down", AT + timedelta(minutes=10))
    stores.outbox.mark_failed("mail-2", "address unknown", None)

    assert due_ids(stores, AT + timedelta(minutes=5)) == []
    assert due_ids(stores, AT + timedelta(minutes=10)) == ["mail-1"]
    assert stores.outbox.get("mail-1").last_error == "SES down"
    assert stores.outbox.claim("mail-2", AT + timedelta(hours=1), AT + timedelta(hours=2)) is False
