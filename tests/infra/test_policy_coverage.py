"""The functions' policies allow what their code really calls: a year of the collective is
run through the API and every schedule while every AWS call is recorded, and each call
(action and resource, transactions item by item) must be granted by that function's
policy in infra/policies/, and every statement of a policy must be used by some call. A new
call a policy lacks fails here, not in production. (Grants are per table read or
read-write: the few actions of one kind a job does not happen to use stay in its set.)

Every function of app.py runs: the routes, every schedule as EventBridge fires it, and the
intake handler as SNS calls it with a mail SES stored. Signed download links make no AWS call
when they are made (the member's GET uses the signing role's grant later), so the recorder
counts the signing of a link as the call it authorises.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import botocore.client
import botocore.signers
import pytest
from botocore.exceptions import ClientError
from chalice.test import Client

from app import app
from chalicelib import jobs
from chalicelib.services import dues as dues_module
from infra import ids
from infra.agreement import app_triggers
from infra.policies import Function, grants, statements_for
from infra.stack.mail import ATTACHMENTS_PREFIX, RAW_PREFIX
from infra.stages import STAGES
from tests.conftest import ROOT, SENDER, TABLE, World
from tests.intake_helpers import BUCKET, corpus, make_bucket, notification

TABLES = {TABLE: ids.MAIN_TABLE, f"{TABLE}-ledger": ids.LEDGER_TABLE}
SCHEDULES = [name for name, (kind, _) in app_triggers(app).items() if kind == "Schedule"]
HANDLERS = {"intake_mail"}  # run by the scenario below with the events they get
assert set(app_triggers(app)) - set(SCHEDULES) == HANDLERS, "add the new handler's scenario"
S3_PREFIXES = (RAW_PREFIX, ATTACHMENTS_PREFIX)
# HeadObject and a signed GET need the object's read permission.
S3_ACTIONS = {"HeadObject": "GetObject", "GetObject": "GetObject", "PutObject": "PutObject"}
TRANSACT_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


@dataclass(frozen=True)
class Call:
    action: str  # IAM action
    target: str  # what the policy's Resource must name, symbolically
    source: str | None = None  # the sender of a mail


@dataclass
class Recorder:
    function: str | None = None
    calls: dict[str, set[Call]] = field(default_factory=dict)
    refuse_mail: bool = False  # SES throttles: mail waits for a retry (the outbox's)

    def record(self, service: str, operation: str, params: dict[str, Any]) -> None:
        if self.function is not None:
            self.calls.setdefault(self.function, set()).update(calls_of(service, operation, params))

    @contextmanager
    def running(self, function: str) -> Iterator[None]:
        self.function = function
        try:
            yield
        finally:
            self.function = None


def table_target(params: dict[str, Any]) -> str:
    table = TABLES[params["TableName"]]
    return f"{table}/index" if "IndexName" in params else table


def calls_of(service: str, operation: str, params: dict[str, Any]) -> list[Call]:
    if service == "dynamodb" and operation == "TransactWriteItems":
        return [
            Call(f"dynamodb:{TRANSACT_ACTIONS[kind]}", table_target(body))
            for item in params["TransactItems"]
            for kind, body in item.items()
        ]
    if service == "dynamodb" and operation == "BatchGetItem":
        return [Call("dynamodb:BatchGetItem", TABLES[name]) for name in params["RequestItems"]]
    if service == "dynamodb":
        return [Call(f"dynamodb:{operation}", table_target(params))]
    if service == "ses":
        return [Call(f"ses:{operation}", "ses-identity", params.get("Source"))]
    if service == "cognito-idp":
        return [Call(f"cognito-idp:{operation}", ids.USER_POOL)]
    if service == "lambda" and operation == "Invoke":
        name = params["FunctionName"].rsplit(":function:", 1)[1]
        return [Call("lambda:InvokeFunction", f"function:{name}")]
    if service == "s3" and operation in S3_ACTIONS and params.get("Bucket") == BUCKET:
        return [Call(f"s3:{S3_ACTIONS[operation]}", object_target(params["Key"]))]
    return [Call(f"{service}:{operation}", "?")]


def object_target(key: str) -> str:
    """An object of the intake bucket as the policy names it: its prefix with a wildcard."""
    prefix = next((p for p in S3_PREFIXES if key.startswith(p)), key)
    return f"${{{ids.INTAKE_BUCKET}.Arn}}/{prefix}*"


def targets(resource: Any) -> str:
    """The symbolic target a policy Resource names (see infra/policies/grants.py)."""
    if "Fn::GetAtt" in resource:
        return str(resource["Fn::GetAtt"][0])
    text = str(resource["Fn::Sub"])
    if text.endswith("/index/*"):
        return text.split(".Arn", 1)[0].removeprefix("${") + "/index"
    if ":ses:" in text and text.endswith(":identity/*"):
        return "ses-identity"
    if ":function:" in text:
        return "function:" + text.rsplit(":function:", 1)[1]
    return text


def allows(statements: list[dict[str, Any]], call: Call) -> bool:
    for statement in statements:
        actions = statement["Action"]
        actions = actions if isinstance(actions, list) else [actions]
        resources = statement["Resource"]
        resources = resources if isinstance(resources, list) else [resources]
        if call.action not in actions or call.target not in {targets(r) for r in resources}:
            continue
        if call.source is not None:
            wanted = statement.get("Condition", {}).get("StringEquals", {})
            if wanted.get("ses:FromAddress") != {"Ref": ids.P_MAIL_FROM} or call.source != SENDER:
                continue
        return True
    return False


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recording = Recorder()
    make_api_call = botocore.client.BaseClient._make_api_call

    def recorded(client: Any, operation: str, params: dict[str, Any]) -> Any:
        service = client.meta.service_model.service_name
        recording.record(service, operation, params)
        if service == "lambda":  # a job continuing itself: nothing to invoke here
            return {"StatusCode": 202}
        if service == "ses" and recording.refuse_mail:
            raise ClientError({"Error": {"Code": "Throttling", "Message": "test"}}, operation)
        return make_api_call(client, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", recorded)
    presign = botocore.signers.RequestSigner.generate_presigned_url

    def signed(signer: Any, request_dict: dict[str, Any], operation_name: str, **kw: Any) -> Any:
        url = urlsplit(str(request_dict["url"]))
        path = unquote(url.path).removeprefix("/")
        if url.hostname and url.hostname.startswith(f"{BUCKET}."):  # virtual-hosted style
            bucket, key = BUCKET, path
        else:
            bucket, key = path.split("/", 1)
        recording.record("s3", operation_name, {"Bucket": bucket, "Key": key})
        return presign(signer, request_dict, operation_name, **kw)

    monkeypatch.setattr(botocore.signers.RequestSigner, "generate_presigned_url", signed)
    return recording


class Api:
    """Calls as the people of the world (their tokens fetched before anything is recorded)."""

    def __init__(self, world: World, client: Client, people: tuple[str, ...]) -> None:
        self.client = client
        self.tokens = {who: world.headers(f"{who}@example.nl") for who in people}

    def __call__(self, who: str, method: str, path: str, body: Any = None) -> Any:
        headers = {"Content-Type": "application/json"} | self.tokens.get(who, {})
        response = self.client.http.request(
            method, path, body=None if body is None else json.dumps(body), headers=headers
        )
        assert response.status_code < 300, (method, path, response.body)
        if response.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(response.body)
        return response.body  # the ledger export is CSV


def a_year_through_the_api(world: World, client: Client, recorder: Recorder) -> tuple[Api, str]:
    """Most routes, as the people of a small collective use them in 2026; answers the API
    and the assignment."""
    make_bucket()
    world.member("Ton", "ton@example.nl", admin=True)
    disciplines = ["data-engineering", "software-development"]  # the mailed-in one matches
    people = {
        "patrick": world.member("Patrick", "patrick@example.nl"),
        "mieke": world.member("Mieke", "mieke@example.nl", disciplines=disciplines),
    }
    api = Api(world, client, ("ton", "patrick", "mieke"))
    mailed_in = a_mail_with_attachments_arrives(client, recorder)
    with recorder.running("api_handler"):
        api("ton", "GET", "/intake")
        api("mieke", "GET", f"/opportunities/{mailed_in}/attachments/1")
        applied = api(
            "",
            "POST",
            "/applications",
            {
                "name": "Fleur",
                "email": "fleur@example.nl",
                "disciplines": ["legal"],
                "years_experience": 9,
                "referred_by_email": "patrick@example.nl",
            },
        )
        api("ton", "POST", f"/applications/{applied['id']}/approve")
        payment = {"amount_cents": 10000, "received_on": "2026-05-04", "reference": "NL-1"}
        api("ton", "POST", f"/members/{people['mieke']}/payments", payment)
        opportunity = api(
            "patrick",
            "POST",
            "/opportunities",
            {
                "title": "Architect",
                "description": "Six months",
                "disciplines": ["software-development"],
            },
        )
        path = f"/opportunities/{opportunity['id']}"
        api("mieke", "POST", f"{path}/interest", {"note": "Did this before"})
        api(
            "patrick",
            "POST",
            f"{path}/conversations",
            {"member_id": people["mieke"], "held_on": "2026-05-04"},
        )
        assignment = api(
            "mieke",
            "POST",
            f"{path}/assignment",
            {"contribution": "small", "starts_on": "2026-06-01"},
        )
        api(
            "mieke",
            "POST",
            f"/assignments/{assignment['id']}/revenue",
            {"amount_cents": 2000000, "invoice_ref": "F-1", "invoiced_on": "2026-06-30"},
        )
        payout = {"amount_cents": 1000, "received_on": "2026-07-01", "reference": "NL-2"}
        api("ton", "POST", f"/members/{people['patrick']}/payouts", payout)
        claim = api(
            "mieke", "POST", "/coins/claims", {"activity": "publicity", "description": "A talk"}
        )
        api("ton", "POST", f"/coins/claims/{claim['id']}/approve", {"coins": 5})
        api("mieke", "PATCH", "/members/me", {"headline": "Data", "notify_opportunities": True})
        meetings_through_the_api(world, api)
        for path in (
            "/members/me/statement",
            "/members",
            "/opportunities",
            "/pots/2026",
            "/admin/receivables",
            "/ledger/export?from=2026-05-01&to=2026-07-31",
        ):
            api("ton", "GET", path) if path.startswith(("/admin", "/ledger")) else api(
                "mieke", "GET", path
            )
        world.clock.set(datetime(2026, 7, 2, 9, tzinfo=UTC))
        api("ton", "POST", "/jobs/dues/2026-Q3")
        api("ton", "POST", "/jobs/announcements")
        world.clock.set(datetime(2026, 9, 2, 9, tzinfo=UTC))
        api("ton", "POST", "/jobs/reminders")
        api("patrick", "POST", "/members/me/cancel")
        world.clock.set(datetime(2027, 1, 1, 9, tzinfo=UTC))
        api("ton", "POST", "/jobs/distributions/2026")
    return api, assignment["id"]


def a_mail_with_attachments_arrives(client: Client, recorder: Recorder) -> str:
    """As SES delivers it: the raw mail in S3, then the SNS message. Answers the opportunity."""
    message = notification(corpus("attachments.eml"), "ses-attachments")
    event = client.events.generate_sns_event(message=message, subject="Amazon SES Email Receipt")
    with recorder.running("intake_mail"):
        outcome = client.lambda_.invoke("intake_mail", event).payload
    assert outcome["status"] == "accepted", outcome
    return str(outcome["opportunity_id"])


def meetings_through_the_api(world: World, api: Api) -> None:
    """In the middle of the quarter the board hears that the next one has no meeting (the
    admins are looked up in Cognito); then a meeting is planned and a member signs up."""
    world.clock.set(datetime(2026, 5, 20, 9, tzinfo=UTC))
    warning = api("ton", "POST", "/jobs/meeting-warning")
    assert warning["mailed"] >= 1, warning
    meeting = api("ton", "POST", "/meetings", MEETING)
    api("mieke", "POST", f"/meetings/{meeting['id']}/registration", {"pitch": "Data"})
    api("ton", "POST", "/jobs/meeting-news")
    api("mieke", "GET", "/members/me/calendar")


MEETING = {
    "title": "Personal branding",
    "theme": "Portraits",
    "starts_at": "2026-06-18T18:00:00",
    "ends_at": "2026-06-18T21:30:00",
    "venue": "Pakhuis de Zwijger",
    "address": "Piet Heinkade 179",
    "city": "Amsterdam",
    "capacity": 20,
    "description": "A photographer takes everyone's portrait.",
}


def scheduled(client: Client, detail: dict[str, Any] | None = None) -> Any:
    return client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail=detail or {}, resources=["r"]
    )


@dataclass
class Context:
    """A Lambda context whose time runs out after the first look: the job must continue."""

    invoked_function_arn: str
    looks: int = 0

    def get_remaining_time_in_millis(self) -> int:
        self.looks += 1
        return 900_000 if self.looks == 1 else 0


def continued(name: str, run: Any, recorder: Recorder) -> None:
    context = Context(f"arn:aws:lambda:eu-west-1:123456789012:function:coop-dev-{name}")
    with recorder.running(name):
        run({}, jobs.remaining_ms_of(context), jobs.lambda_continuation(context))


def award_coins(world: World, email: str, coins: int) -> None:
    member_id = world.services.members_store.member_id_for_email(email)
    assert member_id is not None
    claim = world.services.coins.file_claim(member_id, "publicity", "blog", None)
    world.services.coins.approve(claim.id, coins, "admin")


def the_schedules(
    world: World, client: Client, recorder: Recorder, api: Api, assignment: str
) -> None:
    """Every schedule as EventBridge fires it, and the jobs that continue themselves."""
    world.clock.set(datetime(2027, 2, 10, 9, tzinfo=UTC))
    revenue = {"amount_cents": 100000, "invoice_ref": "F-2", "invoiced_on": "2027-02-10"}
    api("mieke", "POST", f"/assignments/{assignment}/revenue", revenue)  # the 2027 pot
    anna = world.member("Anna", "anna@example.nl")
    world.services.membership.update_profile(
        anna, {"notify_opportunities": True, "opportunity_mail": "weekly"}
    )  # for the weekly digest
    opportunity = {"title": "Tester", "description": "Now", "disciplines": ["software-development"]}
    api("ton", "POST", "/opportunities", opportunity)  # to be announced by the schedule
    # news to mail, and a reminder due two days before it; nothing planned for Q2 (a warning)
    meeting = MEETING | {"starts_at": "2027-02-17T18:00:00", "ends_at": "2027-02-17T21:00:00"}
    planned = api("ton", "POST", "/meetings", meeting)
    api("mieke", "POST", f"/meetings/{planned['id']}/registration", {})
    award_coins(world, "anna@example.nl", 4)
    award_coins(world, "mieke@example.nl", 6)
    world.clock.set(datetime(2027, 2, 16, 9, tzinfo=UTC))  # past the middle of 2027-Q1
    for refused in (True, False):  # SES refuses first: mail is retried by whatever retries it
        recorder.refuse_mail = refused
        for name in SCHEDULES:  # pot_distribution finds nothing yet: 2026 is done, 2027 is on
            with recorder.running(name):
                client.lambda_.invoke(name, scheduled(client))
        world.clock.set(datetime(2027, 2, 16, 10, tzinfo=UTC))
    world.clock.set(datetime(2028, 1, 1, 0, 30, tzinfo=UTC))
    continued("quarterly_dues", jobs.run_dues, recorder)
    continued("pot_distribution", jobs.run_distribution, recorder)
    with recorder.running("pot_distribution"):
        client.lambda_.invoke("pot_distribution", scheduled(client))


def test_every_function_is_granted_what_it_calls_and_every_grant_is_used(
    world: World, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dues_module, "PAGE_SIZE", 2)  # so the dues run continues itself
    with Client(app, stage_name="local", project_dir=str(ROOT)) as client:
        api, assignment = a_year_through_the_api(world, client, recorder)
        the_schedules(world, client, recorder, api, assignment)
    stage = STAGES["dev"]
    assert set(recorder.calls) == {"api_handler", *SCHEDULES, *HANDLERS}, "a function did not run"
    missing = {
        name: sorted(
            f"{c.action} on {c.target}"
            for c in calls
            if not allows(statements_for(Function(name, stage)), c)
        )
        for name, calls in recorder.calls.items()
    }
    assert missing == {name: [] for name in recorder.calls}, missing
    unused = {
        name: sorted(
            statement["Sid"]
            for statement in statements_for(Function(name, stage))
            if not any(allows([statement], call) for call in calls)
        )
        for name, calls in recorder.calls.items()
    }
    assert unused == {name: [] for name in recorder.calls}, f"grants nothing uses: {unused}"


def test_the_recording_sees_the_calls_that_matter(world: World, recorder: Recorder) -> None:
    with Client(app, stage_name="local", project_dir=str(ROOT)) as client:
        a_year_through_the_api(world, client, recorder)
    api = recorder.calls["api_handler"]
    assert Call("cognito-idp:AdminCreateUser", ids.USER_POOL) in api  # approval invites
    assert Call("dynamodb:PutItem", ids.LEDGER_TABLE) in api  # bookings, item by item
    assert {c.action for c in api} & {"ses:SendEmail", "ses:SendRawEmail"}  # mails


def test_a_policy_without_a_needed_grant_is_caught() -> None:
    lacking = [grants.main_table(write=False)]
    assert not allows(lacking, Call("dynamodb:PutItem", ids.MAIN_TABLE))
    assert not allows(lacking, Call("dynamodb:Query", ids.LEDGER_TABLE))
    assert allows(lacking, Call("dynamodb:Query", f"{ids.MAIN_TABLE}/index"))
    assert not allows([grants.send_mail()], Call("ses:SendEmail", "ses-identity", "x@y.nl"))
