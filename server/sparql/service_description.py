"""The SPARQL 1.1 Service Description of `/sparql`: what a GET without a query answers to RDF clients.

It says what the endpoint does (read-only SPARQL 1.1 Query, union default graph, which result
formats, which SERVICE endpoints it may call) and which graphs it holds with their sizes, and
points at the VoID description for everything else.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import RDF, XSD, Literal, URIRef

from election_kg.common import formats
from election_kg.server.render.rdf_document import RdfDocument, new_graph
from election_kg.server.render.void import DCTERMS, SD, VOID, dataset_iri, endpoint_iri, service_iri

RESULT_FORMATS = (*formats.RESULTS, *formats.ALL)


def graph_sizes(store: ox.Store) -> dict[str, int]:
    """Triples in each named graph of the store (the ontology graph too, which the manifest does not list)."""
    rows = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    return {r["g"].value: int(r["n"].value) for r in rows}


def union_size(store: ox.Store) -> int:
    """Distinct triples in the union of all graphs: the default graph a query sees."""
    rows = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
        use_default_graph_as_union=True,
    )
    return int(next(iter(rows))["n"].value)


def build(base: str, service_allowlist: tuple[str, ...], store: ox.Store) -> RdfDocument:
    g = new_graph()
    service, endpoint = service_iri(base), endpoint_iri(base)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if service_allowlist:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for fmt in RESULT_FORMATS:
        g.add((service, SD.resultFormat, URIRef(fmt.iri)))
    allowed = ", ".join(service_allowlist) or "none"
    g.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "Read-only SPARQL 1.1 Query endpoint: updates are refused. The default graph is the union of all graphs "
                f"unless default-graph-uri or FROM names some. SERVICE may call only: {allowed}.",
                lang="en",
            ),
        )
    )

    dataset = URIRef(f"{endpoint}#dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, DCTERMS.source, dataset_iri(base)))
    default = URIRef(f"{endpoint}#default-graph")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(union_size(store), datatype=XSD.integer)))
    for i, (name, size) in enumerate(graph_sizes(store).items()):
        named, graph = URIRef(f"{endpoint}#named-graph-{i}"), URIRef(f"{endpoint}#graph-{i}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(size, datatype=XSD.integer)))
    return RdfDocument(g)
