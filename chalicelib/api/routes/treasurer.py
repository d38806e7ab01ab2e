"""The treasurer's views: receivables and the ledger export."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api.framework import Call, endpoint
from chalicelib.api.lazy import models
from chalicelib.periods import local_date
from chalicelib.services.receivables import Receivable

bp = Blueprint(__name__)


def _receivable(r: Receivable, call: Call) -> models.ReceivableOut:
    oldest = r.oldest_unpaid_at
    today = local_date(call.services.clock.now())
    return models.ReceivableOut(
        member_id=r.member.id,
        name=r.member.name,
        email=r.member.email,
        status=r.member.status,
        owed_cents=r.owed_cents,
        oldest_unpaid_on=local_date(oldest) if oldest else None,
        oldest_unpaid_age_days=(today - local_date(oldest)).days if oldest else None,
        last_reminder_at=r.last_reminder_at,
    )


@endpoint(
    bp,
    "/admin/receivables",
    "GET",
    access="admin",
    query="ReceivablesQuery",
    response="ReceivableList",
    summary=(
        "Members owing something: amount, age of the oldest unpaid charge, last reminder; "
        "the total and count of the whole list; search by name, e-mail or reference"
    ),
)
def receivables(call: Call) -> models.ReceivableList:
    query = call.query_as(models.ReceivablesQuery)
    page = call.services.receivables.page(query.sort, query.limit, query.cursor, query.q)
    return models.ReceivableList(
        items=[_receivable(r, call) for r in page.items],
        next=page.next_cursor,
        total_cents=page.total_cents,
        count=page.count,
    )


@endpoint(
    bp,
    "/admin/payables",
    "GET",
    access="admin",
    query="PayablesQuery",
    response="PayableList",
    summary="Members the collective owes something (referral shares, pot payouts), largest first",
)
def payables(call: Call) -> models.PayableList:
    query = call.query_as(models.PayablesQuery)
    page = call.services.payables.page(query.limit, query.cursor, query.q)
    return models.PayableList(
        items=[
            models.PayableOut(
                member_id=p.member.id,
                name=p.member.name,
                email=p.member.email,
                status=p.member.status,
                to_receive_cents=p.to_receive_cents,
            )
            for p in page.items
        ],
        next=page.next_cursor,
        total_cents=page.total_cents,
        count=page.count,
    )


@endpoint(
    bp,
    "/ledger/export",
    "GET",
    access="admin",
    query="ExportQuery",
    response="FileAnswer",
    summary="Ledger entries of a date range as CSV (semicolons, decimal comma, UTF-8 BOM)",
)
def export_ledger(call: Call) -> models.FileAnswer:
    query = call.query_as(models.ExportQuery)
    chunks = call.services.export.ledger_csv(query.from_, query.to, call.language)
    return models.FileAnswer(
        body="".join(chunks),
        media_type="text/csv; charset=utf-8",
        filename=f"ledger-{query.from_.isoformat()}-{query.to.isoformat()}.csv",
    )
