"""Check a graph against shapes/election.ttl: the gate of every build and `election-kg validate`.

pySHACL runs with the ontology as its ont_graph and no inference: the ontology's subclass axioms
are mixed into (a copy of) the data graph, which is all the shapes need, and RDFS inference would
multiply the run time for nothing (see scripts/bench_validate.py). Validation happens only here,
at build time or on the command line, never while a request is served (pySHACL patches rdflib
globals while it loads shapes).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result

from scripts import formats, iris, report
from scripts.build import ROOT, BuildSettings, BuiltGraph, assemble
from scripts.errors import BuildError
from scripts.report import SH, Finding

EXIT_CONFORMS, EXIT_VIOLATION, EXIT_CANNOT_RUN = 0, 1, 2


class ShapesError(BuildError):
    """The shapes file is missing, is not Turtle, or is not valid SHACL: nothing can be checked."""


class InputError(Exception):
    """The file to validate is missing, of an unknown format, or does not parse."""


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

    def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql", initNs: Any = None,
              initBindings: Any = None, use_store_provided: bool = True, **kwargs: Any) -> Result:
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


@functools.lru_cache(maxsize=256)
def _prepared(text: str) -> Any:
    return prepareQuery(text)


def load_shapes(path: Path) -> Graph:
    """The shapes graph, or ShapesError if it is missing or not Turtle."""
    if not path.is_file():
        raise ShapesError(f"no shapes file at {path}")
    try:
        shapes = Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several types; all mean a broken file
        raise ShapesError(f"{path} is not valid Turtle: {exc}") from exc
    return shapes


def meta_validate(shapes: Graph) -> tuple[bool, str]:
    """Check a shapes graph against the W3C SHACL-for-SHACL shapes (about 2 s: tests do it, not every build)."""
    from pyshacl.entrypoints import meta_validate as shacl_shacl

    conforms, _, text = shacl_shacl(shapes, inference="none")
    return conforms, text


def load_ontology(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except OSError:
        raise
    except Exception as exc:  # rdflib raises several types; all mean a broken file
        raise ShapesError(f"{path} is not valid Turtle: {exc}") from exc


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
        _, results, _ = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology, inference=inference, inplace=True,
                                         advanced=True, allow_warnings=True, allow_infos=True)
    except ReportableRuntimeError as exc:  # a shape pySHACL cannot load or run
        raise ShapesError(f"the shapes cannot be used: {exc.message}") from exc
    return Outcome(report.findings(results, shapes), time.perf_counter() - started)


def gate(built: BuiltGraph, settings: BuildSettings, log: Callable[[str], Any]) -> dict[str, str]:
    """The build's gate: raise ValidationFailed on any Violation; otherwise return the files to
    publish beside the data (the shapes and the report, under the canonical base)."""
    shapes = load_shapes(settings.shapes)
    outcome = check(built.union, shapes, built.ontology)
    if not outcome.conforms:
        raise ValidationFailed(report.readable(outcome.findings, built.union, "validation"))
    log(_summary(outcome))
    for finding in outcome.findings:
        log(f"  {report.severity_name(finding.severity).lower()}: <{finding.focus}> {_shorten(str(finding.message), 100)}")
    return {
        "shapes.ttl": settings.shapes.read_text(encoding="utf-8"),
        "validation.ttl": outcome.turtle(),
        "validation.jsonld": outcome.jsonld(),
    }


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _summary(outcome: Outcome) -> str:
    counts = ", ".join(f"{report.count(outcome.findings, s)} {report.severity_name(s).lower()}(s)" for s in report.SEVERITIES)
    return f"validated in {outcome.seconds:.2f} s: {counts}"


def read_graph(path: Path) -> tuple[Graph, str]:
    """An RDF file as one graph (quads formats are merged) under the canonical base, and the base
    it was published under."""
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    fmt = formats.BY_EXTENSION.get(path.suffix.lstrip(".").lower())
    if fmt is None:
        known = ", ".join(f".{f.extension}" for f in formats.ALL)
        raise InputError(f"{path}: unknown RDF format {path.suffix or '(no extension)'!r}; use one of {known}")
    try:
        if fmt.quads:
            dataset = Dataset()
            dataset.parse(path, format=fmt.rdflib)
            graph = Graph()
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph = Graph().parse(path, format=fmt.rdflib)
    except Exception as exc:  # each rdflib parser raises its own types; all mean a broken file
        raise InputError(f"{path} is not valid {fmt.name}: {exc}") from exc
    base = published_base(graph)
    return canonical(graph, base), base


def published_base(graph: Graph) -> str:
    """The base a graph was published under, read off the IRI of its source documents' class."""
    for cls in graph.objects(None, RDF.type):
        if str(cls).endswith(_SOURCE_CLASS):
            return str(cls)[:-len(_SOURCE_CLASS)]
    return iris.CANONICAL_BASE


_SOURCE_CLASS = "ontology#SourceDocument"


def canonical(graph: Graph, base: str) -> Graph:
    """Undo a build's --base: the shapes name classes and IRI patterns under the canonical base."""
    if base == iris.CANONICAL_BASE:
        return graph

    def move(term: Any) -> Any:
        if isinstance(term, URIRef) and str(term).startswith(base):
            return URIRef(iris.CANONICAL_BASE + str(term)[len(base):])
        return term

    out = Graph()
    for triple in graph:
        out.add(tuple(move(t) for t in triple))  # type: ignore[arg-type]
    return out


def write_reports(outcome: Outcome, folder: Path, base: str = iris.CANONICAL_BASE) -> list[Path]:
    """Write validation.ttl and validation.jsonld (under `base`) into `folder`, which git is told to ignore."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# written by `election-kg validate`\n*\n", encoding="utf-8")
    written = []
    for name, text in (("validation.ttl", outcome.turtle()), ("validation.jsonld", outcome.jsonld())):
        (folder / name).write_text(text.replace(iris.CANONICAL_BASE, base), encoding="utf-8")
        written.append(folder / name)
    return written


@click.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=ROOT, show_default=True,
              help="Project folder holding ontology/, shapes/ and data/.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for validation.ttl and validation.jsonld  [default: ROOT/data/validation]")
def validate_command(path: Path | None, root: Path, out: Path | None) -> None:
    """Check PATH (.ttl, .nt, .nq, .jsonld, .trig, .rdf), or the graph built from data/sources/, against shapes/election.ttl.

    A file published with another --base is moved back to the canonical base first. Exits 0 when
    there is no Violation, 1 when there is one, 2 when validation could not run.
    """
    settings = BuildSettings(root=root)
    try:
        shapes = load_shapes(settings.shapes)
        base = iris.CANONICAL_BASE
        if path is None:
            built = assemble(settings)
            data, ontology, title = built.union, built.ontology, f"validation of the graph built from {settings.sources}"
        else:
            data, base = read_graph(path)
            ontology = load_ontology(settings.ontology)
            title = f"validation of {path}"
        outcome = check(data, shapes, ontology)
        written = write_reports(outcome, out or root / "data" / "validation", base)
    except (BuildError, InputError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        click.echo("validation could not run", err=True)
        raise SystemExit(EXIT_CANNOT_RUN) from exc
    text = report.readable(outcome.findings, data, f"{title} ({outcome.seconds:.2f} s)")
    click.echo(text.replace(iris.CANONICAL_BASE, base), nl=False)
    click.echo(f"wrote {', '.join(str(p) for p in written)}")
    raise SystemExit(EXIT_CONFORMS if outcome.conforms else EXIT_VIOLATION)
