"""The EPC QR code (EPC069-12, "SEPA Credit Transfer" QR): a banking app scans it and fills in
the transfer, beneficiary, IBAN, amount and structured reference, so a member pays without
typing. Pure: the payload is text, the SVG is drawn by segno (pure Python), no I/O.

Payload, one field a line (version 002, UTF-8): BCD, 002, 1, SCT, BIC, name (<= 70),
IBAN, EUR amount (0.01 to 999999999.99; left empty when nothing is asked), purpose (empty),
the RF creditor reference as structured remittance, unstructured remittance (empty: one of
the two only). At most 331 bytes; error correction level M, as the standard asks.
"""

from __future__ import annotations

import functools
import io

MAX_AMOUNT_CENTS = 999_999_999_99
MAX_PAYLOAD_BYTES = 331


def epc_payload(*, bic: str, name: str, iban: str, amount_cents: int | None, reference: str) -> str:
    """The QR code's text. `amount_cents` None or 0: the payer fills in the amount."""
    if amount_cents is not None and not 0 <= amount_cents <= MAX_AMOUNT_CENTS:
        raise ValueError("an EPC QR amount is 0.01 to 999,999,999.99 euro")
    amount = f"EUR{amount_cents // 100}.{amount_cents % 100:02d}" if amount_cents else ""
    lines = [
        "BCD",
        "002",
        "1",  # UTF-8
        "SCT",
        bic.replace(" ", "").upper(),
        " ".join(name.split())[:70],
        iban.replace(" ", "").upper(),
        amount,
        "",  # purpose
        reference.replace(" ", "").upper()[:35],
        "",  # unstructured remittance: not with a structured one
    ]
    payload = "\n".join(lines).rstrip("\n")
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError("an EPC QR payload holds at most 331 bytes")
    return payload


@functools.lru_cache(maxsize=512)  # tens of ms to draw; a member's code changes with what they owe
def qr_svg(payload: str, title: str) -> str:
    """The payload as a QR code, an SVG document (black on white, a quiet zone of four
    modules) with `title` for screen readers."""
    import segno  # imported when a code is drawn: most requests draw none

    code = segno.make(payload, error="m", micro=False, boost_error=False, encoding="utf-8")
    out = io.BytesIO()
    code.save(
        out, kind="svg", scale=4, border=4, xmldecl=False, title=title, dark="#000", light="#fff"
    )
    return out.getvalue().decode()
