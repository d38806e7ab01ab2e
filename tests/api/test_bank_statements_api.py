"""Bank statements in, over the API (SPEC "Money through the bank", "Statements in"): each
bank's export in each version books the members' payments to the exact cent, every line at
most once however often or at the same moment it is imported; hostile or foreign files are
refused whole with nothing booked; waiting lines are assigned or set aside."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from chalice.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import app
from chalicelib.domain import ledger
from chalicelib.domain.camt053 import StatementLine
from chalicelib.domain.references import payment_reference
from chalicelib.store.uow import UnitOfWork
from devtools import camt053_fixtures as fx
from devtools.camt053_writer import Entry, Statement, Tx, write
from tests.conftest import ROOT, World

OWED_AT_ADMISSION = 10_000  # registration fee and this quarter's dues
XML = {"Content-Type": "application/xml"}


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


class Treasury:
    """Ton (admin) and four members whose numbers are 2..5, or whatever admission gave."""

    def __init__(self, world: World, client: Client) -> None:
        self.world = world
        self.client = client
        self.services = world.services
        self.admin = world.member("Ton Admin", "ton@example.nl", admin=True)
        self.headers = {**XML, **world.headers("ton@example.nl")}
        self.members = {
            name: world.member(name, f"{name.split()[0].lower()}@example.nl")
            for name in ("Jan de Vries", "Anna Bakker", "Piet Visser", "Marloes Smit")
        }
        self.ids = list(self.members.values())
        self.numbers = {m: world.services.member_numbers.number_of(m) for m in self.ids}

    def reference(self, member_id: str) -> str:
        return payment_reference(self.numbers[member_id])

    def owed(self, member_id: str) -> int:
        return self.services.ledger_store.balance_cents(ledger.member_owes_account(member_id))

    def bank_cents(self) -> int:
        return self.services.ledger_store.balance_cents(ledger.BANK)

    def post(self, data: bytes, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        response = self.client.http.post(
            "/bank/statements", body=data, headers=headers or self.headers
        )
        return response.status_code, json.loads(response.body)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        response = self.client.http.request(
            method,
            path,
            body=json.dumps(body) if body is not None else None,
            headers={**self.headers, "Content-Type": "application/json"},
        )
        return response.status_code, json.loads(response.body)

    def lines(self, status: str) -> list[dict[str, Any]]:
        status_code, page = self.call("GET", f"/bank/lines?status={status}&limit=200")
        assert status_code == 200, page
        return list(page["items"])


@pytest.fixture
def treasury(world: World, client: Client) -> Treasury:
    return Treasury(world, client)


def fixture_for(t: Treasury, bank: str, version: str) -> bytes:
    """The fixture's statement with the references of this collective's members (the
    fixture's member numbers 1..4 are this world's four members)."""
    data = fx.fixture_path(bank, version).read_bytes()
    replacements: dict[str, str] = {}
    for n, member_id in zip(sorted(fx.PAID_BY_NUMBER), t.ids, strict=True):
        theirs, mine = payment_reference(n), t.reference(member_id)
        replacements[theirs] = mine
        replacements[spaced(theirs).lower()] = spaced(mine).lower()
        replacements[fx.bad_check_digits(theirs)] = fx.bad_check_digits(mine)
    # in two steps, so that a reference replaced is not replaced again
    for i, theirs in enumerate(replacements):
        data = data.replace(theirs.encode(), f"@{i}@".encode())
    for i, mine in enumerate(replacements.values()):
        data = data.replace(f"@{i}@".encode(), mine.encode())
    return data


def spaced(reference: str) -> str:
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))


@pytest.mark.parametrize(("bank", "version"), fx.VERSIONS)
def test_each_banks_statement_books_the_members_payments_to_the_exact_cent(
    treasury: Treasury, bank: str, version: str
) -> None:
    t = treasury
    bank_before = t.bank_cents()
    status, report = t.post(fixture_for(t, bank, version))
    assert status == 201, report
    assert report["account_iban"] == fx.ACCOUNT_IBAN
    assert {k: report[k] for k in ("lines", "booked", "already_booked", "unmatched")} == {
        "lines": 10,
        "booked": 4,
        "already_booked": 0,
        "unmatched": 6,  # bad check digits, no reference, bank costs, interest, and the
        # payout's debit and return while no payout batch claims them
    }
    for n, member_id in zip(sorted(fx.PAID_BY_NUMBER), t.ids, strict=True):
        assert t.owed(member_id) == OWED_AT_ADMISSION - fx.PAID_BY_NUMBER[n]
    assert t.bank_cents() - bank_before == sum(fx.PAID_BY_NUMBER.values())
    booked = t.lines("booked")
    assert sorted(line["amount_cents"] for line in booked) == sorted(fx.PAID_BY_NUMBER.values())
    assert {line["member"]["name"] for line in booked} == set(t.members)

    again_status, again = t.post(fixture_for(t, bank, version))
    assert again_status == 201
    assert (again["booked"], again["already_booked"], again["unmatched"]) == (0, 10, 0)
    assert again["id"] == report["id"]
    assert t.bank_cents() - bank_before == sum(fx.PAID_BY_NUMBER.values())


def test_a_payment_is_mailed_with_the_members_reference(treasury: Treasury) -> None:
    t = treasury
    t.post(fixture_for(t, "ing", "08"))
    mails = [m for m in t.world.sent_mail() if "jan@example.nl" in m.to]
    assert len(mails) == 1
    assert "€ 50,00" in mails[0].text
    assert t.reference(t.ids[0])[:4] in mails[0].text.replace(" ", "")
    assert "line-" not in mails[0].text


def test_waiting_lines_carry_a_suggestion_and_are_assigned_or_set_aside(
    treasury: Treasury,
) -> None:
    t = treasury
    anna = t.members["Anna Bakker"]
    t.services.bank_accounts.register(anna, fx.PAYER_IBAN_WITHOUT_REFERENCE, "A. Bakker")
    t.post(fixture_for(t, "rabobank", "02"))
    waiting = {line["amount_cents"]: line for line in t.lines("unmatched")}
    # the payer's IBAN is Anna's; the bad check digits came from "J. de Vries": Jan by name
    assert waiting[4000]["suggested_member"] == {"member_id": anna, "name": "Anna Bakker"}
    assert waiting[1234]["suggested_member"]["name"] == "Jan de Vries"
    assert waiting[87]["suggested_member"] is None

    owed = t.owed(anna)
    path = f"/bank/lines/{waiting[4000]['id']}/assign"
    status, line = t.call("POST", path, {"member_id": anna})
    assert status == 200, line
    assert (line["status"], line["member"]["name"]) == ("booked", "Anna Bakker")
    assert t.owed(anna) == owed - 4000
    # the same assignment again (a double click) books nothing more
    assert t.call("POST", path, {"member_id": anna})[0] == 200
    assert t.owed(anna) == owed - 4000
    # assigned to someone else now: refused
    status, refused = t.call("POST", path, {"member_id": t.ids[0]})
    assert status == 409 and "al beslist" in refused["message"]

    costs = f"/bank/lines/{waiting[87]['id']}/set-aside"
    status, aside = t.call("POST", costs, {"reason": "Bankkosten oktober"})
    assert (status, aside["status"], aside["reason"]) == (200, "set_aside", "Bankkosten oktober")
    assert [line["amount_cents"] for line in t.lines("set_aside")] == [87]
    assert t.call("POST", f"/bank/lines/{waiting[87]['id']}/assign", {"member_id": anna})[0] == 409
    # a debit is never a member's payment
    debit = next(line for line in t.lines("unmatched") if line["direction"] == "debit")
    status, refused = t.call("POST", f"/bank/lines/{debit['id']}/assign", {"member_id": anna})
    assert status == 409 and "afschrijving" in refused["message"]
    assert t.call("POST", "/bank/lines/nope/assign", {"member_id": anna})[0] == 404
    # an unknown member
    assert t.call("POST", f"/bank/lines/{waiting[1234]['id']}/assign", {"member_id": "x"})[0] == 404


def test_a_line_recorded_by_hand_before_is_not_booked_again(treasury: Treasury) -> None:
    t = treasury
    data = fixture_for(t, "ing", "02")
    jan, anna = t.ids[0], t.ids[1]
    # the treasurer typed two lines' bank references before statements came in: Jan's own
    # line for Jan, and Anna's line by mistake for Jan
    for reference in ("000020261102001", "000020261102002"):
        t.services.accounts.record_payment(jan, 5000, date(2026, 11, 2), reference)
    status, report = t.post(data)
    assert status == 201, report
    assert (report["booked"], report["already_booked"]) == (2, 2)
    assert t.owed(jan) == OWED_AT_ADMISSION - 10_000  # the two by hand, nothing more
    assert t.owed(anna) == OWED_AT_ADMISSION  # her line was booked (by hand) for Jan
    booked = {line["id"]: line for line in t.lines("booked")}
    assert booked["000020261102002"]["member"]["name"] == "Jan de Vries"


class FakePayouts:
    """A payout batch that knows one end-to-end id executed and one returned."""

    def __init__(self) -> None:
        self.executed: list[str] = []
        self.returned: list[tuple[str, str]] = []

    def mark_executed(self, uow: UnitOfWork, end_to_end_id: str, line: StatementLine) -> bool:
        if end_to_end_id != fx.PAYOUT_EXECUTED[0]:
            return False
        self.executed.append(end_to_end_id)
        return True

    def reverse_returned(
        self, uow: UnitOfWork, end_to_end_id: str, reason_code: str, line: StatementLine
    ) -> bool:
        if end_to_end_id != fx.PAYOUT_RETURNED[0]:
            return False
        self.returned.append((end_to_end_id, reason_code))
        return True


def test_executed_and_returned_payouts_are_handed_to_the_payout_batches(
    treasury: Treasury,
) -> None:
    t = treasury
    payouts = FakePayouts()
    t.services.bank_statements.payouts = payouts
    status, report = t.post(fixture_for(t, "triodos", "08"))
    assert status == 201
    assert (report["executed"], report["returned"], report["unmatched"]) == (1, 1, 4)
    assert payouts.executed == [fx.PAYOUT_EXECUTED[0]]
    assert payouts.returned == [(fx.PAYOUT_RETURNED[0], "AC04")]
    assert [line["end_to_end_id"] for line in t.lines("executed")] == [fx.PAYOUT_EXECUTED[0]]
    assert [line["return_reason"] for line in t.lines("returned")] == ["AC04"]
    # imported again: the port is not asked twice
    t.post(fixture_for(t, "triodos", "08"))
    assert len(payouts.executed) == len(payouts.returned) == 1


# Refused whole, nothing booked -----------------------------------------------------------


def nothing_booked(t: Treasury) -> bool:
    return (
        all(t.owed(m) == OWED_AT_ADMISSION for m in t.ids)
        and t.bank_cents() == 0
        and all(not t.lines(s) for s in ("booked", "unmatched"))
    )


def test_hostile_and_foreign_files_are_refused_with_nothing_booked(treasury: Treasury) -> None:
    from tests.domain import test_camt053 as hostile

    t = treasury
    good = fixture_for(t, "ing", "02")
    cases: list[tuple[bytes, int, str]] = [
        (hostile.BILLION_LAUGHS, 400, "statement_unsafe_xml"),
        (hostile.EXTERNAL_ENTITY, 400, "statement_unsafe_xml"),
        (hostile.EXTERNAL_DTD, 400, "statement_unsafe_xml"),
        (good[: len(good) // 2], 400, "statement_not_xml"),
        (good.replace(b"camt.053.001.02", b"camt.052.001.02"), 400, "statement_wrong_format"),
        (good.replace(fx.ACCOUNT_IBAN.encode(), b"NL02RABO0123456789"), 409, ""),
        (b"", 400, ""),
    ]
    for data, status, _ in cases:
        answer_status, answer = t.post(data)
        assert answer_status == status, (data[:80], answer)
        assert answer["message"], answer
    status, other = t.post(good.replace(fx.ACCOUNT_IBAN.encode(), b"NL02RABO0123456789"))
    assert "NL02RABO0123456789" in other["message"] and "niets geboekt" in other["message"]
    huge = good + b"<!--" + b"x" * (20 * 1024 * 1024) + b"-->"
    status, answer = t.post(huge)
    assert status == 413, answer
    assert nothing_booked(t)


def test_only_admins_import_and_only_xml(treasury: Treasury, world: World) -> None:
    t = treasury
    member_headers = {**XML, **world.headers("jan@example.nl")}
    assert t.post(fixture_for(t, "ing", "02"), member_headers)[0] == 403
    json_headers = {**t.headers, "Content-Type": "application/json"}
    assert t.post(b"{}", json_headers)[0] == 415
    assert nothing_booked(t)


# Once, whatever the overlap, order or timing -------------------------------------------------


def statement_of(t: Treasury, keys: list[int], tag: str) -> bytes:
    """A statement holding lines `keys` (each a payment of one of the members)."""
    entries = [
        Entry(
            date(2026, 11, 1 + k % 28),
            (Tx(100 + k, structured=t.reference(t.ids[k % 4]), name="Betaler"),),
            reference=f"{tag}-{k}",
        )
        for k in keys
    ]
    return write(Statement(fx.ACCOUNT_IBAN, entries), "08" if k_even(keys) else "02", "ing")


def k_even(keys: list[int]) -> bool:
    return len(keys) % 2 == 0


def paid_by_each(t: Treasury) -> list[int]:
    return [OWED_AT_ADMISSION - t.owed(m) for m in t.ids]


def expected_paid(keys: set[int]) -> list[int]:
    paid = [0, 0, 0, 0]
    for k in keys:
        paid[k % 4] += 100 + k
    return paid


def test_two_imports_of_the_same_statement_at_the_same_moment_book_each_line_once(
    treasury: Treasury,
) -> None:
    t = treasury
    data = statement_of(t, list(range(12)), "SAME")
    client = t.services.table.client
    # DynamoDB applies a transaction atomically; moto in-process does not lock, so each
    # TransactWriteItems is made atomic here as DynamoDB's is.
    atomic = threading.Lock()

    def enter(**_: Any) -> None:  # a handler answering anything would replace the call
        atomic.acquire()

    def leave(**_: Any) -> None:
        atomic.release()

    client.meta.events.register("before-call.dynamodb.TransactWriteItems", enter)
    client.meta.events.register("after-call.dynamodb.TransactWriteItems", leave)
    both_read = threading.Barrier(3)
    store = t.services.bank_statements.store
    seen = store.seen

    def seen_together(keys: list[str]) -> set[str]:
        found = seen(keys)
        both_read.wait(timeout=30)  # every import saw no line before any writes one
        return found

    store.seen = seen_together  # type: ignore[method-assign,assignment]
    reports: list[dict[str, int]] = []

    def run() -> None:
        reports.append(t.services.bank_statements.import_statement(data).__dict__)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    client.meta.events.unregister("before-call.dynamodb.TransactWriteItems", enter)
    client.meta.events.unregister("after-call.dynamodb.TransactWriteItems", leave)
    assert len(reports) == 3
    assert sum(r["booked"] for r in reports) == 12
    assert sum(r["already_booked"] for r in reports) == 24
    assert paid_by_each(t) == expected_paid(set(range(12)))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=15), min_size=1, max_size=8, unique=True),
        min_size=1,
        max_size=4,
    ),
    st.integers(min_value=0, max_value=10**6),
)
def test_overlapping_imports_in_any_order_book_every_line_exactly_once(
    treasury: Treasury, statements: list[list[int]], tag: int
) -> None:
    t = treasury
    before = paid_by_each(t)
    prefix = f"P{tag}-{len(statements)}-{sum(map(len, statements))}"
    if any(line["id"].startswith(prefix + "-") for line in t.lines("booked")):
        return  # the same example drawn twice: its lines are this world's already
    seen: set[int] = set()
    for keys in statements:
        status, report = t.post(statement_of(t, keys, prefix))
        assert status == 201
        assert report["booked"] == len(set(keys) - seen)
        assert report["already_booked"] == len(set(keys) & seen)
        seen |= set(keys)
    after = paid_by_each(t)
    assert [a - b for a, b in zip(after, before, strict=True)] == expected_paid(seen)


def test_the_route_takes_exactly_the_statements_the_reader_takes() -> None:
    # lazy-boot (issue 17): the route's body limit is written out so the reader loads lazily
    from chalicelib.api.routes import bank
    from chalicelib.domain import camt053

    assert bank.MAX_STATEMENT_BYTES == camt053.MAX_STATEMENT_BYTES
