"""Bank statements in: import a camt.053, the lines waiting, assign or set aside (admins)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice.app import Blueprint

from chalicelib.api.framework import RAW_MEDIA, Call, endpoint
from chalicelib.api.lazy import models
from chalicelib.domain.membership import Member

if TYPE_CHECKING:  # the statement modules load with the first request that uses them
    from chalicelib.store.bank_lines import BankLine

# camt053.MAX_STATEMENT_BYTES written out, so the reader is not imported with the routes
# (test_bank_statements_api checks that the two agree).
MAX_STATEMENT_BYTES = 10 * 1024 * 1024

bp = Blueprint(__name__)


def _named(member_id: str | None, members: dict[str, Member]) -> models.MemberNamed | None:
    member = members.get(member_id) if member_id else None
    return models.MemberNamed(member_id=member.id, name=member.name) if member else None


def _line(line: BankLine, members: dict[str, Member]) -> models.BankLineOut:
    return models.BankLineOut(
        id=line.line_key,
        status=line.status,
        direction=line.direction,
        amount_cents=line.amount_cents,
        booked_on=line.booked_on,
        counterparty_name=line.counterparty_name,
        counterparty_iban=line.counterparty_iban,
        remittance_text=line.remittance_text,
        structured_reference=line.structured_reference,
        end_to_end_id=line.end_to_end_id,
        return_reason=line.return_reason,
        member=_named(line.member_id, members),
        suggested_member=_named(line.suggested_member_id, members)
        if line.status == "unmatched"
        else None,
        reason=line.reason,
    )


@endpoint(
    bp,
    "/bank/statements",
    "POST",
    access="admin",
    body="StatementFile",
    body_media=RAW_MEDIA,
    # room for the largest statement the reader takes; above it a 413, nothing read
    max_body_bytes=MAX_STATEMENT_BYTES,
    response="StatementImported",
    status=201,
    errors_=(409,),
    summary=(
        "Import a camt.053 bank statement (versions 001.02 to 001.08) of the collective's "
        "account: payments with a member's reference are booked, each line once across imports"
    ),
)
def import_statement(call: Call) -> models.StatementImported:
    content = call.body_as(models.StatementFile).content
    report = call.services.bank_statements.import_statement(content, call.me.member_id)
    return models.StatementImported(
        id=report.id,
        account_iban=report.account_iban,
        lines=report.lines,
        booked=report.booked,
        already_booked=report.already_booked,
        unmatched=report.unmatched,
        executed=report.executed,
        returned=report.returned,
    )


@endpoint(
    bp,
    "/bank/lines",
    "GET",
    access="admin",
    query="BankLinesQuery",
    response="BankLineList",
    summary="Imported statement lines of one status (unmatched first), with suggested members",
)
def bank_lines(call: Call) -> models.BankLineList:
    query = call.query_as(models.BankLinesQuery)
    page, members = call.services.bank_statements.page(query.status, query.limit, query.cursor)
    return models.BankLineList(
        items=[_line(line, members) for line in page.lines], next=page.next_cursor
    )


@endpoint(
    bp,
    "/bank/lines/{line_id}/assign",
    "POST",
    access="admin",
    body="AssignIn",
    response="BankLineOut",
    errors_=(409,),
    summary="Book a waiting credit as that member's payment",
)
def assign_line(call: Call) -> models.BankLineOut:
    body = call.body_as(models.AssignIn)
    line, member = call.services.bank_statements.assign(
        call.params["line_id"], body.member_id, call.me.member_id
    )
    return _line(line, {member.id: member})


@endpoint(
    bp,
    "/bank/lines/{line_id}/set-aside",
    "POST",
    access="admin",
    body="SetAsideIn",
    response="BankLineOut",
    errors_=(409,),
    summary="Set a waiting line aside with the reason (bank costs, interest, a refund)",
)
def set_aside_line(call: Call) -> models.BankLineOut:
    body = call.body_as(models.SetAsideIn)
    line = call.services.bank_statements.set_aside(
        call.params["line_id"], body.reason, call.me.member_id
    )
    return _line(line, {})
