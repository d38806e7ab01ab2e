"""The in-memory unit of work keeps the DynamoDB one's rules (tests/store/test_uow.py): all
or nothing, the first-registered failed write explains, names unique, 100 writes at most."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import Conflict
from chalicelib.store.memory import MemoryState, MemoryUnitOfWork
from chalicelib.store.uow import MAX_ACTIONS, AlreadyDone, ConditionFailed


def test_a_failed_guard_applies_nothing_and_the_first_registered_refusal_explains() -> None:
    state = MemoryState()
    written: list[str] = []
    with MemoryUnitOfWork(state) as uow:
        uow.register("note", lambda: written.append("note"))
        uow.register(
            "cap",
            lambda: written.append("cap"),
            guard=lambda: False,
            refusal=lambda: Conflict("cap_reached"),
        )
        uow.register(
            "tx",
            lambda: written.append("tx"),
            guard=lambda: False,
            refusal=lambda: AlreadyDone("tx"),
        )
        with pytest.raises(Conflict) as refused:
            uow.commit()
    assert refused.value.code == "cap_reached"
    assert written == []
    with MemoryUnitOfWork(state) as uow:
        uow.register("odd", lambda: None, guard=lambda: False)
        uow.register("odder", lambda: None, guard=lambda: False)
        with pytest.raises(ConditionFailed) as bug:
            uow.commit()
    assert bug.value.names == ("odd", "odder")


def test_guards_see_the_state_before_any_write_is_applied() -> None:
    state = MemoryState()
    seen: dict[str, int] = {"n": 0}
    with MemoryUnitOfWork(state) as uow:
        uow.register("raise", lambda: seen.__setitem__("n", 1))
        uow.register("check", lambda: None, guard=lambda: seen["n"] == 0)
        uow.commit()
    assert seen["n"] == 1 and uow.committed


def test_names_are_unique_a_commit_is_final_and_a_transaction_holds_at_most_100() -> None:
    with MemoryUnitOfWork(MemoryState()) as uow:
        uow.register("a", lambda: None)
        with pytest.raises(ValueError):
            uow.register("a", lambda: None)
        uow.commit()
        with pytest.raises(RuntimeError):
            uow.register("b", lambda: None)
    with MemoryUnitOfWork(MemoryState()) as uow:
        for n in range(MAX_ACTIONS + 1):
            uow.register(f"w{n}", lambda: None)
        with pytest.raises(ValueError):
            uow.commit()
