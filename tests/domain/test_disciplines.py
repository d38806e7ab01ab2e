"""Recognising the collective's disciplines and sectors in a mail's text, explainably."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.disciplines import recognise
from chalicelib.domain.vocabulary import BUILT_IN, DEFAULT, STOP_WORDS, Term

KNOWN = ["data-engineering", "interim-management", "legal", "ux-design", "software-development"]


def found(text: str) -> dict[str, tuple[str, ...]]:
    return {r.discipline: r.words for r in recognise(text)}


def test_each_discipline_keeps_the_words_that_gave_it() -> None:
    assert found("Wij zoeken een Data-Engineer en een interim manager voor DATA ENGINEERING.") == {
        "data-engineering": ("Data-Engineer", "DATA ENGINEERING"),
        "interim-management": ("interim manager",),
    }


@pytest.mark.parametrize(
    ("text", "discipline"),
    [
        ("programmamanager", "programme-management"),
        ("projectleider", "project-management"),
        ("interim controller", "finance"),
        ("financieel controller", "finance"),
        ("data-analist", "data-analysis"),
        ("data analyst", "data-analysis"),
        ("softwareontwikkelaar", "software-development"),
        ("UX-ontwerper", "ux-design"),
        ("scrum master", "agile-coaching"),
        ("UX'er", "ux-design"),
        ("UX\u2019ers", "ux-design"),
        ("Wij zoeken twee projectleiders", "project-management"),
        ("drie data-analisten", "data-analysis"),
        ("een interimprojectleider", "project-management"),
        ("Programme Manager", "programme-management"),
    ],
)
def test_the_titles_and_synonyms_people_write_are_recognised(text: str, discipline: str) -> None:
    assert discipline in found(f"Wij zoeken: {text}, per direct.")


def test_sectors_are_recognised_in_dutch_and_english_as_one() -> None:
    for text in ("iets in de zorg", "a healthcare client", "Gezondheidszorg", "ziekenhuizen"):
        assert [r.discipline for r in recognise(text, kind="sector")] == ["healthcare"], text


def test_spellings_with_spaces_hyphens_or_nothing_and_accents_match() -> None:
    assert set(found("softwaredevelopment, Légal advies, UX designers")) == {
        "software-development",
        "legal",
        "ux-design",
    }


def test_parts_of_other_words_do_not_match() -> None:
    assert found("legalisatie van data, illegal, metadata engineering-achtig") == {}
    assert found("een interim en wat management") == {}


def test_members_own_terms_are_recognised_but_never_short_or_common_words() -> None:
    own = ["de", "en", "IT", "x", "the", "duurzaamheid"]
    text = "De bakker en de slager zoeken iemand voor duurzaamheid; IT is niet nodig."
    assert [r.discipline for r in recognise(text, own)] == ["duurzaamheid"]
    assert recognise("de en het and the", own) == []


def test_only_known_disciplines_are_recognised() -> None:
    assert recognise("data engineering", []) == []
    assert [r.discipline for r in recognise("Data engineering", ["data-engineering"])] == [
        "data-engineering"
    ]


def test_a_dutch_mail_without_a_discipline_matches_nothing() -> None:
    text = "De bakker om de hoek zoekt iemand die brood kan bezorgen op zaterdag."
    assert recognise(text) == []


@given(st.text(max_size=300))
def test_every_word_given_as_a_reason_is_in_the_text(text: str) -> None:
    for recognised in recognise(text, KNOWN) + recognise(text):
        for word in recognised.words:
            assert " ".join(word.split()) in " ".join(text.split())


@given(st.lists(st.sampled_from(sorted(STOP_WORDS)), min_size=1, max_size=30))
def test_common_words_alone_never_make_a_discipline(words: list[str]) -> None:
    text = " ".join(words)
    assert recognise(text, list(STOP_WORDS)) == []
    assert recognise(text) == [] and recognise(text, kind="sector") == []


def test_no_name_stands_for_two_terms() -> None:
    for term in BUILT_IN:
        for name in term.all_names:
            assert DEFAULT.resolve(term.kind, name) == term.id, (term.id, name)


NAMES = [
    (term, name) for term in BUILT_IN for name in term.all_names if len(name.replace(" ", "")) > 3
]


def _variant(name: str, case: str, join: str, plural: str) -> str:
    text = join.join(name.split())
    text = {"lower": text.lower(), "upper": text.upper(), "title": text.title()}[case] or text
    return text + plural


@given(
    st.sampled_from(NAMES),
    st.sampled_from(["lower", "upper", "title"]),
    st.sampled_from([" ", "-", ""]),
    st.sampled_from(["", "s", "en"]),
)
def test_every_name_in_any_case_join_or_plural_is_its_term(
    pair: tuple[Term, str], case: str, join: str, plural: str
) -> None:
    term, name = pair
    variant = _variant(name, case, join, plural)
    assert DEFAULT.resolve(term.kind, variant) == term.id
    recognised = [r.discipline for r in recognise(f"Wij zoeken: {variant}.", kind=term.kind)]
    assert term.id in recognised
