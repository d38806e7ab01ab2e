"""The vocabulary as the services use it: the built-in terms with what admins added.

Used wherever a discipline or sector is typed (applying, the profile, a new opportunity, an
admin accepting a mailed-in one: a name of a known term is stored as that term's id, a new
term as typed, a word that cannot be one is refused), read (filters find a term by any of its
names) or recognised (mail intake).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.clock import Clock
from chalicelib.domain.errors import Conflict, FieldProblem, InvalidInput, NotFound
from chalicelib.domain.vocabulary import (
    DEFAULT,
    KINDS,
    Kind,
    Term,
    Vocabulary,
    is_meaningful,
    normalise_tag,
    slug,
)
from chalicelib.store.ports import VocabularyRepository
from chalicelib.store.refusals import NameTaken


@dataclass(frozen=True)
class NewName:
    kind: Kind
    name: str
    term: str | None = None  # an existing term (its id or any name); None: a new term
    label_nl: str | None = None
    label_en: str | None = None


class VocabularyService:
    def __init__(self, store: VocabularyRepository, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def current(self) -> Vocabulary:
        additions = [t for kind in KINDS for t in self.store.additions(kind)]
        return DEFAULT.with_additions(additions) if additions else DEFAULT

    def add(self, new: NewName, by: str) -> Term:
        """Adds a name to a known term, or a new term with that name (admins)."""
        vocabulary = self.current()
        name = " ".join(new.name.split())
        taken = vocabulary.resolve(new.kind, name)
        if new.term is not None:
            term_id = vocabulary.resolve(new.kind, new.term)
            if term_id is None:
                raise NotFound("vocabulary_term_not_found", term=new.term)
            if taken == term_id:
                return _term(self.current(), new.kind, term_id)  # already a name of it
            labels = None
        else:
            term_id = slug(name)
            labels = (new.label_nl or name, new.label_en or new.label_nl or name)
        if taken is not None:
            raise Conflict("vocabulary_name_taken", name=name, term=taken)
        if len(term_id) < 3 or not is_meaningful(name):
            code = "not_a_discipline" if new.kind == "discipline" else "not_a_sector"
            problem = FieldProblem("name", code, {"value": name})
            raise InvalidInput("invalid_input", problems=[problem])
        if labels is not None and vocabulary.term(new.kind, term_id) is not None:
            raise Conflict("vocabulary_name_taken", name=name, term=term_id)
        try:
            self.store.add(new.kind, term_id, name, by, self.clock.now(), labels)
        except NameTaken:
            raise Conflict("vocabulary_name_taken", name=name, term=term_id) from None
        return _term(self.current(), new.kind, term_id)

    def canonical(
        self,
        kind: Kind,
        typed: Iterable[str],
        field: str,
        vocabulary: Vocabulary | None = None,
        *,
        strict: bool = True,
    ) -> tuple[str, ...]:
        """What typed disciplines or sectors are stored as (ids of known terms, new ones as
        typed, no duplicates); 400 naming each that cannot be one ("de", "x"), unless not
        `strict` (an opportunity's own tags: kept as typed)."""
        vocabulary = vocabulary or self.current()
        stored: list[str] = []
        problems = []
        for index, value in enumerate(typed):
            canonical = vocabulary.canonical(kind, value)
            if canonical is None and not strict:
                canonical = normalise_tag(value) or None
            if canonical is None:
                code = "not_a_discipline" if kind == "discipline" else "not_a_sector"
                problems.append(FieldProblem(f"{field}.{index}", code, {"value": value}))
            elif vocabulary.key(kind, canonical) not in {vocabulary.key(kind, s) for s in stored}:
                stored.append(canonical)
        if problems:
            raise InvalidInput("invalid_input", problems=problems)
        return tuple(stored)

    def matcher(self, kind: Kind, wanted: str) -> MatchesTerm:
        return MatchesTerm(self.current(), kind, wanted)


@dataclass(frozen=True)
class MatchesTerm:
    """A filter on a discipline or sector by any of its names ("UX" finds ux-design)."""

    vocabulary: Vocabulary
    kind: Kind
    wanted: str

    def __call__(self, stored: Iterable[str]) -> bool:
        key = self.vocabulary.key(self.kind, self.wanted)
        return any(self.vocabulary.key(self.kind, s) == key for s in stored)


def _term(vocabulary: Vocabulary, kind: Kind, term_id: str) -> Term:
    term = vocabulary.term(kind, term_id)
    assert term is not None, term_id  # just written
    return term
