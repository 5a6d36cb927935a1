"""`/reconcile`: the W3C Reconciliation Service API (draft v0.2), the protocol OpenRefine speaks.

People match the names in their own tables ("Workers Party", "FLN") to election-kg's entities and get
our identifiers back, with a score, the entity's types, a preview card and a view URL.

    GET /reconcile                         the service manifest
    GET|POST /reconcile  queries={json}    a batch {"q0": {"query": "...", "type": "...", "limit": 3}, ...}
    GET|POST /reconcile  query=...         one query (the older single form), answered as {"result": [...]}
    GET /reconcile/preview?id=party/...    an HTML card for one entity

Names never change within a release, so they are read once per worker (reconcile_entities.rq,
reconcile_classes.rq) and scored in Python, where accents and punctuation can be folded:

| the query ...                                                      | score |
|---|---|
| is one of the entity's labels                                      | 100 |
| is one once case, accents, apostrophes and punctuation are ignored | 95 |
| is one of its alternative names (skos:altLabel)                    | 90 |
| is one once normalised                                             | 85 |
| is similar to a name (similarity 0.5 to 1, see `similarity`)       | 40 to 80 |

A type (or list of types) keeps the entities of that type or of a subclass; `match` is true for a
result of 95 or more that no other result reaches. Identifiers are paths under the identifier space
`{base}id/`, types are class IRIs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from election_kg.common.similarity import normalise, similarity
from election_kg.server.http import errors
from election_kg.server.store import stored_queries
from election_kg.server.store.release import Release, get_release

blueprint = Blueprint("reconcile", __name__)

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_BATCH = 100
MAX_QUERY = 500
MATCH = 95
SIMILAR_FLOOR = 0.5
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"


@dataclass(frozen=True)
class Entry:
    id: str
    iri: str
    name: str
    labels: tuple[str, ...]
    aliases: tuple[str, ...]
    types: tuple[str, ...]


@dataclass(frozen=True)
class Index:
    entries: tuple[Entry, ...]
    type_names: dict[str, str]
    ancestors: dict[str, frozenset[str]]  # a class -> itself and all its superclasses

    def is_a(self, entry: Entry, wanted: str) -> bool:
        return any(wanted in self.ancestors.get(t, frozenset({t})) for t in entry.types)

    def type_ref(self, iri: str) -> dict[str, str]:
        """A type as the protocol shows it; classes our vocabulary does not label are named from their IRI."""
        fallback = re.sub(
            r"(?<=[a-z])(?=[A-Z])", " ", _local_name(iri)
        ).lower()  # person:Person -> "person"
        return {"id": iri, "name": self.type_names.get(iri) or fallback}


def _index(release: Release) -> Index:
    cache = current_app.extensions.setdefault("election_kg.reconcile", {})
    if release.version not in cache:
        cache.clear()
        cache[release.version] = _read_index(release)
    return cache[release.version]


def _read_index(release: Release) -> Index:
    names: dict[str, str] = {}
    parents: dict[str, set[str]] = {}
    for row in stored_queries.select(release, "reconcile_classes"):
        cls = row["class"].value
        parents.setdefault(cls, set())
        if "parent" in row:
            parents[cls].add(row["parent"].value)
        if "label" in row:
            names[cls] = row["label"].value
    labels: dict[str, set[str]] = {}
    aliases: dict[str, set[str]] = {}
    types: dict[str, set[str]] = {}
    for row in stored_queries.select(release, "reconcile_entities"):
        iri = row["entity"].value
        (aliases if row["property"].value == SKOS_ALT else labels).setdefault(iri, set()).add(
            row["name"].value
        )
        types.setdefault(iri, set()).add(row["type"].value)
    ancestors = {
        cls: _ancestors(cls, parents)
        for cls in set(parents) | {t for ts in types.values() for t in ts}
    }
    entries = []
    prefix = release.base + "id/"
    for iri in sorted(labels):
        specific_first = sorted(types[iri], key=lambda t: (-len(ancestors[t]), t))
        entries.append(
            Entry(
                iri[len(prefix) :],
                iri,
                min(labels[iri]),
                tuple(sorted(labels[iri])),
                tuple(sorted(aliases.get(iri, ()))),
                tuple(specific_first),
            )
        )
    return Index(tuple(entries), names, ancestors)


def _ancestors(cls: str, parents: dict[str, set[str]]) -> frozenset[str]:
    seen, todo = {cls}, [cls]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return frozenset(seen)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def score(query: str, entry: Entry) -> int:
    """The table in the module's docstring; 0 when no name is close enough."""
    key = normalise(query)
    if query in entry.labels:
        return 100
    if any(normalise(label) == key for label in entry.labels):
        return 95
    if query in entry.aliases:
        return 90
    if any(normalise(alias) == key for alias in entry.aliases):
        return 85
    best = max(similarity(query, name) for name in entry.labels + entry.aliases)
    return round(80 * best) if best >= SIMILAR_FLOOR else 0


def _wanted_types(index: Index, given: Any) -> list[str]:
    """Type ids as given (a string or a list), resolved to class IRIs; 'ek:PoliticalParty' and
    'PoliticalParty' name our class too. An id that names no class is kept, and so matches nothing."""
    ids = [given] if isinstance(given, str) else given if isinstance(given, list) else None
    if ids is None or not all(isinstance(t, str) for t in ids):
        raise errors.bad_request("`type` must be a type id or a list of type ids")
    known = {cls for cls in index.ancestors}
    out = []
    for type_id in ids:
        if type_id in known:
            out.append(type_id)
            continue
        local = (
            type_id.split(":", 1)[-1] if not type_id.startswith(("http://", "https://")) else None
        )
        out.extend(sorted(cls for cls in known if local and _local_name(cls) == local) or [type_id])
    return out


def answer(index: Index, spec: Any) -> list[dict[str, Any]]:
    """The result list for one query object (the protocol's `{"query", "type", "limit", "type_strict"}`)."""
    if isinstance(spec, str):
        spec = {"query": spec}
    if not isinstance(spec, dict) or not isinstance(spec.get("query"), str):
        raise errors.bad_request('each query must be an object with a "query" string')
    text = spec["query"].strip()
    if len(text) > MAX_QUERY:
        raise errors.bad_request(f"a query is at most {MAX_QUERY} characters")
    limit = spec.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise errors.bad_request("`limit` must be a positive integer")
    candidates = index.entries
    if spec.get("type") and spec.get("type_strict") != "should":
        wanted = _wanted_types(index, spec["type"])
        test = all if spec.get("type_strict") == "all" else any
        candidates = tuple(e for e in candidates if test(index.is_a(e, t) for t in wanted))
    scored = sorted(
        ((score(text, e), e) for e in candidates if text),
        key=lambda pair: (-pair[0], pair[1].name, pair[1].id),
    )
    scored = [(s, e) for s, e in scored if s > 0][: min(limit, MAX_LIMIT)]
    strong = [s for s, _ in scored if s >= MATCH]
    results = []
    for s, entry in scored:
        result: dict[str, Any] = {
            "id": entry.id,
            "name": entry.name,
            "type": [index.type_ref(t) for t in entry.types],
            "score": s,
            "match": s >= MATCH and len(strong) == 1,
        }
        if entry.aliases:
            result["description"] = "also " + ", ".join(entry.aliases)
        results.append(result)
    return results


def manifest(release: Release, index: Index) -> dict[str, Any]:
    present = sorted(
        {t for e in index.entries for t in e.types}, key=lambda t: index.type_ref(t)["name"]
    )
    return {
        "versions": ["0.2"],
        "name": "election-kg",
        "identifierSpace": release.base + "id/",
        "schemaSpace": release.base + "ontology#",
        "defaultTypes": [index.type_ref(t) for t in present],
        "view": {"url": release.base + "id/{{id}}"},
        "preview": {
            "url": url_for("reconcile.preview", _external=True) + "?id={{id}}",
            "width": 400,
            "height": 140,
        },
    }


def _json_parameter(name: str) -> Any:
    try:
        return json.loads(request.values[name])
    except ValueError as exc:
        raise errors.bad_request(f"`{name}` is not valid JSON: {exc}") from exc


@blueprint.route("/reconcile", methods=["GET", "POST"])
def reconcile() -> Response:
    release = get_release()
    index = _index(release)
    if "queries" in request.values:
        batch = _json_parameter("queries")
        if not isinstance(batch, dict):
            raise errors.bad_request(
                '`queries` must be a JSON object: {"q0": {"query": "..."}, ...}'
            )
        if len(batch) > MAX_BATCH:
            raise errors.bad_request(f"at most {MAX_BATCH} queries per batch")
        return jsonify({key: {"result": answer(index, spec)} for key, spec in batch.items()})
    if "query" in request.values:
        raw = request.values["query"]
        spec = _json_parameter("query") if raw.lstrip().startswith("{") else raw
        return jsonify({"result": answer(index, spec)})
    return jsonify(manifest(release, index))


@blueprint.get("/reconcile/preview")
def preview() -> str:
    release = get_release()
    index = _index(release)
    wanted = request.args.get("id", "")
    entry = next((e for e in index.entries if e.id == wanted), None)
    if entry is None:
        raise errors.not_found(f"no entity has the id {wanted!r}")
    return render_template(
        "reconcile_preview.html",
        entry=entry,
        types=[index.type_ref(t)["name"] for t in entry.types],
        view=release.base + "id/" + entry.id,
    )
