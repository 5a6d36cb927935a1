"""`propose`: the graph the article's facts are compared with, the rules run over its prose, and
each candidate marked new or in-graph."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef

from election_kg.common import iris
from election_kg.common.vocab import EK
from election_kg.pipeline.article import Article, read_article
from election_kg.pipeline.assemble import BuildSettings
from election_kg.pipeline.curated import add_curated
from election_kg.pipeline.errors import BuildError
from election_kg.pipeline.graph import add_election
from election_kg.pipeline.infobox import read_election
from election_kg.pipeline.provenance import SourceWriter
from election_kg.prose.entities import EntityIndex
from election_kg.prose.extract import Context, extract
from election_kg.prose.facts import (
    ANCHORS,
    QUANTITY,
    Terms,
    expand,
    find_existing,
    holds,
    is_iri_property,
    literal,
    number,
    quantity_held,
)
from election_kg.prose.lexicon import lexicon
from election_kg.prose.review import Candidate


@dataclass
class ArticleGraph:
    article: Article
    graph: Graph  # the article's infobox facts and its curated facts, if any
    country: URIRef | None


def article_graph(path: Path, root: Path, ontology: Graph, *, curated: bool = True) -> ArticleGraph:
    """What the build makes of one article; an infobox the reader refuses gives no facts."""
    article = read_article(path)
    dataset = Dataset()
    writer = SourceWriter(dataset.graph(iris.graph(article.stem)), article)
    try:
        add_election(writer, read_election(article))
    except BuildError as exc:
        print(
            f"note: {path.name}: infobox not read ({exc}); resolving against other articles only",
            file=sys.stderr,
        )
    cfile = root / "data" / "curated" / f"{path.stem}.ttl"
    if curated and cfile.exists():
        add_curated(writer, cfile, ontology)
    election = iris.election(article.title)
    return ArticleGraph(article, writer.graph, writer.graph.value(election, EK.country))


def country_graph(path: Path, root: Path, *, curated: bool = True) -> tuple[ArticleGraph, Graph]:
    """The article's own graph, and the union with every project article of the same country."""
    settings = BuildSettings(root=root)
    ontology = Graph().parse(settings.ontology, format="turtle")
    own = article_graph(path, root, ontology, curated=curated)
    union = Graph()
    union += own.graph
    for other in sorted(settings.sources.glob("*.txt")):
        if other.resolve() == path.resolve():
            continue
        try:
            ag = article_graph(other, root, ontology, curated=curated)
        except BuildError:
            continue
        if own.country is not None and ag.country == own.country:
            union += ag.graph
    if own.country is None:
        name = _country_from_title(own.article.title)
        if name:
            own.country = iris.country(name)
            union.add((own.country, RDF.type, URIRef("https://schema.org/Country")))
            union.add((own.country, RDFS.label, Literal(name, lang="en")))
    return own, union


def _country_from_title(title: str) -> str | None:
    """An article whose infobox gives no country: 'Tunisian' in its title names Tunisia."""
    adjectives = lexicon()["entities"]["country_adjectives"]
    low = title.lower()
    for adj, name in sorted(adjectives.items(), key=lambda kv: -len(kv[0])):
        if f" {adj} " in f" {low} ":
            return name
    return None


def propose(path: Path, root: Path, *, curated: bool = True) -> tuple[Article, list[Candidate]]:
    own, union = country_graph(path, root, curated=curated)
    article = own.article
    election = iris.election(article.title)
    terms = Terms(election, own.country)
    edate = union.value(election, EK.electionDate)
    year = union.value(election, EK.electionYear)
    when: date | None = edate.toPython() if edate is not None else None
    y = (
        int(str(year)[:4])
        if year is not None
        else (when.year if when else _title_year(article.title))
    )
    country_name = str(union.value(own.country, RDFS.label)) if own.country is not None else None
    ctx = Context(
        article=article,
        terms=terms,
        index=EntityIndex(union),
        country=own.country,
        country_name=country_name,
        election_date=when,
        year=y,
    )
    rows = extract(ctx)
    map_nodes(rows, union, terms)
    for row in rows:
        if in_graph(row, union, terms):
            row.status = "in-graph"
    return article, rows


def _title_year(title: str) -> int | None:
    m = re.match(r"(\d{4})\b", title)
    return int(m.group(1)) if m else None


def map_nodes(rows: list[Candidate], graph: Graph, terms: Terms) -> None:
    """Give a proposed fact node the IRI the graph already gives it (a curated boycott call)."""
    by_subject: dict[str, list[Candidate]] = {}
    for row in rows:
        by_subject.setdefault(row.subject, []).append(row)
    renames: dict[str, str] = {}
    for subject, its in by_subject.items():
        iri = terms.iri(subject)
        if not terms.is_fact_node(iri) or (iri, None, None) in graph:
            continue
        type_row = next((r for r in its if r.property == "rdf:type"), None)
        if type_row is None:
            continue
        cls = terms.iri(type_row.value)
        if cls not in ANCHORS:
            continue
        anchors = {}
        for r in its:
            p = terms.iri(r.property)
            if p in ANCHORS[cls]:
                anchors[p] = terms.iri(r.value) if is_iri_property(p) else literal(p, r.value)
        existing = find_existing(graph, terms, cls, anchors)
        if existing is not None:
            renames[subject] = terms.curie(existing)
    for row in rows:
        row.subject = renames.get(row.subject, row.subject)
        if row.value in renames:
            row.value = renames[row.value]


def in_graph(row: Candidate, graph: Graph, terms: Terms) -> bool:
    s, p = terms.iri(row.subject), terms.iri(row.property)
    local = str(p).rsplit("#", 1)[-1]
    if str(p).startswith(str(EK)) and local in QUANTITY:
        return quantity_held(graph, s, p, number(row.value))
    if p == RDF.type:
        return (s, p, terms.iri(row.value)) in graph
    (s, p, o) = expand(row, terms)[0]
    return holds(graph, s, p, o)
