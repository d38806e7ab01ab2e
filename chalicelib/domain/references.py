"""A member's payment reference: an ISO 11649 creditor reference (SPEC "Money through the bank").

`RF`, two check digits (ISO 7064 mod 97-10), then the member's number, zero-padded to
NUMBER_DIGITS so that every reference has one length: a digit typed wrong, two adjacent
digits swapped, one left out or one too many is never another member's reference (mod 97
catches every single substitution and adjacent swap; the fixed length the rest: a reference
of another length names no member).

Bank statements carry the reference structured, or somewhere in the free text, in any case
and with spaces wherever the payer or the bank put them: `references_in` finds the valid
ones. Pure: no I/O.
"""

from __future__ import annotations

import re

NUMBER_DIGITS = 8  # up to 99,999,999 members; RFkk + 8 digits prints as three groups of four
_PREFIX = "RF"
# "RF" not glued to a word before it, then digits with the separators payers and banks put
# in (spaces, line breaks, dashes, dots). Our references hold digits only.
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[Rr][Ff]((?:[\s.\-]*[0-9])+)")
_OURS = re.compile(f"RF[0-9]{{{2 + NUMBER_DIGITS}}}")
_MAX_LENGTH = 25  # ISO 11649: RF, two check digits, at most 21 characters


def payment_reference(member_number: int) -> str:
    """The member's reference, compact: `RF47 0000 1042` is `RF4700001042`."""
    if type(member_number) is not int or member_number < 1:
        raise ValueError("a member number is a positive integer")
    from stdnum.iso7064 import mod_97_10  # python-stdnum imported on first use, not with the app

    body = str(member_number).zfill(NUMBER_DIGITS)
    if len(body) > NUMBER_DIGITS:
        raise ValueError(f"a member number has at most {NUMBER_DIGITS} digits")
    return f"{_PREFIX}{mod_97_10.calc_check_digits(body + _PREFIX)}{body}"


def formatted(reference: str) -> str:
    """In groups of four, as a member types it: `RF47 0000 1042`."""
    from stdnum import iso11649

    return str(iso11649.format(reference))


def is_valid(reference: str) -> bool:
    """A well-formed RF reference with correct check digits (any case, any spacing)."""
    from stdnum import iso11649

    return bool(iso11649.is_valid(reference))


def member_number_of(reference: str) -> int | None:
    """The member number a reference of ours names: any case or spacing, but its full length
    (a digit left out or added is a typo, never another member); None for anything else (a
    failing check, letters in it, another creditor's scheme, a number of 0)."""
    from stdnum import iso11649

    compact = _compact(reference)
    if not _OURS.fullmatch(compact) or not iso11649.is_valid(compact):
        return None
    number = int(compact[4:])
    return number if number > 0 else None


def references_in(text: str) -> list[str]:
    """Every valid RF reference in free text, compact and uppercase, in order, once each.

    "Contributie rf47 0000 1042 4e kwartaal 2026" holds RF4700001042. The reference is all
    the digits after RF (spaces and line breaks between them allowed) up to a character that
    is no digit; or, when more digits follow after a space (a year, an invoice number), the
    first ten, ours. A cut inside a group of digits is never made, nor one glued to a letter,
    so a mistyped reference is never read as a shorter valid one.
    """
    if not isinstance(text, str):
        return []
    found: list[str] = []
    for match in _CANDIDATE.finditer(text):
        reference = _reference_at(text, match.start(1), match.end(1))
        if reference is not None and reference not in found:
            found.append(reference)
    return found


def _reference_at(text: str, start: int, end: int) -> str | None:
    from stdnum import iso11649

    positions = [i for i in range(start, end) if text[i].isdigit()]
    digits = "".join(text[i] for i in positions)
    ours = 2 + NUMBER_DIGITS

    def ends_cleanly(last: int) -> bool:  # no digit or letter glued to the last digit
        return last + 1 >= len(text) or not text[last + 1].isalnum()

    candidates = []  # ours first: a run that goes on into a year is valid by chance too
    if len(digits) > ours and ends_cleanly(positions[ours - 1]):
        candidates.append(digits[:ours])
    if ends_cleanly(positions[-1]) and len(digits) + 2 <= _MAX_LENGTH:
        candidates.append(digits)
    for candidate in candidates:
        if len(candidate) >= 3 and iso11649.is_valid(_PREFIX + candidate):
            return _PREFIX + candidate
    return None


def _compact(reference: str) -> str:
    from stdnum import iso11649

    return str(iso11649.compact(reference)) if isinstance(reference, str) else ""
