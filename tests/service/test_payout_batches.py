"""Payout batches on moto: offsets and payouts keep every balance exact, four eyes, one
booking however often (or at once) a batch is approved, a crash half-way finished by the
retry, and the bank's executed and returned transfers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain import ledger
from chalicelib.domain.camt053 import StatementLine
from chalicelib.domain.errors import Conflict, DomainError, Forbidden
from chalicelib.domain.ledger import Entry, LedgerTransaction, request_hash
from chalicelib.domain.payout_batches import PayoutBatch
from chalicelib.services.payout_batches import CollectiveAccount, PayoutBatchService
from chalicelib.store.payout_batches import PayoutBatchStore
from chalicelib.store.uow import UnitOfWork
from tests.conftest import World
from tests.pain001_schema import assert_valid_pain001

AT = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
IBAN = "NL44RABO0123456789"
COLLECTIVE = CollectiveAccount("Co-operations", "NL91ABNA0417164300", "ABNANL2A")


@dataclass(frozen=True)
class Account:
    iban: str
    account_holder: str


@dataclass
class Accounts:
    known: dict[str, Account] = field(default_factory=dict)

    def bank_account_of(self, member_id: str) -> Account | None:
        return self.known.get(member_id)


class Crash(Exception):
    """The Lambda died: at a commit (nothing written) or right after it (answer lost)."""


@dataclass
class Money:
    """A collective's ledger with payout batches, on the `world`'s moto tables."""

    world: World
    accounts: Accounts
    service: PayoutBatchService
    counter: list[int] = field(default_factory=lambda: [0])

    def _book(self, member_id: str, kind: str, entries: tuple[Entry, ...]) -> None:
        self.counter[0] += 1
        number = self.counter[0]
        self.world.services.ledger_store.book(
            LedgerTransaction(
                transaction_id=f"test-{kind}:{member_id}:{number}",
                kind=kind,
                booked_at=AT,
                entries=entries,
                member_id=member_id,
                reference=f"test-{number}",
                description=kind,
                request_hash=request_hash({"n": number}),
            )
        )

    def credit(self, member_id: str, cents: int) -> None:
        """The collective comes to owe the member `cents` (a referral share, say)."""
        if cents:
            receives = ledger.member_receives_account(member_id)
            self._book(
                member_id,
                "test_credit",
                (Entry(ledger.INCOME_FEES, cents), Entry(receives, -cents)),
            )

    def charge(self, member_id: str, cents: int) -> None:
        """The member comes to owe `cents` more (negative: they paid that much)."""
        if cents:
            owes = ledger.member_owes_account(member_id)
            self._book(member_id, "test_charge", (Entry(owes, cents), Entry(ledger.BANK, -cents)))

    def balances(self, member_id: str) -> tuple[int, int]:
        store = self.world.services.ledger_store
        return (
            store.balance_cents(ledger.member_owes_account(member_id)),
            -store.balance_cents(ledger.member_receives_account(member_id)),
        )

    def bank(self) -> int:
        return self.world.services.ledger_store.balance_cents(ledger.BANK)

    def give_iban(self, member_id: str, holder: str = "A. de Vries") -> None:
        self.accounts.known[member_id] = Account(IBAN, holder)

    def crash_at(self, commit_number: int, written: bool) -> None:
        """The service's `commit_number`-th commit from now dies (before or after writing)."""
        real = self.service.uow
        seen = [0]

        def make() -> UnitOfWork:
            uow = real()
            commit = uow.commit

            def dying() -> None:
                seen[0] += 1
                if seen[0] == commit_number:
                    if written:
                        commit()
                    raise Crash
                commit()

            uow.commit = dying  # type: ignore[method-assign]
            return uow

        self.service.uow = make

    def heal(self, uow: Callable[[], UnitOfWork]) -> None:
        self.service.uow = uow


def money_in(world: World, single_admin: bool = False) -> Money:
    s = world.services
    accounts = Accounts()
    service = PayoutBatchService(
        PayoutBatchStore(s.table),
        s.ledger_store,
        s.members_store,
        accounts,
        s.outbox,
        s.links,
        s.clock,
        COLLECTIVE,
        single_admin,
        lambda: UnitOfWork(s.table.client),
    )
    return Money(world, accounts, service)


@pytest.fixture
def money(world: World, patched_moto: None) -> Money:
    return money_in(world)


def ledger_is_balanced(money: Money, members: list[str]) -> None:
    """Every transaction balances, so the collective accounts and the members' accounts the
    test touched sum to zero together."""
    store = money.world.services.ledger_store
    collective = sum(
        store.balance_cents(a)
        for a in (ledger.BANK, ledger.INCOME_FEES, ledger.INCOME_DUES, ledger.INCOME_REGISTRATION)
    )
    members_total = sum(
        store.balance_cents(ledger.member_owes_account(m))
        + store.balance_cents(ledger.member_receives_account(m))
        for m in members
    )
    assert collective + members_total == 0


def test_a_member_owed_100_who_owes_30_gets_30_offset_and_70_paid(money: Money) -> None:
    money.credit("m1", 10000)
    money.charge("m1", 3000)
    money.give_iban("m1")
    bank_before = money.bank()

    batch = money.service.prepare("ann")
    assert [(i.offset_cents, i.amount_cents) for i in batch.items] == [(3000, 7000)]
    assert money.balances("m1") == (3000, 10000)  # preparing books nothing

    approved = money.service.approve(batch.batch_id, "bob").batch
    assert money.balances("m1") == (0, 0)
    assert money.bank() == bank_before - 7000
    assert [i.status for i in approved.items] == ["booked"]
    _, document = money.service.credit_transfer_file(batch.batch_id)
    header = assert_valid_pain001(document)["CstmrCdtTrfInitn"]["GrpHdr"]
    assert (header["NbOfTxs"], Decimal(str(header["CtrlSum"]))) == ("1", Decimal("70.00"))
    ledger_is_balanced(money, ["m1"])


def test_who_owes_more_than_owed_is_offset_only_and_not_in_the_file(money: Money) -> None:
    money.credit("m1", 4000)
    money.charge("m1", 10000)
    money.credit("m2", 2500)
    for m in ("m1", "m2"):
        money.give_iban(m)
    batch = money.service.prepare("ann")
    money.service.approve(batch.batch_id, "bob")
    assert money.balances("m1") == (6000, 0)
    assert money.balances("m2") == (0, 0)
    _, document = money.service.credit_transfer_file(batch.batch_id)
    transfers = assert_valid_pain001(document)["CstmrCdtTrfInitn"]["PmtInf"][0]["CdtTrfTxInf"]
    assert [t["PmtId"]["EndToEndId"] for t in transfers] == [batch.items[1].end_to_end_id]


def test_members_without_an_iban_are_skipped_and_keep_what_they_are_owed(money: Money) -> None:
    money.credit("m1", 5000)
    money.credit("m2", 6000)
    money.give_iban("m1")
    batch = money.service.prepare("ann")
    assert [(s.member_id, s.reason) for s in batch.skipped] == [("m2", "no_bank_account")]
    money.service.approve(batch.batch_id, "bob")
    assert money.balances("m2") == (0, 6000)


def test_nobody_to_pay_is_a_409(money: Money) -> None:
    money.credit("m1", 5000)  # no IBAN
    with pytest.raises(Conflict) as refused:
        money.service.prepare("ann")
    assert refused.value.code == "payout_batch_nothing_to_pay"


def test_four_eyes_the_preparer_is_refused_and_nothing_is_booked(money: Money) -> None:
    money.credit("m1", 5000)
    money.give_iban("m1")
    batch = money.service.prepare("ann")
    with pytest.raises(Forbidden) as refused:
        money.service.approve(batch.batch_id, "ann")
    assert refused.value.code == "payout_batch_four_eyes"
    assert money.balances("m1") == (0, 5000)
    assert money.service.get(batch.batch_id).status == "prepared"
    assert money.service.approve(batch.batch_id, "bob").batch.status == "approved"
    with pytest.raises(Forbidden):  # and after approval too: the preparer is told the same
        money.service.approve(batch.batch_id, "ann")


def test_a_single_admin_policy_lets_the_preparer_approve(world: World, patched_moto: None) -> None:
    money = money_in(world, single_admin=True)
    money.credit("m1", 5000)
    money.give_iban("m1")
    batch = money.service.prepare("ann")
    assert money.service.approve(batch.batch_id, "ann").batch.approved_by == "ann"
    assert money.balances("m1") == (0, 0)


def test_the_file_is_there_only_after_approval_and_the_same_bytes_every_time(
    money: Money,
) -> None:
    money.credit("m1", 5000)
    money.give_iban("m1", "Zoë & Jan <Müller>")
    batch = money.service.prepare("ann")
    with pytest.raises(Conflict) as refused:
        money.service.credit_transfer_file(batch.batch_id)
    assert refused.value.code == "payout_batch_not_approved"
    money.service.approve(batch.batch_id, "bob")
    _, first = money.service.credit_transfer_file(batch.batch_id)
    money.world.clock.advance(timedelta(days=3))
    _, second = money.service.credit_transfer_file(batch.batch_id)
    assert first == second
    name = assert_valid_pain001(first)["CstmrCdtTrfInitn"]["PmtInf"][0]["CdtTrfTxInf"][0]
    assert name["Cdtr"]["Nm"] == "Zoe + Jan Muller"


def test_approving_again_answers_the_batch_and_books_nothing(money: Money) -> None:
    money.credit("m1", 5000)
    money.give_iban("m1")
    batch = money.service.prepare("ann")
    first = money.service.approve(batch.batch_id, "bob")
    bank = money.bank()
    again = money.service.approve(batch.batch_id, "carl")
    assert (first.replayed, again.replayed) == (False, True)
    assert again.batch.approved_by == "bob"
    assert money.bank() == bank and money.balances("m1") == (0, 0)


def test_two_approvals_at_the_same_moment_book_once(money: Money) -> None:
    members = [f"m{n}" for n in range(6)]
    for n, m in enumerate(members):
        money.credit(m, 1000 * (n + 1))
        money.charge(m, 300 * n)
        money.give_iban(m)
    batch = money.service.prepare("ann")
    bank = money.bank()
    start = threading.Barrier(3)

    def approve(admin: str) -> Any:
        start.wait()
        try:
            return money.service.approve(batch.batch_id, admin)
        except DomainError as error:
            return error

    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(approve, ["bob", "carl", "bob"]))
    assert all(a.batch.status == "approved" for a in answers)
    assert sorted(a.replayed for a in answers) == [False, True, True]
    paid = sum(1000 * (n + 1) - 300 * n for n in range(6))
    assert money.bank() == bank - paid
    assert all(money.balances(m) == (0, 0) for m in members)
    assert [i.status for i in money.service.get(batch.batch_id).items] == ["booked"] * 6
    ledger_is_balanced(money, members)


@pytest.mark.parametrize("written", [False, True])
@pytest.mark.parametrize("crash_at", [1, 2, 3, 4, 5])
def test_a_retry_after_a_crash_half_way_finishes_without_booking_twice(
    money: Money, crash_at: int, written: bool
) -> None:
    members = ["m1", "m2", "m3"]
    for m in members:
        money.credit(m, 5000)
        money.give_iban(m)
    money.charge("m2", 2000)  # an offset and a transfer: two steps
    batch = money.service.prepare("ann")
    bank = money.bank()
    healthy = money.service.uow
    money.crash_at(crash_at, written)
    with pytest.raises(Crash):
        money.service.approve(batch.batch_id, "bob")
    money.heal(healthy)
    if not money.service.get(batch.batch_id).complete:  # no file while it is unfinished
        with pytest.raises(Conflict) as early:
            money.service.credit_transfer_file(batch.batch_id)
        assert early.value.code in ("payout_batch_not_approved", "payout_batch_incomplete")
    done = money.service.approve(batch.batch_id, "bob").batch
    assert [i.status for i in done.items] == ["booked"] * 3
    assert money.bank() == bank - 13000
    assert all(money.balances(m) == (0, 0) for m in members)
    ledger_is_balanced(money, members)


def test_balances_changed_before_approval_drop_the_item_and_pay_nothing_more(
    money: Money,
) -> None:
    for m in ("m1", "m2", "m3"):
        money.credit(m, 5000)
        money.give_iban(m)
    batch = money.service.prepare("ann")
    # m1 is paid 2000 by hand meanwhile, m2 is charged 1000: both no longer as prepared
    money._book(
        "m1",
        "test_payout",
        (Entry(ledger.member_receives_account("m1"), 2000), Entry(ledger.BANK, -2000)),
    )
    money.charge("m2", 1000)
    done = money.service.approve(batch.batch_id, "bob").batch
    assert [(i.status, i.reason) for i in done.items] == [
        ("dropped", "balances_changed"),
        ("dropped", "balances_changed"),
        ("booked", None),
    ]
    assert money.balances("m1") == (0, 3000)
    assert money.balances("m2") == (1000, 5000)
    assert money.balances("m3") == (0, 0)
    _, document = money.service.credit_transfer_file(batch.batch_id)
    header = assert_valid_pain001(document)["CstmrCdtTrfInitn"]["GrpHdr"]
    assert (header["NbOfTxs"], Decimal(str(header["CtrlSum"]))) == ("1", Decimal("50.00"))
    assert done.total_cents == 5000
    # the next batch takes them as they are now
    again = money.service.prepare("ann")
    assert [(i.member_id, i.offset_cents, i.amount_cents) for i in again.items] == [
        ("m1", 0, 3000),
        ("m2", 1000, 4000),
    ]


def statement_line(e2e: str, direction: str, cents: int, reason: str | None = None) -> Any:
    return StatementLine(
        line_key=f"line-{e2e}-{direction}",
        direction=direction,  # type: ignore[arg-type]
        amount_cents=cents,
        booked_on=AT.date(),
        bank_reference=None,
        structured_reference=None,
        remittance_text="",
        counterparty_name=None,
        counterparty_iban=None,
        end_to_end_id=e2e,
        return_reason=reason,
    )


def settle(money: Money, how: str, e2e: str, reason: str = "AC04") -> bool:
    """As the statement import does: the port registers on a unit of work the importer
    commits (with its line record) when the port answers True."""
    with money.service.uow() as uow:
        if how == "executed":
            ours = money.service.mark_executed(uow, e2e, statement_line(e2e, "debit", 1))
        else:
            ours = money.service.reverse_returned(
                uow, e2e, reason, statement_line(e2e, "credit", 1, reason)
            )
        if ours:
            uow.commit()
    return ours


def test_executed_and_returned_transfers(money: Money) -> None:
    world = money.world
    anna = world.member("Anna de Vries", "anna@example.nl")  # owes 100,00 after admission
    bram = world.member("Bram Bakker", "bram@example.nl")
    money.credit(anna, 25000)
    money.credit(bram, 30000)
    money.give_iban(anna, "Anna de Vries")
    money.give_iban(bram, "B. Bakker")
    batch = money.service.approve(money.service.prepare("ann").batch_id, "bob").batch
    anna_item, bram_item = sorted(batch.items, key=lambda i: i.member_id != anna)
    assert (anna_item.offset_cents, anna_item.amount_cents) == (10000, 15000)
    assert settle(money, "executed", "NOTPROVIDED") is False
    assert settle(money, "executed", batch.batch_id + "-9") is False
    assert settle(money, "executed", anna_item.end_to_end_id) is True
    assert settle(money, "executed", anna_item.end_to_end_id) is True  # overlap: no change
    assert money.service.get(batch.batch_id).status == "approved"

    world.services.outbox.deliver()
    mails_before = len(world.sent_mail())
    assert settle(money, "returned", bram_item.end_to_end_id) is True
    assert settle(money, "returned", bram_item.end_to_end_id) is True  # once per transfer
    assert money.balances(bram) == (0, 20000)  # the collective owes the transfer again
    settled = money.service.get(batch.batch_id)
    assert {i.member_id: i.status for i in settled.items} == {
        anna: "executed",
        bram: "returned",
    }
    assert settled.status == "executed"
    world.services.outbox.deliver()  # the return's mail goes with the outbox job
    mails = [m for m in world.sent_mail()[mails_before:] if m.to == "bram@example.nl"]
    assert len(mails) == 1
    assert "teruggekomen" in mails[0].subject
    assert "6789" in mails[0].text and IBAN not in mails[0].text
    assert "de rekening is opgeheven" in mails[0].text
    ledger_is_balanced(money, [anna, bram])
    # the next batch pays the returned amount again (to the IBAN registered by then)
    again = money.service.prepare("ann")
    assert [(i.member_id, i.amount_cents) for i in again.items] == [(bram, 20000)]


def test_bookings_are_on_the_members_statement(money: Money) -> None:
    anna = money.world.member("Anna de Vries", "anna@example.nl")
    money.credit(anna, 25000)
    money.give_iban(anna, "Anna de Vries")
    money.service.approve(money.service.prepare("ann").batch_id, "bob")
    statement = money.world.services.accounts.statement(anna, 50, None)
    assert (statement.owed_cents, statement.to_receive_cents) == (0, 0)
    kinds = {line.kind for line in statement.lines}
    assert {"payout_offset", "payout"} <= kinds
    mails = [m for m in money.world.sent_mail() if m.to == "anna@example.nl"]
    assert any("150,00" in m.subject for m in mails)  # the payout mail, as for any payout


# Property: any owed/to-receive combination, any change between prepare and approve --------

rows = st.lists(
    st.tuples(
        st.integers(0, 200_000),  # to receive
        st.integers(-20_000, 200_000),  # owes (negative: paid ahead)
        st.booleans(),  # has an IBAN
        st.sampled_from(["none", "none", "paid", "charged", "paid_out"]),  # meanwhile
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows)
def test_offsets_and_payouts_keep_every_balance_exact(
    money: Money, members_rows: list[tuple[int, int, bool, str]]
) -> None:
    """One collective for every example (fresh members each time): what earlier batches
    left (skipped, dropped) is in the later ones, as in life."""
    known: list[str] = getattr(money, "known_members", [])
    money.known_members = known  # type: ignore[attr-defined]
    members = [f"x{len(known) + n}" for n in range(len(members_rows))]
    known.extend(members)
    for m, (receive, owes, has_iban, _) in zip(members, members_rows, strict=True):
        money.credit(m, receive)
        money.charge(m, owes)
        if has_iban:
            money.give_iban(m)
    try:
        batch = money.service.prepare("ann")
    except Conflict:
        assert not any(money.balances(m)[1] > 0 and m in money.accounts.known for m in known)
        return
    for m, (receive, _, _, meanwhile) in zip(members, members_rows, strict=True):
        if meanwhile == "paid":
            money.charge(m, -700)
        elif meanwhile == "charged":
            money.charge(m, 500)
        elif meanwhile == "paid_out" and receive > 1:
            money._book(
                m,
                "test_payout",
                (Entry(ledger.member_receives_account(m), 1), Entry(ledger.BANK, -1)),
            )
    before = {m: money.balances(m) for m in known}
    bank_before = money.bank()
    done = money.service.approve(batch.batch_id, "bob").batch
    assert done.complete
    booked = {i.member_id: i for i in done.items if i.status == "booked"}
    for m in known:
        owed, to_receive = before[m]
        item = booked.get(m)
        if item is None:
            assert money.balances(m) == before[m]  # skipped or dropped: untouched
            continue
        assert item.offset_cents + item.amount_cents == to_receive
        assert item.offset_cents == min(max(owed, 0), to_receive)
        assert money.balances(m) == (owed - item.offset_cents, 0)
    assert money.bank() == bank_before - done.total_cents
    ledger_is_balanced(money, known)
    # approving again books nothing
    money.service.approve(batch.batch_id, "carl")
    assert money.bank() == bank_before - done.total_cents
    if done.transfers:
        _, document = money.service.credit_transfer_file(batch.batch_id)
        header = assert_valid_pain001(document)["CstmrCdtTrfInitn"]["GrpHdr"]
        assert int(header["NbOfTxs"]) == len(done.transfers)
        assert Decimal(str(header["CtrlSum"])) * 100 == done.total_cents
        assert money.service.credit_transfer_file(batch.batch_id)[1] == document
    else:
        with pytest.raises(Conflict):
            money.service.credit_transfer_file(batch.batch_id)


def test_payout_batch_reads_back_as_prepared(money: Money) -> None:
    money.credit("m1", 5000)
    money.give_iban("m1")
    money.credit("m2", 700)
    batch = money.service.prepare("ann")
    assert money.service.get(batch.batch_id) == batch
    assert isinstance(batch, PayoutBatch)
