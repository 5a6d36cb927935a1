"""Dereferenceable IRIs (Cool URIs): `/id/...` answers 303 to `/page/...` or `/data/....{ttl,jsonld,nt,rdf}`.

Dereferencing is: request path -> IRI -> describe.rq (or election.rq for an election's page) ->
serialize, or render HTML. Each representation has its own URL; `/id/` negotiates on Accept (and says
so with `Vary: Accept`), the others do not. Unknown IRIs get a 404 in the format asked for.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request

from election_kg.common import formats
from election_kg.common.prefixes import with_vocabulary as prefixes
from election_kg.server.http import addresses, errors, negotiation
from election_kg.server.render import election as election_page
from election_kg.server.render import record, schema_org
from election_kg.server.render import resource as resource_page
from election_kg.server.store import stored_queries
from election_kg.server.store.release import Release, get_release
from election_kg.server.views import query as query_ui

blueprint = Blueprint("resources", __name__)

# `/id/` offers the page first, so that browsers (and clients that accept anything) get HTML.
ID_OFFERS = (
    addresses.HTML,
    "application/xhtml+xml",
    *(f.media_type for f in addresses.DATA_FORMATS),
    "application/json",
)
OX_FORMATS = {
    formats.TURTLE.extension: ox.RdfFormat.TURTLE,
    formats.JSONLD.extension: ox.RdfFormat.JSON_LD,
    formats.NTRIPLES.extension: ox.RdfFormat.N_TRIPLES,
    formats.RDFXML.extension: ox.RdfFormat.RDF_XML,
}


def _known(release: Release, iri: str) -> bool:
    """Is `iri` in the data? A path that makes no valid IRI (spaces, `<`...) names nothing we publish."""
    try:
        resource = ox.NamedNode(iri)
    except ValueError:
        return False
    return stored_queries.ask(release, "exists", resource=resource)


def _format_for(media_type: str) -> formats.RdfFormat | None:
    if media_type == "application/json":
        return formats.JSONLD
    return next((f for f in addresses.DATA_FORMATS if f.media_type == media_type), None)


def _moved(release: Release, path: str, url_for_path: Callable[[str], str]) -> Response | None:
    """A 301 to where a once-published IRI lives now (same kind of URL), or None."""
    new = release.redirects.get(path)
    if new is None:
        return None
    response = redirect(url_for_path(new), 301)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@blueprint.get("/id/<path:path>")
def dereference(path: str) -> Response:
    release = get_release()
    iri = addresses.resource_iri(release.base, path)
    if not _known(release, iri) and (moved := _moved(release, path, lambda p: f"/id/{p}")):
        return moved
    chosen = negotiation.choose(request.headers.get("Accept"), ID_OFFERS)
    if chosen is None:
        raise errors.not_acceptable(ID_OFFERS)
    rdf_format = _format_for(chosen)
    if not _known(release, iri):
        response = not_found_page(iri) if rdf_format is None else not_found_data(iri, rdf_format)
    else:
        target = (
            addresses.page_url(path)
            if rdf_format is None
            else addresses.data_url(path, rdf_format.extension)
        )
        response = redirect(target, 303)
        response.headers["Link"] = addresses.link_header(addresses.alternates(path))
    response.vary.add("Accept")
    return response


@blueprint.get("/data/<path:file>")
def data(file: str) -> Response:
    release = get_release()
    path, dot, extension = file.rpartition(".")
    rdf_format = addresses.DATA_BY_EXTENSION.get(extension) if dot else None
    if rdf_format is None or not path:
        raise errors.not_found(
            f"no data format is published as .{extension}; use one of: "
            + ", ".join(f".{f.extension}" for f in addresses.DATA_FORMATS)
        )
    iri = addresses.resource_iri(release.base, path)
    if not _known(release, iri):
        moved = _moved(release, path, lambda p: addresses.data_url(p, rdf_format.extension))
        return moved or not_found_data(iri, rdf_format)
    triples = stored_queries.construct(release, "describe", resource=ox.NamedNode(iri))
    body = ox.serialize(
        triples, format=OX_FORMATS[rdf_format.extension], prefixes=prefixes(release.base)
    )
    response = Response(body, mimetype=rdf_format.media_type)
    response.headers["Link"] = addresses.link_header(addresses.alternates(path))
    response.headers["Content-Location"] = addresses.data_url(path, rdf_format.extension)
    return response


@blueprint.get("/page/<path:path>")
def page(path: str) -> Response:
    release = get_release()
    iri = addresses.resource_iri(release.base, path)
    if not _known(release, iri):
        return _moved(release, path, addresses.page_url) or not_found_page(iri)
    resource = ox.NamedNode(iri)
    alternates = addresses.alternates(path)
    ek = f"{release.base}ontology#"
    if stored_queries.ask(release, "is_election", resource=resource):
        view = election_page.build(
            stored_queries.construct(release, "election", election=resource), release.base, iri
        )
        html = render_template(
            "election.html",
            page=view,
            iri=iri,
            alternates=alternates[1:],
            jsonld=schema_org.for_election(view, request.base_url),
            ek=ek,
            query_href=query_ui.query_page_href(query_ui.about_query(iri, view.label)),
        )
    else:
        view = resource_page.build(
            stored_queries.construct(release, "describe", resource=resource), release.base, iri
        )
        html = render_template(
            "resource.html",
            page=view,
            iri=iri,
            alternates=alternates[1:],
            jsonld=schema_org.for_resource(view, request.base_url, ek),
            query_href=query_ui.query_page_href(query_ui.about_query(iri, view.label)),
            history=record.record(
                stored_queries.select(release, "results_of", who=resource), release.base, view.label
            ),
            elections=record.elections(
                stored_queries.select(release, "country_elections", country=resource), release.base
            ),
        )
    response = Response(html, mimetype="text/html")
    response.headers["Link"] = addresses.link_header(alternates[1:])
    return response


def not_found_page(iri: str) -> Response:
    html = render_template(
        "not_found.html", iri=iri, message="This dataset says nothing about this IRI."
    )
    return Response(html, 404, mimetype="text/html")


def not_found_data(iri: str, rdf_format: formats.RdfFormat) -> Response:
    """A 404 whose body is an empty graph in the format asked for, with a comment where the format has them."""
    note = f"Not found: this dataset says nothing about <{iri}>."
    if rdf_format.extension in ("ttl", "nt"):
        body = f"# {note}\n"
    elif rdf_format.extension == "jsonld":
        body = json.dumps({"@graph": [], "message": note}) + "\n"
    else:
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- {note.replace("--", "- -")} -->\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
        )
    return Response(body, 404, mimetype=rdf_format.media_type)
