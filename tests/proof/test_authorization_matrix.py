"""Who may call what: every declared route against every kind of caller, one table.

The rows come from the route declarations (`framework.ENDPOINTS`): a route without a row in
EXPECTED fails this test, so a new route cannot be left out. The columns are callers: no
token, a malformed one, an expired one, one from another user pool, an unsigned `alg: none`
one and an HS256 one signed with the pool's public key (all forged from the admin's real
claims, so accepting any of them would be an admin break-in); then real Cognito tokens of a
member, another member, an opportunity's referrer, its executing member, a cancelled member
and an admin. Every cell starts from the same state (moto's memory is put back after any
call that succeeded), and all cells are checked before the test reports every difference.

Adding a route: one line in EXPECTED (and, for a new path parameter, its value in `ids`).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jwt
import moto
import pytest
from chalice.test import Client

from app import app
from chalicelib.api.framework import ENDPOINTS
from tests.conftest import REGION, ROOT, World
from tests.intake_helpers import corpus, deliver, make_bucket
from tests.proof import summary
from tests.proof.aws_state import MotoSnapshot

FORGED = ("anonymous", "malformed", "expired", "other pool", "alg none", "HS256 forged")
PEOPLE = ("member", "other member", "referrer", "executor", "admin")
CALLERS = (*FORGED, *PEOPLE, "cancelled")
EMAILS = {
    "member": "anna@example.nl",
    "other member": "bram@example.nl",
    "referrer": "patrick@example.nl",
    "executor": "mieke@example.nl",
    "cancelled": "carla@example.nl",
    "admin": "ton@example.nl",
}


def public(status: int) -> dict[str, int]:
    """Anyone, whatever token they send (it is not looked at)."""
    return dict.fromkeys(CALLERS, status)


def members(status: int, **others: int) -> dict[str, int]:
    """Every active member (admins are members too); `others` names exceptions."""
    row = dict.fromkeys(FORGED, 401) | dict.fromkeys(PEOPLE, status) | {"cancelled": 403}
    return row | {k.replace("_", " "): v for k, v in others.items()}


def only(status: int, *who: str) -> dict[str, int]:
    """Only these callers get `status`; other members 403."""
    return members(403) | dict.fromkeys(who, status)


def admins(status: int) -> dict[str, int]:
    return only(status, "admin")


# The expected answer of every route to every caller. Paths name their ids as declared.
EXPECTED: dict[str, dict[str, int]] = {
    "GET /health": public(200),
    "POST /applications": public(201),
    "GET /applications": admins(200),
    "POST /applications/{application_id}/approve": admins(200),
    "POST /applications/{application_id}/reject": admins(200),
    "GET /members": members(200),
    "GET /members/me": members(200, cancelled=200),  # read-only, until settled
    "PATCH /members/me": members(200),
    "POST /members/me/cancel": members(200),
    "GET /members/me/statement": members(200, cancelled=200),  # read-only, until settled
    "GET /members/me/coins": members(200),
    "GET /members/{member_id}": admins(200),
    "GET /members/{member_id}/statement": admins(200),
    "POST /members/{member_id}/payments": admins(201),
    "POST /members/{member_id}/payouts": admins(201),
    "POST /opportunities": members(201),
    "GET /opportunities": members(200),
    "GET /opportunities/{opportunity_id}": members(200),
    "POST /opportunities/{opportunity_id}/interest": members(200, referrer=403),
    "GET /opportunities/{opportunity_id}/candidates": only(200, "referrer", "admin"),
    "POST /opportunities/{opportunity_id}/conversations": only(201, "referrer", "admin"),
    "POST /opportunities/{opportunity_id}/assignment": only(201, "executor"),
    "POST /opportunities/{opportunity_id}/close": only(200, "referrer", "admin"),
    "GET /assignments/{assignment_id}": only(200, "executor", "referrer", "admin"),
    "POST /assignments/{assignment_id}/revenue": only(201, "executor", "admin"),
    "POST /coins/claims": members(201),
    "GET /coins/claims": admins(200),
    "POST /coins/claims/{claim_id}/approve": admins(200),
    "POST /coins/claims/{claim_id}/reject": admins(200),
    "GET /pots/{year}": members(200),
    "GET /distributions/{year}": members(200),
    "POST /jobs/dues/{quarter}": admins(200),
    "POST /jobs/reminders": admins(200),
    "POST /jobs/distributions/{year}": admins(200),
    "POST /jobs/announcements": admins(200),
    "POST /jobs/mail": admins(200),
    "GET /admin/receivables": admins(200),
    "GET /ledger/export": admins(200),
    "GET /admin/payables": admins(200),
    # the treasurer's member page: a member's assignments and history, finding any member
    "GET /members/{member_id}/assignments": admins(200),
    "GET /members/{member_id}/history": admins(200),
    "GET /admin/members": admins(200),
    "GET /policy": public(200),
    "GET /members/me/payment-details": members(200, cancelled=200),  # so they can pay
    "GET /members/me/assignments": members(200),
    "GET /members/me/coins/claims": members(200),
    "GET /opportunities/{opportunity_id}/interest": members(200),  # the caller's own, or none
    # mail intake: the admins sort the mail; members fetch attachments of what came in
    "GET /intake": admins(200),
    "GET /intake/{intake_id}": admins(200),
    "POST /intake/{intake_id}/accept": admins(201),
    "GET /opportunities/{opportunity_id}/attachments/{number}": members(200),
    # the vocabulary: read by anyone (the apply form), extended by admins; disciplines added
    # to a (mailed-in) opportunity by its referrer or an admin
    "GET /vocabulary": public(200),
    "POST /vocabulary/terms": admins(201),
    "PUT /opportunities/{opportunity_id}/disciplines": only(200, "referrer", "admin"),
    "POST /unsubscribe": public(200),  # the signed token is the proof, not the caller
    "POST /jobs/digest": admins(200),
    # meetings: Patrick (the referrer) organises the planned one
    "POST /meetings": admins(201),
    "GET /meetings": members(200),
    "GET /meetings/coverage": admins(200),
    "GET /meetings/{meeting_id}": members(200),
    "PATCH /meetings/{meeting_id}": only(200, "referrer", "admin"),
    "POST /meetings/{meeting_id}/cancel": only(200, "referrer", "admin"),
    "POST /meetings/{meeting_id}/registration": members(201),
    "DELETE /meetings/{meeting_id}/registration": members(200),
    "GET /meetings/{meeting_id}/attendees": only(200, "referrer", "admin"),
    "POST /meetings/{meeting_id}/attendance": admins(200),
    "GET /meetings/{meeting_id}/event.ics": members(200),
    "GET /members/me/calendar": members(200),
    "POST /members/me/calendar/reset": members(200),
    "GET /calendar/{token}": public(200),  # the private URL is the proof
    "POST /jobs/meeting-news": admins(200),
    "POST /jobs/meeting-reminders": admins(200),
    "POST /jobs/meeting-warning": admins(200),
    # bank-payouts: payout batches (the collective's batch was prepared by Bram, so the admin
    # may approve it; its file is there only after approval)
    "POST /bank/payout-batches": admins(201),
    "GET /bank/payout-batches": admins(200),
    "GET /bank/payout-batches/{batch_id}": admins(200),
    "POST /bank/payout-batches/{batch_id}/approve": admins(200),
    "GET /bank/payout-batches/{batch_id}/pain.001.xml": admins(409),
    # bank-refs: a member's payout account; a cancelled member may still give the account
    # what the collective owes them is paid into
    "GET /members/me/bank-account": members(200, cancelled=200),
    "PUT /members/me/bank-account": members(200, cancelled=200),
    "GET /members/{member_id}/bank-account": admins(200),
    # bank-statements: statements in (an unmatched credit of the collective's statement waits)
    "POST /bank/statements": admins(201),
    "GET /bank/lines": admins(200),
    "POST /bank/lines/{line_id}/assign": admins(200),
    "POST /bank/lines/{line_id}/set-aside": admins(200),
    # teams-core: joint assignments, on Mieke's team assignment with Bram invited (the
    # lead or an admin invites; only the invitee answers; the lead, an admin or the member
    # themselves takes them off)
    "POST /assignments/{assignment_id}/team": only(201, "executor", "admin"),
    "POST /assignments/{assignment_id}/team/accept": only(200, "other member"),
    "POST /assignments/{assignment_id}/team/decline": only(200, "other member"),
    "DELETE /assignments/{assignment_id}/team/{member_id}": only(
        200, "executor", "admin", "other member"
    ),
}

MEETING = {
    "title": "Personal branding",
    "starts_at": "2026-06-18T18:00:00",
    "ends_at": "2026-06-18T21:30:00",
    "venue": "Pakhuis de Zwijger",
    "address": "Piet Heinkade 179",
    "city": "Amsterdam",
    "capacity": 20,
}

# A valid request for each route that takes a body or needs a query.
BODIES: dict[str, Any] = {
    "POST /applications": {
        "name": "Gijs Smit",
        "email": "gijs@example.nl",
        "disciplines": ["legal"],
        "years_experience": 15,
    },
    "POST /applications/{application_id}/reject": {"reason": "not now"},
    "PATCH /members/me": {"headline": "Data engineer"},
    "PUT /members/me/bank-account": {"iban": "NL91 ABNA 0417 1643 00", "account_holder": "A"},
    "POST /members/{member_id}/payments": {
        "amount_cents": 100,
        "received_on": "2026-05-04",
        "reference": "NL-AUTH-1",
    },
    "POST /members/{member_id}/payouts": {
        "amount_cents": 100,
        "received_on": "2026-05-04",
        "reference": "NL-AUTH-2",
    },
    "POST /opportunities": {"title": "Audit", "description": "d", "disciplines": ["legal"]},
    "POST /opportunities/{opportunity_id}/interest": {"note": "me"},
    "POST /opportunities/{opportunity_id}/conversations": {"held_on": "2026-05-04"},
    "POST /opportunities/{opportunity_id}/assignment": {
        "contribution": "small",
        "starts_on": "2026-06-01",
    },
    "POST /opportunities/{opportunity_id}/close": {"outcome": "withdrawn"},
    "POST /assignments/{assignment_id}/revenue": {
        "amount_cents": 100_000,
        "invoice_ref": "INV-AUTH",
        "invoiced_on": "2026-05-04",
    },
    "POST /coins/claims": {"activity": "publicity", "description": "radio"},
    "POST /coins/claims/{claim_id}/approve": {"coins": 5},
    "POST /coins/claims/{claim_id}/reject": {"reason": "not publicity"},
    "POST /intake/{intake_id}/accept": {"on_behalf_of_collective": True, "disciplines": ["legal"]},
    "POST /vocabulary/terms": {"kind": "sector", "name": "Circulaire economie"},
    "PUT /opportunities/{opportunity_id}/disciplines": {"disciplines": ["legal"]},
    "POST /meetings": MEETING,
    "PATCH /meetings/{meeting_id}": {"venue": "De Hallen"},
    "POST /meetings/{meeting_id}/registration": {},
    "POST /meetings/{meeting_id}/attendance": {"member_ids": []},
    "POST /unsubscribe": {"List-Unsubscribe": "One-Click"},
    # bank-statements: a file, sent as it is (bytes), and the decisions on a waiting line
    "POST /bank/statements": b"",  # build_collective writes the collective's statement
    "POST /bank/lines/{line_id}/assign": {"member_id": ""},  # the member: build_collective
    "POST /bank/lines/{line_id}/set-aside": {"reason": "Bankkosten"},
}
# Routes whose body is not JSON (the rest send application/json)
CONTENT_TYPES = {"POST /bank/statements": "application/xml"}
# Query strings; {names} are filled in from the collective's ids like path parameters.
QUERIES = {
    "GET /ledger/export": "?from=2026-05-01&to=2026-05-31",
    "POST /unsubscribe": "?token={unsubscribe_token}",
}
# Routes that need another thing than the common one behind a path parameter.
ROUTE_IDS = {
    "GET /opportunities/{opportunity_id}/attachments/{number}": {"opportunity_id": "mailed_in"},
    "DELETE /meetings/{meeting_id}/registration": {"meeting_id": "everyone_meeting"},
    # teams-core
    "POST /assignments/{assignment_id}/team": {"assignment_id": "team_assignment"},
    "POST /assignments/{assignment_id}/team/accept": {"assignment_id": "team_assignment"},
    "POST /assignments/{assignment_id}/team/decline": {"assignment_id": "team_assignment"},
    "DELETE /assignments/{assignment_id}/team/{member_id}": {
        "assignment_id": "team_assignment",
        "member_id": "team_invitee",
    },
    "POST /meetings/{meeting_id}/attendance": {"meeting_id": "past_meeting"},
}


@dataclass
class Collective:
    ids: dict[str, str]  # path parameter -> value
    tokens: dict[str, str | None]


@pytest.fixture
def collective(world: World, client: Client) -> Collective:
    return build_collective(world, client)


def build_collective(world: World, client: Client) -> Collective:
    """(Also the state bench/routes.py measures every route from.)

    2025 distributed; Patrick's open opportunity with Mieke interested; an assignment of
    his awarded to Mieke with revenue; Anna's pending claim; Fleur's pending application;
    a mail from Mieke with attachments taken in and one from a stranger refused; a meeting
    held in April, one Patrick organises in June and one everybody signed up for; Carla
    signed in and then cancelled."""
    services = world.services
    world.clock.set(datetime(2025, 6, 1, 9, tzinfo=UTC))
    ton = world.member("Ton", "ton@example.nl", admin=True)
    anna = world.member("Anna", "anna@example.nl")
    first = services.coins.file_claim(anna, "publicity", "talk", None)
    services.coins.approve(first.id, 3, ton)
    world.clock.set(datetime(2026, 5, 4, 9, 30, tzinfo=UTC))
    services.distribution.run_through()
    ids = {p: world.member(p.title(), f"{p}@example.nl") for p in ("bram", "patrick")}
    ids["mieke"] = world.member("Mieke", "mieke@example.nl", disciplines=["data-engineering"])
    assignment = world.fill_pot(ids["patrick"], ids["mieke"], 1_000_000)
    from chalicelib.services.opportunities import NewOpportunity

    form = NewOpportunity("Open", "d", ("legal",), None, None, None, None, False)
    opportunity = services.opportunities.post(form, ids["patrick"], is_admin=False)
    services.opportunities.express_interest(opportunity.id, ids["mieke"], "")
    claim = services.coins.file_claim(anna, "publicity", "podcast", None)
    application = world.apply("Fleur", "fleur@example.nl")
    world.member("Carla", "carla@example.nl")
    tokens: dict[str, str | None] = {who: world.token(email) for who, email in EMAILS.items()}
    make_bucket()
    mailed_in = deliver(world, corpus("attachments.eml"), message_id="mailed-in")
    refused = deliver(world, corpus("unknown_sender.eml"), message_id="stranger")
    assert (mailed_in.status, refused.status) == ("accepted", "rejected")
    meetings = Meetings(client, tokens)
    services.membership.cancel(services.members_store.member_id_for_email("carla@example.nl") or "")
    BODIES["POST /opportunities/{opportunity_id}/conversations"]["member_id"] = anna
    team_assignment = invited_team(world, ids["patrick"], ids["mieke"], ids["bram"])
    BODIES["POST /assignments/{assignment_id}/team"] = {"member_id": anna}
    return Collective(
        ids={
            "application_id": application,
            "member_id": ids["patrick"],
            "opportunity_id": opportunity.id,
            "assignment_id": assignment,
            "claim_id": claim.id,
            "year": "2025",
            "quarter": "2026-Q2",
            "intake_id": refused.intake_id,
            "mailed_in": str(mailed_in.opportunity_id),
            "number": "1",
            **meetings.plan(world, ids["patrick"]),
            "token": services.calendar.feed_token(anna),
            "unsubscribe_token": quote(services.mail_preferences.unsubscribes.token(anna)),
            "batch_id": payout_batch(world, ids["patrick"], ids["bram"]),
            "line_id": waiting_bank_line(world, ids["patrick"]),
            "team_assignment": team_assignment,
            "team_invitee": ids["bram"],
        },
        tokens=tokens | forged_tokens(str(tokens["admin"]), world.pool_id),
    )


def invited_team(world: World, referrer: str, lead: str, invitee: str) -> str:
    """teams-core: an assignment of the referrer's, led by `lead`, `invitee` invited."""
    from datetime import date

    from chalicelib.services.opportunities import NewOpportunity

    opportunities = world.services.opportunities
    form = NewOpportunity("Team", "d", ("legal",), None, None, None, None, False)
    opportunity = opportunities.post(form, referrer, is_admin=False)
    opportunities.express_interest(opportunity.id, lead, "")
    assignment = opportunities.award(opportunity.id, lead, "small", date(2026, 6, 1))
    opportunities.invite(assignment.id, invitee, lead, False)
    return assignment.id


def payout_batch(world: World, payee: str, preparer: str) -> str:
    """A prepared payout batch paying the referrer's share (bank-payouts)."""
    now = world.clock.now()
    world.clock.set(now - timedelta(minutes=1))  # the payee's own change (a cell) is later
    world.services.bank_accounts.register(payee, "NL44 RABO 0123 4567 89", "Patrick")
    world.clock.set(now)
    return world.services.payout_batches.prepare(preparer).batch_id


def waiting_bank_line(world: World, member_id: str) -> str:
    """An unmatched credit on an imported statement (bank-statements); the statement the
    import route is called with is another, of the same account."""
    from datetime import date

    from devtools.camt053_writer import Entry, Statement, Tx, write

    def statement(reference: str) -> bytes:
        tx = Tx(1234, text="zonder kenmerk", name="Onbekend")
        entry = Entry(date(2026, 5, 1), (tx,), reference=reference)
        return write(Statement(world.services.policy.bank_iban, [entry]), "08", "ing")

    world.services.bank_statements.import_statement(statement("AUTH-WAITING"))
    BODIES["POST /bank/statements"] = statement("AUTH-IMPORT")
    BODIES["POST /bank/lines/{line_id}/assign"]["member_id"] = member_id
    return "AUTH-WAITING"


class Meetings:
    def __init__(self, client: Client, tokens: dict[str, str | None]) -> None:
        self.client, self.tokens = client, tokens

    def call(self, who: str, method: str, path: str, body: Any = None) -> Any:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.tokens[who]}",
        }
        answer = self.client.http.request(method, path, body=json.dumps(body), headers=headers)
        assert answer.status_code < 300, answer.body
        return json.loads(answer.body)

    def plan(self, world: World, organiser: str) -> dict[str, str]:
        """The meetings' ids: held in April, organised by Patrick, everybody signed up."""
        start = world.clock.now()
        world.clock.set(datetime(2026, 4, 1, 9, tzinfo=UTC))
        april = {"starts_at": "2026-04-20T18:00:00", "ends_at": "2026-04-20T21:00:00"}
        past = self.call("admin", "POST", "/meetings", MEETING | april)
        world.clock.set(start)
        his = self.call("admin", "POST", "/meetings", MEETING | {"organiser_member_id": organiser})
        everyone = self.call("admin", "POST", "/meetings", MEETING | {"title": "Everyone"})
        for who in PEOPLE:
            self.call(who, "POST", f"/meetings/{everyone['id']}/registration", {})
        return {
            "past_meeting": past["id"],
            "meeting_id": his["id"],
            "everyone_meeting": everyone["id"],
        }


def forged_tokens(admin_token: str, pool_id: str) -> dict[str, str | None]:
    claims = jwt.decode(admin_token, options={"verify_signature": False})
    now = int(time.time())
    other_pool = f"https://cognito-idp.{REGION}.amazonaws.com/{REGION}_someoneelse"
    return {
        "anonymous": None,
        "malformed": "not.a-token",
        "expired": _rs256(claims | {"iat": now - 7200, "exp": now - 3600}),
        "other pool": _rs256(claims | {"iss": other_pool}),
        "alg none": _unsigned(claims),
        "HS256 forged": _hs256(claims, _public_key_pem()),
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _rs256(claims: dict[str, Any]) -> str:
    """Signed with moto's own Cognito key (shipped with moto), as moto's tokens are."""
    packaged = Path(moto.__file__).parent / "cognitoidp/resources/jwks-private.json.gz"
    key = jwt.PyJWK(json.loads(gzip.decompress(packaged.read_bytes())), algorithm="RS256")
    return jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": "dummy"})


def _unsigned(claims: dict[str, Any]) -> str:
    header = _b64(json.dumps({"alg": "none", "kid": "dummy", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}."


def _hs256(claims: dict[str, Any], secret: bytes) -> str:
    """The classic key confusion: HMAC keyed with the public key a verifier already holds."""
    header = _b64(json.dumps({"alg": "HS256", "kid": "dummy", "typ": "JWT"}).encode())
    signing_input = f"{header}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _public_key_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization

    packaged = Path(moto.__file__).parent / "cognitoidp/resources/jwks-public.json.gz"
    document = json.loads(gzip.decompress(packaged.read_bytes()))
    key = jwt.PyJWK(document["keys"][0], algorithm="RS256").key
    return bytes(
        key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as test_client:
        yield test_client


def declared_routes() -> list[str]:
    return [f"{spec.method} {spec.path}" for spec in ENDPOINTS]


def test_every_declared_route_has_a_row() -> None:
    missing = [route for route in declared_routes() if route not in EXPECTED]
    stale = [route for route in EXPECTED if route not in declared_routes()]

    assert not missing, f"add a row to EXPECTED for each new route: {missing}"
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_every_route_answers_every_caller_as_the_table_says(
    world: World, client: Client, collective: Collective
) -> None:
    moto_state = MotoSnapshot(REGION)
    moto_state.save()
    start = world.clock.now()
    wrong: list[str] = []
    cells = 0
    for route in declared_routes():
        method, template = route.split(" ", 1)
        ids = collective.ids | {k: collective.ids[v] for k, v in ROUTE_IDS.get(route, {}).items()}
        path = re.sub(r"{(\w+)}", lambda m, ids=ids: ids[m.group(1)], template)
        path += QUERIES.get(route, "").format(**ids)
        for caller, expected in EXPECTED.get(route, {}).items():
            token = collective.tokens[caller]
            headers = {"Content-Type": CONTENT_TYPES.get(route, "application/json")}
            if token is not None:
                headers["Authorization"] = f"Bearer {token}"
            raw = BODIES.get(route)
            body = raw if isinstance(raw, bytes) else json.dumps(raw) if route in BODIES else None
            status = client.http.request(method, path, body=body, headers=headers).status_code
            cells += 1
            if status != expected:
                wrong.append(f"{route} as {caller}: {status}, expected {expected}")
            if status < 300:  # it changed something: the next cell starts from the same state
                moto_state.restore()
                world.clock.set(start)

    summary.add("authorization cells checked", cells)
    assert not wrong, "\n".join(wrong)
