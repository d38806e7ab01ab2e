"""The one place that turns errors into HTTP answers."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError
from chalice.app import Response

from chalicelib.domain import errors
from chalicelib.store.dynamo import TransactionCancelled

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
            # e.g. "lone leading surrogate in hex escape at line 1 column 17"
            why = str(problem["msg"]).removeprefix("Invalid JSON: ")
            fields.append({"field": "body", "message": f"body is not valid JSON: {why}"})
            continue
        fields.append({"field": location or where, "message": problem["msg"]})
    names = ", ".join(sorted({f["field"] for f in fields}))
    return error_response(400, "invalid_input", f"invalid {where}: {names}", fields)


def is_transient(error: Exception) -> bool:
    """An AWS service throttled us, or could not be reached or did not answer in time: nothing
    about the request is wrong, and sending it again (same idempotency key) is safe."""
    if isinstance(error, ConnectionError | HTTPClientError):
        return True
    code = error.response.get("Error", {}).get("Code") if isinstance(error, ClientError) else None
    return code in TRANSIENT_AWS_CODES


def from_unexpected(error: Exception) -> Response:
    if is_transient(error):
        log.warning("AWS unavailable: %s", type(error).__name__)
        response = error_response(503, "unavailable", "a service we depend on is busy; try again")
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response
    if isinstance(error, TransactionCancelled):
        log.warning("transaction cancelled: %s", error.reasons)
        return error_response(409, "conflict", "the request collided with another; try again")
    log.exception("unexpected error")
    return error_response(500, "internal", "something went wrong on our side")
