"""A unit of work over DynamoDB: writes registered by name, committed as one TransactWriteItems.

Repositories read directly and *register* their writes here, each under a name that says what
it is ("ledger.transaction", "claim.decision") and with the domain error its condition's
failure means. `commit()` sends every registered write in one TransactWriteItems (across both
tables, up to 100 actions) and, when DynamoDB cancels it, maps the cancellation reasons back to
the names: the failure is raised as the domain error of the write whose condition failed,
never decoded by position.

When several conditions fail at once, the write registered first explains them: register the
idempotency record (the write whose failure means "this was done before") before the writes it
guards, because a replay makes every later condition fail too.

    with UnitOfWork(client) as uow:
        ledger.register_booking(uow, transaction)
        claims.register_decision(uow, decided)
        uow.commit()
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.errors import Conflict
from chalicelib.store.dynamo import DynamoTable, Item, to_dynamo
from chalicelib.store.refusals import MAX_ACTIONS as MAX_ACTIONS
from chalicelib.store.refusals import AlreadyDone as AlreadyDone
from chalicelib.store.refusals import ConditionFailed as ConditionFailed
from chalicelib.store.refusals import Refusal as Refusal

CONFLICT_RETRIES = 5  # TransactionConflict (another transaction held an item), throttling


@dataclass(frozen=True)
class Write:
    name: str
    action: dict[
        str, Any
    ]  # {"Put": ...} | {"Update": ...} | {"Delete": ...} | {"ConditionCheck": ...}
    refusal: Refusal | None


class UnitOfWork:
    """Collects named writes and commits them atomically; used once (a `with` block)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._writes: list[Write] = []
        self._names: set[str] = set()
        self.committed = False

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._writes.clear()  # what was not committed is dropped, never half-sent

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(w.name for w in self._writes)

    def __len__(self) -> int:
        return len(self._writes)

    # Registering ------------------------------------------------------------------------

    def put(
        self,
        name: str,
        table: DynamoTable,
        item: Item,
        *,
        condition: str | None = None,
        values: Item | None = None,
        names: Mapping[str, str] | None = None,
        refusal: Refusal | None = None,
    ) -> None:
        action = {"TableName": table.name, "Item": to_dynamo(item)}
        self._add(name, "Put", action, condition, values, names, refusal)

    def update(
        self,
        name: str,
        table: DynamoTable,
        key: tuple[str, str],
        update: str,
        values: Item,
        *,
        condition: str | None = None,
        names: Mapping[str, str] | None = None,
        refusal: Refusal | None = None,
    ) -> None:
        action = {"TableName": table.name, "Key": _key(key), "UpdateExpression": update}
        self._add(name, "Update", action, condition, values, names, refusal)

    def delete(
        self,
        name: str,
        table: DynamoTable,
        key: tuple[str, str],
        *,
        condition: str | None = None,
        values: Item | None = None,
        refusal: Refusal | None = None,
    ) -> None:
        action = {"TableName": table.name, "Key": _key(key)}
        self._add(name, "Delete", action, condition, values, None, refusal)

    def check(
        self,
        name: str,
        table: DynamoTable,
        key: tuple[str, str],
        condition: str,
        *,
        values: Item | None = None,
        refusal: Refusal | None = None,
    ) -> None:
        action = {"TableName": table.name, "Key": _key(key)}
        self._add(name, "ConditionCheck", action, condition, values, None, refusal)

    def _add(
        self,
        name: str,
        verb: str,
        action: dict[str, Any],
        condition: str | None,
        values: Item | None,
        names: Mapping[str, str] | None,
        refusal: Refusal | None,
    ) -> None:
        if name in self._names:
            raise ValueError(f"a write named {name!r} is registered already")
        if self.committed:
            raise RuntimeError("this unit of work was committed; start a new one")
        if condition:
            action["ConditionExpression"] = condition
        if names:
            action["ExpressionAttributeNames"] = dict(names)
        if values:
            action["ExpressionAttributeValues"] = to_dynamo(values)
        self._names.add(name)
        self._writes.append(Write(name, {verb: action}, refusal))

    # Committing -------------------------------------------------------------------------

    def commit(self) -> None:
        """Sends every registered write as one transaction, or none of them.

        Raises the refusal of the first-registered write whose condition failed (AlreadyDone,
        a domain error, ...), ConditionFailed when that write declared none, and
        Conflict("busy") when other transactions kept colliding."""
        if not self._writes:
            self.committed = True
            return
        if len(self._writes) > MAX_ACTIONS:
            raise ValueError(f"{len(self._writes)} writes: a transaction holds {MAX_ACTIONS}")
        actions = [w.action for w in self._writes]
        for _ in range(CONFLICT_RETRIES):
            reasons = self._send(actions)
            if reasons is None:
                self.committed = True
                return
            failed = [w for w, r in zip(self._writes, reasons, strict=False) if r == CONDITION]
            if failed:
                raise _refusal_of(failed)
            if not RETRIED & set(reasons):
                why = dict(zip(self.names, reasons, strict=False))
                raise RuntimeError(f"transaction cancelled: {why}")
        raise Conflict("busy")

    def _send(self, actions: list[dict[str, Any]]) -> list[str | None] | None:
        """None when written; else the cancellation reason of each write (None: no reason)."""
        try:
            self._client.transact_write_items(TransactItems=actions)
            return None
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            return [
                None if r.get("Code") in (None, "None") else r["Code"]
                for r in error.response.get("CancellationReasons", [])
            ]


CONDITION = "ConditionalCheckFailed"
# Reasons that say nothing about the writes themselves: the same transaction is sent again.
RETRIED = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})


def _refusal_of(failed: list[Write]) -> BaseException:
    first = failed[0]
    if first.refusal is not None:
        return first.refusal()
    return ConditionFailed(tuple(w.name for w in failed))


def _key(key: tuple[str, str]) -> dict[str, Any]:
    return to_dynamo({"PK": key[0], "SK": key[1]})
