"""Finding a member by what the treasurer has at hand: part of a name or e-mail address, or
the payment reference as a bank statement line writes it (any case, spaces anywhere)."""

from __future__ import annotations

import unicodedata


def _folded(text: str) -> str:
    """Lower case, no accents, single spaces: "  Anne-Marie  Ölçer" -> "anne-marie olcer"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def _compact(text: str) -> str:
    return "".join(_folded(text).split())


def member_matches(query: str, name: str, email: str, reference: str) -> bool:
    """Whether a search box's words find this member: every word in the name or the e-mail
    address, or the whole query (spaces ignored) within the payment reference."""
    words = _folded(query).split()
    if not words:
        return True
    haystack = f"{_folded(name)} {_folded(email)}"
    if all(word in haystack for word in words):
        return True
    compact = _compact(query)
    return len(compact) >= 4 and compact in _compact(reference)
