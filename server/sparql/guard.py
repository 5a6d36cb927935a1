"""Read a query before it runs: its form, its dataset and the SERVICE endpoints it would call.

pyoxigraph runs any SERVICE call it is given (it makes the HTTP request itself), so every query
is parsed first with rdflib's SPARQL parser and its algebra walked for SERVICE patterns, which
finds them wherever they hide (OPTIONAL, UNION, subqueries, FILTER EXISTS). A regular expression
on the text would not: comments, string literals, prefixed names and relative IRIs all defeat it.
A query rdflib cannot parse is refused, so the two parsers disagreeing can only make us stricter.

The FROM / FROM NAMED clauses are read here too: pyoxigraph ignores them when the default graph is
the union of all graphs, so the endpoint passes them to it explicitly.

A fast path skips rdflib's parse (5 to 40 ms) when it cannot matter: when the query text, with its
\\uXXXX and \\UXXXXXXXX escapes expanded (SPARQL expands them before parsing, anywhere), contains
none of the letter sequences SERVICE, FROM or LOAD in any case, no keyword can be one of them: the
query names no dataset and calls nothing, whatever its structure. Its form is then read from the
first keyword after the prologue (BASE and PREFIX declarations, whitespace, comments), which the
grammar fixes; anything the scan does not recognise takes the full parse. Only the parse decides
when one of the words may be present. Shapes are cached either way (512 entries).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from election_kg.server.http import errors

FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
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


# The fast path's scan (see the module docstring). Names follow the SPARQL grammar's PN_PREFIX.
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_REACHING = ("SERVICE", "FROM", "LOAD")
_BASE_CHARS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHARS = _BASE_CHARS + "_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PREFIX_NAME = f"(?:[{_BASE_CHARS}](?:[{_NAME_CHARS}.]*+(?<!\\.))?)?:"
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*+>"
_GAP = r"(?:[ \t\r\n]|#[^\r\n]*+)*+"  # whitespace and comments; possessive, so the scan is linear
_REACHING_WORD = re.compile("|".join(_REACHING))
# Runs of name characters and colons (not the dot: a name may hold one, but a pattern ends with one).
_NAME_RUN = re.compile(f"[{_NAME_CHARS}:]++")


def _reaches_outside(upper: str) -> bool:
    """Whether some SERVICE, FROM or LOAD letters may be the keyword. Letters that end a variable or
    a prefixed name's local part (`?wasFrom`, `prov:wasDerivedFrom`) are not: the run of name
    characters before them is not empty and is a variable (after `?` or `$`) or holds a colon, and
    SPARQL's names are greedy. Anything else counts (after a number, `true`, inside IRIs, strings or
    comments, right after `?`): the scan stays sound by sending look-alikes to the parse. One pass
    over the runs, each run's keywords found by one scan: linear in the text."""
    for run in _NAME_RUN.finditer(upper):
        token = run.group()
        colon = token.find(":")
        variable = run.start() > 0 and upper[run.start() - 1] in "?$"
        for word in _REACHING_WORD.finditer(token):
            if word.start() == 0 or not (variable or 0 <= colon < word.start()):
                return True
    return False


_PROLOGUE_THEN_FORM = re.compile(
    rf"{_GAP}(?:(?:BASE{_GAP}{_IRI}|PREFIX{_GAP}{_PREFIX_NAME}{_GAP}{_IRI}){_GAP})*+(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![A-Za-z0-9_])",
    re.IGNORECASE | re.ASCII,
)


def expand_escapes(text: str) -> str | None:
    try:
        return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    except ValueError:  # past U+10FFFF: let the parser report it
        return None


def fast_shape(text: str) -> QueryShape | None:
    """The shape of a query that cannot reach outside (no SERVICE, FROM or LOAD keyword), or None."""
    expanded = expand_escapes(text)
    if expanded is None:
        return None
    if _reaches_outside(expanded.upper()):
        return None
    found = _PROLOGUE_THEN_FORM.match(expanded)
    if found is None:
        return None
    return QueryShape(form=found.group(1).upper(), default_graphs=(), named_graphs=(), services=())


@lru_cache(maxsize=512)
def read_query(text: str, base: str) -> QueryShape:
    """The shape of a SPARQL query; raises ApiError 400 (not a query) or 403 (an update)."""
    if not text.strip():
        raise errors.bad_request("the query is empty")
    return fast_shape(text) or parsed_shape(text, base)


def parsed_shape(text: str, base: str) -> QueryShape:
    """The shape read from rdflib's parse and algebra: the structural decision."""
    try:
        with _PARSER:
            algebra = translateQuery(parseQuery(text), base=base).algebra
    except Exception as exc:  # rdflib reports bad queries with several exception types (pyparsing's, bare Exception)
        if _is_update(text):
            raise errors.forbidden(
                "this is a SPARQL Update; the endpoint is read-only and runs queries only"
            ) from exc
        raise errors.bad_request(f"the query does not parse: {exc}") from exc
    clauses = (algebra["datasetClause"] if "datasetClause" in algebra else None) or []
    services = tuple(
        str(n["term"]) if isinstance(n["term"], URIRef) else None
        for n in _nodes(algebra)
        if n.name == "ServiceGraphPattern"
    )
    return QueryShape(
        form=FORMS[algebra.name],
        default_graphs=tuple(str(c["default"]) for c in clauses if "default" in c),
        named_graphs=tuple(str(c["named"]) for c in clauses if "named" in c),
        services=services,
    )


def explain_refusal(text: str, base: str, refusal: errors.ApiError) -> errors.ApiError:
    """rdflib's error for a query the engine refused, if rdflib refuses it too (its messages are clearer:
    "Expected ...", "Unknown namespace prefix"), else the engine's. Only refused queries pay this parse."""
    try:
        parsed_shape(text, base)
    except errors.ApiError as exc:
        return exc
    return refusal


def check_services(shape: QueryShape, allowlist: Iterable[str]) -> None:
    """Refuse (403) a SERVICE call to anything but the allowed endpoints, and to a variable."""
    allowed = set(allowlist)
    for service in shape.services:
        if service is None:
            raise errors.forbidden(
                "SERVICE with a variable endpoint is not allowed; name the endpoint"
            )
        if service not in allowed:
            listed = ", ".join(sorted(allowed)) or "none"
            raise errors.forbidden(
                f"SERVICE <{service}> is not allowed; endpoints this server may call: {listed}"
            )


def check_graphs(graphs: Iterable[str], known: frozenset[str]) -> None:
    """Refuse (400) a graph the dataset does not hold; graphs are never fetched from the web."""
    for graph in graphs:
        if graph not in known:
            raise errors.bad_request(
                f"graph <{graph}> is not in this dataset (graphs are never fetched); "
                f"graphs here: {', '.join(sorted(known))}"
            )
