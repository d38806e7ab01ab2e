"""AWS fails at every call of every money route and every job; a retry ends where no fault
would have, to the cent.

For each operation: build the state before it, run it once without faults and record its AWS
calls and the state it leaves (both tables, Cognito users, mail sent). Then, for every call k
and every way that call can fail (see faults.py), put the same starting state back, run the
operation with the k-th call failing, run it again as the client or the schedule would (the
same request with the same idempotency key; the same job), let the outbox send what waits,
and compare: the same ledger, items, users and mails. A route never answers a fault with a
500: AWS being busy or unreachable is a 503 with Retry-After, a cancelled transaction a 409.

Mail is delivered at least once: a send whose answer was lost may go out twice (counted).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib.services.opportunities import NewOpportunity
from tests.conftest import REGION, ROOT, TABLE, World
from tests.mailbox import ReceivedMail
from tests.proof import summary
from tests.proof.aws_state import MotoSnapshot, dump
from tests.proof.faults import FaultyAws, faults_for

Attempt = Callable[[], Any]
SETTLE = timedelta(days=1)  # past every lease and first retry pause of the outbox


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


def route(client: Client, method: str, path: str, headers: dict[str, str], body: Any) -> Attempt:
    def attempt() -> Answer:
        response = client.http.request(
            method,
            path,
            body=json.dumps(body) if body is not None else None,
            headers={"Content-Type": "application/json", **headers},
        )
        return Answer(response.status_code, json.loads(response.body or b"null"))

    return attempt


def job(client: Client, name: str) -> Attempt:
    def attempt() -> Answer:
        event = client.events.generate_cw_event(
            source="aws.events",
            detail_type="Scheduled Event",
            detail={},
            resources=[f"arn:aws:events:eu-west-1:123456789012:rule/{name}"],
        )
        try:
            return Answer(200, client.lambda_.invoke(name, event).payload)
        except Exception as error:  # the invocation fails; the schedule runs it again
            return Answer(-1, repr(error))

    return attempt


# The operations and the state each starts from -------------------------------------------


def payment(world: World, client: Client) -> Attempt:
    world.member("Ton", "ton@example.nl", admin=True)
    anna = world.member("Anna", "anna@example.nl")
    money = {"amount_cents": 10_000, "received_on": "2026-05-04", "reference": "NL91-0001"}
    return route(client, "POST", f"/members/{anna}/payments", _admin(world), money)


def payout(world: World, client: Client) -> Attempt:
    world.member("Ton", "ton@example.nl", admin=True)
    patrick = world.member("Patrick", "patrick@example.nl")
    world.fill_pot(patrick, world.member("Mieke", "mieke@example.nl"), 2_000_000)
    money = {"amount_cents": 150_000, "received_on": "2026-05-04", "reference": "OUT-1"}
    return route(client, "POST", f"/members/{patrick}/payouts", _admin(world), money)


def payout_batch_approval(world: World, client: Client) -> Attempt:
    """bank-payouts: a batch prepared by the chair, approved by the treasurer: Patrick's offset
    and transfer, Mieke's transfer, their mails."""
    world.member("Ton", "ton@example.nl", admin=True)
    chair = world.member("Chair", "chair@example.nl", admin=True)
    patrick = world.member("Patrick", "patrick@example.nl")
    mieke = world.member("Mieke", "mieke@example.nl")
    bram = world.member("Bram", "bram@example.nl")
    world.fill_pot(patrick, bram, 2_000_000)
    world.fill_pot(mieke, bram, 4_000_000, ref="INV-2")
    world.services.bank_accounts.register(patrick, "NL44 RABO 0123 4567 89", "P. Jansen")
    world.services.bank_accounts.register(mieke, "NL20 INGB 0001 2345 67", "M. de Boer")
    batch = world.services.payout_batches.prepare(chair)
    path = f"/bank/payout-batches/{batch.batch_id}/approve"
    return route(client, "POST", path, _admin(world), None)


def revenue_report(world: World, client: Client) -> Attempt:
    patrick = world.member("Patrick", "patrick@example.nl")
    mieke = world.member("Mieke", "mieke@example.nl")
    assignment = _assignment(world, patrick, mieke)
    invoice = {"amount_cents": 2_000_000, "invoice_ref": "INV-1", "invoiced_on": "2026-05-04"}
    headers = world.headers("mieke@example.nl")
    return route(client, "POST", f"/assignments/{assignment}/revenue", headers, invoice)


def credit_note_on_behalf(world: World, client: Client) -> Attempt:
    """A clawback beyond what the collective still owes the referrer, booked by the treasurer
    for a member who left: part lowers what Patrick is owed, the rest becomes his debt."""
    world.member("Ton", "ton@example.nl", admin=True)
    patrick = world.member("Patrick", "patrick@example.nl")
    mieke = world.member("Mieke", "mieke@example.nl")
    assignment = world.fill_pot(patrick, mieke, 2_000_000, ref="INV-1")
    world.services.accounts.record_payout(patrick, 100_000, date(2026, 5, 4), "OUT-1")
    world.services.membership.cancel(mieke)
    credit = {"amount_cents": -2_000_000, "invoice_ref": "CN-1", "invoiced_on": "2026-05-04"}
    return route(client, "POST", f"/assignments/{assignment}/revenue", _admin(world), credit)


def approval(world: World, client: Client) -> Attempt:
    """Admission: the member, the Cognito invitation, two charges and the recruiter's coins."""
    world.member("Ton", "ton@example.nl", admin=True)
    world.member("Mieke", "mieke@example.nl")
    application = world.apply("Fleur", "fleur@example.nl", referred_by_email="mieke@example.nl")
    path = f"/applications/{application}/approve"
    return route(client, "POST", path, _admin(world), None)


def claim_approval(world: World, client: Client) -> Attempt:
    world.member("Ton", "ton@example.nl", admin=True)
    anna = world.member("Anna", "anna@example.nl")
    claim = world.services.coins.file_claim(anna, "publicity", "podcast", None)
    path = f"/coins/claims/{claim.id}/approve"
    return route(client, "POST", path, _admin(world), {"coins": 5})


def no_deal(world: World, client: Client) -> Attempt:
    patrick = world.member("Patrick", "patrick@example.nl")
    anna = world.member("Anna", "anna@example.nl")
    ops = world.services.opportunities
    opportunity = ops.post(_form(), patrick, is_admin=False)
    ops.record_conversation(opportunity.id, anna, date(2026, 5, 4), patrick, is_admin=False)
    path = f"/opportunities/{opportunity.id}/close"
    return route(client, "POST", path, world.headers("patrick@example.nl"), {"outcome": "no_deal"})


def dues_job(world: World, client: Client) -> Attempt:
    world.member("Anna", "anna@example.nl")
    bram = world.member("Bram", "bram@example.nl")
    world.clock.set(datetime(2026, 7, 10, tzinfo=UTC))
    world.services.membership.cancel(bram)  # left in Q3: owes its dues too
    world.clock.set(datetime(2026, 7, 20, tzinfo=UTC))
    return job(client, "quarterly_dues")


def distribution_job(world: World, client: Client) -> Attempt:
    patrick = world.member("Patrick", "patrick@example.nl")
    ton = world.member("Ton", "ton@example.nl")
    world.fill_pot(patrick, ton, 4_000_000)  # pot 125000
    for member_id, coins in ((patrick, 10), (ton, 5)):
        claim = world.services.coins.file_claim(member_id, "publicity", "talk", None)
        world.services.coins.approve(claim.id, coins, "admin")
    world.clock.set(datetime(2026, 12, 31, 23, 5, tzinfo=UTC))
    return job(client, "pot_distribution")


def reminders_job(world: World, client: Client) -> Attempt:
    world.member("Anna", "anna@example.nl")
    world.member("Bram", "bram@example.nl")
    world.clock.advance(timedelta(days=31))
    return job(client, "payment_reminders")


def announcements_job(world: World, client: Client) -> Attempt:
    patrick = world.member("Patrick", "patrick@example.nl")
    world.member("Anna", "anna@example.nl", disciplines=["data"])
    world.member("Bram", "bram@example.nl", disciplines=["data"])
    world.services.opportunities.post(_form(), patrick, is_admin=False)
    return job(client, "opportunity_announcements")


def mail_job(world: World, client: Client) -> Attempt:
    """Payout mails that could not be sent on New Year's morning (SES was down)."""
    distribution_job(world, client)
    mailer = world.services.outbox.mailer
    world.services.outbox.mailer = _Down()
    world.services.distribution.run_through()
    world.services.outbox.mailer = mailer
    world.clock.advance(timedelta(hours=1))
    return job(client, "mail_outbox")


OPERATIONS: dict[str, tuple[Callable[[World, Client], Attempt], set[int]]] = {
    "POST /members/{id}/payments": (payment, {201}),
    "POST /members/{id}/payouts": (payout, {201}),
    "POST /assignments/{id}/revenue": (revenue_report, {201}),
    "POST /assignments/{id}/revenue (credit note, on behalf)": (credit_note_on_behalf, {201}),
    "POST /applications/{id}/approve": (approval, {200}),
    "POST /coins/claims/{id}/approve": (claim_approval, {200}),
    "POST /opportunities/{id}/close (no_deal)": (no_deal, {200}),
    "quarterly_dues": (dues_job, {200}),
    "pot_distribution": (distribution_job, {200}),
    "payment_reminders": (reminders_job, {200}),
    "opportunity_announcements": (announcements_job, {200}),
    "mail_outbox": (mail_job, {200}),
    "POST /bank/payout-batches/{id}/approve": (payout_batch_approval, {200}),
}


# The test ----------------------------------------------------------------------------------


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_a_retry_after_any_aws_failure_ends_as_if_nothing_failed(
    world: World, client: Client, name: str
) -> None:
    started = time.perf_counter()
    setup, retry_answers = OPERATIONS[name]
    attempt = setup(world, client)
    aws = FaultyAws(
        {
            "dynamodb": world.services.table.client,
            "ses": world.services.outbox.mailer._client,  # type: ignore[attr-defined]
            "cognito-idp": world.cognito,
        }
    )
    moto, start = MotoSnapshot(REGION), world.clock.now()
    moto.save()

    # Given the operation's fault-free outcome
    aws.arm(None)
    first = attempt()
    calls = list(aws.calls)
    assert first.status in retry_answers, first
    expected = settled_state(world, moto)
    assert not expected["mail sent twice"], "sent twice without any fault"

    tried = 0
    for fault in faults_for(calls):
        # When the k-th call fails, and the client (or the schedule) tries again
        moto.restore()
        world.clock.set(start)
        aws.arm(fault)
        failed = attempt()
        assert aws.fired == fault, f"{fault} never happened: the calls differ from the first run"
        aws.arm(None)
        retried = attempt()
        # Then no 500, the retry succeeds, and everything is as without the fault
        assert failed.status in {*retry_answers, 409, 503, -1}, (str(fault), failed)
        assert retried.status in retry_answers, (str(fault), retried)
        state = settled_state(world, moto)
        summary.add("mails sent twice after a lost answer", state.pop("mail sent twice"))
        assert state == {k: v for k, v in expected.items() if k != "mail sent twice"}, str(fault)
        tried += 1

    summary.add("fault points tried", tried)
    summary.add(f"fault points tried: {name}", tried)
    summary.took("fault injection", time.perf_counter() - started)


def settled_state(world: World, moto: MotoSnapshot) -> dict[str, Any]:
    """After the outbox job had its chance: every item of both tables (mail bookkeeping
    reduced to sent or not), the Cognito users, and the mails that went out."""
    world.clock.advance(SETTLE)
    world.services.outbox.deliver()
    pool = moto.cognito.user_pools[world.pool_id]
    sent = [ReceivedMail.parse(m.raw_data) for m in moto.ses.sent_messages[moto.sent_before :]]
    mails = Counter((m.to, m.subject) for m in sent)
    return {
        "main": [_without_mail_bookkeeping(i) for i in dump(TABLE)],
        "ledger": dump(f"{TABLE}-ledger"),
        "users": sorted(pool.users),
        "mails": sorted(mails),
        "mail sent twice": sum(n - 1 for n in mails.values()),
    }


def _without_mail_bookkeeping(item: dict[str, Any]) -> dict[str, Any]:
    if not item["PK"].startswith("OUTBOX#"):
        return item
    attempts = ("attempts", "claimed_until", "last_error", "sent_at", "message_id")
    kept = {k: v for k, v in item.items() if k not in (*attempts, "GSI1PK", "GSI1SK")}
    return kept | {"sent": "sent_at" in item}


class _Down:
    def send(self, mail: object) -> str:
        raise ConnectionError("SES is down")


def _admin(world: World) -> dict[str, str]:
    return world.headers("ton@example.nl")


def _form() -> NewOpportunity:
    return NewOpportunity("Tender", "d", ("data",), None, None, None, None, False)


def _assignment(world: World, referrer: str, executor: str) -> str:
    ops = world.services.opportunities
    opportunity = ops.post(_form(), referrer, is_admin=False)
    ops.express_interest(opportunity.id, executor, "")
    return ops.award(opportunity.id, executor, "small", date(2026, 6, 1)).id
