"""Write facts together with where they came from.

Every fact triple is asserted and also reified as an rdf:Statement that is prov:wasDerivedFrom
the excerpts it comes from and prov:wasGeneratedBy the activity that read it (infobox reading or
human curation). Fact nodes (results, calls, events, quantities) are also prov:wasDerivedFrom
their excerpts directly; entities (parties, people) are ek:mentionedIn them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from election_kg.common import iris
from election_kg.common.vocab import EK
from election_kg.pipeline.article import Article, Span

WIKIPEDIA = "https://en.wikipedia.org/wiki/"
SOFTWARE = iris.agent("election-kg")
CURATORS = iris.agent("election-kg curators")


def wikipedia_url(title: str) -> URIRef:
    """The English Wikipedia address of a page title, by Wikipedia's own title-to-URL rule."""
    return URIRef(WIKIPEDIA + quote(title.strip().replace(" ", "_"), safe="_(),'!-.:"))


class SourceWriter:
    """Adds one source's facts to its named graph, with provenance."""

    def __init__(self, graph: Graph, article: Article) -> None:
        self.graph = graph
        self.article = article
        self.source = iris.source(article.stem)
        self.reading = iris.activity(f"{article.stem} infobox reading")
        self.curation = iris.activity(f"{article.stem} curation")
        self._describe_source()

    def _describe_source(self) -> None:
        g, art = self.graph, self.article
        g.add((self.source, RDF.type, EK.SourceDocument))
        g.add((self.source, RDFS.label, Literal(art.title, lang="en")))
        g.add(
            (self.source, URIRef("http://purl.org/dc/terms/title"), Literal(art.title, lang="en"))
        )
        g.add((self.source, URIRef("https://schema.org/url"), wikipedia_url(art.title)))
        g.add((self.source, URIRef("http://purl.org/dc/terms/language"), Literal("en")))
        g.add((self.source, EK.sha256, Literal(art.sha256)))
        self._activity(
            self.reading,
            f"Reading the infobox of {art.title}",
            SOFTWARE,
            PROV.SoftwareAgent,
            "election-kg",
            "election-kg parsed the infobox lines of the source and derived the values it says are derived.",
        )

    def _activity(
        self, act: URIRef, label: str, who: URIRef, kind: URIRef, name: str, comment: str
    ) -> None:
        g = self.graph
        g.add((act, RDF.type, PROV.Activity))
        g.add((act, RDFS.label, Literal(label, lang="en")))
        g.add((act, RDFS.comment, Literal(comment, lang="en")))
        g.add((act, PROV.used, self.source))
        g.add((act, PROV.wasAssociatedWith, who))
        g.add((who, RDF.type, kind))
        g.add((who, RDFS.label, Literal(name, lang="en")))

    def _curation(self) -> URIRef:
        """The curation activity, described the first time a curated fact is written."""
        if (self.curation, RDF.type, PROV.Activity) not in self.graph:
            art = self.article
            self._activity(
                self.curation,
                f"Curation of the prose of {art.title}",
                CURATORS,
                PROV.Agent,
                "election-kg curators",
                f"A person read the prose and recorded each fact with the exact sentence it comes from in "
                f"data/curated/{art.stem}.ttl; the build checked every sentence against the source.",
            )
        return self.curation

    def excerpt(self, span: Span, kind: URIRef, key: str | None = None) -> URIRef:
        node = iris.excerpt(self.source, span.start, span.end)
        g = self.graph
        if (node, RDF.type, kind) in g:
            return node
        assert self.article.text[span.start : span.end] == span.text, (
            "excerpt offsets must match the text"
        )
        g.add((node, RDF.type, kind))
        g.add((node, EK.excerptOf, self.source))
        g.add((node, EK.exactText, Literal(span.text)))
        g.add((node, EK.startOffset, Literal(span.start)))
        g.add((node, EK.endOffset, Literal(span.end)))
        g.add((node, EK.lineNumber, Literal(span.line)))
        if key:
            g.add((node, EK.infoboxKey, Literal(key)))
        return node

    def lines(self, *sourced: Any) -> list[URIRef]:
        """The infobox-line excerpts of values read from the infobox (anything with an `.entry`)."""
        return [self.excerpt(item.entry.span, EK.InfoboxLine, item.entry.key) for item in sourced]

    def fact(
        self,
        s: URIRef,
        p: URIRef,
        o: URIRef | Literal,
        excerpts: list[URIRef],
        *,
        curated: bool = False,
        rule: str | None = None,
        evidence: list[URIRef] | None = None,
    ) -> None:
        """Assert (s, p, o) and its reified statement with provenance."""
        g = self.graph
        g.add((s, p, o))
        st = iris.statement(s, p, o)
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        g.add((st, PROV.wasGeneratedBy, self._curation() if curated else self.reading))
        for ex in [*excerpts, *(evidence or [])]:
            g.add((st, PROV.wasDerivedFrom, ex))
        if rule:
            g.add((st, EK.derivationRule, Literal(rule)))

    def derived(self, node: URIRef, excerpts: list[URIRef]) -> None:
        for ex in excerpts:
            self.graph.add((node, PROV.wasDerivedFrom, ex))

    def mention(self, entity: URIRef, excerpts: list[URIRef]) -> None:
        for ex in excerpts:
            self.graph.add((entity, EK.mentionedIn, ex))


def typed(value: object) -> Literal:
    """Literals with the datatypes the shapes expect (integers as xsd:integer, decimals as xsd:decimal)."""
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, Decimal):
        return Literal(value, datatype=XSD.decimal)
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=XSD.date)
    return Literal(str(value))
