"""`/dataset` and `/.well-known/void`: the dataset's VoID + DCAT description, as RDF or as a page.

The description is computed once per worker at startup (`void.gather`), from the manifest and the
store: the release never changes while it is served. Each representation has its own URL
(`/dataset.ttl`, `.jsonld`, `.nt`, `.rdf`, `.html`); `/dataset` and `/.well-known/void` negotiate
between them and point at the one they chose with `Content-Location`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for

from election_kg.server.http import negotiation
from election_kg.server.render import rdf_document, void
from election_kg.server.render.rdf_document import RdfDocument
from election_kg.server.store.release import get_release
from election_kg.server.views import findable

blueprint = Blueprint("dataset", __name__)

HTML = "text/html"
OFFERS = (*rdf_document.OFFERS, HTML)
EXTENSIONS = {f.extension: f.media_type for f in rdf_document.FORMATS} | {"html": HTML}


@dataclass(frozen=True)
class Description:
    facts: void.Facts
    document: RdfDocument


_LOCK = threading.Lock()


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)


def _description() -> Description:
    """Gathered on the first request, not at start-up: the statistics scan the whole store, which
    at a million triples would make every worker slow to start."""
    with _LOCK:
        found = current_app.extensions.get("election_kg.dataset")
        if found is None:
            facts = void.gather(get_release(), current_app.config["SETTINGS"].service_allowlist)
            found = current_app.extensions["election_kg.dataset"] = Description(
                facts, RdfDocument(void.to_graph(facts))
            )
        return found


def _extension(media_type: str) -> str:
    return next(ext for ext, mt in EXTENSIONS.items() if mt == media_type)


def _alternates() -> list[dict[str, str]]:
    names = {f.media_type: f.name for f in rdf_document.FORMATS} | {HTML: "HTML"}
    return [
        {
            "href": url_for("dataset.representation", extension=ext),
            "media_type": mt,
            "name": names[mt],
        }
        for ext, mt in EXTENSIONS.items()
    ]


def _local(base: str, iri: str) -> str:
    """A link to one of our IRIs stays on this server (which may not be at the release's base)."""
    return "/" + iri[len(base) :] if iri.startswith(base) else iri


def _respond(media_type: str) -> Response:
    description = _description()
    if media_type == HTML:
        response = Response(
            render_template(
                "dataset.html",
                facts=description.facts,
                alternates=_alternates(),
                targets=void.TARGETS,
                license=void.LICENSE,
                license_note=void.LICENSE_NOTE,
                local=lambda iri: _local(description.facts.base, iri),
                jsonld=findable.dataset_jsonld(),
            ),
            mimetype=HTML,
        )
    else:
        fmt = rdf_document.format_for(media_type)
        response = Response(description.document.serialize(fmt), mimetype=fmt.media_type)
    response.headers["Link"] = ", ".join(
        f'<{a["href"]}>; rel="alternate"; type="{a["media_type"]}"' for a in _alternates()
    )
    return response


@blueprint.get("/dataset")
@blueprint.get("/.well-known/void")
def negotiated() -> Response:
    chosen = negotiation.select(request.headers.get("Accept"), request.args.get("format"), OFFERS)
    media_type = HTML if chosen == HTML else rdf_document.format_for(chosen).media_type
    response = _respond(media_type)
    response.headers["Content-Location"] = url_for(
        "dataset.representation", extension=_extension(media_type)
    )
    response.vary.add("Accept")
    return response


@blueprint.get(f"/dataset.<any({', '.join(EXTENSIONS)}):extension>")
def representation(extension: str) -> Response:
    return _respond(EXTENSIONS[extension])
