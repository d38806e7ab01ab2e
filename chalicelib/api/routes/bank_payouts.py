"""Payout batches: prepare, review, approve (another admin), and the SEPA file (admins)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import Blueprint

from chalicelib.api.framework import Call, endpoint
from chalicelib.api.lazy import models

if TYPE_CHECKING:  # the payout modules load with the first request that uses them
    from chalicelib.domain.payout_batches import PayoutBatch

bp = Blueprint(__name__)


def _batch(batch: PayoutBatch, call: Call, replayed: bool = False) -> models.PayoutBatchOut:
    service = call.services.payout_batches
    names = service.names(batch)

    def name(member_id: str | None) -> str | None:
        known = names.get(member_id) if member_id else None
        return known.name if known else None

    return models.PayoutBatchOut(
        id=batch.batch_id,
        status=batch.status,
        prepared_by=batch.prepared_by,
        prepared_by_name=name(batch.prepared_by),
        prepared_at=batch.prepared_at,
        approved_by=batch.approved_by,
        approved_by_name=name(batch.approved_by),
        approved_at=batch.approved_at,
        execution_date=batch.execution_date,
        total_cents=batch.total_cents,
        offset_cents=batch.offset_total_cents,
        transfer_count=len(batch.transfers),
        items=[
            models.PayoutItemOut(
                number=i.number,
                member_id=i.member_id,
                name=name(i.member_id),
                account_holder=i.account_holder,
                iban=i.iban,
                amount_cents=i.amount_cents,
                offset_cents=i.offset_cents,
                end_to_end_id=i.end_to_end_id,
                status=i.status,
                reason=i.reason,
            )
            for i in batch.items
        ],
        skipped=[
            models.SkippedMemberOut(
                member_id=s.member_id,
                name=name(s.member_id),
                to_receive_cents=s.to_receive_cents,
                reason="no_bank_account",
            )
            for s in batch.skipped
        ],
        may_approve=service.may_approve(batch, call.me.member_id),
        replayed=replayed,
    )


@endpoint(
    bp,
    "/bank/payout-batches",
    "POST",
    access="admin",
    response="PayoutBatchOut",
    status=201,
    errors_=(409,),
    summary=(
        "Prepare a payout batch: every member the collective owes with an IBAN, what they owe "
        "offset first; members without an IBAN listed as skipped. Books nothing yet"
    ),
)
def prepare_payout_batch(call: Call) -> models.PayoutBatchOut:
    return _batch(call.services.payout_batches.prepare(call.me.member_id), call)


@endpoint(
    bp,
    "/bank/payout-batches",
    "GET",
    access="admin",
    query="PageQuery",
    response="PayoutBatchList",
    summary="Payout batches, newest first (one awaiting approval is found here by the other admin)",
)
def payout_batches(call: Call) -> models.PayoutBatchList:
    query = call.query_as(models.PageQuery)
    batches, cursor = call.services.payout_batches.page(query.limit, query.cursor)
    return models.PayoutBatchList(items=[_batch(b, call) for b in batches], next=cursor)


@endpoint(
    bp,
    "/bank/payout-batches/{batch_id}",
    "GET",
    access="admin",
    response="PayoutBatchOut",
    errors_=(404,),
    summary="A payout batch: its members, amounts, offsets, skipped members and status",
)
def payout_batch(call: Call) -> models.PayoutBatchOut:
    return _batch(call.services.payout_batches.get(call.params["batch_id"]), call)


@endpoint(
    bp,
    "/bank/payout-batches/{batch_id}/approve",
    "POST",
    access="admin",
    response="PayoutBatchOut",
    errors_=(403, 404),
    summary=(
        "Approve a payout batch (another admin than who prepared it, unless the policy allows "
        "one): books every offset and payout once; again answers the approved batch"
    ),
)
def approve_payout_batch(call: Call) -> models.PayoutBatchOut:
    approval = call.services.payout_batches.approve(call.params["batch_id"], call.me.member_id)
    return _batch(approval.batch, call, approval.replayed)


@endpoint(
    bp,
    "/bank/payout-batches/{batch_id}/pain.001.xml",
    "GET",
    access="admin",
    response="FileAnswer",
    errors_=(404, 409),
    file_media_type="application/xml",
    summary=(
        "The SEPA credit transfer file (pain.001.001.09) of an approved batch, to upload to the "
        "bank; the same bytes every time. 409 before approval"
    ),
)
def payout_batch_file(call: Call) -> models.FileAnswer:
    batch, document = call.services.payout_batches.credit_transfer_file(call.params["batch_id"])
    return models.FileAnswer(
        body=document.decode("utf-8"),
        media_type="application/xml; charset=utf-8",
        filename=f"payouts-{batch.batch_id}.pain.001.xml",
    )
