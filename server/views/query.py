"""The query page that `/sparql` shows browsers: YASGUI, served from our own node_modules (never a
CDN), with the example queries of data/queries/ one click away.

`election_kg.server.sparql.endpoint` owns `/sparql` and calls `page()` when a browser asks for it without a query. This
module also serves YASGUI's files under `/-/yasgui/` and each example as `/queries/{name}.rq`, so
that every example has its own URL.

YASGUI's results table inserts one `<style>` element of its own (a fixed text in yasgui.min.js). The
page's Content-Security-Policy allows exactly that text by its SHA-256, read from the installed
build, so no other inline style (and no inline script) can run on the page.

An example is a `.rq` file whose first line is `# title: ...` and whose next comment lines say what
it answers. Examples are written against the canonical base and rebased to the release's base, like
the server's own queries.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Response, current_app, render_template, send_from_directory

from election_kg.common import prefixes
from election_kg.common.iris import CANONICAL_BASE
from election_kg.server.http import errors, security_headers
from election_kg.server.store.release import get_release

blueprint = Blueprint("query_ui", __name__)

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")
INJECTED_STYLE = re.compile(
    r"createStyle\([\w$]+,`([^`\\$]*)`\)"
)  # the style texts YASGUI's code inserts verbatim


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    query: str


def read_example(path: Path, base: str = CANONICAL_BASE) -> Example:
    """One example query: its title (`# title: ...`), the comment lines after it, and its text."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    title, description = path.stem.replace("-", " ").replace("_", " "), []
    if lines and lines[0].lower().startswith("# title:"):
        title = lines[0].split(":", 1)[1].strip()
        for line in lines[1:]:
            if not line.startswith("#"):
                break
            description.append(line.lstrip("#").strip())
    if base != CANONICAL_BASE:
        text = text.replace(CANONICAL_BASE, base)
    return Example(path.stem, title, " ".join(description), text)


def examples() -> list[Example]:
    folder: Path = current_app.config["SETTINGS"].queries
    base = get_release().base
    return [read_example(path, base) for path in sorted(folder.glob("*.rq"))]


@lru_cache(maxsize=4)
def injected_style_hashes(folder: Path) -> tuple[str, ...]:
    """CSP sources ('sha256-...') for the `<style>` texts the installed YASGUI build inserts."""
    script = folder / "yasgui.min.js"
    if not script.exists():
        return ()
    return tuple(
        f"'sha256-{base64.b64encode(hashlib.sha256(found.group(1).encode()).digest()).decode()}'"
        for found in INJECTED_STYLE.finditer(script.read_text(encoding="utf-8"))
    )


def _json_block(data: object) -> str:
    """JSON for a `<script type="application/json">` data block (it cannot end the element)."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def about_query(iri: str, label: str) -> str:
    """A ready query about one resource: what the data says about it, with the labels of what it names."""
    name = " ".join(label.split()).replace("\n", " ")
    return (
        f"# What the data says about {name}\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?property ?value ?valueLabel WHERE {\n"
        f"  <{iri}> ?property ?value .\n"
        "  OPTIONAL { ?value rdfs:label ?valueLabel }\n"
        "}\n"
        "ORDER BY ?property ?value\n"
    )


def query_page_href(query: str) -> str:
    """The query page with `query` in the editor, run on arrival (YASGUI reads it from the fragment)."""
    return "/sparql#query=" + quote(query, safe="")


def page() -> Response:
    """The YASGUI page (the HTML answer of `/sparql` without a query)."""
    found = examples()
    folder: Path = current_app.config["SETTINGS"].yasgui
    installed = all((folder / name).exists() for name in YASGUI_FILES)
    html = render_template(
        "query.html",
        examples=found,
        installed=installed,
        examples_json=_json_block([asdict(e) for e in found]),
        prefixes_json=_json_block(prefixes.with_vocabulary(get_release().base)),
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = security_headers.content_security_policy(
        style_hashes=injected_style_hashes(folder)
    )
    return response


@blueprint.get("/-/yasgui/<name>")
def yasgui_file(name: str) -> Response:
    if name not in YASGUI_FILES and name not in tuple(f + ".map" for f in YASGUI_FILES):
        raise errors.not_found("only YASGUI's build files are served here")
    folder: Path = current_app.config["SETTINGS"].yasgui
    if not (folder / name).exists():
        raise errors.not_found(
            "YASGUI is not installed on this server: run `npm ci` (or `make setup`) in the project folder"
        )
    return send_from_directory(folder, name, max_age=3600)


@blueprint.get("/queries/<name>.rq")
def example_file(name: str) -> Response:
    path: Path = current_app.config["SETTINGS"].queries / f"{name}.rq"
    if not NAME.match(name) or not path.exists():
        raise errors.not_found(f"there is no example query named {name!r}")
    example = read_example(path, get_release().base)
    return Response(example.query, mimetype="application/sparql-query")
