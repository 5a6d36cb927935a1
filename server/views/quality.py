"""`/shapes` and `/validation`: the SHACL shapes the build checked the data with, and its report.

Both are files of the release (data/dist/shapes.ttl, validation.ttl, validation.jsonld), written by
the build's SHACL gate; nothing is validated here. Their IRIs are `{base}shapes#…` and
`{base}validation#…`, so these URLs are where those IRIs dereference: HTML for people, RDF by
`Accept` or by extension. Each representation is made once per worker and release.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from election_kg.common.prefixes import with_vocabulary as prefixes
from election_kg.server.http import addresses, errors, negotiation
from election_kg.server.store.release import Release, cached, get_release
from election_kg.server.views.resources import OX_FORMATS

blueprint = Blueprint("quality", __name__)

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DOCUMENTS = {"shapes": "shapes.ttl", "validation": "validation.ttl"}
OFFERS = ("text/html", *(f.media_type for f in addresses.DATA_FORMATS))
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
CONSTRAINTS = (
    "minCount",
    "maxCount",
    "datatype",
    "class",
    "nodeKind",
    "pattern",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "in",
    "hasValue",
    "languageIn",
    "uniqueLang",
    "node",
)


@dataclass
class Result:
    severity: str
    focus: str
    focus_label: str
    path: str
    value: str
    message: str
    shape: str


@dataclass
class Constraint:
    path: str
    rules: list[str]
    message: str
    severity: str


@dataclass
class Shape:
    anchor: str  # the IRI's fragment: `{base}shapes#X` dereferences to /shapes#X
    name: str
    targets: list[str]
    closed: bool
    message: str
    constraints: list[Constraint] = field(default_factory=list)


class _Graph:
    """A tiny read-only index over a parsed file: subject -> predicate -> objects."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.by_subject: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]] = {}
        for t in triples:
            self.by_subject.setdefault(_key(t.subject), {}).setdefault(
                t.predicate.value, []
            ).append(t.object)

    def objects(
        self, subject: str, predicate: str
    ) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        return self.by_subject.get(subject, {}).get(predicate, [])

    def first(self, subject: str, predicate: str) -> str:
        found = self.objects(subject, predicate)
        return _text(found[0]) if found else ""

    def subjects_of_type(self, cls: str) -> list[str]:
        return sorted(
            s
            for s, props in self.by_subject.items()
            if any(_key(o) == cls for o in props.get(RDF_TYPE, []))
        )

    def items(self, node: str) -> list[str]:
        """An RDF list as strings (sh:in)."""
        out, current = [], node
        while current and current != "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil":
            out.append(self.first(current, "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"))
            rest = self.objects(current, "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest")
            current = _key(rest[0]) if rest else ""
        return out


def _key(term: object) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value  # type: ignore[attr-defined]


def _text(term: object) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else f"_:{term.value}"  # type: ignore[attr-defined]


def _short(iri: str, base: str) -> str:
    for prefix, namespace in prefixes(base).items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def read_results(release: Release) -> tuple[bool, list[Result]]:
    graph = _Graph(
        list(ox.parse(path=str(release.file("validation.ttl")), format=ox.RdfFormat.TURTLE))
    )
    [report] = graph.subjects_of_type(SH + "ValidationReport") or [""]
    conforms = graph.first(report, SH + "conforms") == "true"
    results = []
    for node in graph.subjects_of_type(SH + "ValidationResult"):
        focus = graph.first(node, SH + "focusNode")
        label = _label(release, focus)
        results.append(
            Result(
                graph.first(node, SH + "resultSeverity").rsplit("#", 1)[-1],
                focus,
                label,
                _short(graph.first(node, SH + "resultPath"), release.base),
                graph.first(node, SH + "value"),
                graph.first(node, SH + "resultMessage"),
                graph.first(node, SH + "sourceShape"),
            )
        )
    results.sort(key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), r.focus_label, r.message))
    return conforms, results


def _label(release: Release, iri: str) -> str:
    if not iri.startswith(("http://", "https://")):
        return iri
    node = str(
        ox.NamedNode(iri)
    )  # pyoxigraph writes the IRI in SPARQL syntax; it was checked as an IRI by parsing
    for row in release.store.query(
        f"SELECT ?l WHERE {{ {node} <{RDFS_LABEL}> ?l }} LIMIT 1", use_default_graph_as_union=True
    ):
        return row["l"].value
    return iri


def read_shapes(release: Release) -> list[Shape]:
    graph = _Graph(list(ox.parse(path=str(release.file("shapes.ttl")), format=ox.RdfFormat.TURTLE)))
    shapes = []
    for node in graph.subjects_of_type(SH + "NodeShape"):
        if node.startswith("_:"):
            continue
        targets = [_short(_text(t), release.base) for t in graph.objects(node, SH + "targetClass")]
        shape = Shape(
            node.rsplit("#", 1)[-1],
            _short(node, release.base),
            targets,
            graph.first(node, SH + "closed") == "true",
            graph.first(node, SH + "message"),
        )
        for prop in graph.objects(node, SH + "property"):
            key = _key(prop)
            rules = []
            for name in CONSTRAINTS:
                for value in graph.objects(key, SH + name):
                    shown = (
                        ", ".join(graph.items(_key(value)))
                        if name == "in"
                        else _short(_text(value), release.base)
                    )
                    rules.append(f"{name} {shown}")
            path = graph.objects(key, SH + "path")
            shape.constraints.append(
                Constraint(
                    _short(_text(path[0]), release.base) if path else "",
                    rules,
                    graph.first(key, SH + "message"),
                    graph.first(key, SH + "severity").rsplit("#", 1)[-1],
                )
            )
        for sparql in graph.objects(node, SH + "sparql"):
            shape.constraints.append(
                Constraint(
                    "(SPARQL rule)",
                    [],
                    graph.first(_key(sparql), SH + "message"),
                    graph.first(_key(sparql), SH + "severity").rsplit("#", 1)[-1] or "Violation",
                )
            )
        shape.constraints.sort(key=lambda c: c.path)
        shapes.append(shape)
    return shapes


def _alternates(name: str) -> list[addresses.Alternate]:
    return [
        addresses.Alternate(f"/{name}.{f.extension}", f.media_type, f.name)
        for f in addresses.DATA_FORMATS
    ]


def _rdf(release: Release, name: str, extension: str) -> bytes:
    path = release.file(DOCUMENTS[name])
    if extension == "ttl":
        return path.read_bytes()
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return ox.serialize(triples, format=OX_FORMATS[extension], prefixes=prefixes(release.base))


def _html(release: Release, name: str) -> str:
    if name == "validation":
        conforms, results = read_results(release)
        counts = {s: sum(r.severity == s for r in results) for s in SEVERITY_ORDER}
        return render_template(
            "validation.html",
            conforms=conforms,
            results=results,
            counts=counts,
            alternates=_alternates(name),
            local=lambda iri: (
                "/" + iri[len(release.base) :] if iri.startswith(release.base + "id/") else ""
            ),
        )
    return render_template("shapes.html", shapes=read_shapes(release), alternates=_alternates(name))


def _document(name: str) -> Response:
    release = get_release()
    if not release.file(DOCUMENTS[name]).exists():
        raise errors.not_found(f"this build has no {DOCUMENTS[name]}")
    chosen = negotiation.choose(request.headers.get("Accept"), OFFERS)
    if chosen is None:
        raise errors.not_acceptable(OFFERS)
    if chosen == "text/html":
        response = Response(
            cached("quality", f"{name}.html", lambda: _html(release, name)), mimetype="text/html"
        )
        response.headers["Link"] = addresses.link_header(_alternates(name))
    else:
        rdf_format = next(f for f in addresses.DATA_FORMATS if f.media_type == chosen)
        response = Response(
            cached(
                "quality",
                f"{name}.{rdf_format.extension}",
                lambda: _rdf(release, name, rdf_format.extension),
            ),
            mimetype=chosen,
        )
        response.headers["Content-Location"] = f"/{name}.{rdf_format.extension}"
    response.vary.add("Accept")
    return response


def _file(name: str, extension: str) -> Response:
    release = get_release()
    if extension not in addresses.DATA_BY_EXTENSION or not release.file(DOCUMENTS[name]).exists():
        raise errors.not_found(
            f"/{name} is published as "
            + ", ".join(f".{f.extension}" for f in addresses.DATA_FORMATS)
        )
    rdf_format = addresses.DATA_BY_EXTENSION[extension]
    response = Response(
        cached("quality", f"{name}.{extension}", lambda: _rdf(release, name, extension)),
        mimetype=rdf_format.media_type,
    )
    response.headers["Link"] = f'</{name}>; rel="alternate"; type="text/html"'
    return response


@blueprint.get("/shapes")
def shapes() -> Response:
    return _document("shapes")


@blueprint.get("/validation")
def validation() -> Response:
    return _document("validation")


@blueprint.get("/shapes.<extension>")
def shapes_file(extension: str) -> Response:
    return _file("shapes", extension)


@blueprint.get("/validation.<extension>")
def validation_file(extension: str) -> Response:
    return _file("validation", extension)
