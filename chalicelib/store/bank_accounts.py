"""Members' bank accounts (the IBAN and account holder payouts go to).

One item per member, `MEMBER#<id>` / `BANKACCOUNT`, in the IBAN index (GSI2
`IBAN#<iban>` / `<changed_at>#<member id>`): a statement line whose payer's IBAN is known
suggests the member who registered it, by a Query, never a Scan. The index entry moves with
the item, so a changed IBAN leaves nothing stale behind.
"""

from __future__ import annotations

from chalicelib.domain.bank_accounts import BankAccount
from chalicelib.domain.errors import Conflict
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.schema import GSI_BY_TIME
from chalicelib.store.timestamps import stamp, unstamp
from chalicelib.store.uow import UnitOfWork

NEW = "attribute_not_exists(PK)"


def _key(member_id: str) -> tuple[str, str]:
    return f"MEMBER#{member_id}", "BANKACCOUNT"


def iban_partition(iban: str) -> str:
    return f"IBAN#{iban}"


class BankAccountStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def bank_account_of(self, member_id: str) -> BankAccount | None:
        item = self.table.get(*_key(member_id))
        return _account_from(item) if item else None

    def member_id_by_iban(self, iban: str) -> str | None:
        """The member who registered this (compact) IBAN most recently; None if nobody did."""
        page = self.table.query_page(
            iban_partition(iban), index=GSI_BY_TIME, limit=1, newest_first=True
        )
        return str(page.items[0]["member_id"]) if page.items else None

    def register_change(
        self, uow: UnitOfWork, account: BankAccount, previous: BankAccount | None
    ) -> None:
        """Writes the member's account ("bank_account"), provided it is still the one the
        change was based on (none, or the one changed at `previous.changed_at`): two changes
        at once are never both taken as the first; the loser is Conflict("busy")."""
        if previous is None:
            condition, values = NEW, None
        else:
            condition, values = "changed_at = :previous", {":previous": stamp(previous.changed_at)}
        uow.put(
            "bank_account",
            self.table,
            _account_item(account),
            condition=condition,
            values=values,
            refusal=lambda: Conflict("busy"),
        )


def _account_item(a: BankAccount) -> Item:
    pk, sk = _key(a.member_id)
    return {
        "PK": pk,
        "SK": sk,
        "GSI2PK": iban_partition(a.iban),
        "GSI2SK": f"{stamp(a.changed_at)}#{a.member_id}",
        "member_id": a.member_id,
        "iban": a.iban,
        "account_holder": a.account_holder,
        "changed_at": stamp(a.changed_at),
    }


def _account_from(item: Item) -> BankAccount:
    return BankAccount(
        member_id=str(item["member_id"]),
        iban=str(item["iban"]),
        account_holder=str(item["account_holder"]),
        changed_at=unstamp(str(item["changed_at"])),
    )
