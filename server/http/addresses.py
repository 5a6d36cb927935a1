"""Where things live: a resource's IRI, its page, its data files, and the link a page makes to any IRI.

Cool URIs: `{base}id/{path}` names a thing; `/page/{path}` is its HTML page and `/data/{path}.{ext}`
its data in one RDF format. Paths are taken from the request, not from the host it was sent to, so a
server on another host or port (a test, a mirror) still answers for the release's IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass

from election_kg.common import formats

# The RDF formats a resource's data is published in, by file extension, in the server's order of preference.
DATA_FORMATS: tuple[formats.RdfFormat, ...] = (
    formats.TURTLE,
    formats.JSONLD,
    formats.NTRIPLES,
    formats.RDFXML,
)
DATA_BY_EXTENSION = {f.extension: f for f in DATA_FORMATS}
HTML = "text/html"


@dataclass(frozen=True)
class Alternate:
    """One representation of a resource: its URL, media type and a name for people."""

    href: str
    media_type: str
    name: str

    def link_header(self) -> str:
        return f'<{self.href}>; rel="alternate"; type="{self.media_type}"; title="{self.name}"'


def resource_iri(base: str, path: str) -> str:
    return f"{base}id/{path}"


def resource_path(base: str, iri: str) -> str | None:
    """'{base}id/party/x' -> 'party/x'; None for IRIs that are not our resources."""
    prefix = f"{base}id/"
    return iri[len(prefix) :] if iri.startswith(prefix) and len(iri) > len(prefix) else None


def page_url(path: str) -> str:
    return f"/page/{path}"


def data_url(path: str, extension: str) -> str:
    return f"/data/{path}.{extension}"


def alternates(path: str) -> list[Alternate]:
    """Every representation of the resource at `path`, the HTML page first."""
    return [Alternate(page_url(path), HTML, "HTML page")] + [
        Alternate(data_url(path, f.extension), f.media_type, f.name) for f in DATA_FORMATS
    ]


def link_header(items: list[Alternate]) -> str:
    return ", ".join(item.link_header() for item in items)


LINKED_SCHEMES = (
    "http:",
    "https:",
)  # a `javascript:` or `data:` IRI in the data must never become a live link


def href(base: str, iri: str) -> str:
    """Where a link to `iri` should point from our pages: our own page for our IRIs, the IRI otherwise
    (http and https only; any other IRI links nowhere)."""
    path = resource_path(base, iri)
    if path is not None:
        return page_url(path)
    if iri.startswith(base):  # the vocabulary (`{base}ontology#term`), graphs, the dataset
        return "/" + iri[len(base) :]
    return iri if iri.lower().startswith(LINKED_SCHEMES) else "#"
