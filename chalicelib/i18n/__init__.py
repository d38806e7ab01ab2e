"""Texts people read, per language: Dutch first, English second.

`chalicelib.i18n.errors` holds the error catalogue and renders a code with its parameters;
this module holds what every catalogue shares: the languages, choosing one from a request, and
writing money and dates as a person reads them. Nothing here imports pydantic or AWS.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
DEFAULT_LANGUAGE: Language = "nl"

_MONTHS_NL = (
    "januari februari maart april mei juni juli augustus september oktober november december"
)
_MONTHS_EN = "January February March April May June July August September October November December"
_MONTHS = {"nl": [*_MONTHS_NL.split(" "), "december"], "en": [*_MONTHS_EN.split(" "), "December"]}


def language_or_default(language: str | None) -> Language:
    """A member's stored language, or Dutch."""
    return "en" if language == "en" else DEFAULT_LANGUAGE


def from_accept_language(header: str | None) -> Language:
    """The language a browser asks for (`Accept-Language: en-GB,en;q=0.9,nl;q=0.8`): the one
    of ours with the highest weight; Dutch when it asks for neither (or nothing)."""
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, rest = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        weight = 1.0
        for param in rest.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight <= 0:
            continue
        chosen: Language = "en" if primary == "en" else "nl"
        candidate = (weight, -position, chosen)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best is not None else DEFAULT_LANGUAGE


def money(cents: int, language: Language) -> str:
    """€ 1.234,56 in Dutch, €1,234.56 in English; a minus sign in front when negative."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    if language == "en":
        return f"{sign}€{whole:,}.{rest:02d}"
    return f"{sign}€ {whole:,}".replace(",", ".") + f",{rest:02d}"


def day(value: date, language: Language) -> str:
    """3 december 2026 / 3 December 2026."""
    return f"{value.day} {_MONTHS[language][value.month - 1]} {value.year}"


def joined(items: list[str], language: Language) -> str:
    """a, b en c / a, b and c."""
    if len(items) <= 1:
        return "".join(items)
    word = "en" if language == "nl" else "and"
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
