"""Recognising the collective's disciplines in a mail's text, explainably."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.disciplines import recognise

KNOWN = ["data-engineering", "interim-management", "legal", "ux-design", "software-development"]


def found(text: str) -> dict[str, tuple[str, ...]]:
    return {r.discipline: r.words for r in recognise(text, KNOWN)}


def test_each_discipline_keeps_the_words_that_gave_it() -> None:
    assert found("Wij zoeken een Data-Engineer en een interim manager voor DATA ENGINEERING.") == {
        "data-engineering": ("Data-Engineer", "DATA ENGINEERING"),
        "interim-management": ("interim manager",),
    }


def test_spellings_with_spaces_hyphens_or_nothing_and_accents_match() -> None:
    assert set(found("softwaredevelopment, Légal advies, UX designers")) == {
        "software-development",
        "legal",
        "ux-design",
    }


def test_parts_of_other_words_do_not_match() -> None:
    assert found("legalisatie van data, illegal, metadata engineering-achtig") == {}
    assert found("een interim en wat management") == {}


def test_only_known_disciplines_are_recognised() -> None:
    assert recognise("data engineering", []) == []
    assert [r.discipline for r in recognise("Data engineering", ["data-engineering"])] == [
        "data-engineering"
    ]


@given(st.text(max_size=300))
def test_every_word_given_as_a_reason_is_in_the_text(text: str) -> None:
    for recognised in recognise(text, KNOWN):
        for word in recognised.words:
            assert " ".join(word.split()) in " ".join(text.split())
