"""Read the release from a remote SPARQL 1.1 store (`serve --store-endpoint`) instead of an embedded one.

`RemoteStore` has the two methods the server calls on a pyoxigraph `Store`, `query(...)` with the same
keyword arguments and `named_graphs()`, and answers with pyoxigraph's own result objects, so the
pages, the endpoint's serializers (every format) and the start-up checks work unchanged whichever
store is behind them. Queries travel by the SPARQL 1.1 Protocol (SPARQLWrapper, POST), which Oxigraph
server, Fuseki, Virtuoso, GraphDB, QLever and Amazon Neptune all speak.

The store is seen through the build's graphs only: each query names them as `default-graph-uri`
(the union default graph) and as `named-graph-uri` (a request that names default graphs only has no
named graphs), so graphs the store holds besides the build's (another dataset, a source since
removed) never leak into an answer, and the answer is the one the embedded store would give.

Errors: a query the store cannot parse is a `SyntaxError` (as pyoxigraph raises); a store that cannot
be reached, answers with an error status, or stops in the middle of its answer (Oxigraph server
reports a failed SERVICE call that way, after a 200) raises `RemoteStoreError`, an `OSError` like
pyoxigraph's own I/O errors, so the query pool answers 502. Its message never names the store's
address, which is the deployment's business; the log does.
"""

from __future__ import annotations

import ast
import http.client
import logging
import math
import re
import urllib.error
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from SPARQLWrapper import POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from election_kg.common.failures import first_line, reason

if TYPE_CHECKING:  # the query workers import this module too, and need no Flask
    pass

AGENT = "election-kg/0.1 (election knowledge graph server; --store-endpoint)"
ACCEPT = (
    "application/sparql-results+json, application/n-triples, "
    "application/sparql-results+xml;q=0.8, text/turtle;q=0.8, application/rdf+xml;q=0.5"
)
"""What the store may answer: SPARQL results for SELECT and ASK, RDF for CONSTRUCT and DESCRIBE; each
store picks by the query's form, so the form never has to be guessed from the text here."""

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

log = logging.getLogger(__name__)


class RemoteStoreError(OSError):
    """The store could not answer; the message is safe to show to a client."""


@dataclass(frozen=True)
class RemoteSpec:
    """What a process needs to query the store (picklable, for the query workers)."""

    endpoint: str  # the store's SPARQL 1.1 query URL
    graphs: tuple[str, ...]  # the build's named graphs: the dataset every query sees
    timeout: float  # seconds to wait for an answer


class RemoteStore:
    """The read-only part of pyoxigraph's `Store` API, answered by a remote SPARQL 1.1 store."""

    def __init__(self, spec: RemoteSpec) -> None:
        self.spec = spec

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return (ox.NamedNode(g) for g in self.spec.graphs)

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: Any = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        substitutions: Mapping[ox.Variable, Term] | None = None,
    ) -> Results:
        """Like `pyoxigraph.Store.query`; raises SyntaxError for a query the store refuses, RemoteStoreError otherwise."""
        text = substitute(query, substitutions or {})
        if base_iri is not None:
            text = f"BASE <{base_iri}>\n{text}"  # the protocol has no base parameter; a BASE in the query still wins
        defaults, named = self._dataset(use_default_graph_as_union, default_graph, named_graphs)
        media_type, body = self._send(text, defaults, named)
        return _read(media_type, body)

    def _dataset(
        self, union: bool, default_graph: Any, named_graphs: Sequence[ox.NamedNode] | None
    ) -> tuple[list[str], list[str]]:
        """(default-graph-uri, named-graph-uri) values that give the store the dataset pyoxigraph would use."""
        everything = list(self.spec.graphs)
        if default_graph is not None and not isinstance(default_graph, list | tuple):
            default_graph = [default_graph]
        if default_graph is not None and not all(
            isinstance(g, ox.NamedNode) for g in default_graph
        ):
            raise ValueError("a remote store takes named graphs only as the default graph")
        defaults = (
            everything
            if union and default_graph is None
            else [g.value for g in default_graph or []]
        )
        named = everything if named_graphs is None else [g.value for g in named_graphs]
        if not defaults and not named:  # the protocol would then mean "the store's whole dataset"
            raise ValueError("an empty dataset cannot be asked of a remote store")
        return defaults, named

    def _send(self, text: str, defaults: list[str], named: list[str]) -> tuple[str, bytes]:
        client = SPARQLWrapper(self.spec.endpoint, agent=AGENT)
        client.setQuery(text)
        client.queryType = (
            SELECT  # a query, never an update: SPARQLWrapper's regex guess must not send it as one
        )
        client.setMethod(POST)
        client.setOnlyConneg(True)  # no format/output parameters: the Accept header says it
        client.addCustomHttpHeader("Accept", ACCEPT)
        client.setTimeout(math.ceil(self.spec.timeout))
        for graph in defaults:
            client.addParameter("default-graph-uri", graph)
        for graph in named:
            client.addParameter("named-graph-uri", graph)
        try:
            answer = client.query().response
            return answer.headers.get_content_type(), answer.read()
        except QueryBadFormed as exc:
            raise SyntaxError(f"the store refused the query: {_answer_text(exc)}") from None
        except SPARQLWrapperException as exc:  # SPARQLWrapper's wrappers of 401, 404, 414 and 500
            log.warning("store %s: %s", self.spec.endpoint, exc)
            raise RemoteStoreError(
                f"the store answered {_status(exc)}: {_answer_text(exc)}"
            ) from None
        except urllib.error.HTTPError as exc:
            log.warning("store %s: %s", self.spec.endpoint, exc)
            raise RemoteStoreError(f"the store answered {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            log.warning("store %s unreachable: %s", self.spec.endpoint, exc)
            raise RemoteStoreError(f"the store could not be reached ({reason(exc)})") from None
        except http.client.HTTPException as exc:  # the connection broke in the middle of the body
            log.warning("store %s: %r", self.spec.endpoint, exc)
            raise RemoteStoreError("the store's answer was cut off") from None


def _read(media_type: str, body: bytes) -> Results:
    """The answer as pyoxigraph objects, read to the end first: a store may fail after it began to answer."""
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        try:
            answer = ox.parse_query_results(body, results_format)
            if isinstance(answer, ox.QuerySolutions):
                for _ in answer:
                    pass
        except SyntaxError as exc:
            raise RemoteStoreError(
                f"the store stopped in the middle of its answer: {_tail(body)} (what it sent does not parse: {exc})"
            ) from None
        return ox.parse_query_results(
            body, results_format
        )  # read again: the check consumed the first
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is not None:
        # pyoxigraph cannot make QueryTriples from parsed triples; a throwaway in-memory store can.
        graph = ox.Store()
        try:
            graph.load(body, format=rdf_format)
        except SyntaxError as exc:
            raise RemoteStoreError(
                f"the store stopped in the middle of its answer: {_tail(body)} (what it sent does not parse: {exc})"
            ) from None
        return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
    raise RemoteStoreError(
        f"the store answered with {media_type}, which is neither SPARQL results nor RDF"
    )


_TOKENS = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | [?$](?P<variable>[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
""",
    re.VERBOSE,
)


def substitute(query: str, substitutions: Mapping[ox.Variable, Term]) -> str:
    """The query with each substituted variable written as its value, as pyoxigraph's `substitutions` does.

    Comments, string literals and IRIs are skipped, so only real variables change. The server's own
    queries substitute in ASK patterns and CONSTRUCT templates; a substituted variable in a SELECT
    projection would become a syntax error the store reports.
    """
    values = {variable.value: term for variable, term in substitutions.items()}
    if not values:
        return query
    if any(isinstance(term, ox.BlankNode) for term in values.values()):
        raise ValueError("a blank node cannot be substituted into a query sent to a remote store")

    def replace(match: re.Match[str]) -> str:
        name = match.group("variable")
        return str(values[name]) if name in values else match.group(0)

    return _TOKENS.sub(replace, query)


def graph_sizes(store: RemoteStore) -> dict[str, int]:
    """Triples in each of the build's graphs, as the store holds them (graphs it lacks are left out)."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, ox.QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in rows}


def differences(found: Mapping[str, int], expected: Mapping[str, int]) -> list[str]:
    """What the store lacks or holds differently from the build, one line per graph (empty when it matches)."""
    out = []
    for graph, triples in sorted(expected.items()):
        if graph not in found:
            out.append(f"graph <{graph}> is missing (the build has {triples} triples in it)")
        elif found[graph] != triples:
            out.append(f"graph <{graph}> holds {found[graph]} triples, the build {triples}")
    return out


def _status(exc: SPARQLWrapperException) -> str:
    context = exc.__context__
    return str(context.code) if isinstance(context, urllib.error.HTTPError) else "with an error"


def _answer_text(exc: SPARQLWrapperException) -> str:
    """The store's message: SPARQLWrapper keeps it only inside its own, as the repr of the bytes."""
    _, _, tail = str(exc).partition("Response:\n")
    try:
        body = ast.literal_eval(tail)
    except (ValueError, SyntaxError):
        return first_line(tail) or "(no message)"
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    return first_line(text) or "(no message)"


def _tail(body: bytes) -> str:
    """The end of a cut-off answer, after its last bracket: where a store that had already sent 200 writes what went wrong."""
    return (
        first_line(re.split(r"[\[\]{}<>]", body[-300:].decode("utf-8", "replace"))[-1])
        or "(nothing more)"
    )
