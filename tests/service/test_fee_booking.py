"""Property: whatever the reports, the ledger books exactly the formula on the final totals."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain import ledger
from chalicelib.domain.errors import Conflict
from chalicelib.services.opportunities import NewOpportunity
from tests.conftest import World

CAPS = {"small": 500_000, "medium": 750_000, "large": 1_000_000}


def formula(revenue_cents: int, cap_cents: int, has_referrer: bool) -> dict[str, int]:
    """The SPEC's rule, written out independently of chalicelib.domain.fees."""
    fee = min(cap_cents, revenue_cents * 15 // 100)
    referrer = fee * 50 // 100 if has_referrer else 0
    collective = fee - referrer
    pot = collective * 50 // 100
    return {"fee": fee, "referrer": referrer, "pot": pot, "operations": collective - pot}


def balances(world: World, accounts: list[str]) -> dict[str, int]:
    return {a: world.services.ledger_store.balance_cents(a) for a in accounts}


reports = st.lists(st.integers(min_value=-2_000_000, max_value=4_000_000).filter(bool), max_size=6)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amounts=reports, tier=st.sampled_from(sorted(CAPS)), collective=st.booleans())
def test_booked_sums_equal_the_formula_on_final_revenue(
    world: World, patched_moto: None, amounts: list[int], tier: str, collective: bool
) -> None:
    services = world.services
    if not services.members_store.member_id_for_email("ref@example.nl"):
        world.member("Referrer", "ref@example.nl", admin=True)
        world.member("Executor", "exe@example.nl")
    referrer = services.members_store.member_id_for_email("ref@example.nl")
    executor = services.members_store.member_id_for_email("exe@example.nl")
    assert referrer and executor
    form = NewOpportunity("T", "D", ("x",), None, None, None, None, collective)
    opportunity = services.opportunities.post(form, referrer, is_admin=True)
    services.opportunities.express_interest(opportunity.id, executor, "")
    assignment = services.opportunities.award(opportunity.id, executor, tier, date(2026, 6, 1))  # type: ignore[arg-type]
    accounts = [
        ledger.member_owes_account(executor),
        ledger.member_receives_account(referrer),
        ledger.INCOME_FEES,
        ledger.pot_account(2026),
    ]
    before = balances(world, accounts)
    revenue = 0
    for n, amount in enumerate(amounts):
        try:
            services.opportunities.report_revenue(
                assignment.id, executor, amount, f"{assignment.id}-{n}", date(2026, 7, 1)
            )
        except Conflict:
            assert revenue + amount < 0
            continue
        revenue += amount
        after = balances(world, accounts)
        assert sum(after[a] - before[a] for a in accounts) == 0  # balanced after every report

    moved = {a: balances(world, accounts)[a] - before[a] for a in accounts}
    expected = formula(revenue, CAPS[tier], not collective)
    assert moved[accounts[0]] == expected["fee"]
    assert -moved[accounts[1]] == expected["referrer"]
    assert -moved[accounts[2]] == expected["operations"]
    assert -moved[accounts[3]] == expected["pot"]
    stored = services.opportunities.store.get_assignment(assignment.id).totals
    assert (stored.revenue_cents, stored.fee_cents) == (revenue, expected["fee"])
