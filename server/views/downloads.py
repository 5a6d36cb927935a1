"""`/download`: the list of published files, and the files themselves.

Only names listed in the manifest are served (a dict lookup, never a path join on user input), so
nothing else in the build folder, or outside it, can be reached. Each file's validator is its
SHA-256 from the manifest (a strong ETag, checked at startup by `release`). A client that accepts
gzip gets the prebuilt `.gz` twin with `Content-Encoding: gzip` (and that twin's SHA-256 as ETag,
since it is a different representation); the twin can also be downloaded as a file of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, send_file, url_for

from election_kg.common import formats
from election_kg.server.http import errors, negotiation
from election_kg.server.store.release import Release, get_release

blueprint = Blueprint("downloads", __name__)

HTML, JSON = "text/html", "application/json"
LISTING_OFFERS = (HTML, JSON)
GZIP_TYPE = "application/gzip"
OTHER_TYPES = {
    "json": "application/json",
    "txt": "text/plain",
    "html": "text/html",
    "csv": "text/csv",
    "rq": "application/sparql-query",
}
TABLES = ("results.csv", "elections.csv", "datapackage.json")
"""The tidy tables (`election_kg.pipeline.tables`): listed first on the page, for spreadsheet users."""


@dataclass(frozen=True)
class Served:
    """One file we may serve: its name, media type, manifest entry, and its gzip twin's entry if any."""

    name: str
    media_type: str
    entry: dict[str, Any]
    gzip: dict[str, Any] | None


def media_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1]
    if extension == "gz":
        return GZIP_TYPE
    fmt = formats.BY_EXTENSION.get(extension)
    return fmt.media_type if fmt else OTHER_TYPES.get(extension, "application/octet-stream")


def _served(release: Release) -> dict[str, Served]:
    files: dict[str, Served] = {}
    for entry in release.manifest["files"]:
        files[entry["file"]] = Served(
            entry["file"],
            entry.get("mediaType") or media_type(entry["file"]),
            entry,
            entry.get("gzip"),
        )
        if entry.get("gzip"):
            twin = entry["gzip"]
            files[twin["file"]] = Served(twin["file"], GZIP_TYPE, twin, None)
    return files


def listing(release: Release) -> list[dict[str, Any]]:
    """The manifest's files with their URLs, as the JSON listing and the page show them."""
    out = []
    for entry in release.manifest["files"]:
        item = {
            key: entry[key]
            for key in ("file", "format", "mediaType", "bytes", "sha256", "triples")
            if key in entry
        }
        item.setdefault("mediaType", media_type(entry["file"]))
        item["url"] = url_for("downloads.download", name=entry["file"], _external=True)
        if entry.get("gzip"):
            twin = entry["gzip"]
            item["gzip"] = {
                "file": twin["file"],
                "bytes": twin["bytes"],
                "sha256": twin["sha256"],
                "url": url_for("downloads.download", name=twin["file"], _external=True),
            }
        out.append(item)
    return out


def _alternates() -> list[dict[str, str]]:
    return [
        {
            "href": url_for("downloads.listing_as", extension="json"),
            "media_type": JSON,
            "name": "JSON",
        },
        {
            "href": url_for("downloads.listing_as", extension="html"),
            "media_type": HTML,
            "name": "HTML",
        },
    ]


def _listing_response(media_type: str) -> Response:
    release = get_release()
    files = listing(release)
    if media_type == JSON:
        response = jsonify(
            dataVersion=release.version, triples=release.manifest["triples"], files=files
        )
    else:
        response = Response(
            render_template(
                "downloads.html",
                files=files,
                tables=[f for name in TABLES for f in files if f["file"] == name],
                alternates=_alternates(),
                triples=release.manifest["triples"],
            ),
            mimetype=HTML,
        )
    response.headers["Link"] = ", ".join(
        f'<{a["href"]}>; rel="alternate"; type="{a["media_type"]}"' for a in _alternates()
    )
    return response


@blueprint.get("/download")
def listing_negotiated() -> Response:
    media_type = negotiation.select(
        request.headers.get("Accept"), request.args.get("format"), LISTING_OFFERS
    )
    response = _listing_response(media_type)
    response.headers["Content-Location"] = url_for(
        "downloads.listing_as", extension="json" if media_type == JSON else "html"
    )
    response.vary.add("Accept")
    return response


@blueprint.get("/download.<any(json, html):extension>")
def listing_as(extension: str) -> Response:
    return _listing_response(JSON if extension == "json" else HTML)


@blueprint.get("/download/<name>")
def download(name: str) -> Response:
    release = get_release()
    served = _served(release).get(name)
    if served is None:
        raise errors.not_found(f"no published file is called {name!r}; see /download for the list")
    entry, encoding = served.entry, None
    if served.gzip and request.accept_encodings["gzip"] > 0:
        entry, encoding = served.gzip, "gzip"
    path = release.file(entry["file"])
    text = served.media_type == "application/sparql-query"  # UTF-8 (Flask says so for text/*)
    response = send_file(
        path,
        mimetype=f"{served.media_type}; charset=utf-8" if text else served.media_type,
        download_name=served.name,
        etag=entry["sha256"],
        last_modified=path.stat().st_mtime,
        conditional=True,
        max_age=None,
    )
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if served.gzip:
        response.vary.add("Accept-Encoding")
    return response
