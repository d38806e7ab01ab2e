"""Recognising disciplines (and sectors) in free text (a mailed-in opportunity), explainably.

What is recognised comes from the vocabulary (`chalicelib.domain.vocabulary`): the built-in
terms with the names people write, what admins added, and what members list as their own.
A term is recognised when one of its names appears in the text, its words written with
spaces, hyphens or nothing between them ("data engineer", "data-engineer", "dataengineer",
"softwareontwikkelaar"), case, accents and apostrophes ignored ("UX'er"), in the singular or a
plural ("projectleiders", "analisten"). A long name may also end a Dutch compound
("interimprojectleider"). Names of one or two letters and common words ("de", "en") are
never recognised in text. Each recognised term keeps the words of the text that matched, so
a person can see why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from chalicelib.domain.vocabulary import (
    DEFAULT,
    Kind,
    Term,
    Vocabulary,
    fold,
    is_meaningful,
)


@dataclass(frozen=True)
class Recognised:
    discipline: str  # the term's id (a sector's id when sectors are recognised)
    words: tuple[str, ...]  # the text's own spellings that matched, first seen first


def _folded(text: str) -> str:
    """Lowercase without accents, same length as the input (so match positions carry over)."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)[:1] or char
        out.append(base.lower() if len(base.lower()) == 1 else char)
    return "".join(out)


_JOIN = r"[\s\-_/.&+'\u2019]*"
_APOSTROPHE = r"['\u2019]?"
_PLURAL = r"(?:['\u2019]?(?:s|en|es|n))?"
_COMPOUND_HEAD_MIN = 8  # a name whose first word is this long may end a Dutch compound


@lru_cache(maxsize=4096)
def _pattern(name: str) -> re.Pattern[str] | None:
    words = fold(name).split()
    letters = sum(1 for c in "".join(words) if c.isalpha())
    if not words or letters < 3 or not is_meaningful(name):
        return None
    spelled = [_APOSTROPHE.join(re.escape(c) for c in word) for word in words]
    joined = _JOIN.join(spelled)
    left = "" if len(words[0]) >= _COMPOUND_HEAD_MIN else r"(?<![^\W_])"
    return re.compile(rf"{left}{joined}{_PLURAL}(?![^\W_])")


def _vocabulary_of(known: Vocabulary | Iterable[str], kind: Kind) -> list[Term]:
    if isinstance(known, Vocabulary):
        return known.of_kind(kind)
    return [Term(name, kind, name, name, (), built_in=False) for name in sorted(set(known))]


def recognise(
    text: str, known: Vocabulary | Iterable[str] = DEFAULT, kind: Kind = "discipline"
) -> list[Recognised]:
    """The terms of the vocabulary (or the plain names given) that the text mentions, in the
    vocabulary's order. Where names overlap, the longest wins ("zorgverzekeraar" is
    healthcare, not the "verzekeraar" in it)."""
    folded = _folded(text)
    terms = _vocabulary_of(known, kind)
    spans: list[tuple[int, int, int]] = []  # start, end, index of the term
    for number, term in enumerate(terms):
        for name in term.all_names:
            pattern = _pattern(name)
            if pattern is not None:
                spans.extend((*m.span(), number) for m in pattern.finditer(folded))
    kept: list[tuple[int, int, int]] = []
    for start, end, number in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        if not any(a <= start and end <= b for a, b, _ in kept):
            kept.append((start, end, number))
    words: dict[int, list[str]] = {}
    for start, end, number in kept:
        spelled = " ".join(text[start:end].split())
        if spelled not in words.setdefault(number, []):
            words[number].append(spelled)
    return [Recognised(terms[n].id, tuple(words[n][:5])) for n in sorted(words)]
