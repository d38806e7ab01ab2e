"""Structured logs and the treasurer's metrics, set up once at the edge (app.py).

Logs: Powertools for AWS Lambda's Logger owns the `coop` logger, so every module's
`logging.getLogger("coop.<module>")` writes one JSON line per record, with `extra=` fields as
JSON fields (a job's report is fields, not a string). Each API request logs one line with the
API Gateway request id, the route, the caller's member id and the outcome; never a token, a
password or an email address.

Metrics: counts the treasurer cares about (fees booked, dues charged, payouts, intake, jobs
that did not complete), published as CloudWatch embedded metric format (EMF) lines through
Powertools' Metrics in namespace `Coop` with dimension `service` = `coop-<stage>`. Outside
Lambda (tests, the local runtime) they are only counted in memory (`recorded()`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

LOGGER_NAME = "coop"
NAMESPACE = "Coop"
METRIC_NAMES = frozenset(
    {
        "FeesBookedCents",
        "DuesCharged",
        "PayoutsBooked",
        "IntakeAccepted",
        "IntakeRejected",
        "JobIncomplete",
    }
)

_logger: Any = None  # the Powertools Logger, once configured
_metrics: Any = None  # Powertools Metrics, in Lambda only
_recorded: Counter[str] = Counter()


def configure(env: Mapping[str, str] = os.environ) -> None:
    """JSON logs for every `coop.*` logger; EMF metrics when running in Lambda. Idempotent."""
    global _logger, _metrics
    if _logger is not None:
        return
    from aws_lambda_powertools import Logger

    stage = env.get("COOP_STAGE", "local")
    _logger = Logger(service=LOGGER_NAME, level=env.get("COOP_LOG_LEVEL", "INFO"))
    _logger.append_keys(stage=stage)
    if env.get("AWS_LAMBDA_FUNCTION_NAME"):
        from aws_lambda_powertools import Metrics

        _metrics = Metrics(namespace=NAMESPACE, service=f"coop-{stage}")


def count(name: str, value: int = 1) -> None:
    """Adds to a metric of this invocation (published by `flush`)."""
    if name not in METRIC_NAMES:
        raise ValueError(f"unknown metric {name!r}")  # a typo would be a silent empty graph
    _recorded[name] += value
    if _metrics is not None and value:
        from aws_lambda_powertools.metrics import MetricUnit

        _metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def flush() -> None:
    """Publishes this invocation's metrics (one EMF line); called at the end of each."""
    if _metrics is not None and _metrics.metric_set:
        _metrics.flush_metrics()


def recorded() -> Counter[str]:
    """What was counted in this process (tests, the local runtime)."""
    return _recorded


@contextmanager
def context(**keys: str | None) -> Iterator[None]:
    """Keys added to every log line inside the block (the request id, the route...)."""
    present = {k: v for k, v in keys.items() if v is not None}
    if _logger is not None:
        _logger.append_keys(**present)
    try:
        yield
    finally:
        if _logger is not None:
            _logger.remove_keys(list(present))
