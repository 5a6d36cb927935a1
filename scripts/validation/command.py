"""`election-kg validate [PATH]`: check a published file, or the graph the sources make, and say why.

Prints the readable report, writes the W3C report (Turtle and JSON-LD) into a folder git ignores
(never into data/dist/, whose manifest lists the build's own report), and exits 0 when there is no
Violation, 1 when there is one and 2 when validation could not run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rdflib import RDF, Dataset, Graph, URIRef

from election_kg.common import formats, iris
from election_kg.common.cli_options import root_option
from election_kg.pipeline.assemble import BuildSettings, assemble
from election_kg.pipeline.errors import BuildError
from election_kg.validation import report
from election_kg.validation.shacl import Outcome, check, load_ontology, load_shapes

EXIT_CONFORMS, EXIT_VIOLATION, EXIT_CANNOT_RUN = 0, 1, 2
_SOURCE_CLASS = "ontology#SourceDocument"


class InputError(Exception):
    """The file to validate is missing, of an unknown format, or does not parse."""


def read_graph(path: Path) -> tuple[Graph, str]:
    """An RDF file as one graph (quads formats are merged) under the canonical base, and the base
    it was published under."""
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    fmt = formats.BY_EXTENSION.get(path.suffix.lstrip(".").lower())
    if fmt is None:
        known = ", ".join(f".{f.extension}" for f in formats.ALL)
        raise InputError(
            f"{path}: unknown RDF format {path.suffix or '(no extension)'!r}; use one of {known}"
        )
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
            return str(cls)[: -len(_SOURCE_CLASS)]
    return iris.CANONICAL_BASE


def canonical(graph: Graph, base: str) -> Graph:
    """Undo a build's --base: the shapes name classes and IRI patterns under the canonical base."""
    if base == iris.CANONICAL_BASE:
        return graph

    def move(term: Any) -> Any:
        if isinstance(term, URIRef) and str(term).startswith(base):
            return URIRef(iris.CANONICAL_BASE + str(term)[len(base) :])
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
    for name, text in (
        ("validation.ttl", outcome.turtle()),
        ("validation.jsonld", outcome.jsonld()),
    ):
        (folder / name).write_text(text.replace(iris.CANONICAL_BASE, base), encoding="utf-8")
        written.append(folder / name)
    return written


@click.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
@root_option()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for validation.ttl and validation.jsonld  [default: ROOT/data/validation]",
)
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
            data, ontology, title = (
                built.union,
                built.ontology,
                f"validation of the graph built from {settings.sources}",
            )
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
