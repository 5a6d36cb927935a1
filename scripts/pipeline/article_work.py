"""One article's share of a build: read, model and check it, in a process of its own.

The result (`ArticleWork`) is all the rest of the build needs of the article, so it is what the
work cache keeps, under a key made of the article's text, its curated file, the ontology, the
shapes, the base and the code (`code_version`).
"""

from __future__ import annotations

import functools
import hashlib
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import DCAT, RDF, Dataset, Graph, URIRef

from election_kg.common import iris, offline
from election_kg.pipeline.assemble import BuildSettings, read_source, rebase_dataset
from election_kg.pipeline.errors import SourceError
from election_kg.validation import report, shacl
from election_kg.validation.report import SH, Finding

CACHE_FORMAT = "1"
CODE_FOLDERS = ("pipeline", "validation", "common")


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code and data files of the packages that turn an article into its graph
    and check it (every file of pipeline/, validation/ and common/, the key table included)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for folder in CODE_FOLDERS:
        for path in sorted((package / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(package)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def digest(*parts: bytes | str) -> str:
    """A cache key of several inputs, each hashed on its own so that no two splits collide."""
    whole = hashlib.sha256()
    for part in parts:
        raw = part.encode("utf-8") if isinstance(part, str) else part
        whole.update(hashlib.sha256(raw).digest())
    return whole.hexdigest()


def shacl_digest(settings: BuildSettings) -> str:
    """The key of everything a check depends on besides the checked text."""
    return digest(code_version(), settings.ontology.read_bytes(), settings.shapes.read_bytes())


@dataclass
class ArticleWork:
    """Everything a build needs of one article, computed by one process and cached."""

    name: str
    stem: str
    error: tuple[int | None, str | None, str, str] | None = None
    """(line, key, problem, file) of a SourceError: the article is quarantined."""
    title: str = ""
    title_line: int | None = None
    election: str = ""
    canonical: list[str] = field(default_factory=list)
    """N-Quads lines of the article's named graph under the canonical base (sorted)."""
    published: list[str] | None = None
    """The same under the published base (None: the base is the canonical one)."""
    subjects: frozenset[str] = frozenset()
    slice: str = ""
    """N-Triples of what the corpus rules read of the article (shacl.corpus_slice)."""
    findings: list[Finding] = field(default_factory=list)
    violations: str = ""
    """The readable report of the article's Violations, if any (it is then quarantined)."""

    @property
    def lines(self) -> list[str]:
        return self.published if self.published is not None else self.canonical


@dataclass(frozen=True)
class ArticleJob:
    """What a process needs to do one article's work: paths and options, nothing unpicklable."""

    path: Path
    curated: Path | None
    ontology: Path
    shapes: Path
    base: str
    validate: bool
    datasets: str = ""
    """N-Triples of the evidence datasets the links files describe: a curated evidence record may
    cite one (ek:inDataset), and the article's check must see that it is a dcat:Dataset."""


def evidence_datasets(settings: BuildSettings) -> str:
    """The dcat:Dataset descriptions of data/links/*.ttl, as sorted N-Triples."""
    links = Graph()
    for path in sorted(settings.links.glob("*.ttl")):
        links.parse(path, format="turtle")
    kept = Graph()
    for dataset in links.subjects(RDF.type, DCAT.Dataset):
        for triple in links.triples((dataset, None, None)):
            kept.add(triple)
    return "".join(sorted(kept.serialize(format="nt").splitlines(keepends=True)))


def ontology(path: Path) -> Graph:
    """The ontology, parsed once per process and file content."""
    return _ontology(path, _file_digest(path))


def shapes(path: Path) -> tuple[Graph, Graph]:
    """(article shapes, corpus shapes), parsed once per process and file content."""
    return _shapes(path, _file_digest(path))


@functools.lru_cache(maxsize=4)
def _ontology(path: Path, digest: str) -> Graph:
    return shacl.load_ontology(path)


@functools.lru_cache(maxsize=4)
def _shapes(path: Path, digest: str) -> tuple[Graph, Graph]:
    return shacl.split_shapes(shacl.load_shapes(path))


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sorted_nquads(dataset: Dataset) -> list[str]:
    return sorted({line for line in dataset.serialize(format="nquads").splitlines() if line})


def article_work(job: ArticleJob) -> ArticleWork:
    """Read, model and check one article; a SourceError becomes a quarantine record."""
    offline.configure()
    work = ArticleWork(job.path.name, job.path.stem)
    checked_against = ontology(job.ontology)
    try:
        dataset = Dataset()
        article, graph = read_source(job.path, job.curated, checked_against, dataset)
    except SourceError as exc:
        work.error = (exc.line, exc.key, exc.problem, str(exc.path))
        return work
    except Exception as exc:  # a reader bug must not stop the other articles; --strict fails on it
        last = traceback.extract_tb(exc.__traceback__)[-1]
        problem = f"the pipeline failed on this article: {type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"
        work.error = (None, None, problem, str(job.path))
        return work
    work.title, work.title_line = article.title, article.title_span.line
    work.election = str(iris.election(article.title))
    work.canonical = _sorted_nquads(dataset)
    if job.base != iris.CANONICAL_BASE:
        work.published = _sorted_nquads(rebase_dataset(dataset, job.base))
    work.subjects = frozenset(str(s) for s in graph.subjects() if isinstance(s, URIRef))
    if job.validate:
        article_shapes, _ = shapes(job.shapes)
        checked = graph + Graph().parse(data=job.datasets, format="nt") if job.datasets else graph
        work.findings = shacl.check(checked, article_shapes, checked_against).findings
        violations = [f for f in work.findings if f.severity == SH.Violation]
        if violations:
            work.violations = report.readable(violations, graph, "validation")
        work.slice = shacl.corpus_slice(graph, checked_against).serialize(format="nt")
    return work


def check_links(job: tuple[str, Path, Path]) -> list[Finding]:
    """Check N-Triples text (the links with the articles they link) with the article rules."""
    text, ontology_path, shapes_path = job
    offline.configure()
    graph = Graph().parse(data=text, format="nt")
    article_shapes, _ = shapes(shapes_path)
    return shacl.check(graph, article_shapes, ontology(ontology_path)).findings
