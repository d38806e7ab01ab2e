"""The collective's vocabulary: its disciplines and sectors, each with the names people use.

A term has a stable id (`ux-design`, `healthcare`), a label in Dutch and English, and names:
the job titles, synonyms and spellings members write ("UX-ontwerper", "UX'er", "UX designer").
The built-in vocabulary below is the default; admins extend it (stored terms and names are
merged into it, see `Vocabulary.with_additions`). Names compare folded: case, accents,
apostrophes and the joins between words (space, hyphen, nothing: Dutch compounds) do not
count, and a plural (-s, -en, -'s) names the same term.

Words of one or two letters and common words ("de", "en", "the") are never disciplines or
sectors by themselves; they can only be a name of a known term ("UX", "HR"), which then
stands for that term. Pure: no AWS.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

Kind = Literal["discipline", "sector"]
KINDS: tuple[Kind, ...] = ("discipline", "sector")

# Common words of Dutch and English: never a discipline or sector on their own.
STOP_WORDS = frozenset(
    """
    de het een en of in op te van voor met aan bij als dat die dit er is zijn was wordt
    worden naar om uit tot ook nog maar dan wel niet geen wat wie waar hoe wij we ze zij
    hij ik je jij u uw ons onze mijn jouw hun haar zo al door over onder tussen na per
    heeft hebben kan kunnen zal zullen moet moeten wil willen gaat gaan doen doet
    iets iemand alle alles veel meer minder andere ander eigen nieuwe nieuw goed
    the a an and or in on at to of for with by as that this these those is are was were
    be been it its we you they he she i my your our their from into about not no but
    if then so too also any all some more most other new good can will would should
    may might must do does did has have had work werk job baan opdracht
    """.split()  # noqa: SIM905 (a word list reads better as words)
)

_APOSTROPHES = "'\u2019\u2018`\u00b4"
_JOINERS = re.compile(r"[\s\-_/.&+]+")


def fold(text: str) -> str:
    """Lowercase, accents and apostrophes removed, words joined by single spaces."""
    out = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char) or char in _APOSTROPHES:
            continue
        out.append(char.lower())
    return " ".join(_JOINERS.sub(" ", "".join(out)).split())


def squeezed(text: str) -> str:
    """The folded text without any joins: "UX-design", "ux design", "uxdesign" are one."""
    return fold(text).replace(" ", "")


_PLURALS = ("s", "en", "es", "n")


def singular_forms(key: str) -> set[str]:
    """A squeezed name and what it would be without a plural ending."""
    forms = {key}
    for ending in _PLURALS:
        if key.endswith(ending) and len(key) - len(ending) >= 3:
            forms.add(key[: -len(ending)])
    return forms


def is_meaningful(name: str) -> bool:
    """Could this be a discipline or sector by itself? Not one or two letters, not a common
    word, not only digits or punctuation."""
    folded = fold(name)
    letters = [c for c in folded if c.isalpha()]
    if len(letters) < 3:
        return False
    return not all(word in STOP_WORDS for word in folded.split())


@dataclass(frozen=True)
class Term:
    id: str
    kind: Kind
    label_nl: str
    label_en: str
    names: tuple[str, ...] = ()
    built_in: bool = True

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_nl

    @property
    def all_names(self) -> tuple[str, ...]:
        """The id, both labels and every name, first seen first."""
        seen: dict[str, str] = {}
        for name in (self.id, self.label_nl, self.label_en, *self.names):
            seen.setdefault(squeezed(name), name)
        return tuple(seen.values())


@dataclass(frozen=True)
class Vocabulary:
    terms: tuple[Term, ...]

    @classmethod
    def of(cls, terms: Iterable[Term]) -> Vocabulary:
        return cls(tuple(terms))

    @cached_property
    def _index(self) -> Mapping[tuple[str, str], str]:
        # Built on the first lookup, not with the terms: folding every name of the built-in
        # vocabulary (some 700) would otherwise run at import, for requests that never look.
        index: dict[tuple[str, str], str] = {}
        for term in self.terms:
            for name in term.all_names:
                index.setdefault((term.kind, squeezed(name)), term.id)
        return index

    def with_additions(self, additions: Iterable[Term]) -> Vocabulary:
        """The vocabulary with stored terms added (new ids) or merged (more names, labels)."""
        by_key = {(t.kind, t.id): t for t in self.terms}
        for added in additions:
            current = by_key.get((added.kind, added.id))
            if current is None:
                by_key[(added.kind, added.id)] = added
            else:
                names = tuple(dict.fromkeys((*current.names, *added.names)))
                by_key[(added.kind, added.id)] = Term(
                    current.id,
                    current.kind,
                    current.label_nl,
                    current.label_en,
                    names,
                    current.built_in,
                )
        return Vocabulary.of(by_key.values())

    def of_kind(self, kind: Kind) -> list[Term]:
        return [t for t in self.terms if t.kind == kind]

    def term(self, kind: Kind, term_id: str) -> Term | None:
        for t in self.terms:
            if t.kind == kind and t.id == term_id:
                return t
        return None

    def resolve(self, kind: Kind, name: str) -> str | None:
        """The id of the term this name names (any name, any spelling, plural), or None."""
        key = squeezed(name)
        if not key:
            return None
        for form in sorted(singular_forms(key), key=len, reverse=True):
            found = self._index.get((kind, form))
            if found is not None:
                return found
        return None

    def canonical(self, kind: Kind, typed: str) -> str | None:
        """What a member's typed discipline or sector is stored as: the id of the known term
        it names; else the text as typed (spaces tidied, lowercase); None when it cannot be
        one."""
        known = self.resolve(kind, typed)
        if known is not None:
            return known
        tidy = normalise_tag(typed)
        return tidy if is_meaningful(tidy) else None

    def same(self, kind: Kind, stored: str, wanted: str) -> bool:
        """Does a stored discipline count for a filter on `wanted` (by any name)?"""
        return self.key(kind, stored) == self.key(kind, wanted)

    def key(self, kind: Kind, name: str) -> str:
        return self.resolve(kind, name) or squeezed(name)


def normalise_tag(typed: str) -> str:
    """A typed discipline or sector as every tag is kept: spaces tidied, lowercase."""
    return " ".join(typed.split()).lower()


def normalise_tags(typed: Iterable[str]) -> tuple[str, ...]:
    """Typed tags normalised, each once, in the order given."""
    seen: list[str] = []
    for value in typed:
        tag = normalise_tag(value)
        if tag not in seen:
            seen.append(tag)
    return tuple(seen)


def _t(kind: Kind, term_id: str, nl: str, en: str, *names: str) -> Term:
    return Term(term_id, kind, nl, en, names)


def _d(term_id: str, nl: str, en: str, *names: str) -> Term:
    return _t("discipline", term_id, nl, en, *names)


def _s(term_id: str, nl: str, en: str, *names: str) -> Term:
    return _t("sector", term_id, nl, en, *names)


# The built-in vocabulary: the collective's disciplines and sectors, in Dutch and English,
# with job titles and synonyms. Admins add more through the API.
BUILT_IN: tuple[Term, ...] = (
    _d(
        "project-management", "Projectmanagement", "Project management",
        "project manager", "projectmanager", "projectleider", "projectleiding",
        "project lead", "project leader", "projectcoördinator", "project coordinator",
        "projectmanagement", "pm'er",
    ),
    _d(
        "programme-management", "Programmamanagement", "Programme management",
        "programmamanager", "programmamanagement", "programmaleider", "program manager",
        "programme manager", "program management", "programmadirecteur",
    ),
    _d(
        "interim-management", "Interim management", "Interim management",
        "interim manager", "interimmanager", "interim management", "interimmanagement",
        "interim professional", "interimmer", "interim directeur", "interim director",
    ),
    _d(
        "finance", "Financiën", "Finance",
        "financien", "financieel", "financieel controller", "financial controller",
        "interim controller", "business controller", "controller", "controlling",
        "finance manager", "financieel manager", "financieel adviseur", "cfo",
        "bedrijfseconoom", "financial management", "financieel management",
    ),
    _d(
        "accountancy", "Accountancy", "Accountancy",
        "accountant", "registeraccountant", "boekhouding", "boekhouder", "bookkeeping",
        "administratie", "financiele administratie",
    ),
    _d(
        "data-engineering", "Data engineering", "Data engineering",
        "data engineer", "dataengineer", "data platform engineer", "data-architect",
        "data architect", "etl developer", "etl ontwikkelaar",
    ),
    _d(
        "data-analysis", "Data-analyse", "Data analysis",
        "data analyse", "data analist", "data analyst", "data analysis", "data analytics",
        "business intelligence", "bi specialist", "bi analist", "bi analyst",
        "bi consultant", "rapportage specialist",
    ),
    _d(
        "data-science", "Data science", "Data science",
        "data scientist", "machine learning", "ml engineer", "kunstmatige intelligentie",
        "artificial intelligence", "ai specialist",
    ),
    _d(
        "software-development", "Softwareontwikkeling", "Software development",
        "software development", "software ontwikkeling", "software ontwikkelaar",
        "software developer", "software engineer", "software engineering", "programmeur",
        "developer", "web developer", "webontwikkelaar", "web ontwikkeling",
        "frontend developer", "front end developer", "backend developer",
        "back end developer", "full stack developer", "fullstack developer",
        "app ontwikkelaar", "app developer", "applicatieontwikkelaar",
    ),
    _d(
        "ux-design", "UX-ontwerp", "UX design",
        "ux", "ux design", "ux designer", "ux ontwerper", "ux ontwerp", "ux'er",
        "ux researcher", "ux research", "user experience", "gebruikerservaring",
        "interaction designer", "interactieontwerper", "interactieontwerp",
        "ui designer", "ui ux designer", "product designer",
    ),
    _d(
        "agile-coaching", "Agile coaching", "Agile coaching",
        "scrum master", "scrummaster", "agile coach", "agile coaching", "scrum",
        "release train engineer",
    ),
    _d(
        "product-management", "Productmanagement", "Product management",
        "product owner", "productowner", "product manager", "productmanager",
        "product management",
    ),
    _d(
        "change-management", "Verandermanagement", "Change management",
        "verandermanager", "verandermanagement", "change manager", "change management",
        "veranderkundige", "transitiemanager", "transitiemanagement",
    ),
    _d(
        "it-architecture", "IT-architectuur", "IT architecture",
        "enterprise architect", "solution architect", "oplossingsarchitect",
        "it architect", "informatiearchitect", "software architect", "architectuur",
    ),
    _d(
        "information-security", "Informatiebeveiliging", "Information security",
        "security officer", "ciso", "cybersecurity", "cyber security",
        "security specialist", "informatiebeveiliger", "privacy officer",
        "functionaris gegevensbescherming",
    ),
    _d(
        "legal", "Juridisch", "Legal",
        "jurist", "bedrijfsjurist", "legal counsel", "advocaat", "juridisch adviseur",
        "juridisch advies", "lawyer", "contractmanagement", "contractmanager",
    ),
    _d(
        "hr", "HR", "HR",
        "human resources", "personeelszaken", "hr adviseur", "hr advisor", "hr manager",
        "p&o", "recruiter", "recruitment", "werving en selectie", "talent acquisition",
    ),
    _d(
        "communication", "Communicatie", "Communication",
        "communicatieadviseur", "communicatie adviseur", "communications",
        "woordvoerder", "pr", "public relations", "communicatiespecialist",
    ),
    _d(
        "marketing", "Marketing", "Marketing",
        "marketeer", "online marketing", "content marketing", "marketing manager",
        "growth hacker", "seo specialist",
    ),
    _d(
        "procurement", "Inkoop", "Procurement",
        "inkoper", "inkoopadviseur", "buyer", "aanbesteding", "aanbestedingen",
        "tendermanager", "category manager", "purchasing",
    ),
    _d(
        "strategy", "Strategie en organisatieadvies", "Strategy and organisation consulting",
        "strategie", "strategy", "strategisch adviseur", "strategy consultant",
        "organisatieadviseur", "organisatieadvies", "bedrijfskundige",
        "management consultant", "business consultant",
    ),
    _d(
        "policy", "Beleid", "Policy",
        "beleidsadviseur", "beleidsmedewerker", "policy advisor", "policy officer",
        "beleidsontwikkeling",
    ),
    _d(
        "business-analysis", "Bedrijfsanalyse", "Business analysis",
        "business analist", "business analyst", "informatieanalist", "requirements engineer",
        "functioneel ontwerper", "functioneel beheerder",
    ),
    _d(
        "training-coaching", "Training en coaching", "Training and coaching",
        "trainer", "coach", "loopbaancoach", "teamcoach", "opleider", "training",
        "coaching", "facilitator",
    ),
    _s(
        "healthcare", "Zorg", "Healthcare",
        "zorg", "gezondheidszorg", "health care", "zorgsector", "ziekenhuis",
        "ziekenhuizen", "ggz", "ouderenzorg", "jeugdzorg", "care", "zorginstelling",
        "zorgverzekeraar", "health",
    ),
    _s(
        "government", "Overheid", "Government",
        "overheid", "rijksoverheid", "gemeente", "gemeenten", "provincie", "ministerie",
        "waterschap", "publieke sector", "public sector", "semi-overheid",
    ),
    _s(
        "education", "Onderwijs", "Education",
        "onderwijs", "school", "scholen", "universiteit", "hogeschool", "mbo",
        "higher education",
    ),
    _s(
        "financial-services", "Financiële dienstverlening", "Financial services",
        "bank", "banken", "banking", "verzekeraar", "verzekeringen", "insurance",
        "pensioenfonds", "fintech",
    ),
    _s(
        "energy", "Energie", "Energy",
        "energie", "energiebedrijf", "netbeheerder", "utilities", "duurzame energie",
        "energietransitie",
    ),
    _s("retail", "Retail", "Retail", "detailhandel", "e-commerce", "webwinkel", "winkels"),
    _s("logistics", "Logistiek", "Logistics", "logistiek", "transport", "supply chain"),
    _s(
        "manufacturing", "Industrie", "Manufacturing",
        "industrie", "maakindustrie", "productie", "industry",
    ),
    _s(
        "non-profit", "Goede doelen en non-profit", "Non-profit",
        "non-profit", "nonprofit", "goede doelen", "ngo", "charity", "stichting",
    ),
    _s("culture", "Cultuur", "Culture", "cultuur", "kunst", "arts", "musea", "museum"),
    _s(
        "housing", "Wonen en vastgoed", "Housing and real estate",
        "woningcorporatie", "woningcorporaties", "vastgoed", "real estate", "housing",
    ),
    _s(
        "agriculture", "Landbouw en voedsel", "Agriculture and food",
        "landbouw", "agrifood", "agri", "agriculture", "voedsel", "food",
    ),
    _s(
        "technology", "Technologie", "Technology",
        "technologie", "tech", "ict", "it sector", "saas",
    ),
)  # fmt: skip

DEFAULT = Vocabulary.of(BUILT_IN)


def slug(name: str) -> str:
    """An id for a new term: its folded name, words joined by hyphens."""
    return "-".join(re.sub(r"[^a-z0-9 ]+", " ", fold(name)).split())[:60]
