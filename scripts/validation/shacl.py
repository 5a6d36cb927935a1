"""Check a graph against shapes/election.ttl: the gate of every build and `election-kg validate`.

pySHACL runs with the ontology as its ont_graph and no inference: the ontology's subclass axioms
are mixed into (a copy of) the data graph, which is all the shapes need. RDFS inference nearly
triples the run time and adds triples the closed shapes rightly reject (scripts/bench_validate.py).
Validation happens only here, at build time or from `election-kg validate` (scripts/validate_cli.py),
never while a request is served (pySHACL patches rdflib globals while it loads shapes).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result
from rdflib.term import Node

from election_kg.common.offline import offline
from election_kg.common.vocab import EK
from election_kg.pipeline.curated import load_curated
from election_kg.pipeline.errors import BuildError
from election_kg.validation import report
from election_kg.validation.report import SH, Finding
from election_kg.validation.report import SHAPES as SHAPES_NS


class ShapesError(BuildError):
    """The shapes (or the ontology) are missing or cannot be used by pySHACL: nothing can be checked."""


class ValidationFailed(BuildError):
    """The graph breaks a rule of severity Violation; the build publishes nothing."""

    def __init__(self, text: str) -> None:
        super().__init__(f"the graph does not pass validation (shapes/election.ttl)\n{text}")
        self.text = text


@dataclass
class Outcome:
    """What one validation found, and the report in every form it is published in."""

    findings: list[Finding]
    seconds: float

    @property
    def violations(self) -> int:
        return report.count(self.findings, SH.Violation)

    @property
    def conforms(self) -> bool:
        """True when there is no Violation; Warnings and Infos do not stop a build."""
        return self.violations == 0

    def turtle(self) -> str:
        return report.turtle(report.w3c_graph(self.findings, self.conforms))

    def jsonld(self) -> str:
        return report.jsonld(self.findings, self.conforms)


class _PreparedQueries(Graph):
    """A graph that parses each SPARQL text once.

    pySHACL runs a SPARQL constraint once per focus node with the same text and $this bound, and
    rdflib parses the text on every call, which is most of the cost (about 6 ms against 0.3 ms).
    Shapes declare their prefixes in the text, so a prepared query does not depend on the graph.
    """

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


@functools.lru_cache(maxsize=256)
def _prepared(text: str) -> Any:
    return prepareQuery(text)


def load_shapes(path: Path) -> Graph:
    """The shapes graph, or ShapesError if it is missing (SourceError, with its line, if it is not Turtle)."""
    if not path.is_file():
        raise ShapesError(f"no shapes file at {path}")
    return load_curated(path)


def meta_validate(shapes: Graph) -> tuple[bool, str]:
    """Check a shapes graph against the W3C SHACL-for-SHACL shapes (about 2 s: tests do it, not every build)."""
    from pyshacl.entrypoints import meta_validate as shacl_shacl

    conforms, _, text = shacl_shacl(shapes, inference="none")
    return conforms, text


def load_ontology(path: Path) -> Graph:
    """The ontology, or ShapesError if it is missing (SourceError, with its line, if it is not Turtle)."""
    if not path.is_file():
        raise ShapesError(f"no ontology file at {path}")
    return load_curated(path)


def check(data: Graph, shapes: Graph, ontology: Graph, inference: str = "none") -> Outcome:
    """Validate `data` (left untouched) against `shapes`, with the ontology's axioms mixed in.

    `inference` is pySHACL's option, for measuring only: RDFS inference triples the run time and
    adds triples the closed shapes rightly reject (scripts/bench_validate.py).
    """
    import pyshacl  # imported here: loading it costs every other command a third of a second
    from pyshacl.errors import ReportableRuntimeError

    started = time.perf_counter()
    graph = _PreparedQueries()
    for triple in data:
        graph.add(triple)
    try:
        with (
            offline()
        ):  # the shapes' SPARQL runs in rdflib's engine: no file, network or process during it
            _, results, _ = pyshacl.validate(
                graph,
                shacl_graph=shapes,
                ont_graph=ontology,
                inference=inference,
                inplace=True,
                advanced=True,
                allow_warnings=True,
                allow_infos=True,
            )
    except ReportableRuntimeError as exc:  # a shape pySHACL cannot load or run
        raise ShapesError(f"the shapes cannot be used: {exc.message}") from exc
    return Outcome(report.findings(results, shapes), time.perf_counter() - started)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summary(outcome: Outcome, quarantined: int = 0) -> str:
    """One line: the counts by severity (and the articles quarantined, counted among the violations)."""
    counts = ", ".join(
        f"{report.count(outcome.findings, s)} {report.severity_name(s).lower()}(s)"
        for s in report.SEVERITIES
    )
    note = f" ({quarantined} article(s) quarantined)" if quarantined else ""
    return f"validated: {counts}{note}"


# Rules that compare two articles (an election and the one it follows). A build checks every
# article's graph on its own, in parallel and cached, with every other rule; these rules then run
# once over the corpus slice (the figures they read, from every published article).
CORPUS_RULES = (
    URIRef(SHAPES_NS + "previous-seats-sum"),
    URIRef(SHAPES_NS + "previous-seats-agree"),
)
_SHAPES_DOCUMENT = SHAPES_NS.rstrip("#")


def _closure(shapes: Graph, roots: tuple[URIRef, ...]) -> set[Node]:
    """The nodes a shape is made of: itself, its blank nodes and the constraints it names."""
    seen: set[Node] = set()
    todo: list[Node] = list(roots)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for obj in shapes.objects(node, None):
            if isinstance(obj, BNode) or (
                isinstance(obj, URIRef)
                and str(obj).startswith(SHAPES_NS)
                and (obj, None, None) in shapes
            ):
                todo.append(obj)
    return seen


def split_shapes(shapes: Graph) -> tuple[Graph, Graph]:
    """(the shapes of one article's graph, the corpus rules); both keep the prefix declarations."""
    corpus_nodes = _closure(shapes, CORPUS_RULES)
    article, corpus = Graph(), Graph()
    for prefix, namespace in shapes.namespaces():
        article.bind(prefix, namespace)
        corpus.bind(prefix, namespace)
    shared = _closure(shapes, (URIRef(_SHAPES_DOCUMENT),))
    for triple in shapes:
        if triple[0] in corpus_nodes:
            corpus.add(triple)
        else:
            article.add(triple)
            if triple[0] in shared:
                corpus.add(triple)
    return article, corpus


_SLICE_ELECTION = (
    RDF.type,
    RDFS.label,
    EK.follows,
    EK.followedBy,
    EK.country,
    EK.legislature,
    EK.electionYear,
    EK.seatsContested,
)
_SLICE_RESULT = (RDF.type, EK.election, EK.contestant, EK.seatsWon, EK.previousSeats)
_SLICE_FIGURES = (EK.seatsWon, EK.previousSeats, EK.seatsContested)
_SLICE_STATEMENT = (RDF.type, RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom)
_SLICE_EXCERPT = (RDF.type, EK.exactText, EK.lineNumber, EK.excerptOf)


def corpus_slice(graph: Graph, ontology: Graph) -> Graph:
    """What the corpus rules read of one article: its elections (and their neighbours), results,
    contestants' labels, and the statements and excerpts of the seat figures."""
    kinds = set(ontology.transitive_subjects(RDFS.subClassOf, EK.Election))
    out = Graph()

    def keep(node: Node, predicates: tuple[URIRef, ...]) -> None:
        for predicate in predicates:
            for obj in graph.objects(node, predicate):
                out.add((node, predicate, obj))

    elections = {s for kind in kinds for s in graph.subjects(RDF.type, kind)}
    for election in elections:
        keep(election, _SLICE_ELECTION)
    for result in set(graph.subjects(RDF.type, EK.ElectionResult)):
        keep(result, _SLICE_RESULT)
        for contestant in graph.objects(result, EK.contestant):
            keep(contestant, (RDFS.label,))
    for predicate in _SLICE_FIGURES:
        for statement in set(graph.subjects(RDF.predicate, predicate)):
            keep(statement, _SLICE_STATEMENT)
            for excerpt in graph.objects(statement, PROV.wasDerivedFrom):
                keep(excerpt, _SLICE_EXCERPT)
    return out


def corpus_check(slices: list[str], shapes: Graph, ontology: Graph) -> list[Finding]:
    """The corpus rules over every article's slice at once, in pyoxigraph.

    Each rule is a node shape with sh:targetClass and SPARQL constraints (SHACL-SPARQL); SHACL
    defines a constraint's results as its SELECT's solutions with $this pre-bound to each focus
    node, which are the solutions of the same query with $this free, restricted to the targets.
    So each query runs once over the corpus instead of once per election and pair of articles, in
    a store that also holds the ontology (for the subclasses of the target class).
    """
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(ontology.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    store.bulk_load("".join(slices).encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    found: list[Finding] = []
    for shape in CORPUS_RULES:
        severity = shapes.value(shape, SH.severity) or SH.Violation
        target = shapes.value(shape, SH.targetClass)
        for constraint in shapes.objects(shape, SH.sparql):
            select = str(shapes.value(constraint, SH.select))
            prologue = "".join(
                f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
                for prefixes in shapes.objects(constraint, SH.prefixes)
                for d in shapes.objects(prefixes, SH.declare)
            )
            query = prologue + select.replace("$this", "?this")
            targets = {
                str(row["this"].value)
                for row in store.query(
                    f"SELECT DISTINCT ?this WHERE {{ ?this a/<{RDFS.subClassOf}>* <{target}> }}"
                )
            }
            template = shapes.value(constraint, SH.message)
            solutions = store.query(query)
            variables = [v.value for v in solutions.variables]
            for row in solutions:
                bound = {name: row[name] for name in variables if row[name] is not None}
                focus = bound.get("this")
                if focus is None or focus.value not in targets:
                    continue
                found.append(
                    Finding(
                        severity=severity,
                        focus=_term(focus),
                        path=_term(bound["path"]) if "path" in bound else None,
                        value=_term(bound["value"]) if "value" in bound else None,
                        message=_message(template, bound),
                        shape=shape,
                        component=SH.SPARQLConstraintComponent,
                        constraint=constraint,
                    )
                )
    return sorted(set(found), key=Finding.sort_key)


def _term(term: Any) -> Node:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(
            term.value, datatype=None if datatype == str(XSD_STRING) else URIRef(datatype)
        )
    return BNode(term.value)


XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


def _message(template: Node | None, bound: dict[str, Any]) -> Literal:
    """The constraint's message with each {?name} (or {$name}) replaced by the row's value."""
    if template is None:
        return Literal("(the shape gives no message)")
    text = str(template)
    for name, value in bound.items():
        shown = str(_term(value))
        text = text.replace("{?" + name + "}", shown).replace("{$" + name + "}", shown)
    language = template.language if isinstance(template, Literal) else None
    return Literal(text, lang=language) if language else Literal(text)
