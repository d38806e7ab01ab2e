"""Meetings below the API: a seat never waits for a mail, a promotion and its mail are one
write, a failed cancellation is finished by a retry, and the schedules run the jobs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.domain.errors import Conflict
from chalicelib.services.meetings import NewMeeting
from chalicelib.store.uow import UnitOfWork
from tests.conftest import ROOT, World

JUNE_18 = datetime(2026, 6, 18, 16, tzinfo=UTC)


def new_meeting(capacity: int, starts_at: datetime = JUNE_18) -> NewMeeting:
    return NewMeeting(
        "Personal branding",
        None,
        starts_at,
        starts_at + timedelta(hours=3),
        "Pakhuis de Zwijger",
        "Piet Heinkade 179",
        "Amsterdam",
        capacity,
        None,
        None,
    )


@pytest.fixture
def members(world: World) -> dict[str, str]:
    return {
        name: world.member(name.title(), f"{name}@example.nl", admin=name == "ton")
        for name in ("ton", "mieke", "anna", "bea")
    }


class SesDown:
    def send(self, mail: Any) -> str:
        raise RuntimeError("SES down")


def test_a_seat_handed_on_never_waits_for_its_mail(world: World, members: dict[str, str]) -> None:
    service, outbox = world.services.meetings, world.services.outbox
    meeting = service.create(new_meeting(capacity=1), members["ton"])
    member = world.services.members_store.get_member
    service.register(meeting.id, member(members["mieke"]), "")
    service.register(meeting.id, member(members["anna"]), "")
    real, outbox.mailer = outbox.mailer, SesDown()

    service.unregister(meeting.id, members["mieke"])

    assert service.my_sign_up(meeting.id, members["anna"]).status == "registered"  # type: ignore[union-attr]
    assert world.sent_mail() == []
    outbox.mailer = real
    world.clock.advance(timedelta(minutes=5))
    assert outbox.deliver().sent == 1
    [mail] = world.sent_mail()
    assert (mail.to, mail.subject.startswith("Er is een plek")) == ("anna@example.nl", True)
    assert outbox.deliver().sent == 0


def test_a_promotion_and_its_mail_are_written_together_or_not_at_all(
    world: World, members: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    service = world.services.meetings
    meeting = service.create(new_meeting(capacity=1), members["ton"])
    member = world.services.members_store.get_member
    service.register(meeting.id, member(members["mieke"]), "")
    service.register(meeting.id, member(members["anna"]), "")
    written: list[list[dict[str, Any]]] = []
    real_send = UnitOfWork._send

    def record(self: UnitOfWork, operations: list[dict[str, Any]]) -> list[str | None] | None:
        written.append(operations)
        return real_send(self, operations)

    monkeypatch.setattr(UnitOfWork, "_send", record)

    service.unregister(meeting.id, members["mieke"])

    [leave] = [ops for ops in written if any("Delete" in op for op in ops)]
    keys = [next(iter(op.values())).get("Key") or next(iter(op.values()))["Item"] for op in leave]
    partitions = sorted(k["PK"]["S"] for k in keys)
    assert partitions == sorted(
        [
            f"MEETING#{meeting.id}",  # mieke's registration goes
            f"MEETING#{meeting.id}",  # the seat counters
            f"MEETING#{meeting.id}",  # anna's registration becomes registered
            f"OUTBOX#meeting:{meeting.id}:moved-up:{members['anna']}:2",  # her mail
        ]
    )


def test_a_cancellation_whose_release_failed_is_finished_by_a_retry(
    world: World, members: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    service = world.services.meetings
    meeting = service.create(new_meeting(capacity=1), members["ton"])
    member = world.services.members_store.get_member
    service.register(meeting.id, member(members["mieke"]), "")
    service.register(meeting.id, member(members["anna"]), "")
    membership = world.services.membership
    real_release = membership.on_cancelled

    def die(member_id: str) -> None:
        raise RuntimeError("Lambda timed out")

    membership.on_cancelled = die
    with pytest.raises(RuntimeError):
        membership.cancel(members["mieke"])
    membership.on_cancelled = real_release

    with pytest.raises(Conflict):
        membership.cancel(members["mieke"])  # already cancelled: but the seat is released

    assert service.my_sign_up(meeting.id, members["mieke"]) is None
    assert service.my_sign_up(meeting.id, members["anna"]).status == "registered"  # type: ignore[union-attr]


def test_the_waiting_list_skips_members_who_left_without_being_released(
    world: World, members: dict[str, str]
) -> None:
    service = world.services.meetings
    meeting = service.create(new_meeting(capacity=1), members["ton"])
    member = world.services.members_store.get_member
    for name in ("mieke", "anna", "bea"):
        service.register(meeting.id, member(members[name]), "")
    membership = world.services.membership
    membership.on_cancelled = None  # as if the release never happened
    membership.cancel(members["anna"])

    service.unregister(meeting.id, members["mieke"])

    assert service.my_sign_up(meeting.id, members["bea"]).status == "registered"  # type: ignore[union-attr]
    assert service.my_sign_up(meeting.id, members["anna"]) is None
    assert service.get(meeting.id).waitlist_count == 0


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def scheduled(client: Client, name: str) -> Any:
    event = client.events.generate_cw_event(
        source="aws.events",
        detail_type="Scheduled Event",
        detail={},
        resources=[f"arn:aws:events:eu-west-1:123456789012:rule/{name}"],
    )
    return client.lambda_.invoke(name, event).payload


def test_the_schedules_invite_remind_and_warn(
    world: World, members: dict[str, str], client: Client
) -> None:
    service = world.services.meetings
    meeting = service.create(new_meeting(capacity=5), members["ton"])
    service.register(meeting.id, world.services.members_store.get_member(members["bea"]), "")

    invited = scheduled(client, "meeting_news")
    world.clock.set(JUNE_18 - timedelta(hours=30))
    reminded = scheduled(client, "meeting_reminders")
    warned = scheduled(client, "meeting_warning")  # June: past Q2's middle, nothing in Q3

    assert (invited["meetings"], invited["mailed"]) == (1, 4)
    assert (reminded["meetings"], reminded["mailed"]) == (1, 1)
    assert (warned["quarter"], warned["warning_due"], warned["mailed"]) == ("2026-Q3", True, 1)
    subjects = sorted(m.subject.split(":")[0] for m in world.sent_mail())
    assert (
        subjects
        == ["Herinnering", "Nog geen bijeenkomst gepland voor 2026-Q3"] + ["Uitnodiging"] * 4
    )
