"""Coin claims; approving one writes its coin award in the same unit of work."""

from __future__ import annotations

from chalicelib.domain.coins import CoinClaim
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.store.dynamo import DynamoTable, Item
from chalicelib.store.records import ClaimPage as ClaimPage
from chalicelib.store.schema import GSI_BY_STATUS, GSI_BY_TIME
from chalicelib.store.timestamps import maybe_unstamp, stamp, unstamp
from chalicelib.store.uow import UnitOfWork

STATUS = {"#status": "status"}
NEW = "attribute_not_exists(PK)"


class ClaimStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def add(self, claim: CoinClaim) -> None:
        with UnitOfWork(self.table.client) as uow:
            uow.put("claim.new", self.table, _claim_item(claim), condition=NEW)
            uow.commit()

    def get(self, claim_id: str) -> CoinClaim:
        item = self.table.get(f"CLAIM#{claim_id}", "CLAIM")
        if item is None:
            raise NotFound("claim_not_found")
        return _claim_from(item)

    def browse(self, status: str, limit: int, cursor: str | None) -> ClaimPage:
        page = self.table.query_page(
            f"CLAIMS#{status}", index=GSI_BY_STATUS, limit=limit, cursor=cursor, newest_first=True
        )
        return ClaimPage([_claim_from(i) for i in page.items], page.next_cursor)

    def of_member(self, member_id: str, limit: int, cursor: str | None) -> ClaimPage:
        """A member's own claims, newest first, whatever their status."""
        page = self.table.query_page(
            member_claims_partition(member_id),
            index=GSI_BY_TIME,
            limit=limit,
            cursor=cursor,
            newest_first=True,
        )
        return ClaimPage([_claim_from(i) for i in page.items], page.next_cursor)

    def register_decision(self, uow: UnitOfWork, decided: CoinClaim) -> None:
        """The decision ("claim.decision"), written only while the claim is still pending: a
        claim decided meanwhile refuses with Conflict("claim_decided_meanwhile"). Register it
        before what the decision brings (the approval's coin award, the member's mail)."""
        uow.put(
            "claim.decision",
            self.table,
            _claim_item(decided),
            condition="#status = :pending",
            values={":pending": "pending"},
            names=STATUS,
            refusal=lambda: Conflict("claim_decided_meanwhile"),
        )


def member_claims_partition(member_id: str) -> str:
    return f"CLAIMS#member#{member_id}"


def _claim_item(c: CoinClaim) -> Item:
    filed = stamp(c.filed_at)
    return {
        "PK": f"CLAIM#{c.id}",
        "SK": "CLAIM",
        "GSI1PK": f"CLAIMS#{c.status}",
        "GSI1SK": f"{filed}#{c.id}",
        "GSI2PK": member_claims_partition(c.member_id),
        "GSI2SK": f"{filed}#{c.id}",
        "claim_id": c.id,
        "member_id": c.member_id,
        "activity": c.activity,
        "description": c.description,
        "url": c.url,
        "status": c.status,
        "filed_at": filed,
        "decided_at": stamp(c.decided_at) if c.decided_at else None,
        "decided_by": c.decided_by,
        "coins": c.coins,
        "rejection_reason": c.rejection_reason,
    }


def _claim_from(item: Item) -> CoinClaim:
    return CoinClaim(
        id=item["claim_id"],
        member_id=item["member_id"],
        activity=item["activity"],
        description=item["description"],
        url=item.get("url"),
        status=item["status"],
        filed_at=unstamp(item["filed_at"]),
        decided_at=maybe_unstamp(item.get("decided_at")),
        decided_by=item.get("decided_by"),
        coins=item.get("coins"),
        rejection_reason=item.get("rejection_reason"),
    )
