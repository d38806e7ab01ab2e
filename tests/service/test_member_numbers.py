"""Member numbers and bank accounts, on moto: every member a number of their own, given at
admission or (for members admitted before numbers existed) the first time one is needed."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.references import member_number_of, payment_reference
from chalicelib.store.member_numbers import COUNTER_KEY
from tests.conftest import World


def test_members_admitted_get_consecutive_numbers_that_find_them(world: World) -> None:
    ann = world.member("Ann", "ann@example.nl")
    bob = world.member("Bob", "bob@example.nl")
    numbers = world.services.member_numbers

    assert [numbers.number_of(ann), numbers.number_of(bob)] == [1, 2]
    assert numbers.member_id_of(2) == bob
    assert numbers.member_id_of(3) is None
    reference = numbers.reference_of(bob)
    assert member_number_of(reference) == 2
    assert numbers.member_id_of_reference(reference.lower()) == bob


def test_a_member_admitted_before_numbers_gets_one_on_first_need_and_keeps_it(
    world: World,
) -> None:
    ann = world.member("Ann", "ann@example.nl")
    bob = world.member("Bob", "bob@example.nl")
    table = world.services.table
    # as if Bob was admitted before numbers existed: no number, and the counter at Ann's
    table.client.delete_item(
        TableName=table.name, Key={"PK": {"S": f"MEMBER#{bob}"}, "SK": {"S": "NUMBER"}}
    )
    table.client.delete_item(
        TableName=table.name, Key={"PK": {"S": "MEMBERNUMBER#2"}, "SK": {"S": "MEMBERNUMBER"}}
    )
    table.client.update_item(
        TableName=table.name,
        Key={"PK": {"S": COUNTER_KEY[0]}, "SK": {"S": COUNTER_KEY[1]}},
        UpdateExpression="SET #v = :one",
        ExpressionAttributeNames={"#v": "value"},
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
    numbers = world.services.member_numbers

    assert numbers.store.number_of(bob) is None
    assert numbers.number_of(bob) == 2
    assert numbers.number_of(bob) == 2
    cid = world.member("Cid", "cid@example.nl")
    assert numbers.number_of(cid) == 3
    assert numbers.number_of(ann) == 1


@pytest.mark.usefixtures("patched_moto")  # its transactions are atomic across threads
def test_numbers_given_at_the_same_moment_are_all_different(world: World) -> None:
    ids = [world.member(f"M{i}", f"m{i}@example.nl") for i in range(6)]
    table = world.services.table
    for member_id in ids:  # none numbered yet, as after an upgrade
        item = table.get(f"MEMBER#{member_id}", "NUMBER")
        assert item is not None
        table.client.delete_item(
            TableName=table.name, Key={"PK": {"S": f"MEMBER#{member_id}"}, "SK": {"S": "NUMBER"}}
        )
        table.client.delete_item(
            TableName=table.name,
            Key={"PK": {"S": f"MEMBERNUMBER#{item['member_number']}"}, "SK": {"S": "MEMBERNUMBER"}},
        )
    table.client.delete_item(
        TableName=table.name, Key={"PK": {"S": COUNTER_KEY[0]}, "SK": {"S": COUNTER_KEY[1]}}
    )
    numbers = world.services.member_numbers
    got: dict[str, int] = {}
    start = threading.Barrier(len(ids))

    def take(member_id: str) -> None:
        start.wait()
        got[member_id] = numbers.number_of(member_id)

    threads = [threading.Thread(target=take, args=(m,)) for m in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(got.values()) == list(range(1, len(ids) + 1))
    assert all(numbers.member_id_of(n) == m for m, n in got.items())


def test_an_unknown_member_gets_no_number(world: World) -> None:
    with pytest.raises(NotFound):
        world.services.member_numbers.number_of("nobody")
    assert world.services.member_numbers.member_id_of(1) is None


def test_a_bank_account_is_checked_normalised_found_by_iban_and_its_change_mailed(
    world: World,
) -> None:
    ann = world.member("Ann", "ann@example.nl")
    accounts = world.services.bank_accounts
    with pytest.raises(InvalidInput) as bad:
        accounts.register(ann, "NL91 ABNA 0417 1643 01", "A. Jansen")
    assert [(p.field, p.code) for p in bad.value.problems] == [("iban", "not_an_iban")]
    assert accounts.bank_account_of(ann) is None

    account = accounts.register(ann, "nl91 abna 0417 1643 00", "  A.  Jansen ")
    assert (account.iban, account.account_holder) == ("NL91ABNA0417164300", "A. Jansen")
    assert accounts.member_id_by_iban("NL91ABNA0417164300") == ann
    assert accounts.member_id_by_iban("NL91 abna 0417164300") == ann
    assert accounts.member_id_by_iban("NL20INGB0001234567") is None
    assert accounts.member_id_by_iban("rubbish") is None

    world.clock.advance(timedelta(minutes=5))
    accounts.register(ann, "NL20INGB0001234567", "A. Jansen")
    assert accounts.member_id_by_iban("NL91ABNA0417164300") is None
    assert accounts.member_id_by_iban("NL20INGB0001234567") == ann
    mails = [m for m in world.sent_mail() if m.to == "ann@example.nl"]
    assert len(mails) == 2
    assert "4567" in mails[-1].text and "4300" in mails[-1].text
    assert "NL20INGB0001234567" not in mails[-1].text
    assert payment_reference(1) not in mails[-1].text


@pytest.mark.usefixtures("patched_moto")
def test_admissions_at_the_same_moment_each_get_their_own_number(world: World) -> None:
    applications = [world.apply(f"A{i}", f"a{i}@example.nl") for i in range(5)]
    membership = world.services.membership
    start = threading.Barrier(len(applications))
    admitted: dict[str, str] = {}

    def approve(application_id: str) -> None:
        start.wait()
        admitted[application_id] = membership.approve(application_id, actor_id=None).id

    threads = [threading.Thread(target=approve, args=(a,)) for a in applications]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    numbers = world.services.member_numbers
    assert sorted(numbers.store.number_of(m) or 0 for m in admitted.values()) == [1, 2, 3, 4, 5]
