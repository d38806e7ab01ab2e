"""Declaring a route once: path, who may call it, its models, its answer.

`endpoint(...)` registers the view with a Chalice blueprint and records the same
declaration for the OpenAPI document, so the document cannot drift from the routes.
The view it builds does the same for every route: authenticate, parse the query and the
body into their models, call the handler, and shape the answer or the error.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import parse_qsl

from chalice.app import Blueprint, Response

from chalicelib import bootstrap, observability
from chalicelib.api import errors, http
from chalicelib.api.lazy import models
from chalicelib.auth.principal import Principal
from chalicelib.domain.errors import DomainError, FieldProblem, Forbidden, NotFound
from chalicelib.i18n import Language, from_accept_language, language_or_default

if TYPE_CHECKING:
    from pydantic import BaseModel

Access = Literal["public", "member", "admin"]
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# A file sent as it is (a bank statement): the body model gets its bytes as `content`.
XML = "application/xml"
RAW_MEDIA = (XML, "text/xml")
M = TypeVar("M", bound="BaseModel")
log = logging.getLogger("coop.api")


@dataclass(frozen=True)
class EndpointSpec:
    """A route's declaration. Its models are named (classes of chalicelib.api.models), so
    declaring a route builds none of them: see chalicelib/api/lazy.py."""

    path: str
    method: str
    name: str
    summary: str
    access: Access
    response: str
    status: int
    body: str | None
    query: str | None
    errors: tuple[int, ...]
    file_media_type: str = "text/csv"  # what a FileAnswer holds, for the OpenAPI document
    # Media types the body may come as: JSON, and for a few routes an HTML form's
    # application/x-www-form-urlencoded (RFC 8058 one-click unsubscribe).
    body_media: tuple[str, ...] = (JSON,)
    # Other success statuses a handler may answer (a repeated request: 200 for a 201 route).
    also_ok: tuple[int, ...] = ()
    # The largest body the route takes (a file route takes more than JSON ever needs).
    max_body_bytes: int = 256 * 1024


@dataclass
class Call:
    """What a handler gets: the services, the caller, and the parsed request."""

    services: bootstrap.Services
    principal: Principal | None
    params: dict[str, str]
    body: BaseModel | None = None
    query: BaseModel | None = None
    base_url: str = ""  # how the caller reached the API (scheme, host, stage), for links
    status: int | None = None  # set by a handler answering another status (a replay: 200)
    # The caller's language for what they read: their profile's once signed in, else the
    # browser's Accept-Language (nl or en), else Dutch.
    language: Language = "nl"

    @property
    def me(self) -> Principal:
        if self.principal is None:  # a public route asked for its caller: a bug
            raise Forbidden("sign_in_needed")
        return self.principal

    def body_as(self, model: type[M]) -> M:
        assert isinstance(self.body, model), f"route declared no {model.__name__} body"
        return self.body

    def query_as(self, model: type[M]) -> M:
        assert isinstance(self.query, model), f"route declared no {model.__name__} query"
        return self.query


def model_named(name: str) -> type[BaseModel]:
    """The model class a route declaration names."""
    found: type[BaseModel] = getattr(models, name)
    return found


Handler = Callable[[Call], "BaseModel"]
# A cancelled member's token is refused except for reading their own profile and statement
# (with its pages): until it is settled they see what they still owe or are to receive.
CANCELLED_MAY_READ = frozenset(
    {"GET /members/me", "GET /members/me/statement", "GET /members/me/payment-details"}
    # and give the account what the collective still owes them is paid into
    | {"GET /members/me/bank-account", "PUT /members/me/bank-account"}
)
ENDPOINTS: list[EndpointSpec] = []
_PATHS_WITH_PREFLIGHT: set[str] = set()
# API Gateway takes up to 10 MB; nothing this API accepts comes near this.
MAX_BODY_BYTES = 256 * 1024


def endpoint(
    bp: Blueprint,
    path: str,
    method: str,
    *,
    access: Access,
    response: str,
    summary: str,
    status: int = 200,
    body: str | None = None,
    query: str | None = None,
    errors_: tuple[int, ...] = (),
    file_media_type: str = "text/csv",
    body_media: tuple[str, ...] = (JSON,),
    also_ok: tuple[int, ...] = (),
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        spec = EndpointSpec(
            path,
            method,
            handler.__name__,
            summary,
            access,
            response,
            status,
            body,
            query,
            errors_,
            file_media_type,
            body_media,
            also_ok,
            max_body_bytes,
        )

        def view(**params: str) -> Response:
            return _serve(bp, spec, handler, params)

        view.__name__ = handler.__name__
        content_types = list(body_media) if body is not None else None
        if content_types:
            bp.route(path, methods=[method], content_types=content_types)(view)
        else:
            bp.route(path, methods=[method])(view)
        ENDPOINTS.append(spec)
        if path not in _PATHS_WITH_PREFLIGHT:
            _PATHS_WITH_PREFLIGHT.add(path)
            _register_preflight(bp, path)
        return handler

    return register


def _register_preflight(bp: Blueprint, path: str) -> None:
    """Browsers ask OPTIONS before a cross-origin call; the app answers it (not API Gateway),
    so the allowed origins come from configuration like everything else."""

    def preflight(**_params: str) -> Response:
        origin = bp.current_request.headers.get("origin")
        methods = [spec.method for spec in ENDPOINTS if spec.path == path]
        return http.preflight(origin, bootstrap.services().config.web_origins, methods)

    preflight.__name__ = f"preflight_{len(_PATHS_WITH_PREFLIGHT)}"
    bp.route(path, methods=["OPTIONS"])(preflight)


def _serve(bp: Blueprint, spec: EndpointSpec, handler: Handler, params: dict[str, str]) -> Response:
    """Answers one request and logs one line about it: route, caller, outcome, duration."""
    request = bp.current_request
    started_s = time.perf_counter()
    # API Gateway's id correlates with its access logs; locally there is only Lambda's.
    lambda_context = getattr(bp, "lambda_context", None)
    request_id = (request.context or {}).get("requestId") or getattr(
        lambda_context, "aws_request_id", None
    )
    with observability.context(request_id=request_id, route=f"{spec.method} {spec.path}"):
        call = Call(
            bootstrap.services(),
            None,
            params,
            base_url=_base_url(request),
            language=from_accept_language(_header(request, "accept-language")),
        )
        response, outcome = _answer(spec, handler, call, request)
        log.info(
            "request",
            extra={
                "status": response.status_code,
                "outcome": outcome,
                "member_id": call.principal.member_id if call.principal else None,
                "duration_ms": round((time.perf_counter() - started_s) * 1000, 1),
            },
        )
        return response


def _answer(spec: EndpointSpec, handler: Handler, call: Call, request: Any) -> tuple[Response, str]:
    """The answer and its outcome in a word: "ok" or the error code."""
    try:
        _check_path(call.params)
        if spec.access != "public":
            call.principal = call.services.authenticator.authenticate(
                request.headers.get("authorization"),
                cancelled_may=f"{spec.method} {spec.path}" in CANCELLED_MAY_READ,
            )
            call.language = language_or_default(call.principal.language)
            if spec.access == "admin":
                call.principal.require_admin()
        call.query = _parse_query(spec, request.query_params, call.language)
        call.body = _parse_body(
            spec, request.raw_body, request.headers.get("content-type"), call.language
        )
        answer = handler(call)
        return _shape(spec, answer, call.status), "ok"
    except _BadRequest as bad:
        return bad.response, bad.code
    except DomainError as error:
        return errors.from_domain(error, call.language), error.code
    except Exception as error:
        response = errors.from_unexpected(error, call.language)
        return response, {409: "conflict", 503: "unavailable"}.get(response.status_code, "internal")


def _shape(spec: EndpointSpec, answer: BaseModel, status: int | None = None) -> Response:
    if isinstance(answer, models.FileAnswer):
        return Response(
            body=answer.body,
            status_code=status or spec.status,
            headers={
                "Content-Type": answer.media_type,
                "Content-Disposition": f'{answer.disposition}; filename="{answer.filename}"',
            },
        )
    return errors.json_response(status or spec.status, json.loads(answer.model_dump_json()))


def _header(request: Any, name: str) -> str | None:
    value = (getattr(request, "headers", None) or {}).get(name)
    return str(value) if value else None


def _base_url(request: Any) -> str:
    """The API's base URL as the caller reached it: behind API Gateway's own domain the
    stage is part of the path; behind a custom domain or locally it is not."""
    headers = request.headers or {}
    host = headers.get("host") or "localhost"
    scheme = headers.get("x-forwarded-proto") or "http"
    stage = (request.context or {}).get("stage")
    prefix = f"/{stage}" if stage and host.endswith(".amazonaws.com") else ""
    return f"{scheme}://{host}{prefix}"


_NOT_FOUND_BY_PARAM = {
    "application_id": "application_not_found",
    "assignment_id": "assignment_not_found",
    "batch_id": "payout_batch_not_found",
    "claim_id": "claim_not_found",
    "intake_id": "intake_not_found",
    "line_id": "bank_line_not_found",
    "meeting_id": "meeting_not_found",
    "member_id": "member_not_found",
    "opportunity_id": "opportunity_not_found",
    "number": "attachment_not_found",
    "token": "calendar_not_found",
}


def _check_path(params: dict[str, str]) -> None:
    """Ids are short printable strings; anything else names nothing that exists (and would
    otherwise reach DynamoDB as an oversized key)."""
    for name, value in params.items():
        if not 0 < len(value) <= 128 or not value.isprintable():
            raise NotFound(_NOT_FOUND_BY_PARAM.get(name, "not_found"))


class _BadRequest(Exception):
    def __init__(self, response: Response, code: str = "invalid_input") -> None:
        self.response = response
        self.code = code


def _parse_query(spec: EndpointSpec, query_params: Any, language: str = "nl") -> BaseModel | None:
    raw = dict(query_params or {})
    if spec.query is None:
        if raw:
            problems = [FieldProblem(name, "unknown_field") for name in sorted(raw)]
            raise _BadRequest(errors.rendered(400, "unexpected_query", language, problems=problems))
        return None
    from pydantic import ValidationError  # loaded with the models by now

    try:
        return model_named(spec.query).model_validate(raw)
    except ValidationError as error:
        raise _BadRequest(errors.from_validation(error, "query", language)) from error


def _parse_body(
    spec: EndpointSpec,
    raw_body: str | bytes | None,
    content_type: str | None = None,
    language: str = "nl",
) -> BaseModel | None:
    if spec.body is None:
        return None
    if raw_body is not None and len(raw_body) > spec.max_body_bytes:
        raise _BadRequest(
            errors.rendered(
                413, "payload_too_large", language, {"limit_kb": spec.max_body_bytes // 1024}
            ),
            "payload_too_large",
        )
    body = model_named(spec.body)
    if spec.body_media == RAW_MEDIA:  # the file itself: its reader judges it
        raw = raw_body.encode("utf-8") if isinstance(raw_body, str) else raw_body or b""
        return body.model_validate({"content": raw})
    text = (raw_body or b"").strip() or "{}"
    from pydantic import ValidationError  # loaded with the models by now

    try:
        if FORM in spec.body_media and (content_type or "").split(";")[0].strip().lower() == FORM:
            return body.model_validate(_form_fields(text))
        return body.model_validate_json(text)
    except ValidationError as error:
        raise _BadRequest(errors.from_validation(error, "body", language)) from error


def _form_fields(body: str | bytes) -> dict[str, str]:
    """An HTML form body as fields (the first value of a repeated name wins)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    fields: dict[str, str] = {}
    for name, value in parse_qsl("" if text == "{}" else text, keep_blank_values=True):
        fields.setdefault(name, value)
    return fields
