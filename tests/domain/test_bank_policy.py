"""The collective's bank account is configuration (SPEC "Money through the bank"): a stage
names its own, and one that is not a valid account is refused at start-up."""

from __future__ import annotations

import pytest
from stdnum import iban
from stdnum.eu import at_02

from chalicelib.policy import Policy, PolicyError, policy_with_overrides


def test_the_demo_account_is_a_valid_one() -> None:
    policy = Policy()
    assert iban.is_valid(policy.bank_iban) and policy.bank_iban == "NL91ABNA0417164300"
    assert at_02.is_valid(policy.sepa_creditor_id)
    assert policy.bank_bic == "ABNANL2A"
    assert (policy.collection_lead_days, policy.single_admin_approval) == (5, False)
    # the older names still answer
    assert policy.payment_iban == policy.bank_iban
    assert policy.payment_account_holder == policy.bank_account_name == "Co-operations"


def test_a_stage_names_its_account_as_typed_and_it_is_kept_compact() -> None:
    policy = policy_with_overrides(
        {
            "bank_iban": "nl20 ingb 0001 2345 67",
            "bank_bic": "ingbnl2a",
            "sepa_creditor_id": "nl69 zzz 1234 5678 0000",
            "single_admin_approval": True,
        }
    )
    assert (policy.bank_iban, policy.bank_bic) == ("NL20INGB0001234567", "INGBNL2A")
    assert policy.sepa_creditor_id == "NL69ZZZ123456780000"
    assert policy.single_admin_approval is True


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("bank_iban", "NL00 BANK 0000 0000 00"),
        ("bank_iban", "NL91ABNA0417164301"),
        ("bank_bic", "ABN"),
        ("sepa_creditor_id", "NL00ZZZ123456780000"),
        ("bank_account_name", ""),
        ("bank_account_name", "x" * 71),
        ("collection_lead_days", 0),
        ("single_admin_approval", 1),
    ],
)
def test_an_account_that_does_not_hold_is_refused_naming_the_setting(
    setting: str, value: object
) -> None:
    with pytest.raises(PolicyError, match=setting):
        policy_with_overrides({setting: value})
