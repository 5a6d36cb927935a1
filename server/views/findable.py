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

from flask import Blueprint, Flask, Response, abort, current_app, request

from election_kg.common import release_files
from election_kg.server.http import addresses
from election_kg.server.render import schema_org, void
from election_kg.server.store import stored_queries
from election_kg.server.store.release import Release, get_release
from election_kg.server.views import downloads

blueprint = Blueprint("findable", __name__)

SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
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
    """Every page of the release, absolute on `root`: the site's, then one per resource, as the
    build listed them (`resources.txt`; listing them from the store is a scan of every triple)."""
    urls = [root + path for path in SITE_PAGES]
    with release.file(release_files.RESOURCES).open(encoding="utf-8") as listed:
        for line in listed:
            path = addresses.resource_path(release.base, line.rstrip("\n"))
            if path is not None:
                urls.append(root.rstrip("/") + addresses.page_url(path))
    return urls


def _urlset(urls: list[str]) -> str:
    entries = "".join(f"  <url><loc>{escape(url)}</loc></url>\n" for url in urls)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAPS}">\n{entries}</urlset>\n'
    )


def _sitemaps(release: Release) -> list[str]:
    """The release's sitemap files, each at most `sitemap_size` URLs long; one file needs no index."""
    size = max(1, current_app.config["SETTINGS"].sitemap_size)
    urls = page_urls(release, request.url_root)
    if len(urls) <= size:
        return [_urlset(urls)]
    return [_urlset(urls[start : start + size]) for start in range(0, len(urls), size)]


def _sitemap_index(count: int) -> str:
    entries = "".join(
        f"  <sitemap><loc>{escape(request.url_root)}sitemap-{n}.xml</loc></sitemap>\n"
        for n in range(1, count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="{SITEMAPS}">\n{entries}</sitemapindex>\n'
    )


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    """The sitemap, or past `sitemap_size` pages the index of the numbered sitemaps."""
    release = get_release()
    files = _cached("sitemap", release, lambda: _sitemaps(release))
    text = files[0] if len(files) == 1 else _sitemap_index(len(files))
    return Response(text, mimetype="application/xml")


@blueprint.get("/sitemap-<int:number>.xml")
def numbered_sitemap(number: int) -> Response:
    """One of the numbered sitemaps an index lists (1-based)."""
    release = get_release()
    files = _cached("sitemap", release, lambda: _sitemaps(release))
    if len(files) == 1 or not 1 <= number <= len(files):
        abort(404)
    return Response(files[number - 1], mimetype="application/xml")


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
