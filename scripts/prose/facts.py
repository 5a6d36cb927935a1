"""What a review row means in RDF: its terms, the triples it expands to, and whether a graph
already holds it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import ORG, SKOS
from rdflib.term import Node

from election_kg.common import iris
from election_kg.common.vocab import EK
from election_kg.prose.entities import key
from election_kg.prose.review import Candidate

SCHEMA = "https://schema.org/"
BASE = iris.CANONICAL_BASE
FIXED_PREFIXES = {
    "election": BASE + "id/election/",
    "party": BASE + "id/party/",
    "person": BASE + "id/person/",
    "organisation": BASE + "id/organisation/",
    "country": BASE + "id/country/",
    "place": BASE + "id/place/",
    "legislature": BASE + "id/legislature/",
    "role": BASE + "id/role/",
    "post": BASE + "id/post/",
    "ek": str(EK),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "schema": SCHEMA,
    "org": str(ORG),
    "w3p": "http://www.w3.org/ns/person#",
}
QUANTITY = {
    "partiesContesting",
    "independentListsContesting",
    "candidatesContesting",
    "eligibleVoters",
    "votesCast",
    "spoiltBallots",
    "spoiltBallotShare",
    "constituencies",
    "turnout",
    "turnoutChange",
}
FIGURE = {
    "exact": URIRef(SCHEMA + "value"),
    "approximately": EK.approximately,
    "moreThan": EK.moreThan,
    "lessThan": EK.lessThan,
}
DATES = {EK.electionDate, URIRef(SCHEMA + "startDate")}
INTEGERS = {
    EK.seatsContested,
    EK.deaths,
    EK.injuries,
    EK.explosiveDevices,
    EK.seatsWon,
    EK.seatChange,
}
BOOLEANS = {EK.withApology}
STRINGS = {EK.statedAs, URIRef(SCHEMA + "unitText")}
# Facts that exist only within one election carry ek:election (events, calls, records).
ELECTION_FACTS = {
    EK.BoycottCall,
    EK.VotingDay,
    EK.ElectionEvent,
    EK.Incident,
    EK.SecurityOperation,
    EK.Certification,
    EK.AppealRuling,
    EK.Allegation,
    EK.Retraction,
    EK.GroupRepresentation,
    EK.HistoricalRecord,
    EK.Leadership,
}
# How a new fact node is recognised in a graph that already has it under another IRI.
ANCHORS = {
    EK.BoycottCall: [EK.callMadeBy],
    EK.VotingDay: [URIRef(SCHEMA + "startDate")],
    EK.GroupRepresentation: [EK.group],
    EK.HistoricalRecord: [EK.recordMeasure],
    EK.Allegation: [EK.statedBy],
    EK.Retraction: [EK.statedBy],
    EK.Incident: [URIRef(SCHEMA + "location"), URIRef(SCHEMA + "startDate")],
    EK.Certification: [EK.decidedBy],
    EK.AppealRuling: [EK.decidedBy],
    EK.ElectionEvent: [URIRef(SCHEMA + "startDate")],
    EK.Leadership: [ORG.organization],
    EK.SecurityOperation: [],
}


@dataclass
class Terms:
    """CURIEs of one article: e: is its election's own namespace."""

    election: URIRef
    country: URIRef | None = None
    """The election's country: parties, people, organisations and legislatures are named within it."""

    @property
    def prefixes(self) -> dict[str, str]:
        scoped = {}
        if self.country is not None:
            within = str(self.country).rsplit("/", 1)[-1]
            for kind in ("party", "person", "organisation", "legislature"):
                scoped[kind] = f"{BASE}id/{kind}/{within}/"
        return {"e": f"{self.election}/", **FIXED_PREFIXES, **scoped}

    def iri(self, curie: str) -> URIRef:
        curie = curie.strip()
        if curie.startswith("<") and curie.endswith(">"):
            return URIRef(curie[1:-1])
        prefix, _, local = curie.partition(":")
        if prefix not in self.prefixes:
            raise ValueError(f"unknown prefix in {curie!r}")
        return URIRef(self.prefixes[prefix] + local)

    def curie(self, iri: Node) -> str:
        text = str(iri)
        best = max(
            ((p, ns) for p, ns in self.prefixes.items() if text.startswith(ns)),
            key=lambda pn: len(pn[1]),
            default=None,
        )
        if best and re.fullmatch(r"[\w.-]*[\w-]|", text[len(best[1]) :]):
            return f"{best[0]}:{text[len(best[1]) :]}"
        return f"<{text}>"

    def is_fact_node(self, iri: URIRef) -> bool:
        return str(iri).startswith(f"{self.election}/")


def literal(prop: URIRef, value: str) -> Node:
    """A row's value as the literal its property takes."""
    if prop in DATES:
        return Literal(date.fromisoformat(value), datatype=XSD.date)
    if prop in INTEGERS:
        return Literal(int(Decimal(value)), datatype=XSD.integer)
    if prop in BOOLEANS:
        return Literal(value.strip().lower() == "true", datatype=XSD.boolean)
    if prop in STRINGS:
        return Literal(value)
    return Literal(value, lang="en")


def number(value: str) -> Literal:
    d = Decimal(value)
    if d == d.to_integral_value():
        return Literal(int(d), datatype=XSD.integer)
    return Literal(d, datatype=XSD.decimal)


def is_iri_property(prop: URIRef) -> bool:
    return prop not in DATES | INTEGERS | BOOLEANS | STRINGS and prop not in {
        RDFS.label,
        URIRef(SCHEMA + "description"),
        SKOS.altLabel,
        EK.reason,
        EK.voterGroup,
        EK.medium,
        EK.characterisation,
        EK.changesMade,
        EK.outcome,
        EK.claim,
        EK.group,
        RDFS.comment,
    }


def quantity_node(terms: Terms, prop: URIRef, stated: str) -> URIRef:
    local = str(prop).rsplit("#", 1)[-1]
    name = re.sub(r"(?<!^)([A-Z])", r"-\1", local).lower()
    return iris.election_part(terms.election, f"{name}-{iris.slug(stated)}")


def expand(row: Candidate, terms: Terms) -> list[tuple[URIRef, URIRef, Node]]:
    """The triples one accepted row stands for (its value edited where the reviewer edited it)."""
    s, p = terms.iri(row.subject), terms.iri(row.property)
    value = row.edited_value or row.value
    local = str(p).rsplit("#", 1)[-1]
    if str(p).startswith(str(EK)) and local in QUANTITY:
        node = quantity_node(terms, p, row.stated)
        label = row.label or local
        return [
            (s, p, node),
            (node, RDF.type, EK.Quantity),
            (node, RDFS.label, Literal(label, lang="en")),
            (node, FIGURE.get(row.qualifier, FIGURE["exact"]), number(value)),
            (node, URIRef(SCHEMA + "unitText"), Literal(row.unit or "units")),
            (node, EK.statedAs, Literal(row.stated)),
        ]
    o = terms.iri(value) if is_iri_property(p) else literal(p, value)
    out = [(s, p, o)]
    if p == RDF.type and row.label:
        out.append((s, RDFS.label, Literal(row.label, lang="en")))
        if o in ELECTION_FACTS:
            out.append((s, EK.election, terms.election))
    return out


def same_value(a: Node, b: Node) -> bool:
    if isinstance(a, Literal) and isinstance(b, Literal):
        try:
            pa, pb = a.toPython(), b.toPython()
            if isinstance(pa, (int, float, Decimal)) and isinstance(pb, (int, float, Decimal)):
                return Decimal(str(pa)) == Decimal(str(pb))
        except (InvalidOperation, ValueError):
            pass
        return key(str(a)) == key(str(b))
    return a == b


def holds(graph: Graph, s: URIRef, p: URIRef, o: Node) -> bool:
    return any(same_value(o, x) for x in graph.objects(s, p))


def quantity_held(graph: Graph, s: URIRef, p: URIRef, figure: Literal) -> bool:
    """A figure is in the graph when the property already has a quantity of that number."""
    for q in graph.objects(s, p):
        for fp in FIGURE.values():
            if any(same_value(figure, x) for x in graph.objects(q, fp)):
                return True
    return False


def expanded_statements(graph: Graph) -> Graph:
    """A curated file's graph with its rdf:Statement forms turned into the triples they state."""
    out = Graph()
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    for st in statements:
        s, p, o = (graph.value(st, t) for t in (RDF.subject, RDF.predicate, RDF.object))
        if s is not None and p is not None and o is not None:
            out.add((s, p, o))
    for s, p, o in graph:
        if s not in statements and p != EK.quote:
            out.add((s, p, o))
    return out


def find_existing(
    graph: Graph, terms: Terms, cls: URIRef, anchors: dict[URIRef, Node]
) -> URIRef | None:
    """The node of this class and election that the graph already has with these anchor values."""
    props = ANCHORS.get(cls)
    if props is None:
        return None
    for node in sorted(graph.subjects(RDF.type, cls)):
        if not isinstance(node, URIRef) or (node, EK.election, terms.election) not in graph:
            continue
        wanted = [p for p in props if p in anchors]
        if props and not wanted:
            continue
        if all(holds(graph, node, p, anchors[p]) for p in wanted):
            return node
    return None
