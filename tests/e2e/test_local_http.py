"""The local runtime (`make run`) driven over real HTTP, as a client developer would."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from devtools.runtime_process import RuntimeProcess

PASSWORD = "Fresh-pass-1!"


class Runtime(RuntimeProcess):
    """`python -m devtools.local_runtime` in a subprocess on free ports, with its own state;
    calls in the shape these tests want."""

    def cognito(self) -> Any:
        return boto3.session.Session().client(
            "cognito-idp",
            region_name=self.info["region"],
            endpoint_url=self.info["aws_endpoint_url"],
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    def login(self, email: str, password: str) -> str:
        return self.token(email, password)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    running = Runtime(tmp_path_factory.mktemp("local"))
    running.start()
    try:
        yield running
    finally:
        if running.process and running.process.poll() is None:
            running.stop()


def admin_token(runtime: Runtime) -> str:
    admin = next(u for u in runtime.info["users"] if u["role"] == "admin")
    return runtime.login(admin["email"], admin["password"])


def test_membership_flow_survives_a_restart(runtime: Runtime) -> None:
    admin = admin_token(runtime)
    application = {
        "name": "Fleur Mulder",
        "email": "fleur@example.nl",
        "disciplines": ["legal"],
        "years_experience": 15,
    }
    status, created = runtime.call("POST", "/applications", application)
    assert status == 201
    status, member = runtime.call("POST", f"/applications/{created['id']}/approve", token=admin)
    assert (status, member["status"]) == (200, "active")
    # The invitation mail is not delivered locally: set the password the member would choose.
    runtime.cognito().admin_set_user_password(
        UserPoolId=runtime.info["user_pool_id"],
        Username="fleur@example.nl",
        Password=PASSWORD,
        Permanent=True,
    )
    fleur = runtime.login("fleur@example.nl", PASSWORD)
    assert runtime.call("GET", "/members/me/statement", token=fleur)[1]["owed_cents"] == 10000

    payment = {"amount_cents": 10000, "received_on": "2026-05-01", "reference": "NL91-0001"}
    status, _ = runtime.call("POST", f"/members/{member['id']}/payments", payment, admin)
    assert status == 201
    assert runtime.call("GET", "/members/me/statement", token=fleur)[1]["owed_cents"] == 0

    assert runtime.stop() == 0
    runtime.start()

    fleur = runtime.login("fleur@example.nl", PASSWORD)
    status, statement = runtime.call("GET", "/members/me/statement", token=fleur)
    assert (status, statement["owed_cents"]) == (200, 0)
    assert len(runtime.info["users"]) == 6  # the demo data was not seeded twice
    status, page = runtime.call("GET", "/members?limit=200", token=fleur)
    assert sorted(m["name"] for m in page["items"]).count("Ton de Vries") == 1


def awarded_assignment(runtime: Runtime, tier: str) -> tuple[str, str, str]:
    """Patrick's opportunity, awarded to Mieke: (assignment id, Patrick's and Mieke's tokens)."""
    users = {u["email"]: u for u in runtime.info["users"]}
    patrick, mieke = users["patrick.bakker@example.nl"], users["mieke.jansen@example.nl"]
    patrick_token = runtime.login(patrick["email"], patrick["password"])
    mieke_token = runtime.login(mieke["email"], mieke["password"])
    opportunity = {"title": "Grid study", "description": "d", "disciplines": ["data-engineering"]}
    _, posted = runtime.call("POST", "/opportunities", opportunity, patrick_token)
    runtime.call("POST", f"/opportunities/{posted['id']}/interest", {}, mieke_token)
    _, assignment = runtime.call(
        "POST",
        f"/opportunities/{posted['id']}/assignment",
        {"contribution": tier, "starts_on": "2026-06-01"},
        mieke_token,
    )
    return assignment["id"], patrick_token, mieke_token


def test_twenty_simultaneous_reports_never_pass_the_cap(runtime: Runtime) -> None:
    assignment_id, patrick_token, mieke_token = awarded_assignment(runtime, "small")
    path = f"/assignments/{assignment_id}/revenue"
    results: list[tuple[int, Any]] = []

    def report(n: int) -> None:
        # invoice INV-0 is sent twice: it must be booked once
        body = {
            "amount_cents": 500_000,
            "invoice_ref": f"INV-{n % 19}",
            "invoiced_on": "2026-07-01",
        }
        results.append(runtime.call("POST", path, body, mieke_token))

    threads = [threading.Thread(target=report, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(status == 201 for status, _ in results), results
    _, final = runtime.call("GET", f"/assignments/{assignment_id}", token=patrick_token)
    assert final["cumulative_fee_cents"] == 500_000  # the cap of 'small'
    assert final["cumulative_revenue_cents"] == 19 * 500_000
    assert len(final["reports"]) == 19
    assert sum(r["fee_cents"] for r in final["reports"]) == 500_000


def test_time_travel_dues_and_distribution_walk_through(runtime: Runtime) -> None:
    """COOP_NOW: earn coins and pot money in 2026, restart in 2027, run dues and the pot."""
    users = {u["email"]: u for u in runtime.info["users"]}
    admin = admin_token(runtime)
    sanne = users["sanne.visser@example.nl"]
    claim = {"activity": "publicity", "description": "Podcast about the collective"}
    sanne_token = runtime.login(sanne["email"], sanne["password"])
    _, filed = runtime.call("POST", "/coins/claims", claim, sanne_token)
    assert (
        runtime.call("POST", f"/coins/claims/{filed['id']}/approve", {"coins": 5}, admin)[0] == 200
    )
    assignment_id, _, mieke_token = awarded_assignment(runtime, "large")
    revenue = {"amount_cents": 1_000_000, "invoice_ref": "INV-TT", "invoiced_on": "2026-11-01"}
    path = f"/assignments/{assignment_id}/revenue"
    assert runtime.call("POST", path, revenue, mieke_token)[0] == 201  # 37500 into the pot
    _, pot_before = runtime.call("GET", "/pots/2026", token=admin)
    assert pot_before["balance_cents"] >= 37500
    _, before = runtime.call("GET", f"/members/{sanne['member_id']}/statement", token=admin)

    assert runtime.stop() == 0
    runtime.start(coop_now="2027-01-02T09:00:00+01:00")
    admin = admin_token(runtime)

    status, dues = runtime.call("POST", "/jobs/dues/2027-Q1", token=admin)
    assert (status, dues["complete"], dues["failed"]) == (200, True, 0)
    assert dues["charged"] == dues["members_seen"] > 0
    status, run = runtime.call("POST", "/jobs/distributions/2026", token=admin)
    assert status == 200
    [year] = run["years"]
    assert (year["year"], year["complete"]) == (2026, True)
    _, after = runtime.call("GET", f"/members/{sanne['member_id']}/statement", token=admin)
    _, distribution = runtime.call("GET", "/distributions/2026", token=admin)
    share = next(p for p in distribution["payouts"] if p["member_id"] == sanne["member_id"])
    assert after["owed_cents"] == before["owed_cents"] + 5000  # the 2027-Q1 dues
    assert after["to_receive_cents"] == before["to_receive_cents"] + share["amount_cents"]
    assert sum(p["amount_cents"] for p in distribution["payouts"]) == pot_before["balance_cents"]


def raw_status(runtime: Runtime, method: str, target: str) -> tuple[int, Any]:
    """Sends a request with any method over a plain connection: (status, JSON body)."""
    host, port = runtime.info["api_url"].removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, target, headers={"Content-Length": "0"})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


@pytest.mark.parametrize("method", ["TRACE", "BREW", "M-SEARCH"])
def test_any_method_reaches_the_app_as_behind_api_gateway(runtime: Runtime, method: str) -> None:
    # When a method no route declares is sent to a route
    status, body = raw_status(runtime, method, "/health")
    # Then the app answers it (405, JSON), not the local HTTP server (501, HTML)
    assert status == 405
    assert isinstance(body, dict)


def test_connect_and_unknown_paths_are_answered_by_the_gateway_path_too(runtime: Runtime) -> None:
    for method, target in [("CONNECT", "127.0.0.1:1"), ("TRACE", "/no/such/path")]:
        status, body = raw_status(runtime, method, target)
        assert status in (403, 404), (method, status)
        assert isinstance(body, dict)
