"""Write JSON-LD that a web developer can read as plain JSON and an RDF tool parses offline.

rdflib's compaction leaves full IRIs on most keys, so the context is made here from the graph
itself: every predicate gets a short key, and a type coercion when all its values share one, so
that `"seatsWon": 136`, `"voteShare": "22.95"` and `"contestant": "id/party/…"` read naturally
and still expand to the same triples. The context is embedded and also written as its own file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import groupby
from typing import Any

import pyoxigraph as ox

from election_kg.common.prefixes import DATA

# Short keys for the reused terms users meet most; every other reused term keeps its prefix.
FRIENDLY = {
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2000/01/rdf-schema#comment": "comment",
    "http://www.w3.org/2004/02/skos/core#altLabel": "altLabel",
    "http://www.w3.org/2002/07/owl#sameAs": "sameAs",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "wasDerivedFrom",
    "https://schema.org/value": "value",
    "https://schema.org/description": "description",
    "https://schema.org/startDate": "startDate",
    "http://xmlns.com/foaf/0.1/name": "name",
}
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = DATA["rdf"] + "type"
NATIVE = {XSD + "integer", XSD + "boolean"}
LANG_STRING = DATA["rdf"] + "langString"
STRING = XSD + "string"


def context_for(triples: list[ox.Triple], base: str, vocab: str) -> dict[str, Any]:
    ctx: dict[str, Any] = {"@base": base, "@vocab": vocab, "ek": vocab, **DATA}
    objects: dict[str, list[Any]] = defaultdict(list)
    for triple in triples:
        objects[triple.predicate.value].append(triple.object)
    for predicate in sorted(objects):
        key = _key(predicate, vocab)
        definition: dict[str, Any] = {"@id": _prefixed(predicate, vocab)}
        values = objects[predicate]
        if all(isinstance(v, ox.NamedNode) for v in values):
            definition["@type"] = "@id"
        elif all(isinstance(v, ox.Literal) for v in values):
            datatypes = {v.datatype.value for v in values}
            languages = {v.language for v in values}
            if len(datatypes) == 1 and datatypes.isdisjoint(NATIVE | {LANG_STRING, STRING}):
                definition["@type"] = _prefixed(next(iter(datatypes)), vocab)
            elif datatypes == {LANG_STRING} and len(languages) == 1:
                definition["@language"] = next(iter(languages))
            elif datatypes == {STRING}:
                definition["@language"] = None
        if key == definition["@id"] and len(definition) == 1:
            continue  # a prefixed key with nothing to coerce needs no definition
        ctx[key] = definition if len(definition) > 1 else definition["@id"]
    return ctx


def _key(predicate: str, vocab: str) -> str:
    if predicate in FRIENDLY:
        return FRIENDLY[predicate]
    if predicate.startswith(vocab):
        local = predicate[len(vocab) :]
        # ek:startDate (an election's first voting day) is not schema:startDate (an event's).
        return _prefixed(predicate, vocab) if local in FRIENDLY.values() else local
    return _prefixed(predicate, vocab)


def _prefixed(iri: str, vocab: str) -> str:
    if iri.startswith(vocab):
        return "ek:" + iri[len(vocab) :]
    for prefix, ns in DATA.items():
        rest = iri[len(ns) :]
        if iri.startswith(ns) and rest and "/" not in rest and "#" not in rest:
            return f"{prefix}:{rest}"
    return iri


def document(triples: list[ox.Triple], base: str, vocab: str) -> dict[str, Any]:
    """The graph as one JSON-LD document; `triples` must be sorted by subject (as the N-Triples dump is)."""
    ctx = context_for(triples, base, vocab)
    coercion = {
        (v["@id"] if isinstance(v, dict) else v): v for k, v in ctx.items() if not k.startswith("@")
    }
    nodes: list[dict[str, Any]] = []
    for subject, group in groupby(triples, key=lambda t: t.subject.value):
        node: dict[str, Any] = {"@id": _ref(subject, base, vocab)}
        by_predicate: dict[str, list[Any]] = defaultdict(list)
        for triple in group:
            by_predicate[triple.predicate.value].append(triple.object)
        if RDF_TYPE in by_predicate:
            node["@type"] = sorted(_type_name(t.value, vocab) for t in by_predicate.pop(RDF_TYPE))
        for predicate in sorted(by_predicate):
            definition = coercion.get(_prefixed(predicate, vocab), {})
            values = [
                _value(o, definition, base, vocab)
                for o in sorted(by_predicate[predicate], key=_sort_key)
            ]
            node[_key(predicate, vocab)] = values[0] if len(values) == 1 else values
        nodes.append(node)
    return {"@context": ctx, "@graph": nodes}


def _sort_key(term: Any) -> tuple[str, str]:
    return (type(term).__name__, str(term))


def _type_name(iri: str, vocab: str) -> str:
    return iri[len(vocab) :] if iri.startswith(vocab) else _prefixed(iri, vocab)


def _ref(iri: str, base: str, vocab: str) -> str:
    if iri.startswith(vocab):
        return "ek:" + iri[len(vocab) :]
    if iri.startswith(base):
        return iri[len(base) :]
    return _prefixed(iri, vocab)


def _value(term: Any, definition: dict[str, Any] | str, base: str, vocab: str) -> Any:
    spec = definition if isinstance(definition, dict) else {}
    if isinstance(term, ox.NamedNode):
        ref = _ref(term.value, base, vocab)
        return ref if spec.get("@type") == "@id" else {"@id": ref}
    literal: ox.Literal = term
    datatype = literal.datatype.value
    if literal.language:
        if spec.get("@language") == literal.language:
            return literal.value
        return {"@value": literal.value, "@language": literal.language}
    if datatype == XSD + "integer":
        return int(literal.value)
    if datatype == XSD + "boolean":
        return literal.value == "true"
    if datatype == STRING:
        return literal.value
    if spec.get("@type") == _prefixed(datatype, vocab):
        return literal.value
    return {"@value": literal.value, "@type": _prefixed(datatype, vocab)}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
