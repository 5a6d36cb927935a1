"""Read a query before it runs: its form, its dataset and the SERVICE endpoints it would call.

pyoxigraph runs any SERVICE call it is given (it makes the HTTP request itself), so every query
is parsed first with rdflib's SPARQL parser and its algebra walked for SERVICE patterns, which
finds them wherever they hide (OPTIONAL, UNION, subqueries, FILTER EXISTS). A regular expression
on the text would not: comments, string literals, prefixed names and relative IRIs all defeat it.
A query rdflib cannot parse is refused, so the two parsers disagreeing can only make us stricter.

The FROM / FROM NAMED clauses are read here too: pyoxigraph ignores them when the default graph is
the union of all graphs, so the endpoint passes them to it explicitly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from server import errors

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class QueryShape:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    default_graphs: tuple[str, ...]  # FROM
    named_graphs: tuple[str, ...]  # FROM NAMED
    services: tuple[str | None, ...]  # SERVICE endpoints, None for `SERVICE ?variable`

    @property
    def returns_graph(self) -> bool:
        return self.form in GRAPH_FORMS


def _nodes(tree: Any) -> Iterator[CompValue]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)


# rdflib's parser (pyparsing, with a shared packrat cache) is not thread-safe, and HTTP workers
# run several request threads: concurrent parses fail at random. One parse at a time per process.
_PARSER = threading.Lock()


def _is_update(text: str) -> bool:
    try:
        with _PARSER:
            parseUpdate(text)
    except Exception:  # any failure of the update parser just means "not an update"
        return False
    return True


@lru_cache(maxsize=512)
def read_query(text: str, base: str) -> QueryShape:
    """The shape of a SPARQL query; raises ApiError 400 (not a query) or 403 (an update)."""
    if not text.strip():
        raise errors.bad_request("the query is empty")
    try:
        with _PARSER:
            algebra = translateQuery(parseQuery(text), base=base).algebra
    except Exception as exc:  # rdflib reports bad queries with several exception types (pyparsing's, bare Exception)
        if _is_update(text):
            raise errors.forbidden("this is a SPARQL Update; the endpoint is read-only and runs queries only") from exc
        raise errors.bad_request(f"the query does not parse: {exc}") from exc
    clauses = (algebra["datasetClause"] if "datasetClause" in algebra else None) or []
    services = tuple(str(n["term"]) if isinstance(n["term"], URIRef) else None
                     for n in _nodes(algebra) if n.name == "ServiceGraphPattern")
    return QueryShape(
        form=FORMS[algebra.name],
        default_graphs=tuple(str(c["default"]) for c in clauses if "default" in c),
        named_graphs=tuple(str(c["named"]) for c in clauses if "named" in c),
        services=services,
    )


def check_services(shape: QueryShape, allowlist: Iterable[str]) -> None:
    """Refuse (403) a SERVICE call to anything but the allowed endpoints, and to a variable."""
    allowed = set(allowlist)
    for service in shape.services:
        if service is None:
            raise errors.forbidden("SERVICE with a variable endpoint is not allowed; name the endpoint")
        if service not in allowed:
            listed = ", ".join(sorted(allowed)) or "none"
            raise errors.forbidden(f"SERVICE <{service}> is not allowed; endpoints this server may call: {listed}")


def check_graphs(graphs: Iterable[str], known: frozenset[str]) -> None:
    """Refuse (400) a graph the dataset does not hold; graphs are never fetched from the web."""
    for graph in graphs:
        if graph not in known:
            raise errors.bad_request(f"graph <{graph}> is not in this dataset (graphs are never fetched); "
                                     f"graphs here: {', '.join(sorted(known))}")
