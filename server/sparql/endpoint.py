"""`/sparql`: the SPARQL 1.1 Protocol, read-only.

The view is a short match on the operation the request asks for (see `protocol`):
- an update, in any form: 403, nothing runs;
- no query: the service description for RDF clients, the query page (`query_ui`) for browsers;
- a query: check its size, read it (`query_guard`: form, dataset, SERVICE calls), pick the
  format from its form (results or graph) and the request, check the client's query-time
  budget (`budget`), run it (`engine`), charge its time, answer.
Every refusal is raised as an `errors` helper and happens before the query runs. An answer cut at
`max_result_rows` (`result_cap`) says so in `X-SPARQL-MaxRows` and `X-Result-Truncated`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import Blueprint, Flask, Response, current_app, request

from election_kg.common import formats
from election_kg.server.http import budget, errors, negotiation
from election_kg.server.render import rdf_document
from election_kg.server.render.rdf_document import RdfDocument
from election_kg.server.settings import Settings
from election_kg.server.sparql import depth, engine, protocol, service_description
from election_kg.server.sparql import guard as query_guard
from election_kg.server.sparql.cap import Answer
from election_kg.server.store.release import Release, get_release
from election_kg.server.views import query as query_ui

blueprint = Blueprint("sparql", __name__)

READ_ONLY = "this SPARQL endpoint is read-only: updates (INSERT, DELETE, LOAD, CLEAR, ...) are refused and nothing was changed"
HTML = "text/html"


def _offers(
    table: tuple[formats.RdfFormat, ...] | tuple[formats.ResultsFormat, ...],
) -> tuple[tuple[str, ...], dict[str, str]]:
    """Media types to offer (main ones first, then aliases) and each one's main media type."""
    canonical = {f.media_type: f.media_type for f in table} | {
        a: f.media_type for f in table for a in f.aliases
    }
    return tuple(canonical), canonical


RESULT_OFFERS, RESULT_TYPES = _offers(formats.RESULTS)
GRAPH_OFFERS, GRAPH_TYPES = _offers(formats.ALL)
DESCRIPTION_OFFERS = (*rdf_document.OFFERS, HTML)


@dataclass
class Endpoint:
    """What the endpoint computes once per worker: the graphs a query may name and the service description."""

    graphs: frozenset[str]
    base: str
    allowlist: tuple[str, ...]
    _description: RdfDocument | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def description(self) -> RdfDocument:
        """Made on first use, not at start-up: its counts scan the whole store."""
        with self._lock:
            if self._description is None:
                self._description = service_description.build(
                    self.base, self.allowlist, get_release().store
                )
            return self._description


def init_app(app: Flask) -> None:
    with app.app_context():
        release, settings = get_release(), app.config["SETTINGS"]
        graphs = frozenset(g.value for g in release.store.named_graphs())
    app.extensions["election_kg.sparql"] = Endpoint(
        graphs, release.base, settings.service_allowlist
    )
    app.register_blueprint(blueprint)


def get_endpoint() -> Endpoint:
    return current_app.extensions["election_kg.sparql"]


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    body = request.get_data(cache=False) if request.method == "POST" else b""
    operation = protocol.read(
        request.method, request.headers.get("Content-Type"), request.query_string, body
    )
    match operation:
        case protocol.Update():
            raise errors.forbidden(READ_ONLY)
        case protocol.NoQuery(format=fmt):
            return _describe(fmt)
        case protocol.Query() as query:
            return _answer(query, get_release(), current_app.config["SETTINGS"])
    raise AssertionError(f"unhandled operation {operation!r}")


@dataclass(frozen=True)
class Planned:
    """A query that passed every check, with the dataset and the format it will be answered in."""

    text: str
    dataset: engine.Dataset
    media_type: str


def plan(
    query: protocol.Query, accept: str | None, release: Release, settings: Settings, known: Endpoint
) -> Planned:
    """Every check before a query runs (size, nesting, guard, dataset, format); raises the refusal."""
    if len(query.text) > settings.max_query_length:
        raise errors.too_large(
            f"the query is {len(query.text)} characters long; the limit is {settings.max_query_length}"
        )
    if settings.max_query_depth and (nesting := depth.depth(query.text)) > settings.max_query_depth:
        raise errors.bad_request(
            f"the query nests {nesting} levels deep; the limit is {settings.max_query_depth} "
            "(max_query_depth: groups, subqueries, parentheses, [ ] and runs of unary operators count)"
        )
    shape = query_guard.read_query(query.text, release.base)
    query_guard.check_services(shape, settings.service_allowlist)
    dataset = _dataset(query, shape, known.graphs)
    offers, canonical = (
        (GRAPH_OFFERS, GRAPH_TYPES) if shape.returns_graph else (RESULT_OFFERS, RESULT_TYPES)
    )
    try:
        media_type = canonical[negotiation.select(accept, query.format, offers)]
    except (negotiation.NotAcceptable, negotiation.UnknownFormat):
        query_guard.parsed_shape(
            query.text, release.base
        )  # a query that does not parse is told so first (400)
        raise
    return Planned(query.text, dataset, media_type)


def answer_headers(answer: Answer, hit: bool) -> list[tuple[str, str]]:
    """The endpoint's own headers on an answer (the app's hooks add CORS, security and caching)."""
    headers = [("X-Cache", "hit" if hit else "miss")]
    if answer.cut_at is not None:
        headers += [
            ("X-SPARQL-MaxRows", str(answer.cut_at)),
            (
                "X-Result-Truncated",
                f"the results were cut at {answer.cut_at} rows (the server's max_result_rows); "
                "page through them with ORDER BY, LIMIT and OFFSET, or download the dumps",
            ),
        ]
    return headers


def _answer(query: protocol.Query, release: Release, settings: Settings) -> Response:
    planned = plan(query, request.headers.get("Accept"), release, settings, get_endpoint())
    client = budget.current_client()
    budget.check(client)
    answer, hit = run(planned, release, settings, client)
    response = Response(answer.body, mimetype=planned.media_type)
    response.headers.extend(answer_headers(answer, hit))
    response.vary.add("Accept")
    return response


def run(planned: Planned, release: Release, settings: Settings, client: str) -> tuple[Answer, bool]:
    """Run the query and charge its time to the client: the query process's time, the whole deadline
    for a query stopped there, nothing for a cached answer."""
    text = planned.text
    try:
        answer, hit = engine.get_engine().execute(
            text, planned.dataset, planned.media_type, base_iri=release.base
        )
    except errors.ApiError as exc:
        if exc.status == 503:
            budget.charge(client, settings.query_timeout)
        if (
            exc.status == 400
        ):  # pyoxigraph refused it; rdflib's message, when it refuses it too, says more
            raise query_guard.explain_refusal(text, release.base, exc) from exc
        raise
    budget.charge(client, 0.0 if hit else answer.seconds)
    return answer, hit


def _dataset(
    query: protocol.Query, shape: query_guard.QueryShape, known: frozenset[str]
) -> engine.Dataset:
    """The protocol's graph parameters if any (they override the query's), else its FROM clauses, else the union."""
    query_guard.check_graphs(
        [*query.default_graphs, *query.named_graphs, *shape.default_graphs, *shape.named_graphs],
        known,
    )
    if query.default_graphs or query.named_graphs:
        return engine.Dataset(query.default_graphs, query.named_graphs)
    if shape.default_graphs or shape.named_graphs:
        return engine.Dataset(shape.default_graphs, shape.named_graphs)
    return engine.Dataset()


def _describe(fmt: str | None) -> Response:
    chosen = negotiation.select(request.headers.get("Accept"), fmt, DESCRIPTION_OFFERS)
    if chosen == HTML:
        response = query_ui.page()  # the YASGUI page, owned by server/query_ui.py
    else:
        rdf_format = rdf_document.format_for(chosen)
        response = Response(
            get_endpoint().description().serialize(rdf_format), mimetype=rdf_format.media_type
        )
    response.vary.add("Accept")
    return response
