"""Terms and names admins added, in memory (`chalicelib.store.vocabulary.VocabularyStore`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from chalicelib.domain.vocabulary import Kind, Term, squeezed
from chalicelib.store.memory.uow import MemoryState, MemoryUnitOfWork
from chalicelib.store.refusals import NameTaken


class MemoryVocabulary:
    def __init__(self, state: MemoryState) -> None:
        self.state = state
        self.labels: dict[tuple[Kind, str], tuple[str, str]] = {}  # (kind, term): (nl, en)
        self.names: dict[tuple[Kind, str], tuple[str, str]] = {}  # (kind, squeezed): (term, name)

    def additions(self, kind: Kind) -> Iterator[Term]:
        with self.state.lock:
            labels = {t: nl_en for (k, t), nl_en in self.labels.items() if k == kind}
            names: dict[str, list[str]] = {}
            for (k, _squeezed), (term_id, name) in sorted(self.names.items()):
                if k == kind:
                    names.setdefault(term_id, []).append(name)
        for term_id in sorted(set(labels) | set(names)):
            nl, en = labels.get(term_id, ("", ""))
            yield Term(term_id, kind, nl, en, tuple(names.get(term_id, ())), built_in=False)

    def add(
        self,
        kind: Kind,
        term_id: str,
        name: str,
        by: str,
        at: datetime,
        new_labels: tuple[str, str] | None = None,
    ) -> None:
        """Adds a name to a term; with `new_labels`, creates the term too. Raises NameTaken
        when the name (or the new term) exists already."""
        labels, names = self.labels, self.names
        with MemoryUnitOfWork(self.state) as uow:
            if new_labels is not None:
                uow.register(
                    "vocabulary.term",
                    lambda: labels.__setitem__((kind, term_id), new_labels),
                    guard=lambda: (kind, term_id) not in labels,
                    refusal=lambda: NameTaken(name),
                )
            key = (kind, squeezed(name))
            uow.register(
                "vocabulary.name",
                lambda: names.__setitem__(key, (term_id, name)),
                guard=lambda: key not in names,
                refusal=lambda: NameTaken(name),
            )
            uow.commit()
