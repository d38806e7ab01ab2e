"""The API's pydantic models, loaded on first use instead of at import.

Every Lambda function of the stack imports `app`, and with it the route modules; only the
API uses the models, and each request only a few of them. Route modules name their models
as strings in `endpoint(...)` and reach them through `models` below, so `import app` (the
scheduled functions' and the intake's whole cold start) skips building about a hundred
model classes and pydantic's internals; the API builds them on its first request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalicelib.api import models as models
else:

    class _Models:
        def __getattr__(self, name: str) -> Any:
            from chalicelib.api import models as module

            return getattr(module, name)

    models = _Models()
