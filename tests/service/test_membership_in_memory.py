"""Admission on the in-memory repositories (no moto): one e-mail applies once, an approval
charges once and invites once, a rejection frees the e-mail, a recruiter earns coins, a
cancelled member is unchangeable and gives up their seats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import Conflict
from chalicelib.services.meetings import NewMeeting
from tests.service.memory_world import MemoryWorld, memory_world

MAY_4 = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def world() -> MemoryWorld:
    return memory_world(MAY_4)


def test_an_application_is_received_with_its_receipt_and_one_email_applies_once(
    world: MemoryWorld,
) -> None:
    application_id = world.apply("Anna", "anna@example.nl")

    with pytest.raises(Conflict) as refused:
        world.apply("Anna again", "anna@example.nl")

    assert refused.value.code == "already_applied"
    assert world.membership.application(application_id).status == "pending"
    assert [m.to for m in world.mailbox.sent] == ["anna@example.nl"]  # the receipt, once


def test_admission_charges_the_fee_and_the_joining_quarter_once_and_invites_once(
    world: MemoryWorld,
) -> None:
    application_id = world.apply("Ton", "ton@example.nl")

    first = world.membership.approve(application_id, actor_id="admin")
    again = world.membership.approve(application_id, actor_id="admin")

    statement = world.accounts.statement(first.id, 50, None)
    policy = world.policy
    assert first == again
    assert statement.owed_cents == policy.registration_fee_cents + policy.quarterly_dues_cents
    assert sorted(line.transaction_id for line in statement.lines) == [
        "dues:2026-Q2:" + first.id,
        "registration:" + first.id,
    ]
    assert world.invitations.invited == ["ton@example.nl", "ton@example.nl"]  # idempotent
    assert world.membership.application(application_id).status == "approved"


def test_a_rejected_application_is_not_approved_and_frees_the_email(world: MemoryWorld) -> None:
    application_id = world.apply("Kees", "kees@example.nl")
    world.membership.reject(application_id, "admin", "geen referenties")

    with pytest.raises(Conflict) as approving:
        world.membership.approve(application_id, actor_id="admin")
    with pytest.raises(Conflict) as rejecting_again:
        world.membership.reject(application_id, "admin", "nogmaals")
    again = world.apply("Kees", "kees@example.nl")

    assert approving.value.code == "application_rejected"
    assert rejecting_again.value.code == "application_rejected"
    assert world.membership.application(again).status == "pending"
    assert world.stores.ledger.balance_cents(f"member:{application_id}:owes") == 0


def test_a_recruiter_earns_coins_once_when_the_recruit_is_admitted(world: MemoryWorld) -> None:
    recruiter = world.member("Patrick", "patrick@example.nl")
    recruit = world.apply("Mieke", "mieke@example.nl", referred_by_email="patrick@example.nl")

    world.membership.approve(recruit, actor_id=None)
    world.membership.approve(recruit, actor_id=None)

    coins = world.stores.coins.year_of(recruiter, 2026)
    assert coins.total == world.policy.recruitment_coins
    assert [a.reason for a in coins.awards] == ["recruitment"]
    assert world.membership.member(recruit).recruited_by == recruiter


def test_a_cancelled_member_is_confirmed_once_gives_up_their_seat_and_is_unchangeable(
    world: MemoryWorld,
) -> None:
    organiser = world.member("Ton", "ton@example.nl")
    anna = world.member("Anna", "anna@example.nl")
    bea = world.member("Bea", "bea@example.nl")
    starts = MAY_4 + timedelta(days=30)
    form = NewMeeting("Borrel", None, starts, starts + timedelta(hours=2), "Pakhuis", "Kade 1",
                      "Utrecht", 1, None, None)  # fmt: skip
    meeting = world.meetings.create(form, organiser)
    world.meetings.register(meeting.id, world.membership.member(anna), "")
    world.meetings.register(meeting.id, world.membership.member(bea), "")
    world.mailbox.sent.clear()

    cancelled = world.membership.cancel(anna)
    with pytest.raises(Conflict) as again:
        world.membership.cancel(anna)
    with pytest.raises(Conflict) as changing:
        world.membership.update_profile(anna, {"headline": "Weg"})

    assert cancelled.status == "cancelled"
    assert again.value.code == "membership_already_cancelled"
    assert changing.value.code == "membership_cancelled_unchangeable"
    assert world.meetings.my_sign_up(meeting.id, anna) is None
    assert world.meetings.my_sign_up(meeting.id, bea).status == "registered"  # type: ignore[union-attr]
    assert len(world.mailbox.to("anna@example.nl")) == 1  # the confirmation, once
    assert len(world.mailbox.to("bea@example.nl")) == 1  # moved up
