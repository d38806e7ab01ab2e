"""The vocabulary of disciplines and sectors (the intake owner's)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from chalicelib.api.models.common import Answer, Body, Tag, Text
from chalicelib.domain.vocabulary import normalise_tags


class VocabularyTermOut(Answer):
    id: str = Field(description="what a member's discipline or sector is stored as")
    kind: Literal["discipline", "sector"]
    label: str = Field(description="in the caller's language")
    label_nl: str
    label_en: str
    names: list[str] = Field(description="every name people use for it (titles, synonyms)")
    built_in: bool


class VocabularyOut(Answer):
    disciplines: list[VocabularyTermOut]
    sectors: list[VocabularyTermOut]


class DisciplinesIn(Body):
    disciplines: Annotated[list[Tag], Field(min_length=1, max_length=10)]

    def tags(self) -> tuple[str, ...]:
        return normalise_tags(self.disciplines)


class VocabularyTermIn(Body):
    kind: Literal["discipline", "sector"]
    name: Tag = Field(description="the new name (a title, synonym or spelling)")
    term: Tag | None = Field(
        default=None,
        description="the known term it is a name of (its id or any name); absent: a new term",
    )
    label_nl: Text | None = None
    label_en: Text | None = None
