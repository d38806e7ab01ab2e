"""The one place that turns errors into HTTP answers.

Every error answers `{error, message, fields[{field, code, message}]}`: `error` and each
`code` are stable machine words; `message` and each field's `message` are rendered in the
caller's language from chalicelib/i18n/errors.py (no patterns, cents or ids in them).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError
from chalice.app import Response

from chalicelib.domain import errors
from chalicelib.domain.errors import Cents, FieldProblem
from chalicelib.i18n import errors as texts
from chalicelib.i18n import joined

if TYPE_CHECKING:
    from pydantic import ValidationError

log = logging.getLogger("coop.api")

# AWS answers that say "not now" rather than "never": the request may be sent again as it was.
TRANSIENT_AWS_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "TransactionInProgressException",
        "InternalServerError",
        "InternalFailure",
        "ServiceUnavailable",
    }
)
RETRY_AFTER_S = 1

STATUS_BY_ERROR: dict[type[errors.DomainError], int] = {
    errors.InvalidInput: 400,
    errors.Unauthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
}


def json_response(status: int, payload: object, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def error_response(
    status: int,
    code: str,
    message: str,
    fields: list[dict[str, str]] | None = None,
    language: str = "nl",
) -> Response:
    payload: dict[str, object] = {"error": code, "message": message, "fields": fields or []}
    headers = {"Content-Language": language}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return json_response(status, payload, headers)


def rendered(
    status: int,
    code: str,
    language: str,
    params: Mapping[str, Any] | None = None,
    problems: Iterable[FieldProblem] = (),
) -> Response:
    """An error answer with its message (and each field's) in `language`."""
    fields = [
        {
            "field": p.field,
            "code": p.code,
            "message": texts.render_field(p.field, p.code, language, p.params),
        }
        for p in problems
    ]
    values = dict(params or {})
    if fields and "fields" not in values:
        values["fields"] = _field_labels(fields, language)
    message = texts.render(code, language, values, status)
    return error_response(status, code, message, fields, "en" if language == "en" else "nl")


def _field_labels(fields: list[dict[str, str]], language: str) -> str:
    labels: list[str] = []
    for f in fields:
        name = texts.label(f["field"], language)
        if name not in labels:
            labels.append(name)
    return joined(labels, "en" if language == "en" else "nl")


def status_of(error: errors.DomainError) -> int:
    return next((code for kind, code in STATUS_BY_ERROR.items() if isinstance(error, kind)), 400)


def from_domain(error: errors.DomainError, language: str = "nl") -> Response:
    return rendered(status_of(error), error.code, language, error.params, error.problems)


# Validation: pydantic's error types as the API's field codes --------------------------------

_CODE_BY_TYPE = {
    "missing": "required",
    "string_too_long": "too_long",
    "too_long": "too_many",
    "greater_than": "below_minimum",
    "greater_than_equal": "below_minimum",
    "less_than": "above_maximum",
    "less_than_equal": "above_maximum",
    "int_type": "not_a_whole_number",
    "int_parsing": "not_a_whole_number",
    "int_from_float": "not_a_whole_number",
    "int_parsing_size": "above_maximum",
    "float_type": "not_a_number",
    "float_parsing": "not_a_number",
    "finite_number": "not_a_number",
    "decimal_type": "not_a_number",
    "decimal_parsing": "not_a_number",
    "bool_type": "not_yes_or_no",
    "bool_parsing": "not_yes_or_no",
    "date_type": "not_a_date",
    "date_parsing": "not_a_date",
    "date_from_datetime_parsing": "not_a_date",
    "date_from_datetime_inexact": "not_a_date",
    "datetime_type": "not_a_time",
    "datetime_parsing": "not_a_time",
    "datetime_from_date_parsing": "not_a_time",
    "datetime_object_invalid": "not_a_time",
    "timezone_aware": "not_a_time",
    "timezone_naive": "not_a_time",
    "literal_error": "not_a_choice",
    "enum": "not_a_choice",
    "string_type": "not_text",
    "string_unicode": "control_characters",
    "string_sub_type": "not_text",
    "list_type": "not_a_list",
    "tuple_type": "not_a_list",
    "set_type": "not_a_list",
    "dict_type": "not_an_object",
    "model_type": "not_an_object",
    "model_attributes_type": "not_an_object",
    "extra_forbidden": "unknown_field",
    "json_invalid": "not_json",
    "json_type": "not_json",
}


def _pattern_code(pattern: str, field: str) -> str:
    """What a failed pattern means, in a code (the pattern itself never reaches a person)."""
    if "@" in pattern:
        return "not_an_email"
    if "https?" in pattern:
        return "not_a_url"
    if "-W" in pattern:
        return "not_a_week"
    if "-Q" in pattern:
        return "not_a_quarter"
    if pattern == "^[0-9a-f]+$":
        return "not_a_member" if "member" in field else "bad_format"
    if "\\w" in pattern:
        return "not_a_reference"
    return "bad_format"


def _limit(field: str, value: Any) -> Any:
    return Cents(value) if field.split(".")[0].endswith("_cents") and type(value) is int else value


def _problem(problem: Mapping[str, Any], field: str) -> FieldProblem:
    kind = str(problem["type"])
    ctx: Mapping[str, Any] = problem.get("ctx") or {}
    given = problem.get("input")
    if given is None and kind.endswith("_type") and kind not in ("dict_type", "model_type"):
        return FieldProblem(field, "required")
    if kind == "string_too_short":
        minimum = ctx.get("min_length", 1)
        return FieldProblem(
            field, "required" if minimum <= 1 else "too_short", {"minimum": minimum}
        )
    if kind == "too_short":
        minimum = ctx.get("min_length", 1)
        return FieldProblem(field, "required" if minimum <= 1 else "too_few", {"minimum": minimum})
    if kind == "string_pattern_mismatch":
        return FieldProblem(field, _pattern_code(str(ctx.get("pattern", "")), field))
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        if kind == "greater_than" and type(bound) is int:
            bound += 1  # whole numbers only: "more than 0" is "at least 1"
        return FieldProblem(field, "below_minimum", {"minimum": _limit(field, bound)})
    if kind in ("less_than", "less_than_equal"):
        bound = ctx.get("lt", ctx.get("le"))
        if kind == "less_than" and type(bound) is int:
            bound -= 1
        return FieldProblem(field, "above_maximum", {"maximum": _limit(field, bound)})
    if kind in ("string_too_long", "too_long"):
        return FieldProblem(field, _CODE_BY_TYPE[kind], {"maximum": ctx.get("max_length")})
    if kind not in _CODE_BY_TYPE and kind in texts.ERRORS["nl"]:
        # a PydanticCustomError raised by a model's own check: its type is the code
        return FieldProblem(field, kind, dict(ctx))
    code = _CODE_BY_TYPE.get(kind)
    if code is None:
        log.warning("validation error type without a code: %s", kind)
        code = "invalid_value"
    return FieldProblem(field, code)


_JSON_POSITION = re.compile(r"line (\d+) column (\d+)")


def validation_problems(error: ValidationError, where: str) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for problem in error.errors(include_url=False):
        location = ".".join(str(part) for part in problem["loc"])
        if problem["type"] in ("json_invalid", "json_type"):
            # e.g. "lone leading surrogate in hex escape at line 1 column 17": where, in words
            at = _JSON_POSITION.search(str(problem.get("msg", "")))
            where_in = {"line": int(at[1]), "column": int(at[2])} if at else {}
            problems.append(FieldProblem("body", "not_json", where_in))
            continue
        if problem["type"] == "cannot_be_empty":  # a model's check naming several fields
            named = (problem.get("ctx") or {}).get("fields") or [location or where]
            problems.extend(FieldProblem(str(name), "required") for name in named)
            continue
        problems.append(_problem(problem, location or where))
    return problems


def from_validation(error: ValidationError, where: str, language: str = "nl") -> Response:
    problems = validation_problems(error, where)
    if problems and all(p.code == "not_json" for p in problems):
        return rendered(400, "not_json", language, problems=problems)
    return rendered(400, "invalid_input", language, problems=problems)


def is_transient(error: Exception) -> bool:
    """An AWS service throttled us, or could not be reached or did not answer in time: nothing
    about the request is wrong, and sending it again (same idempotency key) is safe."""
    if isinstance(error, ConnectionError | HTTPClientError):
        return True
    code = error.response.get("Error", {}).get("Code") if isinstance(error, ClientError) else None
    return code in TRANSIENT_AWS_CODES


def from_unexpected(error: Exception, language: str = "nl") -> Response:
    if is_transient(error):
        log.warning("AWS unavailable: %s", type(error).__name__)
        response = rendered(503, "unavailable", language)
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response
    log.exception("unexpected error")
    return rendered(500, "internal", language)
