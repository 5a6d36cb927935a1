"""Write JSON-LD that a web developer can read as plain JSON and an RDF tool parses offline.

rdflib's compaction leaves full IRIs on most keys, so the context is made here from the graph
itself: every predicate gets a short key, and a type coercion when all its values share one, so
that `"seatsWon": 136`, `"voteShare": "22.95"` and `"contestant": "id/party/…"` read naturally
and still expand to the same triples. The context is embedded and also written as its own file.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import XSD, Graph, Literal, URIRef

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "person": "http://www.w3.org/ns/person#",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "wd": "http://www.wikidata.org/entity/",
}
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
NATIVE = {XSD.integer, XSD.boolean}


def context_for(graph: Graph, base: str, vocab: str) -> dict[str, Any]:
    ctx: dict[str, Any] = {"@base": base, "@vocab": vocab, "ek": vocab, **PREFIXES}
    for predicate in sorted(set(graph.predicates())):
        key = _key(predicate, vocab)
        definition: dict[str, Any] = {"@id": _prefixed(predicate, vocab)}
        values = set(graph.objects(None, predicate))
        if all(isinstance(v, URIRef) for v in values):
            definition["@type"] = "@id"
        elif all(isinstance(v, Literal) for v in values):
            datatypes = {v.datatype for v in values}
            languages = {v.language for v in values}
            if len(datatypes) == 1 and None not in datatypes and datatypes.isdisjoint(NATIVE):
                definition["@type"] = _prefixed(next(iter(datatypes)), vocab)
            elif datatypes == {None} and len(languages) == 1:
                definition["@language"] = next(iter(languages))
        if key == _prefixed(predicate, vocab) and "@type" not in definition and "@language" not in definition:
            continue  # a prefixed key with nothing to coerce needs no definition
        ctx[key] = definition if len(definition) > 1 else definition["@id"]
    return ctx


def _key(predicate: URIRef, vocab: str) -> str:
    iri = str(predicate)
    if iri in FRIENDLY:
        return FRIENDLY[iri]
    if iri.startswith(vocab):
        return iri[len(vocab):]
    return _prefixed(predicate, vocab)


def _prefixed(iri: URIRef | str, vocab: str) -> str:
    text = str(iri)
    if text.startswith(vocab):
        return "ek:" + text[len(vocab):]
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and "/" not in text[len(ns):] and "#" not in text[len(ns):]:
            return f"{prefix}:{text[len(ns):]}"
    return text


def document(graph: Graph, base: str, vocab: str) -> dict[str, Any]:
    ctx = context_for(graph, base, vocab)
    coercion = {v["@id"] if isinstance(v, dict) else v: v for k, v in ctx.items() if not k.startswith("@")}
    nodes = []
    for subject in sorted(set(graph.subjects()), key=str):
        node: dict[str, Any] = {"@id": _ref(subject, base, vocab)}
        types = sorted(graph.objects(subject, URIRef(PREFIXES["rdf"] + "type")), key=str)
        if types:
            node["@type"] = [_type_name(t, vocab) for t in types]
        for predicate in sorted(set(graph.predicates(subject)), key=str):
            if str(predicate) == PREFIXES["rdf"] + "type":
                continue
            key = _key(predicate, vocab)
            definition = coercion.get(_prefixed(predicate, vocab), {})
            values = [_value(o, definition, base, vocab) for o in sorted(graph.objects(subject, predicate), key=_sort_key)]
            node[key] = values[0] if len(values) == 1 else values
        nodes.append(node)
    return {"@context": ctx, "@graph": nodes}


def _sort_key(term: Any) -> tuple[str, str]:
    return (type(term).__name__, str(term))


def _type_name(iri: URIRef, vocab: str) -> str:
    text = str(iri)
    return text[len(vocab):] if text.startswith(vocab) else _prefixed(iri, vocab)


def _ref(iri: URIRef, base: str, vocab: str) -> str:
    text = str(iri)
    if text.startswith(vocab):
        return "ek:" + text[len(vocab):]
    if text.startswith(base):
        return text[len(base):]
    return _prefixed(iri, vocab)


def _value(term: Any, definition: dict[str, Any] | str, base: str, vocab: str) -> Any:
    spec = definition if isinstance(definition, dict) else {}
    if isinstance(term, URIRef):
        ref = _ref(term, base, vocab)
        return ref if spec.get("@type") == "@id" else {"@id": ref}
    literal: Literal = term
    if literal.language:
        return str(literal) if spec.get("@language") == literal.language else {"@value": str(literal), "@language": literal.language}
    if literal.datatype in NATIVE:
        return literal.toPython()
    if literal.datatype and spec.get("@type") == _prefixed(literal.datatype, vocab):
        return str(literal)
    if literal.datatype and literal.datatype != XSD.string:
        return {"@value": str(literal), "@type": _prefixed(literal.datatype, vocab)}
    return str(literal)


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
