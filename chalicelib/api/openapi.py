"""The OpenAPI 3 document, generated from the same declarations the routes are built from."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.api.framework import EndpointSpec, FileAnswer
from chalicelib.api.models import ErrorOut

_REASONS = {
    400: "Bad input",
    401: "No or bad token",
    403: "Not allowed",
    404: "Unknown",
    409: "Conflict with the current state",
}


def document(endpoints: list[EndpointSpec]) -> dict[str, Any]:
    models: set[tuple[type[BaseModel], str]] = {(ErrorOut, "serialization")}
    for spec in endpoints:
        models.add((spec.response, "serialization"))
        if spec.body:
            models.add((spec.body, "validation"))
    keys, definitions = models_json_schema(
        sorted(models, key=lambda m: (m[0].__name__, m[1])),  # type: ignore[arg-type]
        ref_template="#/components/schemas/{model}",
    )
    ref = {model: schema for (model, _), schema in keys.items()}
    paths: dict[str, dict[str, Any]] = {}
    for spec in endpoints:
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec, ref)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Co-operations platform API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "cognito": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


def _operation(spec: EndpointSpec, ref: dict[Any, Any]) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": ref[ErrorOut]}}}
    content = {"application/json": {"schema": ref[spec.response]}}
    if spec.response is FileAnswer:
        content = {"text/csv": {"schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(spec.status): {"description": "OK", "content": content}}
    codes = set(spec.errors)
    if spec.body or spec.query:
        codes.add(400)
    if spec.access != "public":
        codes |= {401, 403}
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
            "content": {"application/json": {"schema": ref[spec.body]}},
        }
    return operation


def _parameters(spec: EndpointSpec) -> list[dict[str, Any]]:
    found = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", spec.path)
    ]
    if spec.query:
        schema = spec.query.model_json_schema()
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
