"""Run one read-only SPARQL query on the store and serialize its results: the only place queries run.

Kept to one function with plain inputs (query text, dataset, media type) and bytes out, so that a
later change can move it to a worker pool with a timeout without touching the HTTP layer.
Serialization is pyoxigraph's own (Rust) writers, for every results and RDF format.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from server import errors


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query sees. None means the store's: every graph merged as the default graph,
    every named graph available to GRAPH."""

    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = None


def execute(store: ox.Store, query: str, dataset: Dataset, media_type: str, base_iri: str | None = None) -> bytes:
    """The results of `query`, serialized as `media_type`; ApiError 400 if pyoxigraph rejects the query."""
    try:
        results = store.query(
            query,
            base_iri=base_iri,
            use_default_graph_as_union=dataset.default is None,
            default_graph=None if dataset.default is None else [ox.NamedNode(g) for g in dataset.default],
            named_graphs=None if dataset.named is None else [ox.NamedNode(g) for g in dataset.named],
        )
        if isinstance(results, ox.QueryTriples):
            return results.serialize(format=ox.RdfFormat.from_media_type(media_type))
        return results.serialize(format=ox.QueryResultsFormat.from_media_type(media_type))
    except SyntaxError as exc:
        raise errors.bad_request(f"the query is not valid SPARQL: {exc}") from exc
    except OSError as exc:  # raised for a failed SERVICE call: the store itself is in memory
        raise errors.bad_gateway(f"a SERVICE call failed: {exc}") from exc
