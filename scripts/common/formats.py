"""The one table of formats: name, file extension, media type and each library's name for it.

Shared by the dump writer and the server (negotiation, download listing, service and dataset
descriptions), so that a format is added in one place. `aliases` are other media types clients
send for the same format (`application/json` for JSON-LD, say): the server accepts them in
`Accept` and answers with the main media type. `iri` is the format's name in the W3C formats
registry (http://www.w3.org/ns/formats/), used by VoID and the SPARQL service description.
"""

from __future__ import annotations

from dataclasses import dataclass

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class RdfFormat:
    name: str
    extension: str
    media_type: str
    rdflib: str
    quads: bool = False
    aliases: tuple[str, ...] = ()
    iri: str = ""


@dataclass(frozen=True)
class ResultsFormat:
    """A serialization of SELECT and ASK results."""

    name: str
    extension: str
    media_type: str
    aliases: tuple[str, ...] = ()
    iri: str = ""


TURTLE = RdfFormat(
    "Turtle",
    "ttl",
    "text/turtle",
    "turtle",
    aliases=("application/x-turtle",),
    iri=W3C_FORMATS + "Turtle",
)
JSONLD = RdfFormat(
    "JSON-LD",
    "jsonld",
    "application/ld+json",
    "json-ld",
    aliases=("application/json",),
    iri=W3C_FORMATS + "JSON-LD",
)
NTRIPLES = RdfFormat(
    "N-Triples", "nt", "application/n-triples", "nt", iri=W3C_FORMATS + "N-Triples"
)
NQUADS = RdfFormat(
    "N-Quads", "nq", "application/n-quads", "nquads", quads=True, iri=W3C_FORMATS + "N-Quads"
)
TRIG = RdfFormat("TriG", "trig", "application/trig", "trig", quads=True, iri=W3C_FORMATS + "TriG")
RDFXML = RdfFormat(
    "RDF/XML",
    "rdf",
    "application/rdf+xml",
    "xml",
    aliases=("application/xml", "text/xml"),
    iri=W3C_FORMATS + "RDF_XML",
)

DUMP_FORMATS = (TURTLE, JSONLD, NTRIPLES, NQUADS, TRIG)
"""The formats of the published dumps (RDF/XML is served on request, never dumped)."""
ALL = (TURTLE, JSONLD, NTRIPLES, NQUADS, TRIG, RDFXML)
BY_EXTENSION = {f.extension: f for f in ALL}
BY_MEDIA_TYPE = {f.media_type: f for f in ALL}

RESULTS_JSON = ResultsFormat(
    "SPARQL Results JSON",
    "srj",
    "application/sparql-results+json",
    aliases=("application/json",),
    iri=W3C_FORMATS + "SPARQL_Results_JSON",
)
RESULTS_XML = ResultsFormat(
    "SPARQL Results XML",
    "srx",
    "application/sparql-results+xml",
    aliases=("application/xml", "text/xml"),
    iri=W3C_FORMATS + "SPARQL_Results_XML",
)
RESULTS_CSV = ResultsFormat(
    "SPARQL Results CSV", "csv", "text/csv", iri=W3C_FORMATS + "SPARQL_Results_CSV"
)
RESULTS_TSV = ResultsFormat(
    "SPARQL Results TSV", "tsv", "text/tab-separated-values", iri=W3C_FORMATS + "SPARQL_Results_TSV"
)

RESULTS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
