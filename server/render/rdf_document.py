"""A small RDF document built once per worker (a service or dataset description), served in several formats.

The descriptions are a few hundred triples computed at startup from immutable release data, so
each format is serialized once, on first request, and kept. rdflib writes them: they are built
with rdflib's graph API, and rdflib compacts JSON-LD with the document's own prefixes.
"""

from __future__ import annotations

from rdflib import Graph

from election_kg.common import formats
from election_kg.common.prefixes import DESCRIPTION

FORMATS = (formats.TURTLE, formats.JSONLD, formats.NTRIPLES, formats.RDFXML)
OFFERS = tuple(dict.fromkeys(t for f in FORMATS for t in (f.media_type, *f.aliases)))
_BY_TYPE = {t: f for f in FORMATS for t in (f.media_type, *f.aliases)}


def new_graph() -> Graph:
    """An empty graph with just our prefixes bound (rdflib's defaults would clutter every document)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in DESCRIPTION.items():
        graph.bind(prefix, namespace)
    return graph


def format_for(media_type: str) -> formats.RdfFormat:
    """The format an offer (main media type or alias) stands for."""
    return _BY_TYPE[media_type]


class RdfDocument:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._bytes: dict[str, bytes] = {}

    def __len__(self) -> int:
        return len(self.graph)

    def serialize(self, fmt: formats.RdfFormat) -> bytes:
        if fmt.media_type not in self._bytes:
            options = {"auto_compact": True} if fmt is formats.JSONLD else {}
            self._bytes[fmt.media_type] = self.graph.serialize(
                format=fmt.rdflib, encoding="utf-8", **options
            )
        return self._bytes[fmt.media_type]
