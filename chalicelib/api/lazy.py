"""The API's pydantic models, loaded on first use instead of at import.

Every Lambda function of the stack imports `app`, and with it the route modules; only the
API uses the models, and each request only a few of them. Route modules name their models
as strings in `endpoint(...)` and reach them through `models` below: the package
chalicelib/api/models, which imports a feature's module only when one of its names is first
asked for. So `import app` (the scheduled functions' and the intake's whole cold start) builds
no model class, and the API's first request builds only those of the features it touches.
"""

from __future__ import annotations

from chalicelib.api import models as models
