"""The vocabulary: what a typed discipline or sector is stored as, and what a filter finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.vocabulary import DEFAULT, STOP_WORDS, Term, is_meaningful, slug


def test_a_typed_name_of_a_known_term_is_stored_as_that_term() -> None:
    assert DEFAULT.canonical("discipline", "UX-ontwerper") == "ux-design"
    assert DEFAULT.canonical("discipline", "  Projectleiders ") == "project-management"
    assert DEFAULT.canonical("discipline", "HR") == "hr"
    assert DEFAULT.canonical("sector", "Zorg") == "healthcare"
    assert DEFAULT.canonical("sector", "healthcare") == "healthcare"


def test_a_new_term_is_kept_as_typed_and_a_word_that_cannot_be_one_is_refused() -> None:
    assert DEFAULT.canonical("discipline", "Duurzaamheid  advies") == "duurzaamheid advies"
    for word in ("de", "en", "x", "the", "42", "--", "de en"):
        assert DEFAULT.canonical("discipline", word) is None, word


@given(st.sampled_from(sorted(STOP_WORDS)))
def test_no_common_word_is_meaningful(word: str) -> None:
    assert not is_meaningful(word) and not is_meaningful(word.upper())


def test_a_filter_finds_a_discipline_by_any_of_its_names() -> None:
    for wanted in ("UX", "ux-design", "UX designer", "UX-ontwerp", "ux'er"):
        assert DEFAULT.same("discipline", "ux-design", wanted), wanted
    assert DEFAULT.same("discipline", "Duurzaamheid", "duurzaamheid")
    assert not DEFAULT.same("discipline", "ux-design", "data-engineering")


def test_admins_additions_extend_terms_and_add_new_ones() -> None:
    extended = DEFAULT.with_additions(
        [
            Term("ux-design", "discipline", "", "", ("gebruiksvriendelijkheid",), False),
            Term("circulaire-economie", "sector", "Circulaire economie", "Circular", ()),
        ]
    )
    assert extended.resolve("discipline", "Gebruiksvriendelijkheid") == "ux-design"
    assert extended.resolve("discipline", "UX designer") == "ux-design"
    assert extended.resolve("sector", "circular") == "circulaire-economie"
    assert extended.term("discipline", "ux-design") is not None
    assert slug("Circulaire Economie!") == "circulaire-economie"
