"""The whole round trip through the real statement import: a payout batch approved, its file
"executed" by the bank, the statement imported (twice): each transfer marked executed once,
a returned one reversed once, the member owed it again and mailed to check their IBAN."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chalicelib.domain import ledger
from devtools.camt053_writer import Entry, Statement, Tx, write
from tests.conftest import World
from tests.pain001_schema import assert_valid_pain001


def to_receive(world: World, member_id: str) -> int:
    return -world.services.ledger_store.balance_cents(ledger.member_receives_account(member_id))


@pytest.mark.usefixtures("patched_moto")
def test_a_statement_settles_the_batch_and_a_return_is_owed_again(world: World) -> None:
    s = world.services
    ton = world.member("Ton", "ton@example.nl", admin=True)
    chair = world.member("Chair", "chair@example.nl", admin=True)
    patrick = world.member("Patrick", "patrick@example.nl")
    mieke = world.member("Mieke", "mieke@example.nl", disciplines=["data-engineering"])
    bram = world.member("Bram", "bram@example.nl")
    world.fill_pot(patrick, bram, 2_000_000)  # Patrick's share: 1.500,00; he owes 100,00
    world.fill_pot(mieke, bram, 4_000_000, ref="INV-2")  # Mieke's: 2.500,00 (capped fee)
    s.bank_accounts.register(patrick, "NL44 RABO 0123 4567 89", "P. Jansen")
    s.bank_accounts.register(mieke, "NL20 INGB 0001 2345 67", "M. de Boer")

    batch = s.payout_batches.prepare(ton)
    approved = s.payout_batches.approve(batch.batch_id, chair).batch
    _, document = s.payout_batches.credit_transfer_file(batch.batch_id)
    transfers = assert_valid_pain001(document)["CstmrCdtTrfInitn"]["PmtInf"][0]["CdtTrfTxInf"]
    paid = {i.member_id: i for i in approved.items}
    assert {t["PmtId"]["EndToEndId"] for t in transfers} == {
        i.end_to_end_id for i in approved.transfers
    }
    assert to_receive(world, patrick) == to_receive(world, mieke) == 0

    # the bank executes the file; Mieke's bank sends hers back a few days later
    day = date(2026, 5, 6)
    executed = [
        Entry(
            day,
            (
                Tx(
                    i.amount_cents,
                    "debit",
                    reference=f"EXEC-{n}",
                    name=i.account_holder,
                    iban=i.iban,
                    end_to_end_id=i.end_to_end_id,
                ),
            ),
        )
        for n, i in enumerate(approved.transfers)
    ]
    returned = Entry(
        date(2026, 5, 8),
        (
            Tx(
                paid[mieke].amount_cents,
                "credit",
                reference="RETURN-1",
                name="M. de Boer",
                end_to_end_id=paid[mieke].end_to_end_id,
                return_reason="AC04",
            ),
        ),
    )
    statement = write(
        Statement(account_iban=s.policy.bank_iban, entries=[*executed, returned]), "08", "ing"
    )
    report = s.bank_statements.import_statement(statement, by=ton)
    assert (report.executed, report.returned, report.unmatched) == (2, 1, 0)

    again = s.bank_statements.import_statement(statement, by=ton)
    assert (again.executed, again.returned, again.already_booked) == (0, 0, 3)

    assert to_receive(world, patrick) == 0
    assert to_receive(world, mieke) == paid[mieke].amount_cents  # owed again, once
    settled = s.payout_batches.get(batch.batch_id)
    assert settled.status == "executed"
    assert {i.member_id: i.status for i in settled.items} == {
        patrick: "executed",
        mieke: "returned",
    }
    s.outbox.deliver()
    [mail] = [m for m in world.sent_mail() if m.to == "mieke@example.nl" and "terug" in m.subject]
    assert "de rekening is opgeheven" in mail.text and "4567" in mail.text

    # the next batch pays Mieke again, to the account she registers meanwhile
    world.clock.advance(timedelta(days=4))
    s.bank_accounts.register(mieke, "NL91 ABNA 0417 1643 00", "Mieke de Boer")
    retry = s.payout_batches.prepare(ton)
    assert [(i.member_id, i.iban, i.amount_cents) for i in retry.items] == [
        (mieke, "NL91ABNA0417164300", paid[mieke].amount_cents)
    ]
