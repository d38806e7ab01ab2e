"""Payment references (ISO 11649 RF), IBANs and the EPC QR payload: plain and hypothesis."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from segno import helpers

from chalicelib.domain.bank_accounts import format_iban, mask_iban, normalise_iban
from chalicelib.domain.epc_qr import epc_payload
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.references import (
    NUMBER_DIGITS,
    formatted,
    is_valid,
    member_number_of,
    payment_reference,
    references_in,
)

numbers = st.integers(min_value=1, max_value=10**NUMBER_DIGITS - 1)
ALPHABET = string.digits + string.ascii_uppercase


@given(numbers)
def test_a_reference_is_rf_check_digits_and_the_number_and_names_that_number(n: int) -> None:
    reference = payment_reference(n)
    assert reference.startswith("RF") and len(reference) == 4 + NUMBER_DIGITS
    assert reference[4:] == str(n).zfill(NUMBER_DIGITS)
    assert is_valid(reference)
    assert member_number_of(reference) == n
    assert member_number_of(formatted(reference).lower()) == n
    # a reference of another length names no member, even with the same check digits
    assert member_number_of(reference[:4] + "0" + reference[4:]) is None


@given(numbers, st.data())
def test_any_single_character_typo_is_detected(n: int, data: st.DataObject) -> None:
    reference = payment_reference(n)
    position = data.draw(st.integers(min_value=0, max_value=len(reference) - 1))
    typo = data.draw(st.sampled_from(ALPHABET).filter(lambda c: c != reference[position]))
    mistyped = reference[:position] + typo + reference[position + 1 :]

    assert member_number_of(mistyped) is None
    assert references_in(f"Contributie {mistyped}") == []


@given(numbers, st.data())
def test_a_left_out_extra_or_swapped_character_is_detected(n: int, data: st.DataObject) -> None:
    reference = payment_reference(n)
    i = data.draw(st.integers(min_value=2, max_value=len(reference) - 2))
    swapped = reference[:i] + reference[i + 1] + reference[i] + reference[i + 2 :]
    dropped = reference[:i] + reference[i + 1 :]
    extra = reference[:i] + data.draw(st.sampled_from(string.digits)) + reference[i:]
    if swapped != reference:
        assert member_number_of(swapped) is None
        assert all(member_number_of(r) is None for r in references_in(swapped))
    for typo in (dropped, extra, dropped + " 2026", extra + " 2026"):
        assert member_number_of(typo) is None
        assert all(member_number_of(r) is None for r in references_in(f"Contributie {typo}"))


@given(
    numbers,
    st.sampled_from(["", "Contributie ", "BETALING ", "rf-kenmerk: ", "Q4 2026 "]),
    st.sampled_from(["", " 4e kwartaal 2026", " dank je", "/2026", " 12345"]),
    st.booleans(),
    st.sampled_from([" ", "", "  ", "\n"]),
)
def test_references_are_found_in_free_text_in_any_case_or_spacing(
    n: int, before: str, after: str, lower: bool, gap: str
) -> None:
    reference = payment_reference(n)
    written = gap.join(formatted(reference).split(" "))
    text = before + (written.lower() if lower else written) + after
    assert references_in(text) == [reference]


def test_references_in_free_text_examples() -> None:
    ref = payment_reference(1042)
    assert references_in(f"Contributie {formatted(ref).lower()} 4e kwartaal 2026") == [ref]
    assert references_in(f"{ref} en {payment_reference(7)} en {ref}") == [
        ref,
        payment_reference(7),
    ]
    assert references_in("no reference here, RF rubbish RF12") == []
    assert references_in(f"X{ref}") == []  # glued to a word: not a reference


def test_the_known_iso_11649_example_is_valid() -> None:
    assert is_valid("RF18 5390 0754 7034")
    assert not is_valid("RF17 5390 0754 7034")
    assert member_number_of("RF18 5390 0754 7034") is None  # valid, not of our length
    assert references_in("Betaling RF18 5390 0754 7034") == ["RF18539007547034"]
    assert member_number_of("RF18 5390 0754 70Y") is None  # valid RF, not one of ours


@pytest.mark.parametrize("bad", [0, -1, True, 10**NUMBER_DIGITS])
def test_a_reference_needs_a_positive_member_number(bad: int) -> None:
    with pytest.raises(ValueError):
        payment_reference(bad)


def test_ibans_are_checked_normalised_and_masked() -> None:
    assert normalise_iban(" nl91 abna 0417 1643 00 ") == "NL91ABNA0417164300"
    assert format_iban("NL91ABNA0417164300") == "NL91 ABNA 0417 1643 00"
    assert mask_iban("NL91ABNA0417164300") == "**************4300"
    for bad in ("NL91ABNA0417164301", "NL91ABNA041716430", "XX91ABNA0417164300", "", "NL"):
        with pytest.raises(InvalidInput) as refused:
            normalise_iban(bad)
        assert [(p.field, p.code) for p in refused.value.problems] == [("iban", "not_an_iban")]


@given(st.integers(min_value=1, max_value=999_999_999_99), numbers)
def test_the_epc_payload_is_the_one_segno_makes(cents: int, n: int) -> None:
    reference = payment_reference(n)
    ours = epc_payload(
        bic="ABNANL2A",
        name="Co-operations",
        iban="NL91ABNA0417164300",
        amount_cents=cents,
        reference=reference,
    )
    theirs = helpers._make_epc_qr_data(
        name="Co-operations",
        iban="NL91ABNA0417164300",
        amount=f"{cents // 100}.{cents % 100:02d}",
        reference=reference,
        bic="ABNANL2A",
        encoding=1,
    ).decode()
    # segno writes EUR12.5 for EUR12.50 and EUR12 for EUR12.00; both are valid EPC amounts
    assert ours.split("\n")[:7] == theirs.split("\n")[:7]
    assert ours.split("\n")[8:] == theirs.split("\n")[8:]
    assert float(ours.split("\n")[7][3:]) * 100 == pytest.approx(cents)
    lines = ours.split("\n")
    assert lines[:4] == ["BCD", "002", "1", "SCT"] and lines[9] == reference
    assert len(ours.encode()) <= 331
