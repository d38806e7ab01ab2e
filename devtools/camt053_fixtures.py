"""The camt.053 fixtures under tests/fixtures/camt053/: one statement of the same days as each
Dutch bank exports it, in several versions. Regenerate with
`python -m devtools.camt053_fixtures` (a test checks the files equal what this writes).

The days hold what a treasurer meets: structured and free-text RF references, a batch entry,
a reference whose check digits fail, a payer without reference whose IBAN is known, a payout
executed (a debit with our end-to-end id), a payout returned (a credit with AC04 and our
end-to-end id), bank costs and interest.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from chalicelib.domain.references import payment_reference
from devtools.camt053_writer import Entry, Statement, Tx, write

ACCOUNT_IBAN = "NL91ABNA0417164300"  # the policy's default: the demo collective's account
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "camt053"
# (bank, version) of each fixture: every bank in .02 and .08, and the versions between
VERSIONS = [
    ("ing", "02"),
    ("ing", "08"),
    ("rabobank", "02"),
    ("rabobank", "08"),
    ("abnamro", "02"),
    ("abnamro", "06"),
    ("abnamro", "08"),
    ("bunq", "02"),
    ("bunq", "08"),
    ("triodos", "02"),
    ("triodos", "03"),
    ("triodos", "04"),
    ("triodos", "05"),
    ("triodos", "07"),
    ("triodos", "08"),
]
# What the members of the fixtures paid (member number -> cents), and what waits unmatched.
PAID_BY_NUMBER = {1: 5000, 2: 10000, 3: 2500, 4: 7550}
UNMATCHED_CENTS = [1234, 4000, 87, 5]  # bad check digits, no reference, bank costs, interest
PAYER_IBAN_WITHOUT_REFERENCE = "NL44RABO0123456789"
PAYOUT_EXECUTED = ("PO-2026-0001-1", 15000)
PAYOUT_RETURNED = ("PO-2026-0001-2", 15000, "AC04")


def bad_check_digits(reference: str) -> str:
    """The reference with its check digits off by one: what a payer's typo looks like."""
    check = int(reference[2:4])
    return f"RF{(check % 97) + 1:02d}{reference[4:]}"


def statement(bank: str) -> Statement:
    ref = {n: payment_reference(n) for n in PAID_BY_NUMBER}
    prefix = {"ing": "0000", "rabobank": "RABO", "abnamro": "ABN", "bunq": "", "triodos": "TRIO"}
    code = prefix[bank]

    def bank_ref(n: int) -> str:
        return f"{code}{20261102000 + n}"

    spaced = " ".join(ref[2][i : i + 4] for i in range(0, len(ref[2]), 4)).lower()
    entries = [
        Entry(
            date(2026, 11, 2),
            (
                Tx(
                    5000,
                    structured=ref[1],
                    name="J. de Vries",
                    iban="NL02RABO0123456789",
                    text="Contributie",
                ),
            ),
            reference=bank_ref(1),
        ),
        Entry(
            date(2026, 11, 2),
            (
                Tx(
                    10000,
                    text=f"Inschrijving en contributie {spaced} 4e kwartaal 2026",
                    name="A. Bakker",
                    iban="NL69INGB0123456789",
                ),
            ),
            reference=bank_ref(2),
        ),
        # one entry, two transfers (a payment service's batch)
        Entry(
            date(2026, 11, 3),
            (
                Tx(2500, structured=ref[3], name="P. Visser", iban="NL83TRIO0123456789"),
                Tx(7550, text=f"kenmerk {ref[4]}", name="M. Smit", iban="NL27BUNQ0123456789"),
            ),
            reference=bank_ref(3),
        ),
        Entry(
            date(2026, 11, 3),
            (Tx(1234, structured=bad_check_digits(ref[1]), name="J. de Vries"),),
            reference=bank_ref(4),
        ),
        Entry(
            date(2026, 11, 4),
            (Tx(4000, text="lidmaatschap", name="K. Jansen", iban=PAYER_IBAN_WITHOUT_REFERENCE),),
            reference=bank_ref(5),
        ),
        Entry(
            date(2026, 11, 4),
            (
                Tx(
                    PAYOUT_EXECUTED[1],
                    direction="debit",
                    end_to_end_id=PAYOUT_EXECUTED[0],
                    name="L. de Boer",
                    iban="NL10ABNA0123456789",
                    text="Uitbetaling Co-operations",
                ),
            ),
            reference=bank_ref(6),
        ),
        Entry(
            date(2026, 11, 5),
            (
                Tx(
                    PAYOUT_RETURNED[1],
                    end_to_end_id=PAYOUT_RETURNED[0],
                    return_reason=PAYOUT_RETURNED[2],
                    name="R. Mulder",
                    text="Retour: rekeningnummer opgeheven",
                ),
            ),
            reference=bank_ref(7),
        ),
        Entry(
            date(2026, 11, 5),
            (Tx(87, direction="debit", text="Kosten betalingsverkeer oktober"),),
            reference=bank_ref(8),
        ),
        Entry(date(2026, 11, 5), (Tx(5, text="Rente"),), reference=bank_ref(9)),
    ]
    return Statement(ACCOUNT_IBAN, entries, statement_id=f"{bank.upper()}-2026-11-05")


def fixture_path(bank: str, version: str) -> Path:
    return FIXTURES / f"{bank}-camt.053.001.{version}.xml"


def main() -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for bank, version in VERSIONS:
        fixture_path(bank, version).write_bytes(write(statement(bank), version, bank))
        print(fixture_path(bank, version))


if __name__ == "__main__":
    main()
