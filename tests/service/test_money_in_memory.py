"""Payments, payouts and claim approvals on the in-memory unit of work and repositories
(chalicelib/store/memory/): the services as built in production, no AWS fake at all. The
stores behind them pass the same contract tests as the DynamoDB ones (tests/store/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from chalicelib.clock import FixedClock
from chalicelib.domain import ledger
from chalicelib.domain.coins import CoinClaim
from chalicelib.domain.errors import Conflict
from chalicelib.domain.membership import Member
from chalicelib.mail.links import Links
from chalicelib.mail.message import OutgoingMail
from chalicelib.policy import Policy
from chalicelib.services.accounts import AccountsService
from chalicelib.services.coins import CoinService
from chalicelib.services.outbox import MailOutbox
from chalicelib.store.memory import MemoryStores

AT = datetime(2026, 6, 1, 10, tzinfo=UTC)
DAY = date(2026, 6, 1)


@dataclass
class Mailbox:
    sent: list[OutgoingMail] = field(default_factory=list)

    def send(self, mail: OutgoingMail) -> str:
        self.sent.append(mail)
        return f"message-{len(self.sent)}"


@dataclass
class Collective:
    stores: MemoryStores
    mailbox: Mailbox
    accounts: AccountsService
    coins: CoinService

    def member(self, member_id: str, name: str) -> str:
        email = f"{member_id}@example.nl"
        self.stores.members.add(
            Member(member_id, name, email, "", (), (), True, False, "active", AT)
        )
        return member_id


@pytest.fixture
def collective() -> Collective:
    stores, mailbox, clock = MemoryStores(), Mailbox(), FixedClock(AT)
    outbox = MailOutbox(stores.outbox, mailbox, clock)
    links = Links("https://app.co-operations.test")
    accounts = AccountsService(
        stores.members,
        stores.ledger,
        clock,
        outbox,
        links,
        stores.uow,
    )
    unused: Any = None  # distributions and opportunities: an approval reads neither
    coins = CoinService(
        stores.claims,
        stores.coins,
        stores.ledger,
        unused,
        clock,
        Policy(),
        stores.members,
        outbox,
        links,
        unused,
        stores.uow,
    )
    return Collective(stores, mailbox, accounts, coins)


def test_a_payment_is_booked_and_mailed_once_however_often_it_is_recorded(
    collective: Collective,
) -> None:
    anna = collective.member("anna", "Anna de Vries")
    first = collective.accounts.record_payment(anna, 4000, DAY, "NL12 RABO 0001", "admin")
    again = collective.accounts.record_payment(anna, 4000, DAY, "NL12 RABO 0001", "admin")
    assert (first.replayed, again.replayed) == (False, True)
    statement = collective.accounts.statement(anna, 10, None)
    assert statement.owed_cents == -4000
    assert [line.reference for line in statement.lines] == ["NL12 RABO 0001"]
    assert [mail.to for mail in collective.mailbox.sent] == ["anna@example.nl"]
    assert "40,00" in collective.mailbox.sent[0].text


def test_a_bank_line_of_another_member_is_refused_naming_that_member(
    collective: Collective,
) -> None:
    anna = collective.member("anna", "Anna de Vries")
    bram = collective.member("bram", "Bram Jansen")
    collective.accounts.record_payment(anna, 4000, DAY, "NL12 RABO 0001")
    with pytest.raises(Conflict) as refused:
        collective.accounts.record_payout(bram, 10, DAY, "nl12 rabo 0001")
    assert refused.value.code == "reference_already_booked"
    assert refused.value.params["member"] == "Anna de Vries"
    assert len(collective.mailbox.sent) == 1  # Anna's receipt only


def test_a_payout_above_what_is_owed_books_nothing_and_mails_nothing(
    collective: Collective,
) -> None:
    anna = collective.member("anna", "Anna de Vries")
    collective.stores.ledger.book(ledger.pot_payout(2025, anna, 5000, AT))
    with pytest.raises(Conflict) as refused:
        collective.accounts.record_payout(anna, 7000, DAY, "OUT-1")
    assert refused.value.code == "payout_above_owed"
    assert (refused.value.params["owed"], refused.value.params["member"]) == (5000, "Anna de Vries")
    assert collective.accounts.statement(anna, 10, None).to_receive_cents == 5000
    assert collective.mailbox.sent == []
    paid = collective.accounts.record_payout(anna, 5000, DAY, "OUT-1")
    assert not paid.replayed
    assert collective.accounts.statement(anna, 10, None).to_receive_cents == 0
    assert len(collective.mailbox.sent) == 1


def test_an_approval_awards_the_coins_and_mails_once_and_a_repeat_answers_it(
    collective: Collective,
) -> None:
    anna = collective.member("anna", "Anna de Vries")
    collective.member("admin", "Beheerder")
    claim = collective.coins.file_claim(anna, "talk", "Praatje op de meetup", None)
    approved = collective.coins.approve(claim.id, 20, "admin")
    assert collective.coins.approve(claim.id, 20, "admin") == approved  # a retry
    assert collective.coins.coins_of(anna, 2026).total == 20
    assert collective.stores.coins.pot_state(2026).total_coins == 20
    assert [mail.to for mail in collective.mailbox.sent] == ["anna@example.nl"]
    with pytest.raises(Conflict):
        collective.coins.approve(claim.id, 30, "admin")  # other coins after the decision
    assert collective.coins.coins_of(anna, 2026).total == 20


def test_an_approval_in_a_distributed_year_leaves_the_claim_pending_and_mails_nothing(
    collective: Collective,
) -> None:
    anna = collective.member("anna", "Anna de Vries")
    claim = collective.coins.file_claim(anna, "talk", "Praatje op de meetup", None)
    collective.stores.pots.freeze_pot(2026, AT)
    with pytest.raises(Conflict) as refused:
        collective.coins.approve(claim.id, 20, "admin")
    assert refused.value.code == "claim_year_distributed"
    assert collective.stores.claims.get(claim.id).status == "pending"
    assert collective.coins.coins_of(anna, 2026).total == 0
    assert collective.mailbox.sent == []


def test_a_decision_taken_meanwhile_by_another_admin_is_refused(collective: Collective) -> None:
    anna = collective.member("anna", "Anna de Vries")
    pending = collective.coins.file_claim(anna, "talk", "Praatje op de meetup", None)
    collective.coins.reject(pending.id, "Geen bewijs", "admin")
    approved = pending.approved(20, "other-admin", AT, Policy())
    with pytest.raises(Conflict) as refused:
        collective.coins._decide(approved, approved.award())  # the race: read before, written after
    assert refused.value.code == "claim_decided_meanwhile"
    assert collective.coins.coins_of(anna, 2026).total == 0
    assert collective.stores.claims.get(pending.id) == CoinClaim(
        pending.id,
        anna,
        "talk",
        "Praatje op de meetup",
        None,
        "rejected",
        AT,
        AT,
        "admin",
        None,
        "Geen bewijs",
    )
