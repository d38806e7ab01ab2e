"""Coin claims, pots and the yearly distribution."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import views
from chalicelib.api.framework import Call, endpoint
from chalicelib.api.lazy import models
from chalicelib.domain.errors import FieldProblem, InvalidInput
from chalicelib.periods import parse_year

bp = Blueprint(__name__)


def year_param(text: str) -> int:
    try:
        return parse_year(text)
    except ValueError as error:
        problem = FieldProblem("year", "not_a_year")
        raise InvalidInput("invalid_input", problems=[problem]) from error


@endpoint(
    bp,
    "/coins/claims",
    "POST",
    access="member",
    body="ClaimIn",
    response="ClaimOut",
    status=201,
    summary="Claim coins for publicity; an admin sets the amount",
)
def file_claim(call: Call) -> models.ClaimOut:
    body = call.body_as(models.ClaimIn)
    claim = call.services.coins.file_claim(
        call.me.member_id, body.activity, body.description, body.url
    )
    return views.claim(claim)


@endpoint(
    bp,
    "/coins/claims",
    "GET",
    access="admin",
    query="ClaimsQuery",
    response="ClaimList",
    summary="Coin claims by status, newest first",
)
def list_claims(call: Call) -> models.ClaimList:
    query = call.query_as(models.ClaimsQuery)
    page = call.services.coins.browse_claims(query.status, query.limit, query.cursor)
    return models.ClaimList(items=[views.claim(c) for c in page.claims], next=page.next_cursor)


@endpoint(
    bp,
    "/coins/claims/{claim_id}/approve",
    "POST",
    access="admin",
    body="ApproveClaimIn",
    response="ClaimOut",
    summary="Approve a claim with an amount of coins within the policy's range",
    errors_=(404, 409),
)
def approve_claim(call: Call) -> models.ClaimOut:
    coins = call.body_as(models.ApproveClaimIn).coins
    return views.claim(
        call.services.coins.approve(call.params["claim_id"], coins, call.me.member_id)
    )


@endpoint(
    bp,
    "/coins/claims/{claim_id}/reject",
    "POST",
    access="admin",
    body="RejectIn",
    response="ClaimOut",
    summary="Reject a claim with a reason",
    errors_=(404, 409),
)
def reject_claim(call: Call) -> models.ClaimOut:
    reason = call.body_as(models.RejectIn).reason
    return views.claim(
        call.services.coins.reject(call.params["claim_id"], reason, call.me.member_id)
    )


@endpoint(
    bp,
    "/pots/{year}",
    "GET",
    access="member",
    response="PotOut",
    summary="A year's pot: balance, coins, status and an indicative value per coin",
)
def pot(call: Call) -> models.PotOut:
    view = call.services.coins.pot(year_param(call.params["year"]))
    return models.PotOut(
        year=view.year,
        balance_cents=view.balance_cents,
        total_coins=view.total_coins,
        status="distributed" if view.status == "distributed" else "open",
        indicative_cents_per_coin=view.indicative_cents_per_coin,
    )


@endpoint(
    bp,
    "/distributions/{year}",
    "GET",
    access="member",
    response="DistributionOut",
    summary="A distributed year: admins see every payout, members their own",
    errors_=(404,),
)
def distribution(call: Call) -> models.DistributionOut:
    header, payouts = call.services.coins.distribution(
        year_param(call.params["year"]), call.me.member_id, call.me.is_admin
    )
    return models.DistributionOut(
        year=header.year,
        pot_cents=header.pot_cents,
        total_coins=header.total_coins,
        payouts=[
            models.PayoutOut(member_id=p.member_id, coins=p.coins, amount_cents=p.amount_cents)
            for p in payouts
        ],
    )
