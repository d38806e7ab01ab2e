"""The SEPA credit transfer file of a payout batch: ISO 20022 pain.001.001.09. Pure.

Written by hand (a few dozen elements in a fixed order) rather than with sepaxml, whose
generator targets other versions (pain.001.001.03) and stamps the current time and random
ids: here the same batch always yields the same bytes. The creation timestamp is when the
batch was prepared, the message and payment-information ids are the batch id, every amount
comes from integer cents (never a float), and `NbOfTxs`/`CtrlSum` are counted from the very
transactions written. Names and texts are brought into the SEPA (EPC) Latin character set:
accents dropped (é -> e, ß -> ss), anything else outside it replaced, then cut to the length
EPC allows (70 for names, 140 for the remittance text) and XML-escaped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
# EPC's SEPA Requirements for an Extended Character Set: the basic Latin set every bank takes.
SEPA_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ "
)
# What accents-stripping cannot reach: letters written as two, and common punctuation.
_SPELLED = {
    "ß": "ss",
    "Æ": "AE",
    "æ": "ae",
    "Ø": "O",
    "ø": "o",
    "Œ": "OE",
    "œ": "oe",
    "Ð": "D",
    "ð": "d",
    "Þ": "Th",
    "þ": "th",
    "Ł": "L",
    "ł": "l",
    "\u0131": "i",
    "&": "+",
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "`": "'",
    "\u00b4": "'",
    '"': "'",
    "\u201c": "'",
    "\u201d": "'",
    "\u201e": "'",
}
NAME_MAX = 70
TEXT_MAX = 140
ID_MAX = 35


@dataclass(frozen=True)
class Party:
    """The collective's account: the debtor of every transfer."""

    name: str
    iban: str
    bic: str | None


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str
    amount_cents: int
    creditor_name: str
    creditor_iban: str
    remittance: str


def sepa_text(text: str, limit: int) -> str:
    """The text in the SEPA character set, at most `limit` characters, never empty."""
    out: list[str] = []
    for char in text:
        if char in SEPA_CHARACTERS:
            out.append(char)
            continue
        if char in _SPELLED:
            out.append(_SPELLED[char])
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base if base and all(c in SEPA_CHARACTERS for c in base) else " ")
    cleaned = " ".join("".join(out).split())[:limit].strip()
    return cleaned or "-"


def compact_iban(iban: str) -> str:
    return "".join(iban.split()).upper()


def euros(cents: int) -> str:
    """12345 -> "123.45": from integer cents, two decimals, no float anywhere."""
    if type(cents) is not int or cents < 0:
        raise ValueError(f"not an amount in cents: {cents!r}")
    return f"{cents // 100}.{cents % 100:02d}"


def _iso_utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + "Z"


def _e(text: str) -> str:
    from xml.sax.saxutils import escape  # imported when a file is written: most requests write none

    return escape(text, {'"': "&quot;"})


def credit_transfer(
    message_id: str,
    created_at: datetime,
    execution_date: date,
    debtor: Party,
    transfers: Sequence[Transfer],
) -> bytes:
    """The pain.001.001.09 document: one payment information block (the collective as
    debtor, SEPA service level, charges shared) with one transaction per transfer."""
    if not transfers:
        raise ValueError("a credit transfer file holds at least one transfer")
    if len(message_id) > ID_MAX or len({t.end_to_end_id for t in transfers}) != len(transfers):
        raise ValueError("message id too long, or end-to-end ids not unique")
    if any(t.amount_cents <= 0 or len(t.end_to_end_id) > ID_MAX for t in transfers):
        raise ValueError("a transfer pays at least one cent under an id of at most 35")
    count = str(len(transfers))
    total = euros(sum(t.amount_cents for t in transfers))
    debtor_name = _e(sepa_text(debtor.name, NAME_MAX))
    agent = (
        f"<BICFI>{_e(debtor.bic.strip().upper())}</BICFI>"
        if debtor.bic and debtor.bic.strip()
        else "<Othr><Id>NOTPROVIDED</Id></Othr>"
    )
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<Document xmlns="{NAMESPACE}">',
        "<CstmrCdtTrfInitn>",
        "<GrpHdr>",
        f"<MsgId>{_e(message_id)}</MsgId>",
        f"<CreDtTm>{_iso_utc(created_at)}</CreDtTm>",
        f"<NbOfTxs>{count}</NbOfTxs>",
        f"<CtrlSum>{total}</CtrlSum>",
        f"<InitgPty><Nm>{debtor_name}</Nm></InitgPty>",
        "</GrpHdr>",
        "<PmtInf>",
        f"<PmtInfId>{_e(message_id)}</PmtInfId>",
        "<PmtMtd>TRF</PmtMtd>",
        "<BtchBookg>true</BtchBookg>",
        f"<NbOfTxs>{count}</NbOfTxs>",
        f"<CtrlSum>{total}</CtrlSum>",
        "<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>",
        f"<ReqdExctnDt><Dt>{execution_date.isoformat()}</Dt></ReqdExctnDt>",
        f"<Dbtr><Nm>{debtor_name}</Nm></Dbtr>",
        f"<DbtrAcct><Id><IBAN>{_e(compact_iban(debtor.iban))}</IBAN></Id></DbtrAcct>",
        f"<DbtrAgt><FinInstnId>{agent}</FinInstnId></DbtrAgt>",
        "<ChrgBr>SLEV</ChrgBr>",
    ]
    for t in transfers:
        lines += [
            "<CdtTrfTxInf>",
            f"<PmtId><EndToEndId>{_e(t.end_to_end_id)}</EndToEndId></PmtId>",
            f'<Amt><InstdAmt Ccy="EUR">{euros(t.amount_cents)}</InstdAmt></Amt>',
            f"<Cdtr><Nm>{_e(sepa_text(t.creditor_name, NAME_MAX))}</Nm></Cdtr>",
            f"<CdtrAcct><Id><IBAN>{_e(compact_iban(t.creditor_iban))}</IBAN></Id></CdtrAcct>",
            f"<RmtInf><Ustrd>{_e(sepa_text(t.remittance, TEXT_MAX))}</Ustrd></RmtInf>",
            "</CdtTrfTxInf>",
        ]
    lines += ["</PmtInf>", "</CstmrCdtTrfInitn>", "</Document>", ""]
    return "\n".join(lines).encode("utf-8")
