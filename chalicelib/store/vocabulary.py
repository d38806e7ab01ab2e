"""What admins added to the vocabulary (new terms, more names for a term), in DynamoDB.

The built-in vocabulary (chalicelib/domain/vocabulary.py) is the default and is not stored;
this store keeps only the additions, one partition per kind, read with one paginated Query:

    PK VOCABULARY#<kind>   SK TERM#<id>          a new term: its labels
    PK VOCABULARY#<kind>   SK NAME#<squeezed>    a name (and which term it names)

A name's item is keyed on the name itself (folded, joins removed), written with
`attribute_not_exists`, so one name can never come to stand for two terms, even when two
admins add it at the same moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from chalicelib.domain.vocabulary import Kind, Term, squeezed
from chalicelib.store.dynamo import DynamoTable
from chalicelib.store.refusals import NameTaken as NameTaken
from chalicelib.store.timestamps import stamp
from chalicelib.store.uow import UnitOfWork

NEW = "attribute_not_exists(PK)"


def _partition(kind: Kind) -> str:
    return f"VOCABULARY#{kind}"


class VocabularyStore:
    def __init__(self, table: DynamoTable) -> None:
        self.table = table

    def additions(self, kind: Kind) -> Iterator[Term]:
        """The stored terms and names of a kind, as terms to merge into the built-in ones."""
        labels: dict[str, tuple[str, str]] = {}
        names: dict[str, list[str]] = {}
        for item in self.table.query_all(_partition(kind)):
            term_id = str(item["term_id"])
            if str(item["SK"]).startswith("TERM#"):
                labels[term_id] = (str(item["label_nl"]), str(item["label_en"]))
            else:
                names.setdefault(term_id, []).append(str(item["name"]))
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
        t = self.table
        base = {"term_id": term_id, "kind": kind, "added_by": by, "added_at": stamp(at)}
        with UnitOfWork(t.client) as uow:  # two admins at the same moment: one wins, one is told
            if new_labels is not None:
                term = {"PK": _partition(kind), "SK": f"TERM#{term_id}", **base}
                term |= {"label_nl": new_labels[0], "label_en": new_labels[1]}
                uow.put("vocabulary.term", t, term, condition=NEW, refusal=lambda: NameTaken(name))
            item = {"PK": _partition(kind), "SK": f"NAME#{squeezed(name)}", "name": name, **base}
            uow.put("vocabulary.name", t, item, condition=NEW, refusal=lambda: NameTaken(name))
            uow.commit()
