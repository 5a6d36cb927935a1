"""Find Wikidata candidates for the graph's parties, people, organisations, places and elections.

Reads the built dump (never the server), asks a SPARQL endpoint (by default the Wikidata Query
Service) for items named like each entity, scores them (scripts/match_score.py) and writes a review
file for a person. It never adds a link: a link enters the graph only when a person copies it, with
its evidence, into data/links/accepted.ttl. Entities already linked there are shown as such, so the
review file also re-checks the accepted links against the endpoint.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import ORG

from election_kg.common import iris, query_files, release_files
from election_kg.common.vocab import EK
from election_kg.linking import QUERIES, remote
from election_kg.linking.match_score import Ours, Theirs, score

WIKIDATA_QUERY_SERVICE = "https://query.wikidata.org/sparql"
WD = "http://www.wikidata.org/entity/"
PERSON = "http://www.w3.org/ns/person#Person"
SCHEMA = "https://schema.org/"
MIN_SCORE = 40
PER_ENTITY = 5
COLUMNS = (
    "entity",
    "label",
    "kind",
    "status",
    "score",
    "candidate",
    "candidate_label",
    "description",
    "accepted",
    "evidence",
)


@dataclass(frozen=True)
class Kind:
    """A kind of entity: our classes, the Wikidata classes its items should be instances of, and
    whether every item of those classes in the country may be listed (only where that list is short)."""

    name: str
    ours: tuple[str, ...]
    wikidata: tuple[str, ...]
    browse: bool


# Wikidata classes: legislative election (Q2618461) is the reference's; the others are Wikidata's
# top classes for the kind (political party, human, organization, armed organization, legislature,
# lower house, country, sovereign state, city, big city). They only weigh in the score.
KINDS = (
    Kind("election", (str(EK.LegislativeElection), str(EK.Election)), ("Q2618461",), browse=True),
    Kind("party", (str(EK.PoliticalParty),), ("Q7278",), browse=True),
    Kind("legislature", (str(EK.Legislature),), ("Q11204", "Q375928"), browse=True),
    Kind("person", (PERSON,), ("Q5",), browse=False),
    Kind(
        "organisation",
        (str(EK.ArmedGroup), str(EK.Faction), str(ORG.Organization)),
        ("Q43229", "Q17149090", "Q7278"),
        browse=True,
    ),
    Kind("country", (SCHEMA + "Country",), ("Q6256", "Q3624078"), browse=False),
    Kind("place", (SCHEMA + "City",), ("Q515", "Q1549591"), browse=False),
)


@dataclass
class Entity:
    iri: str
    kind: Kind
    labels: set[ox.Literal] = field(default_factory=set)
    aliases: set[ox.Literal] = field(default_factory=set)
    countries: dict[str, str] = field(default_factory=dict)
    accepted: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return min(label.value for label in self.labels)

    def ours(self) -> Ours:
        return Ours(
            tuple(sorted(x.value for x in self.labels)),
            tuple(sorted(x.value for x in self.aliases)),
            self.kind.name,
            self.countries,
        )


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    item: Theirs
    score: int
    evidence: tuple[str, ...]

    @property
    def status(self) -> str:
        return "accepted" if self.item.item in self.entity.accepted else "review"


def read_entities(dist: Path) -> list[Entity]:
    """The entities of the built dump in `dist`, each with its kind, names, country and accepted links."""
    base = json.loads((dist / release_files.MANIFEST).read_text(encoding="utf-8"))["base"]
    store = ox.Store()
    store.load(path=str(dist / "election-kg.nq"), format=ox.RdfFormat.N_QUADS)
    kind_of = {iris.rebase(cls, base): kind for kind in KINDS for cls in kind.ours}
    query = query_files.with_values(
        query_files.load(QUERIES, "link-entities", base), "type", (ox.NamedNode(c) for c in kind_of)
    )
    found: dict[str, Entity] = {}
    order = {kind.name: i for i, kind in enumerate(KINDS)}
    for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        iri, kind = row["entity"].value, kind_of[row["type"].value]
        entity = found.setdefault(iri, Entity(iri, kind))
        if order[kind.name] < order[entity.kind.name]:  # the first kind in KINDS wins
            entity.kind = kind
        entity.labels.add(row["label"])
        if row["alias"] is not None:
            entity.aliases.add(row["alias"])
        if row["country"] is not None:
            label = row["countryLabel"]
            entity.countries[_qid(row["country"].value)] = label.value if label is not None else ""
        if row["linked"] is not None:
            entity.accepted.add(_qid(row["linked"].value))
    return sorted(found.values(), key=lambda e: (order[e.kind.name], e.label, e.iri))


def find_candidates(
    entities: list[Entity], endpoint: str, timeout: float = 60.0
) -> list[Candidate]:
    """Ask `endpoint` for items of each kind by name (and, where allowed, by class and country), then score them."""
    out: list[Candidate] = []
    by_kind: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        by_kind[entity.kind.name].append(entity)
    for kind in KINDS:
        members = by_kind.get(kind.name, [])
        if not members:
            continue
        pool: dict[str, Theirs] = {}
        names = {
            variant for e in members for name in e.labels | e.aliases for variant in _variants(name)
        }
        _by_label(pool, endpoint, kind, names, timeout)
        countries = sorted({q for e in members for q in e.countries})
        if kind.browse and countries:
            _by_class(pool, endpoint, kind, countries, timeout)
        for entity in members:
            scored = []
            for item in pool.values():
                result = score(entity.ours(), item)
                if result is not None and (
                    result.value >= MIN_SCORE or item.item in entity.accepted
                ):
                    scored.append(Candidate(entity, item, result.value, result.evidence))
            scored.sort(key=lambda c: (-c.score, c.status != "accepted", _qnumber(c.item.item)))
            kept = scored[:PER_ENTITY]
            kept += [c for c in scored[PER_ENTITY:] if c.status == "accepted"]
            out.extend(kept)
    return out


def _variants(name: ox.Literal) -> set[ox.Literal]:
    """The name as written, and with its apostrophes straight, curly or dropped: exact look-ups miss the others."""
    texts = {
        name.value,
        name.value.replace("'", "’"),
        name.value.replace("’", "'"),
        name.value.replace("'", "").replace("’", ""),
    }
    return {
        ox.Literal(text, language=name.language) if name.language else ox.Literal(text)
        for text in texts
    }


def _by_label(
    pool: dict[str, Theirs], endpoint: str, kind: Kind, names: Iterable[ox.Literal], timeout: float
) -> None:
    query = query_files.load(QUERIES, "wikidata-by-label")
    query = query_files.with_values(query, "text", sorted(names, key=str))
    query = query_files.with_values(
        query, "expected", (ox.NamedNode(WD + q) for q in kind.wikidata)
    )
    for row in remote.select(endpoint, query, timeout):
        item = pool.setdefault(_qid(row["item"]), Theirs(_qid(row["item"])))
        (item.labels if row["matchedAs"] == "label" else item.aliases).add(row["text"])
        _gather(item, row)
        if "expected" in row:
            item.expected_types[_qid(row["expected"])] = row.get("expectedLabel", "")


def _by_class(
    pool: dict[str, Theirs], endpoint: str, kind: Kind, countries: list[str], timeout: float
) -> None:
    query = query_files.load(QUERIES, "wikidata-by-class")
    query = query_files.with_values(query, "type", (ox.NamedNode(WD + q) for q in kind.wikidata))
    query = query_files.with_values(query, "country", (ox.NamedNode(WD + q) for q in countries))
    for row in remote.select(endpoint, query, timeout):
        item = pool.setdefault(_qid(row["item"]), Theirs(_qid(row["item"])))
        if "alias" in row:
            item.aliases.add(row["alias"])
        _gather(item, row)
        item.expected_types[_qid(row["type"])] = row.get("typeLabel", "")


def _gather(item: Theirs, row: remote.Row) -> None:
    if "label" in row:
        item.labels.add(row["label"])
    if row.get("description"):
        item.description = row["description"]
    if "type" in row:
        item.types[_qid(row["type"])] = row.get("typeLabel", "")
    if "country" in row:
        item.countries[_qid(row["country"])] = row.get("countryLabel", "")


def write_review(path: Path, entities: list[Entity], candidates: list[Candidate]) -> None:
    """The review file: one row per candidate (best first), and one row for each entity with none."""
    by_entity: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_entity[candidate.entity.iri].append(candidate)
    lines = ["\t".join(COLUMNS)]
    for entity in entities:
        accepted = " ".join(sorted(entity.accepted, key=_qnumber))
        rows = by_entity.get(entity.iri) or [None]
        for c in rows:
            cells = (
                entity.iri,
                entity.label,
                entity.kind.name,
                c.status if c else "none",
                str(c.score) if c else "",
                c.item.item if c else "",
                c.item.label if c else "",
                c.item.description if c else "",
                accepted,
                "; ".join(c.evidence)
                if c
                else "no candidate scored " + str(MIN_SCORE) + " or more",
            )
            lines.append("\t".join(_cell(x) for x in cells))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cell(text: str) -> str:
    return " ".join(text.split())  # no tab or newline can break a row


def _qid(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _qnumber(qid: str) -> tuple[int, str]:
    return (int(qid[1:]), qid) if qid[1:].isdigit() else (0, qid)
