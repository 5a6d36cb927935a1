"""Turn pySHACL's validation report into what people and machines read.

pySHACL names its results with blank nodes and lists them in no fixed order, and the build must
write byte-identical files for the same input. So the results are read into plain records, each
given an IRI made from a hash of what it says, and written back in sorted order: the W3C report in
Turtle and JSON-LD, and a readable text grouped by severity that quotes the source excerpts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF, PROV
from rdflib.term import Node

from election_kg.common import iris
from election_kg.common.prefixes import DATA as DATA_PREFIXES
from election_kg.common.vocab import EK
from election_kg.pipeline.jsonld import dumps as dump_json

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = iris.CANONICAL_BASE + "shapes#"
REPORT = URIRef(iris.CANONICAL_BASE + "validation#report")
SEVERITIES = (SH.Violation, SH.Warning, SH.Info)
PREFIXES = {"sh": str(SH), "shape": SHAPES, "ek": str(EK), **DATA_PREFIXES}
EXCERPT_CHARS = 200
QUARANTINE_SHAPE = URIRef(iris.CANONICAL_BASE + "validation#quarantine")
"""sh:sourceShape of the result that says an article was quarantined (not published): its
focus node is the article's source document, its message `file:line: key 'K': problem`."""
QUARANTINE_COMPONENT = URIRef(iris.CANONICAL_BASE + "validation#ArticleQuarantined")


@dataclass(frozen=True)
class Finding:
    """One validation result: which node broke which shape, where, and what the shape says about it."""

    severity: URIRef
    focus: Node
    path: Node | None
    value: Node | None
    message: Literal
    shape: Node
    component: Node
    constraint: Node | None = None

    @property
    def iri(self) -> URIRef:
        """A name that depends only on what the result says, so a rebuild names it the same."""
        parts = (
            self.severity,
            self.focus,
            self.path,
            self.value,
            self.message,
            self.shape,
            self.component,
            self.constraint,
        )
        key = "\n".join("" if part is None else part.n3() for part in parts)
        return URIRef(
            f"{iris.CANONICAL_BASE}validation#result-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"
        )

    def sort_key(self) -> tuple[int, str, str, str, str, str]:
        rank = SEVERITIES.index(self.severity) if self.severity in SEVERITIES else len(SEVERITIES)
        return (
            rank,
            str(self.focus),
            _text(self.path),
            _text(self.value),
            str(self.shape),
            str(self.message),
        )


def _text(term: Node | None) -> str:
    return "" if term is None else term.n3()


def findings(report: Graph, shapes: Graph) -> list[Finding]:
    """The results of a pySHACL report graph, in a fixed order (severity, focus node, path, value)."""
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        constraint = report.value(result, SH.sourceConstraint)
        messages = sorted(report.objects(result, SH.resultMessage), key=str)
        message = messages[0] if messages else Literal("(the shape gives no message)")
        found.append(
            Finding(
                severity=report.value(result, SH.resultSeverity),
                focus=report.value(result, SH.focusNode),
                path=report.value(result, SH.resultPath),
                value=report.value(result, SH.value),
                message=_language_of(
                    message,
                    shapes.value(constraint, SH.message) if constraint is not None else None,
                ),
                shape=report.value(result, SH.sourceShape),
                component=report.value(result, SH.sourceConstraintComponent),
                constraint=constraint,
            )
        )
    return sorted(set(found), key=Finding.sort_key)


def _language_of(message: Literal, template: Node | None) -> Literal:
    """pySHACL drops the language tag of a SPARQL message when it fills in the variables; put it back."""
    if isinstance(template, Literal) and template.language and not message.language:
        return Literal(str(message), lang=template.language)
    return message


def count(items: Iterable[Finding], severity: URIRef) -> int:
    return sum(1 for f in items if f.severity == severity)


def w3c_graph(items: list[Finding], conforms: bool) -> Graph:
    """The W3C validation report with named, sorted results (sh:conforms: no Violation)."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    graph.add((REPORT, RDF.type, SH.ValidationReport))
    graph.add((REPORT, SH.conforms, Literal(conforms)))
    for finding in items:
        node = finding.iri
        graph.add((REPORT, SH.result, node))
        for predicate, obj in _result_properties(finding):
            graph.add((node, predicate, obj))
    return graph


def _result_properties(finding: Finding) -> list[tuple[URIRef, Node]]:
    pairs: list[tuple[URIRef, Node | None]] = [
        (RDF.type, SH.ValidationResult),
        (SH.resultSeverity, finding.severity),
        (SH.focusNode, finding.focus),
        (SH.resultPath, finding.path),
        (SH.value, finding.value),
        (SH.resultMessage, finding.message),
        (SH.sourceShape, finding.shape),
        (SH.sourceConstraintComponent, finding.component),
        (SH.sourceConstraint, finding.constraint),
    ]
    return [(p, o) for p, o in pairs if o is not None]


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def jsonld(items: list[Finding], conforms: bool) -> str:
    """The same report as JSON-LD, written by hand so that key and node order never change."""
    document: dict[str, Any] = {
        "@context": dict(PREFIXES),
        "@id": str(REPORT),
        "@type": "sh:ValidationReport",
        "sh:conforms": conforms,
        "sh:result": [_jsonld_result(f) for f in items],
    }
    return dump_json(document)


def _jsonld_result(finding: Finding) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": str(finding.iri)}
    for predicate, obj in _result_properties(finding):
        key = _compact(predicate)
        if predicate == RDF.type:
            node["@type"] = _compact(obj)
        else:
            node[key] = _jsonld_term(obj)
    return node


def _jsonld_term(term: Node) -> dict[str, Any]:
    if isinstance(term, Literal):
        out: dict[str, Any] = {"@value": str(term)}
        if term.language:
            out["@language"] = term.language
        elif term.datatype and term.datatype != XSD.string:
            out["@type"] = _compact(term.datatype)
        return out
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    return {"@id": _compact(term)}


def compact(iri: Node) -> str:
    """An IRI as prefix:name where one of the report's prefixes fits."""
    return _compact(iri)


def _compact(iri: Node) -> str:
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        rest = text[len(namespace) :]
        if text.startswith(namespace) and rest and "/" not in rest and "#" not in rest:
            return f"{prefix}:{rest}"
    return text


def readable(items: list[Finding], data: Graph, title: str) -> str:
    """The report for a person: counts, then each result by severity with its label, path,
    value, message and the source excerpts it comes from."""
    counts = ", ".join(
        f"{count(items, s)} {severity_name(s).lower()}{'' if count(items, s) == 1 else 's'}"
        for s in SEVERITIES
    )
    lines = [f"{title}: {counts}"]
    for severity in SEVERITIES:
        group = [f for f in items if f.severity == severity]
        if not group:
            continue
        lines += ["", f"{severity_name(severity)} ({len(group)})"]
        for finding in group:
            lines += _describe(finding, data)
    return "\n".join(lines) + "\n"


def severity_name(severity: Node) -> str:
    return str(severity).rsplit("#", 1)[-1]


def _describe(finding: Finding, data: Graph) -> list[str]:
    out = [f"- {_name(finding.focus, data)}"]
    if finding.path is not None:
        out.append(f"    path:    {_compact(finding.path)}")
    if finding.value is not None:
        out.append(f"    value:   {_name(finding.value, data)}")
    out.append(f"    message: {finding.message}")
    component = _compact(finding.component).replace("sh:", "")
    out.append(f"    shape:   {_compact(finding.shape)} ({component})")
    for i, (line, text) in enumerate(excerpts(finding, data)):
        out.append(f"    {'source:  ' if i == 0 else '         '}line {line}: {_quote(text)}")
    return out


def _name(term: Node, data: Graph) -> str:
    if isinstance(term, Literal):
        if term.language:
            return f'"{term}"@{term.language}'
        return f'"{term}" ({_compact(term.datatype)})' if term.datatype else f'"{term}"'
    labels = sorted(
        data.objects(term, RDFS.label), key=lambda lab: (lab.language != "en", str(lab))
    ) or list(data.objects(term, FOAF.name))
    return f"{labels[0]} <{term}>" if labels else f"<{term}>"


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return f'"{flat}"' if len(flat) <= EXCERPT_CHARS else f'"{flat[: EXCERPT_CHARS - 1]}…"'


def excerpts(finding: Finding, data: Graph) -> list[tuple[int, str]]:
    """(line, text) of the excerpts behind a result: those of the statement of the reported
    triple where there is one, else those the focus node is derived from or mentioned in."""
    sources: set[Node] = set()
    if (
        isinstance(finding.focus, URIRef)
        and isinstance(finding.path, URIRef)
        and finding.value is not None
    ):
        sources.update(
            data.objects(
                iris.statement(finding.focus, finding.path, finding.value), PROV.wasDerivedFrom
            )
        )
    if not sources:
        for predicate in (PROV.wasDerivedFrom, EK.mentionedIn):
            sources.update(data.objects(finding.focus, predicate))
    if (finding.focus, EK.exactText, None) in data:
        sources.add(finding.focus)
    found = []
    for source in sources:
        text, line = data.value(source, EK.exactText), data.value(source, EK.lineNumber)
        if text is not None:
            found.append((int(line) if line is not None else 0, str(text)))
    return sorted(set(found))
