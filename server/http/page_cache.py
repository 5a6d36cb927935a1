"""Pages and resource documents made once per release, then answered from memory.

Everything under the cached prefixes is a function of the release (data, ontology, shapes,
manifest), the server's code, the URL and the request headers the answer varies on; none of those
changes while a worker serves a release. So the first answer to a GET is kept, bounded by entries
and bytes, and later requests with the same URL and Accept get it back without a store query or a
template. The data version is part of the key: a reload to a new build never serves an old page.
ETag and 304 still come from `caching`, which runs after this on every response.

Not cached: the SPARQL endpoint (it has its own result cache), search and reconciliation (their
answers depend on free text), /health, and anything that is not a 200.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, current_app, request

from election_kg.server.sparql.cache import ResultCache
from election_kg.server.store.release import get_release

KEY = "election_kg.page_cache"
CACHED_PREFIXES = (
    "/page/",
    "/data/",
    "/id/",
    "/dataset",
    "/.well-known/void",
    "/ontology",
    "/shapes",
    "/validation",
    "/download",
    "/sitemap",  # /sitemap.xml and its numbered files
    "/robots.txt",
)
HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "date"})


@dataclass(frozen=True)
class Kept:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def _size(kept: Kept) -> int:
    return len(kept.body) + sum(len(k) + len(v) for k, v in kept.headers)


def _cacheable_request() -> bool:
    return request.method in ("GET", "HEAD") and (
        request.path == "/" or request.path.startswith(CACHED_PREFIXES)
    )


def _key() -> tuple[str, str, str, str]:
    return (
        get_release().version,
        request.full_path,
        request.headers.get("Accept", ""),
        request.headers.get("Accept-Encoding", ""),
    )


def _lookup() -> Response | None:
    cache: ResultCache[Kept] = current_app.extensions[KEY]
    if not _cacheable_request():
        return None
    kept = cache.get(_key())
    if kept is None:
        return None
    response = Response(kept.body, status=kept.status)
    response.headers.clear()
    response.headers.extend(kept.headers)
    response.headers["X-Cache"] = "hit"
    return response


def _store(response: Response) -> Response:
    cache: ResultCache[Kept] = current_app.extensions[KEY]
    if (
        not _cacheable_request()
        or response.status_code not in (200, 301, 303)
        or response.is_streamed
        or response.direct_passthrough  # files sent from disk: already cheap, and maybe large
        or "X-Cache" in response.headers
    ):
        return response
    headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in HOP_BY_HOP)
    cache.put(_key(), Kept(response.status_code, headers, response.get_data()))
    response.headers["X-Cache"] = "miss"
    return response


def init_app(app: Flask, max_entries: int) -> None:
    """Keep up to `max_entries` answers per worker (0: every page is made for every request)."""
    app.extensions[KEY] = ResultCache(max_entries, sizeof=_size)
    app.before_request(_lookup)
    app.after_request(_store)
