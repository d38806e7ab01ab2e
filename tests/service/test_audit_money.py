"""Regression tests for the money findings of the outside audit (issue 8, items 4 to 7)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict, Forbidden
from tests.conftest import World

DAY = date(2026, 5, 10)


def statement(world: World, member_id: str) -> tuple[int, int]:
    s = world.services.accounts.statement(member_id, 200, None)
    return s.owed_cents, s.to_receive_cents


def receivable_of(world: World, member_id: str) -> int | None:
    page = world.services.receivables.page("amount", 200, None)
    return next((r.owed_cents for r in page.items if r.member.id == member_id), None)


@pytest.fixture
def assignment(world: World) -> tuple[str, str, str]:
    """Patrick referred, Mieke executes (tier small); both owe 10000 from joining."""
    patrick = world.member("Patrick", "patrick@example.nl")
    mieke = world.member("Mieke", "mieke@example.nl")
    assignment_id = world.fill_pot(patrick, mieke, 2_000_000, ref="INV-1")  # Patrick: 150000
    return assignment_id, patrick, mieke


def test_a_clawback_after_the_payout_is_owed_by_the_referrer_not_negative(
    world: World, assignment: tuple[str, str, str]
) -> None:
    """Audit 4: referral share paid out, then a credit note: to_receive showed -150000."""
    assignment_id, patrick, mieke = assignment
    accounts, reports = world.services.accounts, world.services.opportunities
    accounts.record_payout(patrick, 150_000, DAY, "BANK-OUT-1")

    reports.report_revenue(assignment_id, mieke, -2_000_000, "CN-1", DAY)

    assert statement(world, patrick) == (10_000 + 150_000, 0)
    assert receivable_of(world, patrick) == 160_000
    accounts.record_payment(patrick, 150_000, DAY, "BANK-IN-1")
    assert statement(world, patrick) == (10_000, 0)
    assert receivable_of(world, patrick) == 10_000


def test_a_clawback_first_lowers_what_the_collective_still_owes(
    world: World, assignment: tuple[str, str, str]
) -> None:
    assignment_id, patrick, mieke = assignment
    world.services.accounts.record_payout(patrick, 100_000, DAY, "BANK-OUT-1")  # 50000 left

    world.services.opportunities.report_revenue(assignment_id, mieke, -2_000_000, "CN-1", DAY)

    assert statement(world, patrick) == (10_000 + 100_000, 0)


@given(
    owed=st.integers(min_value=0, max_value=10**9),
    clawback=st.integers(min_value=1, max_value=10**9),
)
def test_a_clawback_never_takes_more_than_is_owed_from_what_the_collective_owes(
    owed: int, clawback: int
) -> None:
    from datetime import UTC, datetime

    tx = ledger.revenue_fee(
        "revenue:a:CN",
        "mieke",
        "patrick",
        -2 * clawback,
        -clawback,
        -clawback,
        0,
        2026,
        "CN",
        datetime(2026, 5, 1, tzinfo=UTC),
        "h",
        referrer_owed_cents=owed,
    )
    assert tx is not None
    receives = tx.amount_for(ledger.member_receives_account("patrick"))
    owes = tx.amount_for(ledger.member_owes_account("patrick"))
    assert 0 <= receives <= owed  # a debit of at most what the collective owed
    assert receives + owes == clawback  # the whole clawback is booked, nothing more
    assert sum(e.amount_cents for e in tx.entries) == 0


def test_the_treasurer_books_revenue_for_a_member_who_left(
    world: World, assignment: tuple[str, str, str]
) -> None:
    """Audit 5: once the executing member cancelled, nobody could book on the assignment."""
    assignment_id, patrick, mieke = assignment
    treasurer = world.member("Ton", "ton@example.nl", admin=True)
    world.services.membership.cancel(mieke)
    reports = world.services.opportunities

    with pytest.raises(Forbidden):
        reports.report_revenue(assignment_id, patrick, 100_000, "INV-2", DAY)
    booked = reports.report_revenue(assignment_id, treasurer, -400_000, "CN-2", DAY, is_admin=True)

    assert (booked.booking.fee_cents, booked.reported_by) == (-60_000, treasurer)
    lines = world.services.accounts.statement(mieke, 50, None).lines
    credit_note = next(line for line in lines if line.reference == "CN-2")
    assert (credit_note.amount_cents, credit_note.booked_by) == (-60_000, treasurer)


def test_a_bank_reference_books_once_across_the_collective(world: World) -> None:
    """Audit 6: the same bank statement line recorded on two members booked twice."""
    anna = world.member("Anna", "anna@example.nl")
    bram = world.member("Bram", "bram@example.nl")
    accounts = world.services.accounts
    accounts.record_payment(anna, 10_000, DAY, "NL91-0001")

    with pytest.raises(Conflict) as taken:
        accounts.record_payment(bram, 10_000, DAY, "NL91-0001")
    assert taken.value.code == "reference_already_booked"
    assert (taken.value.params["member"], taken.value.params["booked_as"]) == ("Anna", "payment")
    with pytest.raises(Conflict) as again:
        accounts.record_payout(anna, 1, DAY, "nl91-0001")  # same line, other case
    assert (again.value.code, again.value.params["booked_as"]) == (
        "reference_already_booked",
        "payment",
    )
    replay = accounts.record_payment(anna, 10_000, DAY, "NL91-0001")

    assert replay.replayed
    assert statement(world, bram) == (10_000, 0)
    assert statement(world, anna) == (0, 0)


def test_an_admin_cannot_approve_their_own_claim(world: World) -> None:
    """Audit 7."""
    ton = world.member("Ton", "ton@example.nl", admin=True)
    els = world.member("Els", "els@example.nl", admin=True)
    claim = world.services.coins.file_claim(ton, "publicity", "radio interview", None)

    with pytest.raises(Conflict, match=r"^own_claim$"):
        world.services.coins.approve(claim.id, 5, ton)
    world.services.coins.approve(claim.id, 5, els)

    assert world.services.coins.coins_of(ton, 2026).total == 5


def test_an_approval_finished_after_its_year_was_distributed_awards_the_next_year(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Approved on 31 December, cut off before the recruiter's coins, finished in January
    after the distribution: the coins count for the new year instead of failing for ever."""
    from datetime import UTC, datetime

    from chalicelib.store.coins import CoinStore

    mieke = world.member("Mieke", "mieke@example.nl")
    sanne = world.member("Sanne", "sanne@example.nl")
    claim = world.services.coins.file_claim(sanne, "publicity", "podcast", None)
    world.services.coins.approve(claim.id, 3, mieke)  # 2026 has coins: it gets distributed
    world.clock.set(datetime(2026, 12, 31, 20, tzinfo=UTC))
    application = world.apply("Fleur", "fleur@example.nl", referred_by_email="mieke@example.nl")
    real_award = CoinStore.award

    def cut_off(self: CoinStore, award: object) -> object:
        raise TimeoutError("Lambda timed out")

    monkeypatch.setattr(CoinStore, "award", cut_off)
    with pytest.raises(TimeoutError):
        world.services.membership.approve(application, actor_id=None)
    monkeypatch.setattr(CoinStore, "award", real_award)
    world.clock.set(datetime(2027, 1, 1, 9, tzinfo=UTC))
    [distributed] = world.services.distribution.run_through()
    assert distributed.year == 2026

    world.services.membership.approve(application, actor_id=None)
    world.services.membership.approve(application, actor_id=None)  # and once only

    assert world.services.coins.coins_of(mieke, 2026).total == 0
    assert world.services.coins.coins_of(mieke, 2027).total == 10
