"""An in-memory unit of work and repositories: the DynamoDB ones' contract, in plain Python.

For fast service tests. A write is registered under a name with a *guard* (its condition: a
function of the state before the commit) and an *apply* step (the change); `commit()` takes
the store's lock, checks every guard, and either applies every write or none, raising the
refusal of the first-registered write whose guard failed (`ConditionFailed` when it declared
none), exactly as `chalicelib.store.uow.UnitOfWork` does with one TransactWriteItems.

The repositories (ledger, coins, claims, and the pots, members and outbox they lean on) have
the public methods and the refusals of the DynamoDB ones: a replay answers the original, the
ledger's ceilings, a bank reference unique across the collective, a distributed year's pot
refusing money and coins. tests/store/ runs the same contract tests against both.

    stores = MemoryStores()
    with stores.uow() as uow:
        stores.ledger.register_booking(uow, transaction)
        uow.commit()

One module a repository (`uow.py`: the unit of work and the shared state; `ledger.py`,
`coins.py`, `claims.py`, `pots.py`, `members.py`, `outbox.py`; `stores.py`: `MemoryStores`,
which builds them all over one state). Add a repository as a module beside them.
"""

from chalicelib.store.memory.claims import MemoryClaims
from chalicelib.store.memory.coins import MemoryCoins
from chalicelib.store.memory.ledger import MemoryLedger, _reference_key
from chalicelib.store.memory.members import MemoryMembers
from chalicelib.store.memory.outbox import MemoryOutbox
from chalicelib.store.memory.pots import MemoryPots
from chalicelib.store.memory.stores import MemoryStores
from chalicelib.store.memory.uow import (
    Apply,
    Guard,
    MemoryState,
    MemoryUnitOfWork,
    MemoryWrite,
    _always,
    _Pot,
)

__all__ = [
    "Apply",
    "Guard",
    "MemoryClaims",
    "MemoryCoins",
    "MemoryLedger",
    "MemoryMembers",
    "MemoryOutbox",
    "MemoryPots",
    "MemoryState",
    "MemoryStores",
    "MemoryUnitOfWork",
    "MemoryWrite",
    "_Pot",
    "_always",
    "_reference_key",
]
