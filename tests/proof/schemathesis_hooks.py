"""Schemathesis hooks for test_schemathesis.py (loaded through SCHEMATHESIS_HOOKS).

A few requests are well formed by the schema and still refused, rightly, for reasons a JSON
schema cannot say; each is handled here with its reason:

- `cursor` is opaque: only the `next` of a page the API handed out is one (any other is a 400
  naming the cursor), so it is left out of the generated requests;
- `/ledger/export`: `to` must not be before `from` and the range is at most 400 days (a 400
  naming `to`), a rule between two fields;
- meetings: a meeting ends after it starts (a 400 naming `ends_at`), a rule between two fields;
  a local time in the hour the clocks skip in March, or 29 February of a year that has none,
  does not exist (a 400 naming `starts_at` or `ends_at`);
- `/unsubscribe`: only a token the platform signed is one (a 400 naming `token`);
- `/jobs/digest`: week 53 exists in some years only (a 400 naming `week`);
- a conversation is held on a day that has come (a 400 naming `held_on`): "today" moves, so
  a schema cannot give the maximum;
- disciplines and sectors: a typed one that names no known one must be a word that can be one
  (not "de", "x"): a 400 with the code `not_a_discipline` or `not_a_sector`;
- an IBAN of the right shape must also have check digits that hold (mod 97) and the length
  of its country: a 400 naming `iban`;
- `/bank/statements` takes a file: a string is well formed by the schema, and only a readable
  camt.053 of the collective's account is a statement (a 400 with a `statement_...` code).
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis


@schemathesis.hook
def before_load_schema(ctx: Any, raw_schema: dict[str, Any]) -> None:
    for operations in raw_schema.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            operation["parameters"] = [p for p in parameters if p.get("name") != "cursor"]


# The field each path's refusal names when it refuses for one of the reasons above.
REFUSED_FOR_A_REASON = {
    "/ledger/export": "to",
    "/meetings": "starts_at ends_at",
    "/meetings/{meeting_id}": "starts_at ends_at",
    "/unsubscribe": "token",
    "/jobs/digest": "week",
    "/opportunities/{opportunity_id}/conversations": "held_on",
    "/members/me/bank-account": "iban",
}


# A typed discipline or sector that names no known one must be a word that can be one: not
# of one or two letters, not a common word ("de", "the"); a schema cannot list those words.
NOT_A_TERM = {"not_a_discipline", "not_a_sector"}


@schemathesis.hook
def filter_failure(ctx: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keeps every failure but the refusals above, each naming its one field."""
    if case.operation.path == "/bank/statements" and response.status_code == 400:
        code = json.loads(response.content or b"{}").get("error", "")
        if str(code).startswith("statement_"):
            return False
    if response.status_code == 400:
        problems = json.loads(response.content or b"{}").get("fields", [])
        if problems and all(p.get("code") in NOT_A_TERM for p in problems):
            return False
    named = REFUSED_FOR_A_REASON.get(case.operation.path)
    if named is None or response.status_code != 400:
        return True
    fields = [f["field"] for f in json.loads(response.content or b"{}").get("fields", [])]
    if case.operation.path == "/jobs/digest" and "-W53" not in str(case.query):
        return True
    return not fields or not set(fields) <= set(named.split())
