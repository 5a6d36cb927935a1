"""Read every source with its curated facts and links into one dataset: the graph before any check.

`assemble` is the part of the pipeline the validator and the benchmarks share with the build; the
build (`build.py`, `article_work.py`) adds the SHACL gate and publishes the dumps.
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
    strict: bool = False
    """Any quarantined article fails the build (nothing is published)."""
    workers: int | None = None
    """Processes for the per-article work (None: os.cpu_count(); 1: in this process)."""

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
    def cache(self) -> Path:
        return self.root / "data" / ".cache"

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


def read_source(
    path: Path, curated: Path | None, ontology: Graph, dataset: Dataset | None = None
) -> tuple[Article, Graph]:
    """One article (and its curated facts) into its own named graph of `dataset`: the per-article
    work of a build, which depends on nothing but these files. Raises SourceError."""
    article = read_article(path)
    record = read_election(article)
    dataset = dataset if dataset is not None else Dataset()
    writer = SourceWriter(dataset.graph(iris.graph(article.stem)), article)
    add_election(writer, record)
    if curated is not None and curated.exists():
        add_curated(writer, curated, ontology)
    apply_directions(writer)
    return article, writer.graph


def curated_of(settings: BuildSettings, path: Path) -> Path:
    return settings.curated / f"{path.stem}.ttl"


def source_paths(settings: BuildSettings) -> list[Path]:
    """The articles of the build, in order; BuildError if there are none or a curated file has no article."""
    paths = sorted(settings.sources.glob("*.txt"))
    if not paths:
        raise BuildError(f"no articles (*.txt) in {settings.sources}")
    orphans = sorted(
        p.name
        for p in settings.curated.glob("*.ttl")
        if not (settings.sources / f"{p.stem}.txt").exists()
    )
    if orphans:
        raise BuildError(
            f"curated files without a source article in {settings.sources}: {', '.join(orphans)}"
        )
    return paths


def duplicate_election(path: Path, article: Article, first: Path) -> SourceError:
    return SourceError(
        path,
        article.title_span.line,
        None,
        f"the election {article.title!r} is already described by {first.name}",
    )


def assemble(settings: BuildSettings) -> BuiltGraph:
    """Read every source with its curated facts and links into one dataset (canonical base);
    the first malformed article raises SourceError (the build quarantines instead: quarantine.py)."""
    ontology = Graph().parse(settings.ontology, format="turtle")
    paths = source_paths(settings)
    dataset = Dataset()
    built = BuiltGraph(dataset, Graph(), ontology)
    elections: dict[URIRef, Path] = {}
    for path in paths:
        article = read_article(path)
        election = iris.election(article.title)
        if election in elections:
            raise duplicate_election(path, article, elections[election])
        read_source(path, curated_of(settings, path), ontology, dataset)
        elections[election] = path
        built.articles.append(article)
    for graph in dataset.graphs():
        built.union += graph
    links = dataset.graph(iris.graph("links"))
    for path in sorted(settings.links.glob("*.ttl")):
        add_links(links, path, built.union)
    built.union += links
    return built


def _mover(base: str) -> Any:
    def move(term: Any) -> Any:
        return URIRef(iris.rebase(str(term), base)) if isinstance(term, URIRef) else term

    return move


def rebase_dataset(source: Dataset, base: str) -> Dataset:
    """The same quads with every IRI under `base` instead of the canonical base."""
    move = _mover(base)
    dataset = Dataset()
    for s, p, o, g in source.quads((None, None, None, None)):
        dataset.graph(move(g.identifier if hasattr(g, "identifier") else g)).add(
            (move(s), move(p), move(o))
        )
    return dataset
