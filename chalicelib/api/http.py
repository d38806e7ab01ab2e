"""The HTTP edge around every route: one error shape, and CORS for the web app's origins.

Chalice answers some requests itself (405 for a method a path does not declare, 415 for a
body that is not JSON) with its own `{"Code", "Message"}` body; the middleware here rewrites
those into the app's one error shape. Browsers on an allowed origin (configuration
`COOP_WEB_ORIGINS`) get the CORS headers on every answer, and their preflight requests are
answered by an OPTIONS route on every path (see framework.endpoint).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from chalice.app import Request, Response

from chalicelib import observability
from chalicelib.api.errors import rendered
from chalicelib.i18n import from_accept_language

# Chalice's own error codes -> the app's.
_CHALICE_CODES = {
    "MethodNotAllowedError": "method_not_allowed",
    "UnsupportedMediaType": "unsupported_media_type",
    "BadRequestError": "bad_request",
    "NotFoundError": "route_not_found",
    "InternalServerError": "internal",
}
ALLOWED_REQUEST_HEADERS = "Authorization, Content-Type, Accept-Language"
EXPOSED_HEADERS = "Content-Disposition"
PREFLIGHT_MAX_AGE_S = 600


def shape_errors(response: Response, language: str = "nl") -> Response:
    """Chalice's `{"Code", "Message"}` errors in the app's `{error, message, fields}` shape,
    the message in the caller's language (Chalice's own English text is dropped)."""
    body = response.body
    if not (isinstance(body, dict) and set(body) == {"Code", "Message"}):
        return response
    code = _CHALICE_CODES.get(str(body["Code"]), "error")
    shaped = rendered(response.status_code, code, language)
    keep = {k: v for k, v in response.headers.items() if k.lower() != "content-type"}
    shaped.headers.update(keep)
    return shaped


def cors_headers(origin: str | None, allowed_origins: Iterable[str]) -> dict[str, str]:
    """The headers that let a browser on `origin` read the answer; none for other origins."""
    headers = {"Vary": "Origin"}
    if origin is not None and origin.rstrip("/") in set(allowed_origins):
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return headers


def preflight(
    origin: str | None, allowed_origins: Iterable[str], methods: Iterable[str]
) -> Response:
    """The answer to a browser's OPTIONS preflight on a path declaring `methods`."""
    headers: dict[str, str | list[str]] = {**cors_headers(origin, allowed_origins)}
    if "Access-Control-Allow-Origin" in headers:
        headers |= {
            "Access-Control-Allow-Methods": ", ".join(sorted({*methods, "OPTIONS"})),
            "Access-Control-Allow-Headers": ALLOWED_REQUEST_HEADERS,
            "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_S),
        }
    return Response(body="", status_code=204, headers=headers)


def middleware(
    allowed_origins: Callable[[], Iterable[str]],
) -> Callable[[Request, Callable[[Request], Response]], Response]:
    """Chalice HTTP middleware: error shape and CORS on every answer."""

    def around(request: Request, get_response: Callable[[Request], Response]) -> Response:
        try:
            language = from_accept_language(_header(request, "accept-language"))
            response = shape_errors(get_response(request), language)
        finally:
            observability.flush()  # this request's metrics, one EMF line
        origin = _header(request, "origin")
        if origin is not None:
            for name, value in cors_headers(origin, allowed_origins()).items():
                response.headers.setdefault(name, value)
        return response

    return around


def _header(request: Any, name: str) -> str | None:
    headers = getattr(request, "headers", None) or {}
    value = headers.get(name)
    return str(value) if value else None
