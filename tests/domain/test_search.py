"""Finding a member the way a treasurer types: part of a name, an e-mail address, or the
payment reference as a bank statement line writes it."""

from __future__ import annotations

from chalicelib.domain.search import member_matches

MIEKE = ("Mieke Jansen-Ölçer", "mieke.jansen@example.nl", "344be7c64c731fc1")


def test_words_of_a_name_in_any_order_case_and_accents() -> None:
    assert member_matches("jansen mieke", *MIEKE)
    assert member_matches("OLCER", *MIEKE)
    assert member_matches("  mieke   ", *MIEKE)
    assert not member_matches("mieke de vries", *MIEKE)


def test_an_email_address_or_part_of_it() -> None:
    assert member_matches("mieke.jansen@example", *MIEKE)
    assert not member_matches("sanne@example.nl", *MIEKE)


def test_the_reference_as_a_bank_writes_it_with_spaces_and_capitals() -> None:
    assert member_matches("344B E7C6 4C73 1FC1", *MIEKE)
    assert member_matches("4c731fc1", *MIEKE)
    assert not member_matches("344b e7c6 4c73 1fc2", *MIEKE)


def test_a_few_characters_of_a_reference_are_not_enough() -> None:
    assert not member_matches("fc1", *MIEKE)  # would find half the collective
