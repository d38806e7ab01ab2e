"""Declaring a route once: path, who may call it, its models, its answer.

`endpoint(...)` registers the view with a Chalice blueprint and records the same
declaration for the OpenAPI document, so the document cannot drift from the routes.
The view it builds does the same for every route: authenticate, parse the query and the
body into their models, call the handler, and shape the answer or the error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from chalice.app import Blueprint, Response
from pydantic import BaseModel, ValidationError

from chalicelib import bootstrap
from chalicelib.api import errors
from chalicelib.auth.principal import Principal
from chalicelib.domain.errors import DomainError, Forbidden, NotFound

Access = Literal["public", "member", "admin"]
M = TypeVar("M", bound=BaseModel)
log = logging.getLogger("coop.api")


@dataclass(frozen=True)
class EndpointSpec:
    path: str
    method: str
    name: str
    summary: str
    access: Access
    response: type[BaseModel]
    status: int
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    errors: tuple[int, ...]


@dataclass
class Call:
    """What a handler gets: the services, the caller, and the parsed request."""

    services: bootstrap.Services
    principal: Principal | None
    params: dict[str, str]
    body: BaseModel | None = None
    query: BaseModel | None = None

    @property
    def me(self) -> Principal:
        if self.principal is None:  # a public route asked for its caller: a bug
            raise Forbidden("this route needs a signed-in member")
        return self.principal

    def body_as(self, model: type[M]) -> M:
        assert isinstance(self.body, model), f"route declared no {model.__name__} body"
        return self.body

    def query_as(self, model: type[M]) -> M:
        assert isinstance(self.query, model), f"route declared no {model.__name__} query"
        return self.query


class FileAnswer(BaseModel):
    """A non-JSON answer (a CSV export): the body as text and its media type."""

    body: str
    media_type: str
    filename: str


Handler = Callable[[Call], BaseModel]
ENDPOINTS: list[EndpointSpec] = []


def endpoint(
    bp: Blueprint,
    path: str,
    method: str,
    *,
    access: Access,
    response: type[BaseModel],
    summary: str,
    status: int = 200,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    errors_: tuple[int, ...] = (),
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        spec = EndpointSpec(
            path, method, handler.__name__, summary, access, response, status, body, query, errors_
        )

        def view(**params: str) -> Response:
            return _serve(bp, spec, handler, params)

        view.__name__ = handler.__name__
        content_types = ["application/json"] if body is not None else None
        if content_types:
            bp.route(path, methods=[method], content_types=content_types)(view)
        else:
            bp.route(path, methods=[method])(view)
        ENDPOINTS.append(spec)
        return handler

    return register


def _serve(bp: Blueprint, spec: EndpointSpec, handler: Handler, params: dict[str, str]) -> Response:
    request = bp.current_request
    try:
        _check_path(params)
        services = bootstrap.services()
        call = Call(services, None, params)
        if spec.access != "public":
            call.principal = services.authenticator.authenticate(
                request.headers.get("authorization")
            )
            if spec.access == "admin":
                call.principal.require_admin()
        call.query = _parse_query(spec, request.query_params)
        call.body = _parse_body(spec, request.raw_body)
        answer = handler(call)
        if isinstance(answer, FileAnswer):
            return Response(
                body=answer.body,
                status_code=spec.status,
                headers={
                    "Content-Type": answer.media_type,
                    "Content-Disposition": f'attachment; filename="{answer.filename}"',
                },
            )
        return errors.json_response(spec.status, json.loads(answer.model_dump_json()))
    except _BadRequest as bad:
        return bad.response
    except DomainError as error:
        return errors.from_domain(error)
    except Exception as error:
        return errors.from_unexpected(error)


def _check_path(params: dict[str, str]) -> None:
    """Ids are short printable strings; anything else names nothing that exists (and would
    otherwise reach DynamoDB as an oversized key)."""
    for name, value in params.items():
        if not 0 < len(value) <= 128 or not value.isprintable():
            raise NotFound(f"no such {name.removesuffix('_id')}")


class _BadRequest(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _parse_query(spec: EndpointSpec, query_params: Any) -> BaseModel | None:
    raw = dict(query_params or {})
    if spec.query is None:
        if raw:
            problems = [{"field": name, "message": "unknown parameter"} for name in sorted(raw)]
            raise _BadRequest(
                errors.error_response(400, "invalid_input", "unexpected query", problems)
            )
        return None
    try:
        return spec.query.model_validate(raw)
    except ValidationError as error:
        raise _BadRequest(errors.from_validation(error, "query")) from error


def _parse_body(spec: EndpointSpec, raw_body: str | bytes | None) -> BaseModel | None:
    if spec.body is None:
        return None
    text = (raw_body or b"").strip() or "{}"
    try:
        return spec.body.model_validate_json(text)
    except ValidationError as error:
        raise _BadRequest(errors.from_validation(error, "body")) from error
