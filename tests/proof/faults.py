"""Failing the k-th AWS call of an operation, the ways AWS fails, through botocore's hooks.

`FaultyAws` watches the services' own clients (DynamoDB, SES, Cognito) with botocore's
`before-call.<service>.<operation>` and `after-call.<service>.<operation>` events, so moto is
never touched. Armed with (k, kind) it fails the k-th call:

- before the call reaches AWS: a throttling answer (`ThrottlingException`,
  `ProvisionedThroughputExceededException` and SES's and Cognito's own codes), a
  `TransactionCanceledException` with a `TransactionConflict` reason (TransactWriteItems only),
  or a connection error (`EndpointConnectionError`, `ReadTimeoutError` before sending);
- after AWS carried it out (writes only): a `ReadTimeoutError`, as when the write happened
  but its answer was lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

WRITES = frozenset(
    {
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "TransactWriteItems",
        "BatchWriteItem",
        "SendRawEmail",
        "AdminCreateUser",
    }
)
THROTTLING = {
    "dynamodb": ("ThrottlingException", "ProvisionedThroughputExceededException"),
    "ses": ("Throttling", "Throttling"),
    "cognito-idp": ("TooManyRequestsException", "TooManyRequestsException"),
}


@dataclass(frozen=True)
class Call:
    service: str
    operation: str


@dataclass(frozen=True)
class Fault:
    k: int  # 1-based: the k-th call of the operation
    kind: str  # "throttled", "unreachable", "conflict", "lost answer"
    flavour: int = 0  # which of the kind's errors

    def __str__(self) -> str:
        return f"call {self.k}: {self.kind}/{self.flavour}"


def faults_for(calls: list[Call]) -> Iterator[Fault]:
    """Every fault that makes sense at every call: each call refused before it happened (the
    flavours of throttling and unreachability take turns), each transaction cancelled by a
    conflict, each write carried out but its answer lost."""
    for k, call in enumerate(calls, start=1):
        yield Fault(k, "throttled" if k % 2 else "unreachable", (k // 2) % 2)
        if call.operation == "TransactWriteItems":
            yield Fault(k, "conflict")
        if call.operation in WRITES:
            yield Fault(k, "lost answer")


class FaultyAws:
    def __init__(self, clients: dict[str, Any]) -> None:
        self.calls: list[Call] = []
        self.armed: Fault | None = None
        self.fired: Fault | None = None
        for service, client in clients.items():
            events = client.meta.events
            events.register(f"before-call.{_event_name(service)}", self._before)
            events.register(f"after-call.{_event_name(service)}", self._after)

    def arm(self, fault: Fault | None) -> None:
        self.calls, self.armed, self.fired = [], fault, None

    def _before(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        service = model.service_model.endpoint_prefix
        self.calls.append(Call(service, model.name))
        fault = self._due()
        if fault is None or fault.kind == "lost answer":
            return None
        self.fired, self.armed = fault, None
        raise _error_before(fault, service, model.name, params)

    def _after(self, model: Any, **_: Any) -> None:
        fault = self._due()
        if fault is not None and fault.kind == "lost answer":
            self.fired, self.armed = fault, None
            raise ReadTimeoutError(endpoint_url=f"https://{model.service_model.endpoint_prefix}")

    def _due(self) -> Fault | None:
        armed = self.armed
        return armed if armed is not None and len(self.calls) == armed.k else None


def _event_name(service: str) -> str:
    return {"cognito-idp": "cognito-identity-provider"}.get(service, service)


def _error_before(fault: Fault, service: str, operation: str, params: dict[str, Any]) -> Exception:
    if fault.kind == "conflict":
        sent = json.loads(params.get("body") or b"{}")  # the serialised request
        reasons = [{"Code": "None"} for _ in sent["TransactItems"]]
        reasons[0] = {"Code": "TransactionConflict", "Message": "Transaction is ongoing"}
        response = {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": reasons,
        }
        return ClientError(response, operation)  # type: ignore[arg-type]
    if fault.kind == "throttled":
        code = THROTTLING.get(service, ("ThrottlingException",) * 2)[fault.flavour]
        return ClientError({"Error": {"Code": code, "Message": "Rate exceeded"}}, operation)  # type: ignore[typeddict-item]
    url = f"https://{service}.eu-west-1.amazonaws.com"
    if fault.flavour:
        return ReadTimeoutError(endpoint_url=url)
    return EndpointConnectionError(endpoint_url=url)
