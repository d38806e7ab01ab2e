"""The directory, one's own profile and membership, and admins' view of any member."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import views
from chalicelib.api.framework import Call, endpoint
from chalicelib.api.lazy import models
from chalicelib.domain import ledger
from chalicelib.domain.bank_accounts import BankAccount, format_iban
from chalicelib.periods import year_containing
from chalicelib.services.accounts import MemberStatement

bp = Blueprint(__name__)


@endpoint(
    bp,
    "/members",
    "GET",
    access="member",
    query="DirectoryQuery",
    response="DirectoryList",
    summary="Directory of active members, by name",
)
def directory(call: Call) -> models.DirectoryList:
    query = call.query_as(models.DirectoryQuery)
    page = call.services.membership.directory(
        query.discipline, query.available, query.limit, query.cursor
    )
    pitches = call.services.meetings.last_meeting_pitches()
    return models.DirectoryList(
        items=[views.directory_entry(m, pitches.get(m.id)) for m in page.members],
        next=page.next_cursor,
    )


@endpoint(bp, "/members/me", "GET", access="member", response="MemberOut", summary="Own profile")
def my_profile(call: Call) -> models.MemberOut:
    return views.member(call.services.membership.member(call.me.member_id))


@endpoint(
    bp,
    "/members/me",
    "PATCH",
    access="member",
    body="ProfilePatch",
    response="MemberOut",
    summary="Change own profile",
)
def update_my_profile(call: Call) -> models.MemberOut:
    changes = call.body_as(models.ProfilePatch).changes()
    return views.member(call.services.membership.update_profile(call.me.member_id, changes))


@endpoint(
    bp,
    "/members/me/cancel",
    "POST",
    access="member",
    response="MemberOut",
    summary="Cancel membership, effective at once (no refund; debts stay)",
)
def cancel_membership(call: Call) -> models.MemberOut:
    return views.member(call.services.membership.cancel(call.me.member_id))


@endpoint(
    bp,
    "/members/me/statement",
    "GET",
    access="member",
    query="PageQuery",
    response="Statement",
    summary="Own statement: what one owes, is to receive, and the entries, newest first",
)
def my_statement(call: Call) -> models.Statement:
    query = call.query_as(models.PageQuery)
    statement = call.services.accounts.statement(call.me.member_id, query.limit, query.cursor)
    return views.statement(statement, call.language, _titles(call, statement))


@endpoint(
    bp,
    "/members/me/coins",
    "GET",
    access="member",
    query="CoinsQuery",
    response="CoinsOut",
    summary="Own coins of a year (default: this year)",
)
def my_coins(call: Call) -> models.CoinsOut:
    year = call.query_as(models.CoinsQuery).year or year_containing(call.services.clock.now())
    coin_year = call.services.coin_store.year_of(call.me.member_id, year)
    names = call.services.coins.award_names(coin_year.awards)
    return models.CoinsOut(
        year=year,
        total=coin_year.total,
        awards=[
            views.coin_award(a, call.language, names.get(a.award_id)) for a in coin_year.awards
        ],
    )


@endpoint(
    bp,
    "/members/me/payment-details",
    "GET",
    access="member",
    response="PaymentDetailsOut",
    summary="How to pay what one owes: the collective's IBAN and the reference to mention",
)
def my_payment_details(call: Call) -> models.PaymentDetailsOut:
    details = call.services.payment_details.of(call.me.member_id, call.language)
    return models.PaymentDetailsOut.model_validate(details, from_attributes=True)


@endpoint(
    bp,
    "/members/me/bank-account",
    "GET",
    access="member",
    response="BankAccountOut",
    summary="Own bank account for payouts, the IBAN masked but its last four (nulls: none yet)",
)
def my_bank_account(call: Call) -> models.BankAccountOut:
    return _bank_account(call.services.bank_accounts.bank_account_of(call.me.member_id), True)


@endpoint(
    bp,
    "/members/me/bank-account",
    "PUT",
    access="member",
    body="BankAccountIn",
    response="BankAccountOut",
    summary="Register or change the IBAN and account holder payouts go to; the member is mailed "
    "the change. Answers the IBAN masked but its last four",
)
def register_my_bank_account(call: Call) -> models.BankAccountOut:
    body = call.body_as(models.BankAccountIn)
    account = call.services.bank_accounts.register(
        call.me.member_id, body.iban, body.account_holder
    )
    return _bank_account(account, True)


@endpoint(
    bp,
    "/members/{member_id}/bank-account",
    "GET",
    access="admin",
    response="BankAccountOut",
    summary="Any member's bank account for payouts, the IBAN in full (nulls: none yet)",
    errors_=(404,),
)
def member_bank_account(call: Call) -> models.BankAccountOut:
    member_id = call.params["member_id"]
    call.services.membership.member(member_id)  # 404 for an unknown member
    return _bank_account(call.services.bank_accounts.bank_account_of(member_id), False)


def _bank_account(account: BankAccount | None, masked: bool) -> models.BankAccountOut:
    if account is None:
        return models.BankAccountOut(iban=None, account_holder=None, changed_at=None)
    return models.BankAccountOut(
        iban=account.masked_iban if masked else format_iban(account.iban),
        account_holder=account.account_holder,
        changed_at=account.changed_at,
    )


@endpoint(
    bp,
    "/members/me/assignments",
    "GET",
    access="member",
    query="MyAssignmentsQuery",
    response="MyAssignmentList",
    summary="Own assignments, newest first: as executing member (default) or as referrer",
)
def my_assignments(call: Call) -> models.MyAssignmentList:
    query = call.query_as(models.MyAssignmentsQuery)
    page = call.services.overview.assignments(
        call.me.member_id, query.role, query.limit, query.cursor
    )
    return models.MyAssignmentList(
        items=[views.my_assignment(a) for a in page.items], next=page.next_cursor
    )


@endpoint(
    bp,
    "/members/me/coins/claims",
    "GET",
    access="member",
    query="PageQuery",
    response="ClaimList",
    summary="Own coin claims with their status, newest first",
)
def my_claims(call: Call) -> models.ClaimList:
    query = call.query_as(models.PageQuery)
    page = call.services.overview.claims(call.me.member_id, query.limit, query.cursor)
    return models.ClaimList(items=[views.claim(c) for c in page.claims], next=page.next_cursor)


@endpoint(
    bp,
    "/members/{member_id}",
    "GET",
    access="admin",
    response="MemberOut",
    summary="Any member",
    errors_=(404,),
)
def get_member(call: Call) -> models.MemberOut:
    return views.member(call.services.membership.member(call.params["member_id"]))


@endpoint(
    bp,
    "/members/{member_id}/statement",
    "GET",
    access="admin",
    query="PageQuery",
    response="Statement",
    summary="Any member's statement",
    errors_=(404,),
)
def member_statement(call: Call) -> models.Statement:
    query = call.query_as(models.PageQuery)
    statement = call.services.accounts.statement(
        call.params["member_id"], query.limit, query.cursor
    )
    return views.statement(statement, call.language, _titles(call, statement))


def _titles(call: Call, statement: MemberStatement) -> dict[str, str]:
    """The titles of the assignments a statement's lines name, by assignment id."""
    return call.services.opportunities.line_titles(statement.lines)


@endpoint(
    bp,
    "/members/{member_id}/assignments",
    "GET",
    access="admin",
    query="MyAssignmentsQuery",
    response="MyAssignmentList",
    summary="Any member's assignments, newest first: as executing member (default) or referrer",
    errors_=(404,),
)
def member_assignments(call: Call) -> models.MyAssignmentList:
    query = call.query_as(models.MyAssignmentsQuery)
    member_id = call.services.membership.member(call.params["member_id"]).id  # 404 if unknown
    page = call.services.overview.assignments(member_id, query.role, query.limit, query.cursor)
    return models.MyAssignmentList(
        items=[views.my_assignment(a) for a in page.items], next=page.next_cursor
    )


@endpoint(
    bp,
    "/members/{member_id}/history",
    "GET",
    access="admin",
    response="MemberHistoryOut",
    summary="Any member's history: application, admission, cancellation, payments, payouts",
    errors_=(404,),
)
def member_history(call: Call) -> models.MemberHistoryOut:
    member_id = call.params["member_id"]
    events = call.services.overview.history(member_id)
    return models.MemberHistoryOut(
        member_id=member_id,
        events=[
            models.MemberEventOut(
                kind=e.kind, at=e.at, amount_cents=e.amount_cents, reference=e.reference, by=e.by
            )
            for e in events
        ],
    )


@endpoint(
    bp,
    "/admin/members",
    "GET",
    access="admin",
    query="AdminMembersQuery",
    response="MemberList",
    summary="Members of a status (active or cancelled) by name; search by name, e-mail, reference",
)
def find_members(call: Call) -> models.MemberList:
    query = call.query_as(models.AdminMembersQuery)
    page = call.services.overview.find_members(query.status, query.q, query.limit, query.cursor)
    return models.MemberList(items=[views.member(m) for m in page.members], next=page.next_cursor)


@endpoint(
    bp,
    "/members/{member_id}/payments",
    "POST",
    access="admin",
    body="MoneyIn",
    response="TransactionOut",
    status=201,
    summary="Money received from a member; the reference is the idempotency key",
    errors_=(400, 404, 409),
)
def record_payment(call: Call) -> models.TransactionOut:
    body = call.body_as(models.MoneyIn)
    member_id = call.params["member_id"]
    booking = call.services.accounts.record_payment(
        member_id, body.amount_cents, body.received_on, body.reference, call.me.member_id
    )
    return views.booking(booking, ledger.member_owes_account(member_id), call.language)


@endpoint(
    bp,
    "/members/{member_id}/payouts",
    "POST",
    access="admin",
    body="MoneyIn",
    response="TransactionOut",
    status=201,
    summary="Money paid out to a member; 409 above what the collective owes them",
    errors_=(400, 404, 409),
)
def record_payout(call: Call) -> models.TransactionOut:
    body = call.body_as(models.MoneyIn)
    member_id = call.params["member_id"]
    booking = call.services.accounts.record_payout(
        member_id, body.amount_cents, body.received_on, body.reference, call.me.member_id
    )
    return views.booking(booking, ledger.member_receives_account(member_id), call.language)
