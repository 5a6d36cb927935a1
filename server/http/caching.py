"""HTTP caching in one place: every successful answer derived from the data gets an ETag, and a
matching If-None-Match gets a 304.

The data never changes within a release, so an answer is identified by the data version, the
server's code (templates and views change how the same data is shown) and the format it is in
(the URL already names everything else: the query, the resource, the parameters). That tag is
weak: equivalent answers may differ in bytes (blank node labels, ordering of unordered results),
and weak tags are what If-None-Match compares anyway. Views that know a stronger validator (the
downloads: each file's SHA-256) set their own ETag, which is left alone here.

Every response also says `Cache-Control: no-cache`, unless the view said otherwise: caches may
keep answers but must revalidate, which costs a 304, so a new release is seen at once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request

from election_kg.server.store.release import get_release

CODE_VERSION = "election_kg.code_version"

PACKAGE = Path(__file__).resolve().parent.parent  # the server package: views, templates, queries
COMMON = PACKAGE.parent / "common"  # IRIs, vocabulary, formats and prefixes shape every answer too
SUFFIXES = (".py", ".html", ".rq", ".css", ".js")


def code_version() -> str:
    """A short hash of the server's code and templates (and the shared modules it imports)."""
    digest = hashlib.sha256()
    files = sorted(
        p
        for folder in (PACKAGE, COMMON)
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in SUFFIXES
    )
    for path in files:
        digest.update(path.relative_to(PACKAGE.parent).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def etag_for(data_version: str, code: str, content_type: str, content_encoding: str = "") -> str:
    """The tag of an answer: data version, code version and a short hash of its format."""
    fmt = hashlib.sha256(f"{content_type}|{content_encoding}".encode()).hexdigest()[:8]
    return f"{data_version}-{code}-{fmt}"


def _tag(response: Response) -> Response:
    if request.method == "OPTIONS":
        return response
    if response.status_code == 200 and "ETag" not in response.headers:
        tag = etag_for(
            get_release().version,
            current_app.extensions[CODE_VERSION],
            response.content_type or "",
            response.content_encoding or "",
        )
        response.set_etag(tag, weak=True)
    if "ETag" in response.headers:
        response.headers.setdefault("Cache-Control", "no-cache")
        if request.method in ("GET", "HEAD"):
            response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.extensions[CODE_VERSION] = code_version()  # once per worker, at start-up
    app.after_request(_tag)
