"""The one table of RDF formats: name, file extension, media type and each library's name for it.

Shared by the dump writer and the server (negotiation, download listing), so that a format is
added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RdfFormat:
    name: str
    extension: str
    media_type: str
    rdflib: str
    quads: bool = False


TURTLE = RdfFormat("Turtle", "ttl", "text/turtle", "turtle")
JSONLD = RdfFormat("JSON-LD", "jsonld", "application/ld+json", "json-ld")
NTRIPLES = RdfFormat("N-Triples", "nt", "application/n-triples", "nt")
NQUADS = RdfFormat("N-Quads", "nq", "application/n-quads", "nquads", quads=True)
TRIG = RdfFormat("TriG", "trig", "application/trig", "trig", quads=True)
RDFXML = RdfFormat("RDF/XML", "rdf", "application/rdf+xml", "xml")

DUMP_FORMATS = (TURTLE, JSONLD, NTRIPLES, NQUADS, TRIG)
ALL = (TURTLE, JSONLD, NTRIPLES, NQUADS, TRIG, RDFXML)
BY_EXTENSION = {f.extension: f for f in ALL}
BY_MEDIA_TYPE = {f.media_type: f for f in ALL}
