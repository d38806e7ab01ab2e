"""Payout batches on the in-memory stores (chalicelib/store/memory/): the same service, many
more random collectives. Offsets and payouts keep every balance exact whatever members owe
and are owed and whatever changes between prepare and approve; approvals at the same moment
book once; every file is valid pain.001.001.09 and the same bytes again."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.clock import FixedClock
from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict
from chalicelib.domain.ledger import Entry, LedgerTransaction, request_hash
from chalicelib.mail.links import Links
from chalicelib.mail.message import OutgoingMail
from chalicelib.services.outbox import MailOutbox
from chalicelib.services.payout_batches import CollectiveAccount, PayoutBatchService
from chalicelib.store.memory import MemoryStores
from chalicelib.store.memory.payout_batches import MemoryPayoutBatches
from tests.pain001_schema import assert_valid_pain001

AT = datetime(2026, 6, 1, 10, tzinfo=UTC)
COLLECTIVE = CollectiveAccount("Co-operations", "NL91ABNA0417164300", "ABNANL2A")


@dataclass(frozen=True)
class Account:
    iban: str
    account_holder: str


@dataclass
class Mailbox:
    sent: list[OutgoingMail] = field(default_factory=list)

    def send(self, mail: OutgoingMail) -> str:
        self.sent.append(mail)
        return f"message-{len(self.sent)}"


class Collective:
    def __init__(self) -> None:
        self.stores = MemoryStores()
        self.accounts: dict[str, Account] = {}
        clock = FixedClock(AT)
        self.service = PayoutBatchService(
            MemoryPayoutBatches(self.stores.state),  # type: ignore[arg-type]
            self.stores.ledger,  # type: ignore[arg-type]
            self.stores.members,  # type: ignore[arg-type]
            self,
            MailOutbox(self.stores.outbox, Mailbox(), clock),  # type: ignore[arg-type]
            Links("https://app.co-operations.test"),
            clock,
            COLLECTIVE,
            False,
            self.stores.uow,  # type: ignore[arg-type]
        )
        self.n = 0

    def bank_account_of(self, member_id: str) -> Account | None:
        return self.accounts.get(member_id)

    def book(self, member_id: str, entries: tuple[Entry, ...]) -> None:
        self.n += 1
        self.stores.ledger.book(
            LedgerTransaction(
                f"test:{self.n}",
                "test",
                AT,
                entries,
                member_id,
                f"t{self.n}",
                "t",
                request_hash({"n": self.n}),
            )
        )

    def credit(self, member_id: str, cents: int) -> None:
        if cents:
            receives = ledger.member_receives_account(member_id)
            self.book(member_id, (Entry(ledger.INCOME_FEES, cents), Entry(receives, -cents)))

    def charge(self, member_id: str, cents: int) -> None:
        if cents:
            owes = ledger.member_owes_account(member_id)
            self.book(member_id, (Entry(owes, cents), Entry(ledger.BANK, -cents)))

    def paid_out(self, member_id: str, cents: int) -> None:
        receives = ledger.member_receives_account(member_id)
        self.book(member_id, (Entry(receives, cents), Entry(ledger.BANK, -cents)))

    def balances(self, member_id: str) -> tuple[int, int]:
        return (
            self.stores.ledger.balance_cents(ledger.member_owes_account(member_id)),
            -self.stores.ledger.balance_cents(ledger.member_receives_account(member_id)),
        )

    def total(self, members: list[str]) -> int:
        """Every account the test touched, summed: zero while every transaction balances."""
        accounts = [ledger.BANK, ledger.INCOME_FEES]
        for m in members:
            accounts += [ledger.member_owes_account(m), ledger.member_receives_account(m)]
        return sum(self.stores.ledger.balance_cents(a) for a in accounts)


rows = st.lists(
    st.tuples(
        st.integers(0, 2_000_000),  # to receive
        st.integers(-50_000, 2_000_000),  # owes (negative: paid ahead)
        st.booleans(),  # has an IBAN
        st.sampled_from(["none", "none", "none", "paid", "charged", "paid_out"]),  # meanwhile
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(rows, st.integers(1, 3))
def test_offsets_and_payouts_keep_every_balance_exact(
    members_rows: list[tuple[int, int, bool, str]], approvers: int
) -> None:
    c = Collective()
    members = [f"m{n:02d}" for n in range(len(members_rows))]
    for m, (receive, owes, has_iban, _) in zip(members, members_rows, strict=True):
        c.credit(m, receive)
        c.charge(m, owes)
        if has_iban:
            c.accounts[m] = Account("NL44RABO0123456789", f"Zoë & {m} <Müller>")
    try:
        batch = c.service.prepare("ann")
    except Conflict:
        assert not any(r > 0 and iban for r, _, iban, _ in members_rows)
        return
    for m, (receive, _, _, meanwhile) in zip(members, members_rows, strict=True):
        if meanwhile == "paid":
            c.charge(m, -700)
        elif meanwhile == "charged":
            c.charge(m, 500)
        elif meanwhile == "paid_out" and receive > 1:
            c.paid_out(m, 1)
    before = {m: c.balances(m) for m in members}
    bank_before = c.stores.ledger.balance_cents(ledger.BANK)

    start = threading.Barrier(approvers)

    def approve(admin: str) -> Any:
        start.wait()
        return c.service.approve(batch.batch_id, admin)

    with ThreadPoolExecutor(approvers) as pool:
        answers = list(pool.map(approve, ["bob", "carl", "dora"][:approvers]))
    assert sorted(a.replayed for a in answers) == [False] + [True] * (approvers - 1)
    done = c.service.get(batch.batch_id)
    assert done.complete
    for m in members:
        owed, to_receive = before[m]
        item = next((i for i in done.items if i.member_id == m), None)
        if item is None or item.status == "dropped":
            assert c.balances(m) == before[m]  # skipped or dropped: untouched
            if item is not None:  # dropped only when the balances changed meanwhile
                assert (item.offset_cents, item.amount_cents) != (
                    min(max(owed, 0), to_receive),
                    to_receive - min(max(owed, 0), to_receive),
                )
            continue
        assert item.status == "booked"
        assert (item.offset_cents, item.amount_cents) == (
            min(max(owed, 0), to_receive),
            to_receive - min(max(owed, 0), to_receive),
        )
        assert c.balances(m) == (owed - item.offset_cents, 0)
    assert c.stores.ledger.balance_cents(ledger.BANK) == bank_before - done.total_cents
    assert c.total(members) == 0
    if done.transfers:
        _, document = c.service.credit_transfer_file(batch.batch_id)
        header = assert_valid_pain001(document)["CstmrCdtTrfInitn"]["GrpHdr"]
        assert int(header["NbOfTxs"]) == len(done.transfers)
        assert Decimal(str(header["CtrlSum"])) * 100 == done.total_cents
        assert c.service.credit_transfer_file(batch.batch_id)[1] == document
