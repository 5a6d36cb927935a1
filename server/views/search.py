"""`/search?q=`: find resources by name, whatever the case or accents ("said sadi" finds Saïd Sadi).

SPARQL has no accent folding, and the names never change within a release, so they are read once
per worker (labels.rq) and matched in Python. `/search` answers HTML or JSON by Accept (and says so
with `Vary: Accept`); `/search.json` is the JSON representation's own URL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from election_kg.server.http import addresses, errors, negotiation
from election_kg.server.store import stored_queries
from election_kg.server.store.release import Release, get_release

blueprint = Blueprint("search", __name__)

LIMIT = 25
MAX_QUERY = 200
OFFERS = ("text/html", "application/json")
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: 'Workers’ Party (PT)' -> 'workers party pt'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    bare = re.sub(r"['’`]", "", bare)
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


@dataclass(frozen=True)
class Name:
    iri: str
    name: str
    folded: str
    alternative: bool
    types: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    matched: str
    alternative: bool
    types: tuple[str, ...]
    href: str

    def as_json(self) -> dict[str, object]:
        return {
            "iri": self.iri,
            "label": self.label,
            "matched": self.matched,
            "matchedProperty": "skos:altLabel" if self.alternative else "rdfs:label",
            "types": list(self.types),
            "page": self.href,
        }


def _names(release: Release) -> list[Name]:
    cache = current_app.extensions.setdefault("election_kg.search", {})
    if release.version not in cache:
        names = []
        for row in stored_queries.select(release, "labels"):
            types = (
                tuple(sorted(t for t in row["types"].value.split("|") if t))
                if "types" in row
                else ()
            )
            names.append(
                Name(
                    row["resource"].value,
                    row["name"].value,
                    fold(row["name"].value),
                    row["property"].value == SKOS_ALT,
                    types,
                )
            )
        cache.clear()
        cache[release.version] = names
    return cache[release.version]


def _rank(name: Name, query: str, words: list[str]) -> int | None:
    """0 exact, 1 starts with, 2 a word starts with, 3 contains, 4 has every word; None: no match."""
    if name.folded == query:
        return 0
    if name.folded.startswith(query):
        return 1
    if f" {query}" in f" {name.folded}":
        return 2
    if query in name.folded:
        return 3
    if words and all(w in name.folded for w in words):
        return 4
    return None


def search(release: Release, text: str, limit: int = LIMIT) -> list[Hit]:
    query = fold(text)
    if not query:
        return []
    words = query.split()
    ranked: dict[str, tuple[tuple[int, int, int, str], Name]] = {}
    for name in _names(release):
        rank = _rank(name, query, words)
        if rank is None:
            continue
        key = (rank, int(name.alternative), len(name.name), name.name.casefold())
        if name.iri not in ranked or key < ranked[name.iri][0]:
            ranked[name.iri] = (key, name)
    labels = {n.iri: n.name for n in _names(release) if not n.alternative}
    hits = []
    for _, name in sorted(ranked.values(), key=lambda item: item[0])[:limit]:
        hits.append(
            Hit(
                name.iri,
                labels.get(name.iri, name.name),
                name.name,
                name.alternative,
                name.types,
                addresses.href(release.base, name.iri),
            )
        )
    return hits


def _query() -> str:
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY:
        raise errors.bad_request(
            f"the search text is {len(text)} characters long; the limit is {MAX_QUERY}"
        )
    return text


def _json(text: str, hits: list[Hit]) -> Response:
    return jsonify(query=text, count=len(hits), results=[h.as_json() for h in hits])


@blueprint.get("/search")
def search_view() -> Response:
    text = _query()
    hits = search(get_release(), text)
    chosen = negotiation.choose(request.headers.get("Accept"), OFFERS)
    if chosen is None:
        raise errors.not_acceptable(OFFERS)
    json_url = "/search.json" + (f"?{urlencode({'q': text})}" if text else "")
    if chosen == "application/json":
        response = _json(text, hits)
    else:
        alternates = [addresses.Alternate(json_url, "application/json", "JSON")]
        response = Response(
            render_template("search.html", query=text, hits=hits, alternates=alternates),
            mimetype="text/html",
        )
    response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    response.vary.add("Accept")
    return response


@blueprint.get("/search.json")
def search_json() -> Response:
    text = _query()
    return _json(text, search(get_release(), text))
