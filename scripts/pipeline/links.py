"""Add the accepted cross-dataset links (`data/links/*.ttl`) with their evidence.

Links are written by a person as reified statements (rdf:subject, rdf:predicate, rdf:object,
prov:wasDerivedFrom the evidence). The build asserts each link, keeps its statement under a
stable IRI, and refuses a link whose subject the graph does not describe (a typo would otherwise
publish a dangling owl:sameAs).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, SKOS, BNode, Graph, URIRef

from election_kg.common import iris
from election_kg.pipeline.curated import load_curated
from election_kg.pipeline.errors import SourceError

ALLOWED = {OWL.sameAs, SKOS.closeMatch, SKOS.exactMatch}
ALLOWED_TARGETS = (
    "http://www.wikidata.org/entity/Q",
    "https://partyfacts.herokuapp.com/data/partycodes/",
)


def add_links(target: Graph, path: Path, described: Graph) -> int:
    """Copy the links of one file into `target`; `described` is the graph the subjects must be in."""
    links = load_curated(path)
    count = 0
    for st in sorted(
        links.subjects(RDF.type, RDF.Statement),
        key=lambda n: str(links.value(n, RDF.subject)) + str(links.value(n, RDF.object)),
    ):
        s, p, o = (links.value(st, term) for term in (RDF.subject, RDF.predicate, RDF.object))
        if not isinstance(s, URIRef) or p not in ALLOWED or not isinstance(o, URIRef):
            raise SourceError(
                path,
                None,
                None,
                "a link needs an IRI subject, one of owl:sameAs/skos:exactMatch/skos:closeMatch "
                f"and an IRI object; got {s} {p} {o}",
            )
        if not str(o).startswith(ALLOWED_TARGETS):
            raise SourceError(
                path, None, None, f"<{o}> is not a Wikidata item or a Party Facts code"
            )
        if (s, None, None) not in described:
            raise SourceError(
                path, None, None, f"<{s}> is not described by any source, so it cannot be linked"
            )
        node = iris.statement(s, p, o)
        target.add((s, p, o))
        for pred, obj in links.predicate_objects(st):
            target.add((node, pred, obj))
        count += 1
    for subject in set(links.subjects()):
        if isinstance(subject, URIRef):  # evidence datasets and any other named resources
            for triple in links.triples((subject, None, None)):
                target.add(triple)
        elif not isinstance(subject, BNode):  # pragma: no cover
            raise SourceError(path, None, None, f"unexpected subject {subject}")
    return count
