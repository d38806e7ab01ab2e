"""Membership through the services, against moto: given / when / then."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import Conflict, InvalidInput
from tests.conftest import World


def test_admission_charges_registration_and_joining_quarters_dues(world: World) -> None:
    member_id = world.member("Mieke Jansen", "mieke@example.nl")

    statement = world.services.accounts.statement(member_id, 50, None)

    assert statement.owed_cents == 10000
    assert sorted(line.kind for line in statement.lines) == ["dues", "registration_fee"]
    assert {line.transaction_id for line in statement.lines} == {
        f"registration:{member_id}",
        f"dues:2026-Q2:{member_id}",
    }


def test_applying_under_the_experience_minimum_is_refused(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        world.apply("Junior", "junior@example.nl", years_experience=4)
    assert (refused.value.code, refused.value.params) == ("too_little_experience", {"minimum": 5})
    assert [(p.field, p.code, p.params) for p in refused.value.problems] == [
        ("years_experience", "below_minimum", {"minimum": 5})
    ]


def test_one_email_applies_once(world: World) -> None:
    world.apply("Anna", "anna@example.nl")
    with pytest.raises(Conflict):
        world.apply("Anna again", "ANNA@example.nl")


def test_approving_twice_charges_once(world: World) -> None:
    application_id = world.apply("Ton", "ton@example.nl")
    world.services.membership.approve(application_id, actor_id=None)
    world.services.membership.approve(application_id, actor_id=None)

    assert world.services.accounts.statement(application_id, 50, None).owed_cents == 10000


def test_an_approval_cut_off_half_way_is_finished_by_approving_again(world: World) -> None:
    application_id = world.apply("Patrick", "patrick@example.nl")
    services = world.services
    real_invite = services.membership.identity.invite

    def failing_invite(email: str, name: str) -> None:
        raise RuntimeError("Cognito unavailable")

    services.membership.identity.invite = failing_invite  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        services.membership.approve(application_id, actor_id=None)
    services.membership.identity.invite = real_invite  # type: ignore[method-assign]

    member = services.membership.approve(application_id, actor_id=None)

    assert member.status == "active"
    assert services.accounts.statement(member.id, 50, None).owed_cents == 10000
    user = world.cognito.admin_get_user(UserPoolId=world.pool_id, Username="patrick@example.nl")
    assert user["Username"] == "patrick@example.nl"


def test_recruiter_earns_coins_when_the_recruit_is_admitted(world: World) -> None:
    recruiter_id = world.member("Patrick", "patrick@example.nl")
    world.member("Mieke", "mieke@example.nl", referred_by_email="patrick@example.nl")

    coins = world.services.coin_store.year_of(recruiter_id, 2026)

    assert coins.total == 10
    assert [a.reason for a in coins.awards] == ["recruitment"]


def test_a_rejected_application_cannot_be_approved_and_frees_the_email(world: World) -> None:
    application_id = world.apply("Kees", "kees@example.nl")
    world.services.membership.reject(application_id, "admin", "no references")

    with pytest.raises(Conflict):
        world.services.membership.approve(application_id, actor_id=None)
    assert world.apply("Kees", "kees@example.nl") != application_id


def test_cancelled_members_keep_their_debt_and_leave_the_directory(world: World) -> None:
    member_id = world.member("Anna", "anna@example.nl")
    world.services.membership.cancel(member_id)

    directory = world.services.membership.directory(None, None, 50, None)

    assert member_id not in [m.id for m in directory.members]
    assert world.services.accounts.statement(member_id, 50, None).owed_cents == 10000
    with pytest.raises(Conflict):
        world.services.membership.cancel(member_id)


def test_profile_edits_change_only_what_they_name(world: World) -> None:
    member_id = world.member("Anna", "anna@example.nl")
    membership = world.services.membership

    membership.update_profile(member_id, {"headline": "UX lead"})
    membership.update_profile(member_id, {"available": False})

    member = membership.member(member_id)
    assert (member.headline, member.available, member.disciplines) == (
        "UX lead",
        False,
        ("software-development",),
    )
    membership.cancel(member_id)
    with pytest.raises(Conflict, match=r"^membership_cancelled_unchangeable$"):
        membership.update_profile(member_id, {"headline": "gone"})
