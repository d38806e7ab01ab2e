"""Recognising disciplines in free text (a mailed-in opportunity), explainably.

The known disciplines come from the data (what active members list), never from a constant.
A discipline is recognised when all of its words appear together in the text, in order,
written with spaces, hyphens or nothing between them ("data engineering",
"data-engineering", "dataengineering"), case and accents ignored. Its last word may also
appear as a close relative: the same stem with at most four more letters ("data engineer"
for data-engineering, "interim manager" for interim-management, "UX designer"). Each
recognised discipline keeps the words of the text that matched, so a person can see why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Recognised:
    discipline: str
    words: tuple[str, ...]  # the text's own spellings that matched, first seen first


def _folded(text: str) -> str:
    """Lowercase without accents, same length as the input (so match positions carry over)."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)[:1] or char
        out.append(base.lower() if len(base.lower()) == 1 else char)
    return "".join(out)


def _pattern(discipline: str) -> re.Pattern[str] | None:
    words = [w for w in re.split(r"[\s\-_/]+", _folded(discipline)) if w]
    if not words:
        return None
    *first, last = words
    stem = _stem(last)
    joined = r"[\s\-_/]*".join(
        [*(re.escape(w) for w in first), rf"{re.escape(stem)}[^\W\d_]{{0,4}}"]
    )
    return re.compile(rf"(?<![^\W_]){joined}(?![^\W_])")


def _stem(word: str) -> str:
    """engineering -> engineer, development -> develop, management -> manage."""
    for suffix in ("ment", "ing", "er", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def recognise(text: str, known: Iterable[str]) -> list[Recognised]:
    """The known disciplines the text mentions, in the order of the known list (sorted)."""
    folded = _folded(text)
    found = []
    for discipline in sorted(set(known)):
        pattern = _pattern(discipline)
        if pattern is None:
            continue
        words: list[str] = []
        for match in pattern.finditer(folded):
            spelled = " ".join(text[match.start() : match.end()].split())
            if spelled not in words:
                words.append(spelled)
        if words:
            found.append(Recognised(discipline, tuple(words[:5])))
    return found
