"""A member's payment reference: an ISO 11649 creditor reference (SPEC "Money through the bank").

`RF`, two check digits (ISO 7064 mod 97-10), then the member's number, zero-padded to
NUMBER_DIGITS so that every reference has one length: a digit typed wrong, two adjacent
digits swapped, one left out or one too many is never another member's reference (mod 97
catches every single substitution and adjacent swap; the fixed length the rest). Leading
zeros do not change the check digits, so `RF47 1042` and `RF47 0000 1042` name the same
member when a payer leaves the zeros out.

Bank statements carry the reference structured, or somewhere in the free text, in any case
and with spaces wherever the payer or the bank put them: `references_in` finds the valid
ones. Pure: no I/O.
"""

from __future__ import annotations

import re

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

NUMBER_DIGITS = 8  # up to 99,999,999 members; RFkk + 8 digits prints as three groups of four
_PREFIX = "RF"
# "RF" not glued to a word before it, then digits with the separators payers and banks put
# in (spaces, line breaks, dashes, dots). Our references hold digits only.
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[Rr][Ff]((?:[\s.\-]*[0-9])+)")
_OURS = re.compile(r"RF[0-9]{2}[0-9]+")
_MAX_LENGTH = 25  # ISO 11649: RF, two check digits, at most 21 characters


def payment_reference(member_number: int) -> str:
    """The member's reference, compact: `RF47 0000 1042` is `RF4700001042`."""
    if type(member_number) is not int or member_number < 1:
        raise ValueError("a member number is a positive integer")
    body = str(member_number).zfill(NUMBER_DIGITS)
    if len(body) > _MAX_LENGTH - 4:
        raise ValueError("a member number has at most 21 digits")
    return f"{_PREFIX}{mod_97_10.calc_check_digits(body + _PREFIX)}{body}"


def formatted(reference: str) -> str:
    """In groups of four, as a member types it: `RF47 0000 1042`."""
    return str(iso11649.format(reference))


def is_valid(reference: str) -> bool:
    """A well-formed RF reference with correct check digits (any case, any spacing)."""
    return bool(iso11649.is_valid(reference))


def member_number_of(reference: str) -> int | None:
    """The member number a valid reference of ours names; None for anything else (a failing
    check, letters in it, another creditor's scheme, a number of 0)."""
    compact = _compact(reference)
    if not _OURS.fullmatch(compact) or not iso11649.is_valid(compact):
        return None
    number = int(compact[4:])
    return number if number > 0 else None


def references_in(text: str) -> list[str]:
    """Every valid RF reference in free text, compact and uppercase, in order, once each.

    "Contributie rf47 0000 1042 4e kwartaal 2026" holds RF4700001042: the digits after RF
    run on into the year, so the reference is the longest run of them whose check digits
    hold, preferring our own length; a reference whose check digits fail is not one.
    """
    found: list[str] = []
    for match in _CANDIDATE.finditer(text):
        digits = re.sub(r"[^0-9]", "", match.group(1))
        reference = _valid_prefix(digits)
        if reference is not None and reference not in found:
            found.append(reference)
    return found


def _valid_prefix(digits: str) -> str | None:
    ours = 2 + NUMBER_DIGITS
    lengths = range(min(len(digits), _MAX_LENGTH - 2), 2, -1)
    preferred = [ours] if len(digits) >= ours else []
    for length in [*preferred, *(n for n in lengths if n != ours)]:
        candidate = _PREFIX + digits[:length]
        if iso11649.is_valid(candidate):
            return candidate
    return None


def _compact(reference: str) -> str:
    return str(iso11649.compact(reference)) if isinstance(reference, str) else ""
