"""The error catalogue: every code the platform raises has a Dutch and an English sentence,
amounts read as money and days as dates, and a person never reads a raw code."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from chalicelib.api import errors as api_errors
from chalicelib.domain.errors import Cents, Conflict, FieldProblem, InvalidInput
from chalicelib.i18n import day, from_accept_language, money
from chalicelib.i18n.errors import ERRORS, GENERIC, LABELS, label, render, render_field

ROOT = Path(__file__).resolve().parents[2]
RAISED = {"InvalidInput", "Unauthenticated", "Forbidden", "NotFound", "Conflict", "DomainError"}
CODE = re.compile(r"[a-z]+(_[a-z]+)*")


def raised_codes() -> set[tuple[str, str]]:
    """(code, where) of every literal code given to a domain error or a field problem."""
    found = set()
    for path in sorted((ROOT / "chalicelib").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = 1 if name == "FieldProblem" else 0 if name in RAISED else None
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add((argument.value, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


def test_every_code_raised_is_a_code_with_a_dutch_and_an_english_text() -> None:
    found = raised_codes()
    assert len(found) > 80  # the scan sees the raise sites

    not_codes = sorted(where for code, where in found if not CODE.fullmatch(code))
    without_text = sorted(
        f"{code} ({where}, {lang})"
        for code, where in found
        for lang in ("nl", "en")
        if CODE.fullmatch(code) and code not in ERRORS[lang]
    )

    assert not_codes == [], "a sentence where a code belongs"
    assert without_text == []


@pytest.mark.parametrize(
    "code",
    sorted(
        {
            *api_errors._CODE_BY_TYPE.values(),
            "required",
            "too_short",
            "too_few",
            "not_an_email",
            "not_a_url",
            "not_a_week",
            "not_a_quarter",
            "not_a_member",
            "not_a_reference",
            "bad_format",
            "invalid_value",
        }
    ),
)
def test_every_validation_code_has_both_texts(code: str) -> None:
    assert code in ERRORS["nl"] and code in ERRORS["en"]


def test_both_languages_know_the_same_codes_and_labels() -> None:
    assert set(ERRORS["nl"]) == set(ERRORS["en"])
    assert set(LABELS["nl"]) == set(LABELS["en"])
    assert set(GENERIC["nl"]) == set(GENERIC["en"])


def test_amounts_read_as_money_and_days_as_dates() -> None:
    assert (money(500_000, "nl"), money(500_000, "en")) == ("€ 5.000,00", "€5,000.00")
    assert (money(-1, "nl"), money(123_456_789, "nl")) == ("-€ 0,01", "€ 1.234.567,89")
    assert (day(date(2026, 12, 3), "nl"), day(date(2026, 3, 1), "en")) == (
        "3 december 2026",
        "1 March 2026",
    )
    params = {"amount": Cents(500_000), "owed": Cents(1200), "member": "Anna"}
    assert render("payout_above_owed", "nl", params) == (
        "Het bedrag (€ 5.000,00) is meer dan het collectief Anna verschuldigd is (€ 12,00)."
    )
    assert render("payout_above_owed", "en", params | {"member": None}) == (
        "The amount (€5,000.00) is more than the collective owes this member (€12.00)."
    )


def test_a_code_without_a_text_reads_as_the_generic_sentence_for_its_status() -> None:
    assert render("no_such_code_at_all", "nl", {}, 409) == GENERIC["nl"][409]
    assert render("no_such_code_at_all", "en", {}, 404) == GENERIC["en"][404]
    assert render("payout_above_owed", "nl", {}, 409) == GENERIC["nl"][409]  # lacks amounts
    assert render_field("x", "no_such_code", "nl") == ERRORS["nl"]["invalid_value"]


def test_a_field_may_have_its_own_sentence() -> None:
    assert render_field("years_experience", "below_minimum", "nl", {"minimum": 5}) == (
        "Minimaal 5 jaar."
    )
    assert render_field("capacity", "below_minimum", "en", {"minimum": 1}) == "At least 1."
    assert render_field("amount_cents", "below_minimum", "nl", {"minimum": Cents(1)}) == (
        "Vul een bedrag van minstens € 0,01 in."
    )


def test_labels_never_echo_what_a_caller_made_up() -> None:
    assert label("years_experience", "nl") == "jaren werkervaring"
    assert label("disciplines.3", "en") == "disciplines"
    assert label("%41<script>", "nl") == "een onbekend veld"
    assert label("favourite_colour", "en") == "favourite colour"


def test_accept_language_picks_nl_or_en_by_weight() -> None:
    assert from_accept_language(None) == "nl"
    assert from_accept_language("en-US,en;q=0.9") == "en"
    assert from_accept_language("nl-BE, en;q=0.8") == "nl"
    assert from_accept_language("de, en;q=0.3, nl;q=0.2") == "en"
    assert from_accept_language("en;q=0, fr") == "nl"
    assert from_accept_language("en;q=abc") == "nl"


def test_domain_errors_carry_codes_and_parameters_not_sentences() -> None:
    refused = Conflict("payout_above_owed", amount=Cents(500_000), owed=Cents(0))
    invalid = InvalidInput("invalid_input", problems=[FieldProblem("iban", "not_an_iban")])

    assert (refused.code, refused.params) == (
        "payout_above_owed",
        {"amount": 500_000, "owed": 0},
    )
    assert [(p.field, p.code, dict(p.params)) for p in invalid.problems] == [
        ("iban", "not_an_iban", {})
    ]


def test_the_catalogue_and_the_error_mapping_load_without_pydantic() -> None:
    code = (
        "import sys, chalicelib.i18n.errors, chalicelib.domain.errors, chalicelib.api.errors; "
        "print('pydantic' in sys.modules)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert loaded.stdout.strip() == "False"
