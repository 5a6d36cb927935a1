"""`/ontology`: the vocabulary's documentation, rendered from the ontology graph the server loaded
(data/dist/ontology.ttl), and the vocabulary itself as `/ontology.{ttl,jsonld,nt,rdf}`.

Terms are `{base}ontology#Term`, so each term's documentation is at `/ontology#Term`. `/ontology` is
the vocabulary's own IRI (a hash namespace): it negotiates between HTML and RDF directly, with
`Content-Location` naming the representation sent. The vocabulary does not change within a release,
so each representation is made once per worker and release.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from election_kg.common.prefixes import with_vocabulary as prefixes
from election_kg.server.http import addresses, errors, negotiation
from election_kg.server.render.model import OWL, RDF, RDFS, SKOS, Index, Page, Value
from election_kg.server.store import stored_queries
from election_kg.server.store.release import Release, cached, get_release
from election_kg.server.views.resources import OX_FORMATS

blueprint = Blueprint("ontology", __name__)

DC = "http://purl.org/dc/terms/"
ALIGNMENTS = {
    SKOS + "exactMatch": "exact match",
    SKOS + "closeMatch": "close match",
    OWL + "equivalentClass": "equivalent class",
    OWL + "equivalentProperty": "equivalent property",
    OWL + "inverseOf": "inverse of",
    SKOS + "broadMatch": "broader match",
    SKOS + "narrowMatch": "narrower match",
    SKOS + "relatedMatch": "related match",
}
KINDS = {
    OWL + "Class": "class",
    OWL + "ObjectProperty": "object property",
    OWL + "DatatypeProperty": "datatype property",
    RDF + "Property": "property",
    OWL + "AnnotationProperty": "annotation property",
}
OFFERS = ("text/html", *(f.media_type for f in addresses.DATA_FORMATS))


@dataclass
class Term:
    iri: str
    name: str
    kind: str
    label: str
    comment: str
    parents: list[Value]
    domains: list[Value]
    ranges: list[Value]
    alignments: list[tuple[str, Value]]
    used_with: list[Value] = field(default_factory=list)
    instances: list[Value] = field(default_factory=list)


@dataclass
class Vocabulary:
    iri: str
    title: str
    description: str
    version: str
    licence: Value | None
    namespace: str
    classes: list[Term]
    properties: list[Term]
    individuals: list[Term]


def build(triples: list[ox.Triple], base: str) -> Vocabulary:
    page = Page(Index(triples), base)
    index = page.index
    namespace = f"{base}ontology#"
    iri = f"{base}ontology"
    terms: dict[str, Term] = {}
    for subject in sorted(
        {t.subject.value for t in triples if t.subject.value.startswith(namespace)}
    ):
        kinds = [KINDS[t] for t in index.types(subject) if t in KINDS]
        kind = kinds[0] if kinds else "individual"
        parents = page.values(subject, RDFS + "subClassOf") + page.values(
            subject, RDFS + "subPropertyOf"
        )
        alignments = [(name, v) for p, name in ALIGNMENTS.items() for v in page.values(subject, p)]
        terms[subject] = Term(
            subject,
            subject[len(namespace) :],
            kind,
            index.literal(subject, RDFS + "label") or subject[len(namespace) :],
            index.literal(subject, RDFS + "comment") or "",
            parents,
            page.values(subject, RDFS + "domain"),
            page.values(subject, RDFS + "range"),
            alignments,
        )
    for term in terms.values():
        for domain in term.domains:
            if domain.iri in terms:
                terms[domain.iri].used_with.append(page.term(ox.NamedNode(term.iri)))
        if term.kind == "individual":
            for t in index.types(term.iri):
                if t in terms:
                    terms[t].instances.append(page.term(ox.NamedNode(term.iri)))
    ordered = sorted(terms.values(), key=lambda t: t.name.casefold())
    licence = index.value(iri, DC + "license")
    return Vocabulary(
        iri,
        index.literal(iri, DC + "title") or index.literal(iri, RDFS + "label") or "Vocabulary",
        index.literal(iri, DC + "description") or "",
        index.literal(iri, OWL + "versionInfo") or "",
        page.term(licence) if licence is not None else None,
        namespace,
        [t for t in ordered if t.kind == "class"],
        [t for t in ordered if "property" in t.kind],
        [t for t in ordered if t.kind == "individual"],
    )


def _alternates() -> list[addresses.Alternate]:
    return [
        addresses.Alternate(f"/ontology.{f.extension}", f.media_type, f.name)
        for f in addresses.DATA_FORMATS
    ]


def _html(release: Release) -> str:
    triples = stored_queries.construct(release, "ontology")
    return render_template(
        "ontology.html", vocabulary=build(triples, release.base), alternates=_alternates()
    )


def _rdf(release: Release, extension: str) -> bytes:
    triples = stored_queries.construct(release, "ontology")
    return ox.serialize(triples, format=OX_FORMATS[extension], prefixes=prefixes(release.base))


@blueprint.get("/ontology")
def ontology() -> Response:
    release = get_release()
    chosen = negotiation.choose(request.headers.get("Accept"), OFFERS)
    if chosen is None:
        raise errors.not_acceptable(OFFERS)
    if chosen == "text/html":
        response = Response(
            cached("ontology", "html", lambda: _html(release)), mimetype="text/html"
        )
        response.headers["Link"] = addresses.link_header(_alternates())
    else:
        rdf_format = next(f for f in addresses.DATA_FORMATS if f.media_type == chosen)
        response = Response(
            cached("ontology", rdf_format.extension, lambda: _rdf(release, rdf_format.extension)),
            mimetype=chosen,
        )
        response.headers["Content-Location"] = f"/ontology.{rdf_format.extension}"
    response.vary.add("Accept")
    return response


@blueprint.get("/ontology.<extension>")
def ontology_file(extension: str) -> Response:
    release = get_release()
    if extension not in addresses.DATA_BY_EXTENSION:
        raise errors.not_found(
            f"the vocabulary is not published as .{extension}; use one of: "
            + ", ".join(f".{f.extension}" for f in addresses.DATA_FORMATS)
        )
    rdf_format = addresses.DATA_BY_EXTENSION[extension]
    response = Response(
        cached("ontology", extension, lambda: _rdf(release, extension)),
        mimetype=rdf_format.media_type,
    )
    response.headers["Link"] = '</ontology>; rel="alternate"; type="text/html"'
    return response
