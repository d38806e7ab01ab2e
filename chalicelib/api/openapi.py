"""The OpenAPI 3 document, generated from the same declarations the routes are built from."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.api.framework import RAW_MEDIA, EndpointSpec, model_named
from chalicelib.api.models import ErrorOut, FileAnswer
from chalicelib.policy import Policy

_REASONS = {
    400: "Bad input: `fields` names each offending field with a code and a message",
    401: "No or bad token",
    403: "Not allowed",
    404: "Unknown",
    409: "Conflict with the current state",
    413: "Body too large",
    415: "Body is not application/json",
    503: "AWS is busy or unreachable: send the same request again (see Retry-After)",
}
# Path parameters parsed as values (not looked up as ids): a malformed one is a 400.
_VALUE_PARAMS = {"year", "quarter"}
_PARAM_SCHEMAS: dict[str, dict[str, Any]] = {
    "year": {"type": "string", "pattern": "^2[0-9]{3}$"},  # 2000 to 2999
    "quarter": {"type": "string", "pattern": "^2[0-9]{3}-Q[1-4]$"},
}
_ID_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 128}


def document(endpoints: list[EndpointSpec]) -> dict[str, Any]:
    models: set[tuple[type[BaseModel], str]] = {(ErrorOut, "serialization")}
    for spec in endpoints:
        models.add((model_named(spec.response), "serialization"))
        if spec.body:
            models.add((model_named(spec.body), "validation"))
    keys, definitions = models_json_schema(
        sorted(models, key=lambda m: (m[0].__name__, m[1])),  # type: ignore[arg-type]
        ref_template="#/components/schemas/{model}",
    )
    ref = {model: schema for (model, _), schema in keys.items()}
    paths: dict[str, dict[str, Any]] = {}
    for spec in endpoints:
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec, ref)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Co-operations platform API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "cognito": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


# Errors speak the caller's language: their profile's, else this header's (nl or en), else Dutch.
_ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "language of error messages when the profile names none: nl (default) or en",
    "schema": {"type": "string", "maxLength": 200, "pattern": "^[A-Za-z0-9 ,;=.*-]*$"},
}


def _operation(spec: EndpointSpec, ref: dict[Any, Any]) -> dict[str, Any]:
    error = {
        "content": {"application/json": {"schema": ref[ErrorOut]}},
        "headers": {
            "Content-Language": {
                "description": "the language of `message` and each field's `message`",
                "schema": {"type": "string", "enum": ["nl", "en"]},
            }
        },
    }
    content = {"application/json": {"schema": ref[model_named(spec.response)]}}
    if model_named(spec.response) is FileAnswer:
        content = {spec.file_media_type: {"schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(spec.status): {"description": "OK", "content": content}}
    for also in spec.also_ok:  # e.g. a repeated request answering what the first one did
        responses[str(also)] = {"description": "OK, as before (a repeat)", "content": content}
    codes = set(spec.errors) | _statuses_implied_by(spec)
    for code in sorted(codes):
        responses[str(code)] = {"description": _REASONS[code], **error}
    operation: dict[str, Any] = {
        "operationId": spec.name,
        "summary": spec.summary,
        "parameters": _parameters(spec),
        "responses": responses,
        "security": [] if spec.access == "public" else [{"cognito": []}],
    }
    if spec.access == "admin":
        operation["description"] = "Admins only (Cognito group `admin`)."
    if spec.body:
        operation["requestBody"] = {
            "required": True,
            "content": {
                media: {
                    "schema": {"type": "string"}
                    if media in RAW_MEDIA
                    else ref[model_named(spec.body)]
                }
                for media in spec.body_media
            },
        }
    return operation


def _statuses_implied_by(spec: EndpointSpec) -> set[int]:
    """What the framework itself may answer for this route, whatever the handler does."""
    params = set(re.findall(r"{(\w+)}", spec.path))
    codes = set()
    if spec.body or spec.query or params & _VALUE_PARAMS:
        codes.add(400)
    if spec.body:
        codes |= {413, 415}
    if params - _VALUE_PARAMS:
        codes.add(404)  # an id that names nothing
    if spec.access != "public":
        codes |= {401, 403}
    if spec.access != "public" or spec.body:
        codes.add(503)  # it reads or writes the tables: AWS may throttle or time out
    return codes


def _parameters(spec: EndpointSpec) -> list[dict[str, Any]]:
    found = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": _PARAM_SCHEMAS.get(name, _ID_SCHEMA),
        }
        for name in re.findall(r"{(\w+)}", spec.path)
    ]
    found.append(_ACCEPT_LANGUAGE)
    if spec.query:
        schema = model_named(spec.query).model_json_schema()
        for name, prop in schema.get("properties", {}).items():
            found.append(
                {
                    "name": name,
                    "in": "query",
                    "required": name in schema.get("required", []),
                    "schema": prop,
                }
            )
    return found


def with_policy(document: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """The stage's own limits in the schemas: what the policy refuses is not a valid request."""
    schemas = document["components"]["schemas"]
    experience = schemas["ApplicationIn"]["properties"]["years_experience"]
    experience["minimum"] = max(experience.get("minimum", 0), policy.admission_min_years_experience)
    coins = schemas["ApproveClaimIn"]["properties"]["coins"]
    coins["minimum"], coins["maximum"] = policy.publicity_coins_min, policy.publicity_coins_max
    return document
