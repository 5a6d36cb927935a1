"""Read the release from a remote SPARQL 1.1 store (`serve --store-endpoint`) instead of an embedded one.

`RemoteStore` has the two methods the server calls on a pyoxigraph `Store`, `query(...)` with the same
keyword arguments and `named_graphs()`, and answers with pyoxigraph's own result objects, so the
pages, the endpoint's serializers (every format) and the start-up checks work unchanged whichever
store is behind them. Queries travel by the SPARQL 1.1 Protocol (POST, form-encoded), which Oxigraph
server, Fuseki, Virtuoso, GraphDB, QLever and Amazon Neptune all speak; each is sent without its
comments, asks for the formats of its form (`ACCEPT`), carries the deadline in the store's own
parameter (`timeout_parameters`), and, with `--user`, answers the store's Basic or Digest challenge.

The store is seen through the build's graphs only: each query names them as `default-graph-uri`
(the union default graph) and as `named-graph-uri` (a request that names default graphs only has no
named graphs), so graphs the store holds besides the build's (another dataset, a source since
removed) never leak into an answer, and the answer is the one the embedded store would give.

Errors: a query the store cannot parse is a `SyntaxError` (as pyoxigraph raises); a store that cannot
be reached, answers with an error status or in a format other than the one asked for, or stops in the
middle of its answer (Oxigraph server reports a failed SERVICE call that way, after a 200) raises
`RemoteStoreError`, an `OSError` like pyoxigraph's own I/O errors, so the query pool answers 502; a
store that stopped the query at the deadline (or sent Virtuoso's partial "anytime" answer) raises
`StoreTimeout` (503, as the embedded store's deadline), and one that lost the release
`StoreUnavailable` (503). Its message never names the store's
address, which is the deployment's business; the log does.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from typing import Any

import pyoxigraph as ox

from election_kg.common import credentials as store_credentials
from election_kg.common.failures import first_line, reason

AGENT = "election-kg/0.1 (election knowledge graph server; --store-endpoint)"

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
ACCEPT = {
    "SELECT": RESULTS_ACCEPT,
    "ASK": RESULTS_ACCEPT,
    "CONSTRUCT": GRAPH_ACCEPT,
    "DESCRIBE": GRAPH_ACCEPT,
}
"""What the store is asked for, by the query's form: SPARQL results (JSON, then XML) for SELECT and ASK,
N-Triples (then Turtle) for CONSTRUCT and DESCRIBE. One Accept header for every form lets a store
answer a graph query with a results format of its own (Virtuoso answers CONSTRUCT with a JSON table)."""

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

log = logging.getLogger(__name__)


class RemoteStoreError(OSError):
    """The store could not answer; the message is safe to show to a client. `status` is the answer's (502)."""

    status = 502


class StoreTimeout(RemoteStoreError, TimeoutError):
    """The store stopped the query at the deadline it was given (or did not answer within it): 503."""

    status = 503


class StoreUnavailable(RemoteStoreError):
    """The store answers but no longer holds this release's graphs (restarted empty, cleared): 503."""

    status = 503


@dataclass(frozen=True)
class RemoteSpec:
    """What a process needs to query the store (picklable, for the query workers)."""

    endpoint: str  # the store's SPARQL 1.1 query URL
    graphs: tuple[str, ...]  # the build's named graphs: the dataset every query sees
    timeout: float  # the query deadline, in seconds: passed on to the store, which stops there
    user: str = (
        ""  # the account, when the store asks for one (the password: see common.credentials)
    )


# Stores told apart by their answers' headers: what their timeout parameter means, where they load.
OXIGRAPH, FUSEKI, VIRTUOSO = "Oxigraph server", "Fuseki", "Virtuoso"


def store_kind(headers: Message | Mapping[str, str]) -> str:
    """Which store answered ("" when it cannot be told): from its Server header, or Fuseki's request id."""
    server = (headers.get("Server") or "").lower()
    if "virtuoso" in server:
        return VIRTUOSO
    if "oxigraph" in server:
        return OXIGRAPH
    if "fuseki" in server or headers.get("Fuseki-Request-Id") is not None:
        return FUSEKI
    return ""


def timeout_parameters(kind: str, seconds: float) -> list[tuple[str, str]]:
    """The deadline in the store's own query parameter, so that it stops computing when the site stops
    waiting: Fuseki's `timeout` is in seconds, Virtuoso's in milliseconds; Oxigraph server has none."""
    if kind == FUSEKI:
        return [("timeout", f"{seconds:g}")]
    if kind == VIRTUOSO:
        return [("timeout", str(max(1, round(seconds * 1000))))]
    return []


def load_url(endpoint: str, kind: str) -> str | None:
    """The Graph Store Protocol URL that `election-kg load --gsp` takes for this store, when it is known."""
    parts = urllib.parse.urlsplit(endpoint)
    site = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    if kind == VIRTUOSO:
        return site + "/sparql-graph-crud-auth"
    if kind == FUSEKI and path.count("/") >= 1 and path.rsplit("/", 1)[0]:
        return site + path.rsplit("/", 1)[0] + "/data"  # /DATASET/query or /DATASET/sparql
    if kind == OXIGRAPH or (not kind and path.endswith("/query")):
        return site + path.removesuffix("/query") + "/store"
    return None


def load_hint(endpoint: str, kind: str) -> str:
    """How to load the build into the store at `endpoint`: the command with the right URL, or where to find it."""
    url = load_url(endpoint, kind)
    if url is None:
        return (
            "load it with `election-kg load --gsp URL`, where URL is the store's Graph Store Protocol "
            "URL (its documentation names it: Oxigraph server /store, Fuseki /DATASET/data, Virtuoso "
            "/sparql-graph-crud-auth)"
        )
    user = " --user dba" if kind == VIRTUOSO else ""
    return f"load it with `election-kg load --gsp {url}{user}` ({kind or 'the store'}'s Graph Store Protocol URL)"


_FORM = re.compile(r"(?<![\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside comments, strings and IRIs ("" if none)."""
    for match in _FORM.finditer(_TOKENS.sub(" ", query)):
        return match.group(1).upper()
    return ""


class RemoteStore:
    """The read-only part of pyoxigraph's `Store` API, answered by a remote SPARQL 1.1 store."""

    def __init__(self, spec: RemoteSpec) -> None:
        self.spec = spec
        self._kind: str | None = None
        self._server = ""
        self._local = threading.local()  # one opener per thread: Digest auth keeps state in it
        self.credentials = (
            store_credentials.find(spec.endpoint, spec.user or None) if spec.user else None
        )

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return (ox.NamedNode(g) for g in self.spec.graphs)

    @property
    def kind(self) -> str:
        """The store's kind (Virtuoso, Fuseki, Oxigraph server, or ""), asked once with a trivial query."""
        if self._kind is None:
            self._send("ASK {}", [], list(self.spec.graphs[:1]), "ASK", probe=True)
        return self._kind or ""

    @property
    def name(self) -> str:
        """How messages name the store: its kind or Server header, never its address."""
        return self._kind or self._server or "the store"

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
        text = strip_comments(substitute(query, substitutions or {}))
        _check_syntax(text, base_iri)
        text = described(without_dataset_clauses(text))
        if base_iri is not None:
            text = f"BASE <{base_iri}>\n{text}"  # the protocol has no base parameter; a BASE in the query still wins
        defaults, named = self._dataset(use_default_graph_as_union, default_graph, named_graphs)
        form = query_form(text)
        media_type, body = self._send(text, defaults, named, form)
        return self._read(form, media_type, body)

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

    def _opener(self) -> urllib.request.OpenerDirector:
        opener = getattr(self._local, "opener", None)
        if opener is None:
            opener = self._local.opener = store_credentials.opener(
                self.spec.endpoint, self.credentials
            )
        return opener

    def _send(
        self, text: str, defaults: list[str], named: list[str], form: str, probe: bool = False
    ) -> tuple[str, bytes]:
        """POST the query (SPARQL 1.1 Protocol, form-encoded); the answer's media type and body."""
        form_fields = [("query", text)]
        form_fields += [("default-graph-uri", g) for g in defaults]
        form_fields += [("named-graph-uri", g) for g in named]
        if not probe:
            form_fields += timeout_parameters(self.kind, self.spec.timeout)
        request = urllib.request.Request(
            self.spec.endpoint,
            data=urllib.parse.urlencode(form_fields).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": ACCEPT.get(form, f"{RESULTS_ACCEPT}, {GRAPH_ACCEPT}"),
                "User-Agent": AGENT,
            },
        )
        try:
            with self._opener().open(request, timeout=self.spec.timeout + 5) as answer:
                self._learn(answer.headers)
                if (
                    answer.headers.get("X-SQL-State") == "S1TAT"
                ):  # Virtuoso's partial "anytime" answer
                    raise StoreTimeout(
                        f"{self.name} stopped the query at the {self.spec.timeout:g} s deadline"
                    )
                return answer.headers.get_content_type(), answer.read()
        except urllib.error.HTTPError as exc:
            self._learn(exc.headers)
            message = _message(exc)
            log.warning("store %s: %s %s: %s", self.spec.endpoint, exc.code, exc.reason, message)
            if exc.code == 400:
                raise SyntaxError(f"the store refused the query: {message}") from None
            if exc.code == 503 or _timed_out(message):
                raise StoreTimeout(
                    f"{self.name} stopped the query at the {self.spec.timeout:g} s deadline "
                    f"(it answered {exc.code}: {message})"
                ) from None
            if exc.code in (401, 403):
                message = (
                    "it refused the credentials"
                    if self.credentials
                    else (
                        "it asks for credentials: serve with --user, and the password in "
                        f"{store_credentials.PASSWORD_VARIABLE} or ~/.netrc"
                    )
                )
            raise RemoteStoreError(
                f"the store answered {exc.code} {exc.reason}: {message}"
            ) from None
        except TimeoutError:
            log.warning("store %s: no answer within the deadline", self.spec.endpoint)
            raise StoreTimeout(
                f"the store did not answer within the {self.spec.timeout:g} s deadline"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            if isinstance(exc, RemoteStoreError):
                raise
            log.warning("store %s unreachable: %s", self.spec.endpoint, exc)
            raise RemoteStoreError(f"the store could not be reached ({reason(exc)})") from None
        except http.client.HTTPException as exc:  # the connection broke in the middle of the body
            log.warning("store %s: %r", self.spec.endpoint, exc)
            raise RemoteStoreError("the store's answer was cut off") from None

    def _learn(self, headers: Message) -> None:
        if self._kind is None or not self._kind:
            self._kind = store_kind(headers)
            self._server = first_line(headers.get("Server") or "", 60)

    def _read(self, form: str, media_type: str, body: bytes) -> Results:
        """The answer as pyoxigraph objects, checked against what was asked and read to the end first: a
        store may fail after it began to answer, or answer in a format of its own."""
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        expected = "SPARQL results" if form in ("SELECT", "ASK") else "RDF"
        if form and (
            (results_format is None) if expected == "SPARQL results" else (rdf_format is None)
        ):
            raise RemoteStoreError(
                f"{self.name} answered a {form} query with {media_type or 'no media type'}, not {expected}"
            )
        if results_format is not None:
            boolean, names, rows = _read_results(body, results_format)
            if form and boolean != (form == "ASK"):
                raise RemoteStoreError(
                    f"{self.name} answered a {form} query with the wrong kind of results"
                )
            if not boolean and any(_canonical(t) is not t for row in rows for t in row):
                return ox.parse_query_results(_json(names, rows), ox.QueryResultsFormat.JSON)
            return ox.parse_query_results(
                body, results_format
            )  # again: the check consumed the first
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
            f"{self.name} answered with {media_type}, which is neither SPARQL results nor RDF"
        )


def _read_results(
    body: bytes, results_format: ox.QueryResultsFormat
) -> tuple[bool, list[str], list[list[Term | None]]]:
    """(whether it is a boolean, the variables, the rows) of a results document, read to its end.

    Plain Python objects only: pyoxigraph's result objects must be freed in the thread that made
    them, and an exception's traceback would keep them alive until a collection in any thread."""
    answer: Any = None
    try:
        answer = ox.parse_query_results(body, results_format)
        if isinstance(answer, ox.QueryBoolean):
            return True, [], []
        return False, [v.value for v in answer.variables], [list(row) for row in answer]
    except SyntaxError as exc:
        message = str(exc)
    finally:
        answer = None
    raise RemoteStoreError(
        f"the store stopped in the middle of its answer: {_tail(body)} (what it sent does not parse: {message})"
    )


BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _canonical(term: Term | None) -> Term | None:
    """A term as every store writes it: Virtuoso answers xsd:boolean as "1" and "0", not "true" and "false"."""
    if isinstance(term, ox.Literal) and term.datatype.value == BOOLEAN and term.value in "01":
        return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


def _json(names: list[str], rows: list[list[Term | None]]) -> bytes:
    """Solutions written as SPARQL results JSON, each term in its canonical form."""

    def cell(term: Term) -> dict[str, str]:
        if isinstance(term, ox.NamedNode):
            return {"type": "uri", "value": term.value}
        if isinstance(term, ox.BlankNode):
            return {"type": "bnode", "value": term.value}
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out

    bindings = [
        {n: cell(_canonical(t)) for n, t in zip(names, row, strict=True) if t is not None}
        for row in rows
    ]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}).encode()


def _timed_out(message: str) -> bool:
    """A store's error that says its own deadline passed (Virtuoso: SQL state S1T00)."""
    return bool(re.search(r"S1T00|timed? ?out|timeout", message, re.IGNORECASE))


def _message(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(2000).decode("utf-8", "replace")
    except OSError:
        text = ""
    return first_line(text) or "(no message)"


_TOKENS = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | [?$](?P<variable>[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
""",
    re.VERBOSE,
)


_DESCRIBE = re.compile(
    r"(?P<prologue>(?:\s*(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>))*)\s*DESCRIBE"
    r"(?P<terms>(?:\s+(?:<[^>\s]*>|[A-Za-z][\w.-]*:[\w.-]*))+)\s*",
    re.IGNORECASE,
)


def described(query: str) -> str:
    """`DESCRIBE <a> <b>` (named resources, no WHERE) as the CONSTRUCT of their own triples: what the
    embedded store answers, where stores define DESCRIBE each their own way (Virtuoso adds the triples
    that point at the resource, and its CBD their reifications). Any other query is left as it is."""
    match = _DESCRIBE.fullmatch(query)
    if match is None:
        return query
    return (
        f"{match.group('prologue')}\nCONSTRUCT {{ ?described ?p ?o }} WHERE {{ "
        f"VALUES ?described {{ {match.group('terms').strip()} }} ?described ?p ?o }}"
    )


_EMPTY = ox.Store()  # parses queries the way the embedded store does; never holds anything


def _check_syntax(query: str, base_iri: str | None) -> None:
    """Raise SyntaxError, as the embedded store would, for a query a lenient store would run anyway
    (Virtuoso answers `SELECT (COUNT(*) AS ?n) ?s` without a GROUP BY). Parsing only: the answer of
    the empty store is never read, so nothing is evaluated for a SELECT or a CONSTRUCT."""
    if query_form(query) in ("SELECT", "CONSTRUCT", "DESCRIBE"):
        _EMPTY.query(query, base_iri=base_iri)


_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?(?:<[^>\s]*>|[A-Za-z][\w.-]*:[\w.-]*)", re.IGNORECASE)


def without_dataset_clauses(query: str) -> str:
    """The query without FROM and FROM NAMED: the dataset always travels as the protocol's graph
    parameters (the endpoint has read the clauses into them), which the protocol says win, and which
    Virtuoso would otherwise merge with the clauses. Strings are kept whole."""
    out, last = [], 0
    for match in _TOKENS.finditer(query):
        if match.group("string") is not None:
            out.append(_FROM.sub(" ", query[last : match.start()]))
            out.append(match.group(0))
            last = match.end()
    out.append(_FROM.sub(" ", query[last:]))
    return "".join(out)


def strip_comments(query: str) -> str:
    """The query without its comments (strings and IRIs kept whole): what every store reads the same way.
    Virtuoso mis-reads a query whose comment holds a non-ASCII character."""
    return _TOKENS.sub(lambda m: "" if m.group("comment") is not None else m.group(0), query)


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


def missing_graphs(store: RemoteStore) -> list[str]:
    """The build's graphs the store holds no triple of: a cheap check, for /health and lost releases."""
    values = " ".join(f"<{g}>" for g in store.spec.graphs)
    rows = store.query(
        f"SELECT ?g WHERE {{ VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    held = {row["g"].value for row in rows}
    return [g for g in store.spec.graphs if g not in held]


def differences(found: Mapping[str, int], expected: Mapping[str, int]) -> list[str]:
    """What the store lacks or holds differently from the build, one line per graph (empty when it matches)."""
    out = []
    for graph, triples in sorted(expected.items()):
        if graph not in found:
            out.append(f"graph <{graph}> is missing (the build has {triples} triples in it)")
        elif found[graph] != triples:
            out.append(f"graph <{graph}> holds {found[graph]} triples, the build {triples}")
    return out


def _tail(body: bytes) -> str:
    """The end of a cut-off answer, after its last bracket: where a store that had already sent 200 writes what went wrong."""
    return (
        first_line(re.split(r"[\[\]{}<>]", body[-300:].decode("utf-8", "replace"))[-1])
        or "(nothing more)"
    )
