"""The one place that turns errors into HTTP answers."""

from __future__ import annotations

import json
import logging

from chalice.app import Response
from pydantic import ValidationError

from chalicelib.domain import errors
from chalicelib.store.dynamo import TransactionCancelled

log = logging.getLogger("coop.api")

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
    status: int, code: str, message: str, fields: list[dict[str, str]] | None = None
) -> Response:
    payload: dict[str, object] = {"error": code, "message": message}
    if fields is not None:
        payload["fields"] = fields
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return json_response(status, payload, headers)


def from_domain(error: errors.DomainError) -> Response:
    status = next((code for kind, code in STATUS_BY_ERROR.items() if isinstance(error, kind)), 400)
    fields = None
    if isinstance(error, errors.InvalidInput):
        fields = [{"field": p.field, "message": p.message} for p in error.problems]
    return error_response(status, error.code, error.message, fields)


def from_validation(error: ValidationError, where: str) -> Response:
    fields = []
    for problem in error.errors(include_url=False):
        location = ".".join(str(part) for part in problem["loc"])
        if problem["type"] == "json_invalid":
            fields.append({"field": "body", "message": "body is not valid JSON"})
            continue
        fields.append({"field": location or where, "message": problem["msg"]})
    names = ", ".join(sorted({f["field"] for f in fields}))
    return error_response(400, "invalid_input", f"invalid {where}: {names}", fields)


def from_unexpected(error: Exception) -> Response:
    if isinstance(error, TransactionCancelled):
        log.warning("transaction cancelled: %s", error.reasons)
        return error_response(409, "conflict", "the request collided with another; try again")
    log.exception("unexpected error")
    return error_response(500, "internal", "something went wrong on our side")
