"""The SEPA credit transfer file: valid pain.001.001.09, sums equal to the batch, same bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.bank.pain001 import (
    SEPA_CHARACTERS,
    Party,
    Transfer,
    credit_transfer,
    euros,
    sepa_text,
)
from tests.pain001_schema import assert_valid_pain001

AT = datetime(2026, 12, 3, 10, 15, tzinfo=UTC)
DEBTOR = Party("Coöperatie Co-operations U.A.", "NL91 ABNA 0417 1643 00", "ABNANL2A")


def transfer(n: int, cents: int, name: str = "Anna de Vries") -> Transfer:
    return Transfer(f"0123abcd-{n}", cents, name, "NL44RABO0123456789", "Uitbetaling Co-operations")


def test_a_batch_file_is_valid_and_counts_and_sums_its_transfers() -> None:
    document = credit_transfer(
        "0123abcd", AT, date(2026, 12, 4), DEBTOR, [transfer(1, 7000), transfer(2, 12345)]
    )
    decoded = assert_valid_pain001(document)["CstmrCdtTrfInitn"]
    header, (payment,) = decoded["GrpHdr"], decoded["PmtInf"]
    assert header["NbOfTxs"] == "2" and Decimal(str(header["CtrlSum"])) == Decimal("193.45")
    assert payment["NbOfTxs"] == "2" and Decimal(str(payment["CtrlSum"])) == Decimal("193.45")
    assert payment["Dbtr"]["Nm"] == "Cooperatie Co-operations U.A."
    assert payment["DbtrAcct"]["Id"]["IBAN"] == "NL91ABNA0417164300"
    assert payment["DbtrAgt"]["FinInstnId"]["BICFI"] == "ABNANL2A"
    assert payment["ReqdExctnDt"]["Dt"] == "2026-12-04"
    first = payment["CdtTrfTxInf"][0]
    assert first["PmtId"]["EndToEndId"] == "0123abcd-1"
    assert first["Amt"]["InstdAmt"] == {"@Ccy": "EUR", "$": Decimal("70.00")}
    assert first["Cdtr"]["Nm"] == "Anna de Vries"
    assert first["RmtInf"]["Ustrd"] == ["Uitbetaling Co-operations"]
    assert header["CreDtTm"] == "2026-12-03T10:15:00Z"


def test_a_debtor_without_bic_is_not_provided() -> None:
    debtor = Party("Co-operations", "NL91ABNA0417164300", None)
    document = credit_transfer("0123abcd", AT, date(2026, 12, 4), debtor, [transfer(1, 1)])
    payment = assert_valid_pain001(document)["CstmrCdtTrfInitn"]["PmtInf"][0]
    assert payment["DbtrAgt"]["FinInstnId"]["Othr"]["Id"] == "NOTPROVIDED"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jansen & Zn <BV>", "Jansen + Zn BV"),
        ("Zoë Ørsted-Müller", "Zoe Orsted-Muller"),
        ("Straße ÆØÅ", "Strasse AEOA"),
        ("李小龙", "-"),
        ("  ", "-"),
        ("a" * 90, "a" * 70),
    ],
)
def test_names_are_brought_into_the_sepa_character_set(name: str, expected: str) -> None:
    assert sepa_text(name, 70) == expected


def test_amounts_come_from_cents_with_two_decimals() -> None:
    assert [euros(c) for c in (1, 10, 100, 123456789)] == ["0.01", "0.10", "1.00", "1234567.89"]
    with pytest.raises(ValueError):
        euros(-1)
    with pytest.raises(ValueError):
        euros(1.5)  # type: ignore[arg-type]


def test_a_file_needs_a_transfer_of_at_least_a_cent() -> None:
    with pytest.raises(ValueError):
        credit_transfer("0123abcd", AT, date(2026, 12, 4), DEBTOR, [])
    with pytest.raises(ValueError):
        credit_transfer("0123abcd", AT, date(2026, 12, 4), DEBTOR, [transfer(1, 0)])


names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=90
) | st.sampled_from(["A & B", "<script>", 'Ö\'Brien "X"', "]]>", "Zoë &amp; co"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 10**11), names), min_size=1, max_size=30),
    names,
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2999, 1, 1), timezones=st.just(UTC)
    ),
)
def test_any_batch_is_valid_sums_exactly_and_is_the_same_bytes_every_time(
    rows: list[tuple[int, str]], debtor_name: str, created_at: datetime
) -> None:
    transfers = [transfer(n + 1, cents, name) for n, (cents, name) in enumerate(rows)]
    debtor = Party(debtor_name, "NL91ABNA0417164300", "ABNANL2A")
    document = credit_transfer("0123abcd", created_at, date(2026, 12, 4), debtor, transfers)
    decoded = assert_valid_pain001(document)["CstmrCdtTrfInitn"]
    total = Decimal(sum(c for c, _ in rows)) / 100
    assert decoded["GrpHdr"]["NbOfTxs"] == str(len(rows))
    assert Decimal(str(decoded["GrpHdr"]["CtrlSum"])) == total
    written = decoded["PmtInf"][0]["CdtTrfTxInf"]
    assert [Decimal(t["Amt"]["InstdAmt"]["$"]) * 100 for t in written] == [c for c, _ in rows]
    for t in written:
        assert set(t["Cdtr"]["Nm"]) <= SEPA_CHARACTERS and 0 < len(t["Cdtr"]["Nm"]) <= 70
    assert credit_transfer("0123abcd", created_at, date(2026, 12, 4), debtor, transfers) == document
