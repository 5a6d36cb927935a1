"""Names in sentences, resolved against the built graph's entities of the same country first.

A name matches an entity by its label, a skos:altLabel, an abbreviation (the initials of its
label, also in another word order: 'FLN' for the National Liberation Front), or its label's
words in another order ('National People's Assembly'). A name that matches nothing is proposed
as a new entity, with an IRI from `mint`, the one place prose entities get IRIs.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import ORG, SKOS

from election_kg.common import iris
from election_kg.common.vocab import EK
from election_kg.prose.lexicon import lexicon, words_pattern

SCHEMA_CITY = URIRef("https://schema.org/City")
SCHEMA_COUNTRY = URIRef("https://schema.org/Country")
PERSON = URIRef("http://www.w3.org/ns/person#Person")

KIND_CLASS = {
    "party": EK.PoliticalParty,
    "person": PERSON,
    "organisation": ORG.Organization,
    "armed_group": EK.ArmedGroup,
    "faction": EK.Faction,
    "place": SCHEMA_CITY,
    "legislature": EK.Legislature,
    "country": SCHEMA_COUNTRY,
}
CLASS_KIND = {v: k for k, v in KIND_CLASS.items()}
_MINTERS: dict[str, Callable[..., URIRef]] = {
    "party": iris.party,
    "person": iris.person,
    "organisation": iris.organisation,
    "armed_group": iris.organisation,
    "faction": iris.organisation,
    "place": iris.place,
    "legislature": iris.legislature,
    "country": iris.country,
}


def mint(kind: str, name: str, country: str | None) -> URIRef:
    """The IRI of a new entity, by the common iris module's rule for its kind: parties, people,
    organisations and legislatures are identified within their country (id/party/{country}/{slug})."""
    minter = _MINTERS[kind]
    if len(inspect.signature(minter).parameters) >= 2:
        if not country:
            raise ValueError(
                f"a {kind} is identified within its country; none is known for {name!r}"
            )
        return minter(country, name)
    return minter(name)


def key(name: str) -> str:
    """How two spellings of one name compare: no accents, case, 'the', disambiguation, punctuation."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text)
    text = re.sub(r"[’']s\b", "s", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def initials(name: str) -> str:
    connectors = set(lexicon()["entities"]["connectors"])
    words = [w for w in re.split(r"[\s-]+", key(name)) if w and w not in connectors]
    return "".join(w[0] for w in words).upper()


@dataclass(frozen=True)
class Match:
    iri: URIRef
    how: str  # label, altLabel, abbreviation, reordered, initials in another order


class EntityIndex:
    """The entities of one country in the built graph, by every name they are known by."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.by_key: dict[str, URIRef] = {}
        self.by_alt: dict[str, URIRef] = {}
        self.by_abbr: dict[str, URIRef] = {}
        self.by_sorted: dict[str, URIRef] = {}
        self.by_letters: dict[str, URIRef] = {}
        self.kinds: dict[URIRef, str] = {}
        for cls, kind in CLASS_KIND.items():
            for entity in sorted(graph.subjects(RDF.type, cls)):
                if isinstance(entity, URIRef):
                    self.kinds.setdefault(entity, kind)
        for entity in sorted(self.kinds):
            for label in graph.objects(entity, RDFS.label):
                self._add(entity, str(label), self.by_key)
            for alt in graph.objects(entity, SKOS.altLabel):
                self._add(entity, str(alt), self.by_alt)

    def _add(self, entity: URIRef, name: str, table: dict[str, URIRef]) -> None:
        table.setdefault(key(name), entity)
        self.by_sorted.setdefault(" ".join(sorted(key(name).split())), entity)
        abbr = initials(name)
        if len(abbr) >= 2 and len(key(name).split()) >= 2:
            self.by_abbr.setdefault(abbr, entity)
            self.by_letters.setdefault("".join(sorted(abbr)), entity)
        if re.fullmatch(r"[A-Z]{2,6}", name.strip()):
            self.by_abbr.setdefault(name.strip(), entity)

    def find(self, name: str) -> Match | None:
        k = key(name)
        if not k:
            return None
        if k in self.by_key:
            return Match(self.by_key[k], "label")
        if k in self.by_alt:
            return Match(self.by_alt[k], "altLabel")
        if re.fullmatch(r"[A-Z]{2,6}", name):
            if name in self.by_abbr:
                return Match(self.by_abbr[name], "abbreviation")
            letters = "".join(sorted(name))
            if letters in self.by_letters:
                return Match(self.by_letters[letters], "initials in another order")
            return None
        reordered = " ".join(sorted(k.split()))
        if reordered in self.by_sorted and len(k.split()) >= 2:
            return Match(self.by_sorted[reordered], "reordered")
        return None

    def add(self, iri: URIRef, name: str, kind: str) -> None:
        """A new entity proposed from the prose, so that later sentences find it."""
        self.kinds.setdefault(iri, kind)
        self._add(iri, name, self.by_alt)

    def label(self, iri: URIRef) -> str | None:
        value = self.graph.value(iri, RDFS.label)
        return str(value) if value is not None else None


def _name_pattern() -> re.Pattern[str]:
    connectors = lexicon()["entities"]["connectors"]
    word = r"(?:[A-Z][\w’'.-]*[\w]|[A-Z]|[A-Z]{2,}\d*|\d+)"
    glue = r"(?:\s+(?:" + "|".join(connectors) + r"))*\s+"
    return re.compile(rf"(?:(?:al|el)-)?[A-Z][\w’'-]*(?:{glue}{word})*")


NAME = _name_pattern()
STOP = set(lexicon()["entities"]["stopwords"])


def names_in(text: str) -> list[tuple[int, int, str]]:
    """Capitalised names in a stretch of text, without a leading stopword ('The', 'While')."""
    out = []
    for m in NAME.finditer(text):
        start, name = m.start(), m.group(0)
        while name and name.split()[0].lower() in STOP:
            parts = name.split(maxsplit=1)
            if len(parts) == 1:
                name = ""
                break
            start += len(name) - len(parts[1])
            name = parts[1]
        name = re.sub(
            r"(?:\s+(?:" + "|".join(lexicon()["entities"]["connectors"]) + r"))+$", "", name
        )
        name = name.rstrip("'’")
        if name.endswith(("'s", "’s")):
            name = name[:-2]
        if name and not name.isdigit():
            out.append((start, start + len(name), name))
    return out


def kind_of(name: str, context: str = "") -> str:
    """What a new name is, from the words of the name and the words before it."""
    ents = lexicon()["entities"]
    low = f"{context} {name}".lower()
    if re.search(words_pattern(ents["armed_group"]), low):
        return "armed_group"
    if re.search(r"\bfaction\b", context.lower()):
        return "faction"
    if re.search(words_pattern(ents["party"]), name.lower()):
        return "party"
    if re.search(words_pattern(ents["legislature"]), name.lower()):
        return "legislature"
    if re.search(words_pattern(ents["organisation"]), low):
        return "organisation"
    if re.search(r"\bparty\b", context.lower()):
        return "party"
    words = name.split()
    if 2 <= len(words) <= 4 and all(w[0].isupper() for w in words):
        return "person"
    return "organisation"
