"""Applications and members, on DynamoDB (moto) and in memory alike: one e-mail to one
applicant, a decision taken once, the directory in order, a cancelled member unchangeable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.membership import Application, Member
from chalicelib.store.refusals import AlreadyDone
from tests.store.conftest import Stores

AT = datetime(2026, 3, 2, 10, tzinfo=UTC)


def application(application_id: str, email: str, minutes: int = 0) -> Application:
    return Application(
        id=application_id,
        name=f"Applicant {application_id}",
        email=email,
        disciplines=("ux-design",),
        sectors=(),
        years_experience=8,
        linkedin_url=None,
        motivation=None,
        referred_by_email=None,
        status="pending",
        created_at=AT + timedelta(minutes=minutes),
    )


def admit(stores: Stores, pending: Application, minutes: int = 60) -> Member:
    at = AT + timedelta(minutes=minutes)
    member = Member.admitted(pending, at, None)
    assert stores.members.admit(pending.approved("admin", at), member)
    return member


def test_an_application_claims_its_email_and_a_second_one_is_refused_writing_nothing(
    stores: Stores,
) -> None:
    stores.members.add_application(application("a1", "anna@example.nl"))

    with pytest.raises(Conflict) as refused:
        stores.members.add_application(application("a2", "anna@example.nl"))

    assert refused.value.code == "already_applied"
    assert refused.value.params == {"email": "anna@example.nl"}
    with pytest.raises(NotFound):
        stores.members.get_application("a2")
    assert stores.members.get_application("a1").status == "pending"


def test_applications_are_listed_by_status_newest_first_a_page_at_a_time(stores: Stores) -> None:
    for n in range(3):
        stores.members.add_application(application(f"a{n}", f"a{n}@example.nl", minutes=n))

    first = stores.members.list_applications("pending", 2, None)
    rest = stores.members.list_applications("pending", 2, first.next_cursor)

    assert [a.id for a in first.applications] == ["a2", "a1"]
    assert [a.id for a in rest.applications] == ["a0"]
    assert stores.members.list_applications("approved", 10, None).applications == []


def test_admitting_approves_the_application_makes_the_member_and_links_the_email(
    stores: Stores,
) -> None:
    pending = application("a1", "anna@example.nl")
    stores.members.add_application(pending)

    member = admit(stores, pending)

    assert stores.members.get_application("a1").status == "approved"
    assert stores.members.get_member("a1") == member
    assert stores.members.member_id_for_email("anna@example.nl") == "a1"
    assert stores.members.get_members(["a1", "nobody"]) == {"a1": member}


def test_an_application_decided_meanwhile_is_not_admitted_again(stores: Stores) -> None:
    pending = application("a1", "anna@example.nl")
    stores.members.add_application(pending)
    admit(stores, pending)

    again = Member.admitted(pending, AT + timedelta(hours=2), None)
    admitted = stores.members.admit(pending.approved("other", AT + timedelta(hours=2)), again)

    assert admitted is False
    assert stores.members.get_application("a1").decided_by == "admin"
    assert stores.members.get_member("a1").joined_at == AT + timedelta(minutes=60)


def test_a_rejection_frees_the_email_and_a_second_decision_is_already_done(
    stores: Stores,
) -> None:
    pending = application("a1", "anna@example.nl")
    stores.members.add_application(pending)
    rejected = pending.rejected("admin", AT, "Te weinig ervaring")

    with stores.uow() as uow:
        stores.members.register_rejection(uow, rejected)
        uow.commit()
    with pytest.raises(AlreadyDone), stores.uow() as uow:
        stores.members.register_rejection(uow, pending.rejected("other", AT, "Nee"))
        uow.commit()

    assert stores.members.get_application("a1").rejection_reason == "Te weinig ervaring"
    assert stores.members.member_id_for_email("anna@example.nl") is None
    stores.members.add_application(application("a2", "anna@example.nl"))  # may apply again
    assert stores.members.get_application("a2").status == "pending"


def test_the_directory_lists_active_members_by_name_and_keeps_whom_it_is_asked_to(
    stores: Stores,
) -> None:
    for n, name in enumerate(["Zoë", "anna", "Bram"]):
        pending = application(f"a{n}", f"{n}@example.nl")
        pending = Application(**{**pending.__dict__, "name": name})
        stores.members.add_application(pending)
        admit(stores, pending)

    page = stores.members.list_members("active", 2, None)
    rest = stores.members.list_members("active", 2, page.next_cursor)
    kept = stores.members.list_members("active", 10, None, lambda m: m.name != "Bram")

    assert [m.name for m in page.members + rest.members] == ["anna", "Bram", "Zoë"]
    assert [m.name for m in kept.members] == ["anna", "Zoë"]
    assert list(stores.members.iter_member_ids("active")) == ["a1", "a2", "a0"]


def test_a_profile_change_sets_only_its_fields_and_a_cancelled_member_is_unchangeable(
    stores: Stores,
) -> None:
    pending = application("a1", "anna@example.nl")
    stores.members.add_application(pending)
    member = admit(stores, pending)

    stores.members.update_profile("a1", {"headline": "UX lead", "sectors": ("zorg",)})
    changed = stores.members.get_member("a1")
    cancelled = changed.cancelled(AT + timedelta(days=1))
    stores.members.save_member(cancelled, expected_status="active")

    assert (changed.headline, changed.sectors, changed.name) == ("UX lead", ("zorg",), member.name)
    with pytest.raises(Conflict) as refused:
        stores.members.update_profile("a1", {"headline": "Weg"})
    assert refused.value.code == "membership_cancelled_unchangeable"
    with pytest.raises(NotFound):
        stores.members.update_profile("nobody", {"headline": "Wie"})
    with pytest.raises(Conflict) as busy:
        stores.members.save_member(cancelled, expected_status="active")  # based on a stale read
    assert busy.value.code == "busy"


def test_cancelled_members_are_found_from_when_they_left(stores: Stores) -> None:
    for n in range(3):
        pending = application(f"a{n}", f"{n}@example.nl")
        stores.members.add_application(pending)
        member = admit(stores, pending)
        left = member.cancelled(AT + timedelta(days=n + 1))
        stores.members.save_member(left, expected_status="active")

    since = stores.members.list_cancelled_since(AT + timedelta(days=2), 10, None)

    assert [m.id for m in since.members] == ["a1", "a2"]
    assert [m.id for m in stores.members.iter_members("cancelled")] == ["a0", "a1", "a2"]
    assert list(stores.members.iter_members("active")) == []
