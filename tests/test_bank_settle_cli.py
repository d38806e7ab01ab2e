"""`python -m devtools.cli bank settle FILE.xml`: the statement in which the bank executed a
payout batch's file reads back, through the importer's own parser, as one debit per transfer
with its end-to-end id, and a returned transfer as a credit with its reason."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from chalicelib.bank.pain001 import Party, Transfer, credit_transfer
from chalicelib.domain.camt053 import parse_statement
from devtools.bank_settle import NotAPayoutFile, settlement_statement
from tests.conftest import ROOT

PAIN = credit_transfer(
    "0123456789abcdef",
    datetime(2026, 12, 3, 10, tzinfo=UTC),
    date(2026, 12, 4),
    Party("Co-operations", "NL91ABNA0417164300", "ABNANL2A"),
    [
        Transfer("0123456789abcdef-1", 14_000, "P. Jansen", "NL44RABO0123456789", "Uitbetaling"),
        Transfer("0123456789abcdef-2", 25_001, "M. de Boer", "NL20INGB0001234567", "Uitbetaling"),
    ],
)


def test_every_transfer_is_a_debit_with_its_end_to_end_id_and_one_comes_back() -> None:
    statement = parse_statement(settlement_statement(PAIN, returned=2, reason="AC04"))
    assert statement.account_iban == "NL91ABNA0417164300"
    lines = [
        (line.direction, line.amount_cents, line.end_to_end_id, line.return_reason, line.booked_on)
        for line in statement.lines
    ]
    assert lines == [
        ("debit", 14_000, "0123456789abcdef-1", None, date(2026, 12, 4)),
        ("debit", 25_001, "0123456789abcdef-2", None, date(2026, 12, 4)),
        ("credit", 25_001, "0123456789abcdef-2", "AC04", date(2026, 12, 6)),
    ]
    assert settlement_statement(PAIN, returned=2) == settlement_statement(PAIN, returned=2)


def test_what_is_not_a_payout_file_is_refused() -> None:
    for data in (b"", b"<x/>", b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"):
        with pytest.raises(NotAPayoutFile):
            settlement_statement(data)
    with pytest.raises(NotAPayoutFile):
        settlement_statement(PAIN, returned=3)


def test_the_command_writes_the_statement(tmp_path: Path) -> None:
    pain = tmp_path / "payouts.pain.001.xml"
    pain.write_bytes(PAIN)
    out = tmp_path / "settled.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "devtools.cli",
            "bank",
            "settle",
            str(pain),
            "--return",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert [line.direction for line in parse_statement(out.read_bytes()).lines] == [
        "debit",
        "debit",
        "credit",
    ]
    refused = subprocess.run(
        [sys.executable, "-m", "devtools.cli", "bank", "settle", str(tmp_path / "missing.xml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2 and "bank settle" in refused.stderr
