"""The pipeline: sources -> records -> graph -> (validation gate) -> dumps in data/dist/.

Nothing is published unless every step succeeds: the dumps are written to a staging folder
under data/.builds/ and data/dist (a symlink) is switched to it only at the end.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from scripts import dumps, iris
from scripts import offline as _offline  # noqa: F401 - rdflib's SPARQL (the SHACL gate's) never loads FROM graphs in a build
from scripts.article import Article, read_article
from scripts.curated import add_curated, apply_directions
from scripts.election_graph import add_election
from scripts.errors import BuildError, SourceError
from scripts.infobox import read_election
from scripts.links import add_links
from scripts.provenance import SourceWriter
from scripts.vocabgen import NAMESPACE

ROOT = Path(__file__).resolve().parent.parent


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
            raise SourceError(path, article.title_span.line, None,
                              f"the election {article.title!r} is already described by {elections[election].name}")
        elections[election] = path
        add_election(writer, record)
        curated = settings.curated / f"{path.stem}.ttl"
        if curated.exists():
            add_curated(writer, curated, ontology)
        apply_directions(writer)
        built.articles.append(article)
    orphans = sorted(p.name for p in settings.curated.glob("*.ttl") if not (settings.sources / f"{p.stem}.txt").exists())
    if orphans:
        raise BuildError(f"curated files without a source article in {settings.sources}: {', '.join(orphans)}")
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
        dataset.graph(move(g.identifier if hasattr(g, "identifier") else g)).add((move(s), move(p), move(o)))
    union = Graph()
    for triple in built.union:
        union.add(tuple(move(t) for t in triple))  # type: ignore[arg-type]
    return BuiltGraph(dataset, union, built.ontology, built.articles)


def build(settings: BuildSettings, log: Any = print) -> dict[str, Any]:
    """Build and publish; raise BuildError (nothing published) on any problem."""
    started = time.perf_counter()
    built = assemble(settings)
    extra = {"ontology.ttl": settings.ontology.read_text(encoding="utf-8")}
    if settings.validate:
        from scripts.validate import gate  # here, not at the top: validate imports this module

        extra.update(gate(built, settings, log))
    published = rebased(built, settings.base)
    extra = {name: text.replace(iris.CANONICAL_BASE, settings.base) for name, text in extra.items()}
    settings.builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="tmp-", dir=settings.builds))
    staging.rmdir()
    try:
        manifest = dumps.write_dumps(published.dataset, published.union, staging, settings.base,
                                     iris.rebase(NAMESPACE, settings.base), extra)
        dumps.publish(staging, settings.dist)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log(f"built {manifest['triples']} triples from {len(built.articles)} article(s) in "
        f"{time.perf_counter() - started:.2f} s; data version {manifest['dataVersion']} -> {settings.dist}")
    return manifest
