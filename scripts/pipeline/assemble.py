"""Read every source with its curated facts and links into one dataset: the graph before any check.

`assemble` is the part of the pipeline the validator and the benchmarks share with the build; the
build (`build.py`) adds the SHACL gate and publishes the dumps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from election_kg.common import iris
from election_kg.pipeline.article import Article, read_article
from election_kg.pipeline.curated import add_curated, apply_directions
from election_kg.pipeline.errors import BuildError, SourceError
from election_kg.pipeline.graph import add_election
from election_kg.pipeline.infobox import read_election
from election_kg.pipeline.links import add_links
from election_kg.pipeline.provenance import SourceWriter

ROOT = Path(".")
"""The default project folder (ontology/, shapes/, data/): the current directory, as `--root` says."""


@dataclass(frozen=True)
class BuildSettings:
    """Where the pipeline reads and writes, and the base IRI of what it publishes."""

    root: Path = ROOT
    base: str = iris.CANONICAL_BASE
    validate: bool = True

    @property
    def sources(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def curated(self) -> Path:
        return self.root / "data" / "curated"

    @property
    def links(self) -> Path:
        return self.root / "data" / "links"

    @property
    def dist(self) -> Path:
        return self.root / "data" / "dist"

    @property
    def builds(self) -> Path:
        return self.root / "data" / ".builds"

    @property
    def ontology(self) -> Path:
        return self.root / "ontology" / "election.ttl"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes" / "election.ttl"


@dataclass
class BuiltGraph:
    dataset: Dataset
    union: Graph
    ontology: Graph
    articles: list[Article] = field(default_factory=list)


def assemble(settings: BuildSettings) -> BuiltGraph:
    """Read every source with its curated facts and links into one dataset (canonical base)."""
    ontology = Graph().parse(settings.ontology, format="turtle")
    paths = sorted(settings.sources.glob("*.txt"))
    if not paths:
        raise BuildError(f"no articles (*.txt) in {settings.sources}")
    dataset = Dataset()
    built = BuiltGraph(dataset, Graph(), ontology)
    elections: dict[URIRef, Path] = {}
    for path in paths:
        article = read_article(path)
        record = read_election(article)
        writer = SourceWriter(dataset.graph(iris.graph(article.stem)), article)
        election = iris.election(article.title)
        if election in elections:
            raise SourceError(
                path,
                article.title_span.line,
                None,
                f"the election {article.title!r} is already described by {elections[election].name}",
            )
        elections[election] = path
        add_election(writer, record)
        curated = settings.curated / f"{path.stem}.ttl"
        if curated.exists():
            add_curated(writer, curated, ontology)
        apply_directions(writer)
        built.articles.append(article)
    orphans = sorted(
        p.name
        for p in settings.curated.glob("*.ttl")
        if not (settings.sources / f"{p.stem}.txt").exists()
    )
    if orphans:
        raise BuildError(
            f"curated files without a source article in {settings.sources}: {', '.join(orphans)}"
        )
    for graph in dataset.graphs():
        built.union += graph
    links = dataset.graph(iris.graph("links"))
    for path in sorted(settings.links.glob("*.ttl")):
        add_links(links, path, built.union)
    built.union += links
    return built


def rebased(built: BuiltGraph, base: str) -> BuiltGraph:
    if base == iris.CANONICAL_BASE:
        return built

    def move(term: Any) -> Any:
        return URIRef(iris.rebase(str(term), base)) if isinstance(term, URIRef) else term

    dataset = Dataset()
    for s, p, o, g in built.dataset.quads((None, None, None, None)):
        dataset.graph(move(g.identifier if hasattr(g, "identifier") else g)).add(
            (move(s), move(p), move(o))
        )
    union = Graph()
    for triple in built.union:
        union.add(tuple(move(t) for t in triple))  # type: ignore[arg-type]
    return BuiltGraph(dataset, union, built.ontology, built.articles)
