"""The generic page of a resource: its label and types, each property with its values and their
sources, what links to it, and the excerpts it was derived from. Built from the triples of
describe.rq only, so the page shows exactly what /data/{path} publishes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from election_kg.server.render import quantities
from election_kg.server.render.model import (
    FOAF,
    LABEL,
    OWL,
    PROV,
    RDFS,
    SCHEMA,
    SKOS,
    TYPE,
    Index,
    Page,
    Source,
    Value,
)

# Shown in the page's heading or its "elsewhere" box rather than in the table of properties.
HEADING = {TYPE, LABEL}
ELSEWHERE = {OWL + "sameAs", SKOS + "closeMatch", SKOS + "exactMatch", FOAF + "isPrimaryTopicOf"}
DESCRIPTIONS = (SCHEMA + "description", RDFS + "comment")
FIRST = [SKOS + "altLabel", SCHEMA + "description", RDFS + "comment", SCHEMA + "startDate"]


@dataclass
class Row:
    """One property of the resource (or, inverted, of the resources pointing at it) and its values."""

    iri: str
    label: str
    href: str
    values: list[Value]


@dataclass
class ResourcePage:
    iri: str
    label: str
    label_sources: list[Source]
    types: list[Value]
    descriptions: list[Value]
    rows: list[Row]
    elsewhere: list[Row]
    inbound: list[Row]
    sources: list[Source] = field(default_factory=list)
    excerpt: dict[str, str] | None = None
    reading: Value | None = None  # how a quantity node reads ("about 18.8 million voters")


def build(triples: list[ox.Triple], base: str, iri: str) -> ResourcePage:
    page = Page(Index(triples), base)
    index = page.index
    ek = f"{base}ontology#"
    types = page.values(iri, TYPE)
    label_values = page.values(iri, LABEL)
    descriptions = [v for p in DESCRIPTIONS for v in page.values(iri, p)]
    rows, elsewhere = [], []
    outgoing = index.outgoing(iri)
    order = {p: i for i, p in enumerate(FIRST)}
    for predicate in sorted(outgoing, key=lambda p: (order.get(p, len(order)), page.label(p))):
        if predicate in HEADING or predicate in DESCRIPTIONS:
            continue
        if predicate in (PROV + "wasDerivedFrom", ek + "mentionedIn"):
            values = [_cited(page, o) for o in index.objects(iri, predicate)]
        else:
            values = [_shown(page, iri, predicate, o) for o in index.objects(iri, predicate)]
        row = Row(predicate, page.label(predicate), page.href(predicate), values)
        (elsewhere if predicate in ELSEWHERE else rows).append(row)
    inbound = []
    for predicate, subjects in sorted(
        index.incoming(iri).items(), key=lambda item: page.label(item[0])
    ):
        if (
            predicate.startswith("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
            or predicate == PROV + "wasDerivedFrom"
        ):
            continue
        values = sorted((page.term(s) for s in set(subjects)), key=lambda v: v.text.casefold())
        inbound.append(Row(predicate, page.label(predicate), page.href(predicate), values))
    excerpt = None
    text = index.literal(iri, ek + "exactText")
    if text is not None:
        excerpt = {
            "text": text,
            "line": index.literal(iri, ek + "lineNumber") or "",
            "start": index.literal(iri, ek + "startOffset") or "",
            "end": index.literal(iri, ek + "endOffset") or "",
        }
    reading = quantities.quantity(page, iri) if ek + "Quantity" in index.types(iri) else None
    if reading is not None:
        reading.href = None  # on its own page, the reading links to its sources, not to itself
    label = label_values[0].text if label_values else page.label(iri)
    label_sources = [s for v in label_values for s in v.sources]
    return ResourcePage(
        iri,
        label,
        label_sources,
        types,
        descriptions,
        rows,
        elsewhere,
        inbound,
        page.sources,
        excerpt,
        reading,
    )


def _cited(page: Page, obj: ox.NamedNode | ox.Literal) -> Value:
    """An excerpt the resource as a whole was derived from or mentioned in: listed among the sources."""
    shown = page.term(obj)
    if isinstance(obj, ox.NamedNode):
        shown.sources = [page.cite(obj.value)]
    return shown


def _shown(page: Page, subject: str, predicate: str, obj: ox.NamedNode | ox.Literal) -> Value:
    """A value, read through when it is a quantity node the resource owns."""
    if isinstance(obj, ox.NamedNode) and f"{page.base}ontology#Quantity" in page.index.types(
        obj.value
    ):
        read = quantities.quantity(page, obj.value)
        if read is not None:
            read.sources = page.sources_of(subject, predicate, obj) + [s for s in read.sources]
            return read
    return page.value(subject, predicate, obj)
