"""The treasurer's views over HTTP: totals and counts on who owes what and whom the collective
pays, searching them by name or payment reference, and a member's page (history,
assignments, finding any member)."""

from __future__ import annotations

from urllib.parse import quote

from tests.api import test_webapp_additions as shared
from tests.api.test_webapp_additions import People, awarded

client = shared.client  # the same fixtures: a test client and Ton (admin), Patrick, Mieke
people = shared.people

REGISTRATION_AND_DUES = 10_000  # what a member owes the moment they are admitted


def spaced(reference: str) -> str:
    """A reference as a bank statement line writes it: upper case, in groups of four."""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4)).upper()


def test_receivables_answer_the_total_and_count_of_the_whole_list(people: People) -> None:
    status, first = people.call("ton", "GET", "/admin/receivables?sort=amount&limit=2")
    assert status == 200
    assert (first["count"], first["total_cents"]) == (3, 3 * REGISTRATION_AND_DUES)
    assert len(first["items"]) == 2 and first["next"]
    _, rest = people.call(
        "ton", "GET", f"/admin/receivables?sort=amount&limit=2&cursor={first['next']}"
    )
    assert (rest["count"], rest["total_cents"], len(rest["items"])) == (3, 30_000, 1)

    payment = {"amount_cents": 4_000, "received_on": "2026-07-01", "reference": "NL-BANK-1"}
    assert people.call("ton", "POST", f"/members/{people.ids['mieke']}/payments", payment)[0] == 201
    _, after = people.call("ton", "GET", "/admin/receivables")
    assert (after["count"], after["total_cents"]) == (3, 26_000)


def test_receivables_are_found_by_name_or_by_the_reference_as_a_bank_writes_it(
    people: People,
) -> None:
    _, by_name = people.call("ton", "GET", "/admin/receivables?q=mie")
    assert [r["name"] for r in by_name["items"]] == ["Mieke"]
    assert (by_name["count"], by_name["total_cents"]) == (1, REGISTRATION_AND_DUES)

    reference = spaced(people.ids["patrick"])
    _, by_reference = people.call("ton", "GET", f"/admin/receivables?q={quote(reference)}")
    assert [r["name"] for r in by_reference["items"]] == ["Patrick"]

    _, nobody = people.call("ton", "GET", "/admin/receivables?q=Jansen")
    assert (nobody["items"], nobody["count"], nobody["total_cents"]) == ([], 0, 0)


def test_payables_answer_total_and_count_and_are_found_by_name(people: People) -> None:
    _, assignment_id = awarded(people)
    revenue = {"amount_cents": 2_000_000, "invoice_ref": "INV-1", "invoiced_on": "2026-07-01"}
    people.call("mieke", "POST", f"/assignments/{assignment_id}/revenue", revenue)

    _, payables = people.call("ton", "GET", "/admin/payables")
    assert (payables["count"], payables["total_cents"]) == (1, 150_000)
    _, found = people.call("ton", "GET", "/admin/payables?q=PATRICK")
    assert [p["name"] for p in found["items"]] == ["Patrick"]
    _, none = people.call("ton", "GET", "/admin/payables?q=mieke")
    assert (none["items"], none["count"], none["total_cents"]) == ([], 0, 0)


def test_a_members_history_names_application_admission_payments_and_cancellation(
    people: People,
) -> None:
    mieke = people.ids["mieke"]
    payment = {"amount_cents": 10_000, "received_on": "2026-07-01", "reference": "NL-BANK-7"}
    people.call("ton", "POST", f"/members/{mieke}/payments", payment)
    people.call("mieke", "POST", "/members/me/cancel")

    status, history = people.call("ton", "GET", f"/members/{mieke}/history")
    assert status == 200
    kinds = [e["kind"] for e in history["events"]]
    assert set(kinds) == {"applied", "admitted", "payment", "cancelled"}
    assert kinds.index("applied") > kinds.index("admitted")  # newest first
    paid = next(e for e in history["events"] if e["kind"] == "payment")
    assert (paid["amount_cents"], paid["reference"], paid["by"]) == (
        10_000,
        "NL-BANK-7",
        people.ids["ton"],
    )
    assert people.call("patrick", "GET", f"/members/{mieke}/history")[0] == 403
    assert people.call("ton", "GET", "/members/nobody/history")[0] == 404


def test_the_treasurer_sees_a_members_assignments_to_report_for_them(people: People) -> None:
    _, assignment_id = awarded(people)
    mieke = people.ids["mieke"]
    status, page = people.call("ton", "GET", f"/members/{mieke}/assignments")
    assert status == 200
    assert [a["id"] for a in page["items"]] == [assignment_id]
    revenue = {"amount_cents": 100_000, "invoice_ref": "2026 017", "invoiced_on": "2026-07-01"}
    assert people.call("ton", "POST", f"/assignments/{assignment_id}/revenue", revenue)[0] == 201
    _, page = people.call("ton", "GET", f"/members/{mieke}/assignments")
    assert page["items"][0]["cumulative_revenue_cents"] == 100_000
    assert people.call("ton", "GET", "/members/nobody/assignments")[0] == 404


def test_any_member_is_found_by_name_email_or_reference(people: People) -> None:
    _, found = people.call("ton", "GET", "/admin/members?q=patrick%40example")
    assert [m["name"] for m in found["items"]] == ["Patrick"]
    _, found = people.call("ton", "GET", f"/admin/members?q={quote(spaced(people.ids['mieke']))}")
    assert [m["name"] for m in found["items"]] == ["Mieke"]
    people.call("mieke", "POST", "/members/me/cancel")
    _, cancelled = people.call("ton", "GET", "/admin/members?status=cancelled&q=mieke")
    assert [(m["name"], m["status"]) for m in cancelled["items"]] == [("Mieke", "cancelled")]
    assert people.call("patrick", "GET", "/admin/members")[0] == 403
