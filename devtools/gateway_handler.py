"""Every HTTP method reaches the app locally, as it does behind API Gateway.

chalice local's request handler (an http.server handler) defines do_GET, do_POST, ... for the
seven methods Chalice routes; for any other method (TRACE, CONNECT, an invented one) http.server
answers 501 itself, so a client sees an answer the deployed API never gives. API Gateway hands
every method to the API, which answers for itself (405 for a method a route does not declare).
`GatewayRequestHandler` sends every method down chalice local's one gateway path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from chalice.local import ChaliceRequestHandler, LocalDevServer


class GatewayRequestHandler(ChaliceRequestHandler):
    def __getattr__(self, name: str) -> Callable[[], None]:
        # Only reached for attributes the class lacks: do_TRACE, do_CONNECT, do_FOO, ...
        if name.startswith("do_"):
            handle: Callable[[], None] = self._generic_handle
            return handle
        raise AttributeError(name)


def hand_every_method_to_gateway(api: LocalDevServer) -> None:
    """Swap the handler of a server made by chalice's create_local_server (not yet serving)."""
    current: Any = api.server.RequestHandlerClass  # functools.partial(ChaliceRequestHandler, ...)
    api.server.RequestHandlerClass = functools.partial(
        GatewayRequestHandler, *current.args, **current.keywords
    )
