"""An in-memory unit of work and repositories: the DynamoDB ones' contract, in plain Python.

For fast service tests. A write is registered under a name with a *guard* (its condition: a
function of the state before the commit) and an *apply* step (the change); `commit()` takes
the store's lock, checks every guard, and either applies every write or none, raising the
refusal of the first-registered write whose guard failed (`ConditionFailed` when it declared
none), exactly as `chalicelib.store.uow.UnitOfWork` does with one TransactWriteItems.

The repositories (ledger, coins, claims, pots, distributions, members, meetings, intake,
outbox, vocabulary, opportunities) satisfy the protocols of `chalicelib.store.ports` with the
public methods and the refusals of the DynamoDB ones: a replay answers the original, the ledger's
ceilings, a bank reference unique across the collective, a distributed year's pot refusing
money and coins, one e-mail to one applicant, seats kept by guards. tests/store/ runs the
same contract tests against both. Importing this package loads no AWS library.

    stores = MemoryStores()
    with stores.uow() as uow:
        stores.ledger.register_booking(uow, transaction)
        uow.commit()

One module a repository (`uow.py`: the unit of work and the shared state; `ledger.py`,
`coins.py`, `claims.py`, `pots.py`, `members.py`, `outbox.py`, `meetings.py`, `intake.py`,
`distributions.py`, `vocabulary.py`, `opportunities.py`: opportunities, assignments,
teams and revenue reports; `stores.py`: `MemoryStores`,
which builds them all over one state). Add a repository as a module beside them.
"""

from chalicelib.store.memory.claims import MemoryClaims
from chalicelib.store.memory.coins import MemoryCoins
from chalicelib.store.memory.distributions import MemoryDistributions
from chalicelib.store.memory.intake import MemoryIntake
from chalicelib.store.memory.ledger import MemoryLedger, _reference_key
from chalicelib.store.memory.meetings import MemoryMeetings
from chalicelib.store.memory.members import MemoryMembers
from chalicelib.store.memory.opportunities import MemoryOpportunities
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
from chalicelib.store.memory.vocabulary import MemoryVocabulary

__all__ = [
    "Apply",
    "Guard",
    "MemoryClaims",
    "MemoryCoins",
    "MemoryDistributions",
    "MemoryIntake",
    "MemoryLedger",
    "MemoryMeetings",
    "MemoryMembers",
    "MemoryOpportunities",
    "MemoryOutbox",
    "MemoryPots",
    "MemoryState",
    "MemoryStores",
    "MemoryUnitOfWork",
    "MemoryVocabulary",
    "MemoryWrite",
    "_Pot",
    "_always",
    "_reference_key",
]
