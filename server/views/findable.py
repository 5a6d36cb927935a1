"""Findable by search engines: `/robots.txt`, `/sitemap.xml` and the schema.org `Dataset` description.

The sitemap lists every page of the release: the site's own pages and one `/page/...` per resource.
It is made once per release and address (the release never changes while it is served) and carries
the release's ETag like every answer derived from the data. URLs are absolute on the address the
request came to, so a server on another port lists its own pages.

The `Dataset` JSON-LD (embedded in the home and dataset pages) names the licence, every download
with its format and URL, the endpoint, and the temporal and spatial coverage of the elections with
results. Its context is inline (`@vocab` schema.org): nothing needs to fetch schema.org to read it.
"""

from __future__ import annotations

import threading
from typing import Any
from xml.sax.saxutils import escape

from flask import Blueprint, Flask, Response, current_app, request

from election_kg.server.http import addresses
from election_kg.server.render import schema_org, void
from election_kg.server.store import stored_queries
from election_kg.server.store.release import Release, get_release
from election_kg.server.views import downloads

blueprint = Blueprint("findable", __name__)

SITE_PAGES = ("", "dataset", "download", "sparql", "ontology", "validation")
"""The site's own pages (paths under the root), listed in the sitemap before the resources."""

_LOCK = threading.Lock()


def _cached(kind: str, release: Release, make: Any) -> Any:
    """`make()` once per release, address and kind, in this worker."""
    key = (kind, release.version, request.url_root)
    with _LOCK:
        cache = current_app.extensions.setdefault("election_kg.findable", {})
        if key not in cache:
            if len(cache) > 16:  # a few addresses at most; never grows without bound
                cache.clear()
            cache[key] = make()
        return cache[key]


@blueprint.get("/robots.txt")
def robots() -> Response:
    root = request.url_root
    lines = [
        "User-agent: *",
        "Allow: /",
        # Query answers and searches are endless and cost work; the pages and dumps are what to index.
        "Disallow: /sparql?",
        "Disallow: /search",
        "Disallow: /reconcile",
        f"Sitemap: {root}sitemap.xml",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


def page_urls(release: Release, root: str) -> list[str]:
    """Every page of the release, absolute on `root`."""
    urls = [root + path for path in SITE_PAGES]
    for row in stored_queries.select(release, "pages"):
        path = addresses.resource_path(release.base, row["resource"].value)
        if path is not None:
            urls.append(root.rstrip("/") + addresses.page_url(path))
    return urls


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    release = get_release()

    def make() -> str:
        entries = "".join(
            f"  <url><loc>{escape(url)}</loc></url>\n"
            for url in page_urls(release, request.url_root)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n"
        )

    return Response(_cached("sitemap", release, make), mimetype="application/xml")


def dataset_jsonld() -> str:
    """The schema.org `Dataset` of the release being served, as JSON for a `<script>` data block."""
    release = get_release()

    def make() -> str:
        rows = [
            {name: term.value for name, term in row.items()}
            for row in stored_queries.select(release, "coverage")
        ]
        temporal, places = schema_org.coverage(rows)
        sources = [r["url"].value for r in stored_queries.select(release, "sources") if "url" in r]
        files = [
            {**entry, "mediaType": entry.get("mediaType") or downloads.media_type(entry["file"])}
            for entry in release.manifest["files"]
        ]
        return schema_org.dump(
            schema_org.for_dataset(
                str(void.dataset_iri(release.base)),
                request.url_root,
                release.version,
                files,
                sources,
                temporal,
                places,
                void.LICENSE,
            )
        )

    return _cached("dataset", release, make)


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
