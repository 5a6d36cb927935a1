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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result

from election_kg.common import iris
from election_kg.common.offline import offline
from election_kg.pipeline.assemble import BuildSettings, BuiltGraph
from election_kg.pipeline.curated import load_curated
from election_kg.pipeline.errors import BuildError
from election_kg.validation import report
from election_kg.validation.report import SH, Finding


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


def gate(built: BuiltGraph, settings: BuildSettings, log: Callable[[str], Any]) -> dict[str, str]:
    """The build's gate: raise ValidationFailed on any Violation; otherwise return the files to
    publish beside the data (the shapes and the report, under the canonical base)."""
    shapes = load_shapes(settings.shapes)
    outcome = check(built.union, shapes, built.ontology)

    def published(text: str) -> str:  # what the person reads names the IRIs they will publish
        return text.replace(iris.CANONICAL_BASE, settings.base)

    if not outcome.conforms:
        raise ValidationFailed(
            published(report.readable(outcome.findings, built.union, "validation"))
        )
    log(_summary(outcome))
    for finding in outcome.findings:
        log(
            published(
                f"  {report.severity_name(finding.severity).lower()}: <{finding.focus}> {_shorten(str(finding.message), 100)}"
            )
        )
    return {
        "shapes.ttl": settings.shapes.read_text(encoding="utf-8"),
        "validation.ttl": outcome.turtle(),
        "validation.jsonld": outcome.jsonld(),
    }


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summary(outcome: Outcome) -> str:
    counts = ", ".join(
        f"{report.count(outcome.findings, s)} {report.severity_name(s).lower()}(s)"
        for s in report.SEVERITIES
    )
    return f"validated in {outcome.seconds:.2f} s: {counts}"
