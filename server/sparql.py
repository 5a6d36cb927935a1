"""`/sparql`: the SPARQL 1.1 Protocol, read-only.

The view is a short match on the operation the request asks for (see `protocol`):
- an update, in any form: 403, nothing runs;
- no query: the service description for RDF clients, the query page (`query_ui`) for browsers;
- a query: check its size, read it (`query_guard`: form, dataset, SERVICE calls), pick the
  format from its form (results or graph) and the request, run it (`engine`), answer.
Every refusal is raised as an `errors` helper and happens before the query runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, request

from scripts import formats
from server import engine, errors, negotiation, protocol, query_guard, query_ui, rdf_document, service_description
from server.rdf_document import RdfDocument
from server.release import Release, get_release
from server.settings import Settings

blueprint = Blueprint("sparql", __name__)

READ_ONLY = "this SPARQL endpoint is read-only: updates (INSERT, DELETE, LOAD, CLEAR, ...) are refused and nothing was changed"
HTML = "text/html"


def _offers(table: tuple[formats.RdfFormat, ...] | tuple[formats.ResultsFormat, ...]) -> tuple[tuple[str, ...], dict[str, str]]:
    """Media types to offer (main ones first, then aliases) and each one's main media type."""
    canonical = {f.media_type: f.media_type for f in table} | {a: f.media_type for f in table for a in f.aliases}
    return tuple(canonical), canonical


RESULT_OFFERS, RESULT_TYPES = _offers(formats.RESULTS)
GRAPH_OFFERS, GRAPH_TYPES = _offers(formats.ALL)
DESCRIPTION_OFFERS = (*rdf_document.OFFERS, HTML)


@dataclass(frozen=True)
class Endpoint:
    """What the endpoint computes once per worker: the graphs a query may name and the service description."""

    graphs: frozenset[str]
    description: RdfDocument


def init_app(app: Flask) -> None:
    with app.app_context():
        release, settings = get_release(), app.config["SETTINGS"]
        graphs = frozenset(g.value for g in release.store.named_graphs())
        description = service_description.build(release.base, settings.service_allowlist, release.store)
    app.extensions["election_kg.sparql"] = Endpoint(graphs, description)
    app.register_blueprint(blueprint)


def _endpoint() -> Endpoint:
    return current_app.extensions["election_kg.sparql"]


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    body = request.get_data(cache=False) if request.method == "POST" else b""
    operation = protocol.read(request.method, request.headers.get("Content-Type"), request.query_string, body)
    match operation:
        case protocol.Update():
            raise errors.forbidden(READ_ONLY)
        case protocol.NoQuery(format=fmt):
            return _describe(fmt)
        case protocol.Query() as query:
            return _answer(query, get_release(), current_app.config["SETTINGS"])
    raise AssertionError(f"unhandled operation {operation!r}")


def _answer(query: protocol.Query, release: Release, settings: Settings) -> Response:
    if len(query.text) > settings.max_query_length:
        raise errors.too_large(f"the query is {len(query.text)} characters long; the limit is {settings.max_query_length}")
    shape = query_guard.read_query(query.text, release.base)
    query_guard.check_services(shape, settings.service_allowlist)
    dataset = _dataset(query, shape, _endpoint().graphs)
    offers, canonical = (GRAPH_OFFERS, GRAPH_TYPES) if shape.returns_graph else (RESULT_OFFERS, RESULT_TYPES)
    media_type = canonical[negotiation.select(request.headers.get("Accept"), query.format, offers)]
    body, hit = engine.get_engine().execute(query.text, dataset, media_type, base_iri=release.base)
    response = Response(body, mimetype=media_type)
    response.headers["X-Cache"] = "hit" if hit else "miss"
    response.vary.add("Accept")
    return response


def _dataset(query: protocol.Query, shape: query_guard.QueryShape, known: frozenset[str]) -> engine.Dataset:
    """The protocol's graph parameters if any (they override the query's), else its FROM clauses, else the union."""
    query_guard.check_graphs([*query.default_graphs, *query.named_graphs, *shape.default_graphs, *shape.named_graphs], known)
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
        response = Response(_endpoint().description.serialize(rdf_format), mimetype=rdf_format.media_type)
    response.vary.add("Accept")
    return response
