"""The pipeline: sources -> records -> graph -> (validation gate) -> dumps in data/dist/.

Each article is read, turned into its named graph and checked against the shapes on its own
(`article_work`), in parallel across processes, and the result is cached in data/.cache/ under a
key made of the article's text, its curated file, the ontology, the shapes, the base and the code
(`code_version`). An article that is malformed (SourceError) or whose graph breaks a rule of
severity Violation is quarantined: it is not published, and the build output and the published
validation report name it with its file, line, key and problem. Every other article is published.
The rules that compare two articles (`shacl.CORPUS_RULES`) then run once over what every
published article says of its elections and results (`shacl.corpus_check`). `--strict` turns any quarantine into a failed build.

Nothing is published unless every step succeeds: the dumps are written to a staging folder
under data/.builds/ and data/dist (a symlink) is switched to it only at the end. The output is
the same, byte for byte, whatever the number of processes and whatever was cached.
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from rdflib import DCAT, FOAF, RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef

from election_kg.common import iris, offline
from election_kg.common.vocab import EK
from election_kg.common.vocabgen import NAMESPACE
from election_kg.pipeline import dumps
from election_kg.pipeline.article import read_article
from election_kg.pipeline.assemble import (
    BuildSettings,
    curated_of,
    duplicate_election,
    read_source,
    rebase_dataset,
    source_paths,
)
from election_kg.pipeline.dumps import ntriples_of
from election_kg.pipeline.errors import BuildError, SourceError
from election_kg.pipeline.links import add_links
from election_kg.validation import report, shacl
from election_kg.validation.report import SH, Finding

CACHE_FORMAT = "1"
CODE_FOLDERS = ("pipeline", "validation", "common")


class Quarantined(BuildError):
    """`--strict`: an article was quarantined, so nothing is published."""


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


def _digest(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        raw = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()


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
class _Job:
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


def article_work(job: _Job) -> ArticleWork:
    """Read, model and check one article; a SourceError becomes a quarantine record."""
    offline.configure()
    work = ArticleWork(job.path.name, job.path.stem)
    ontology = _ontology(job.ontology, _file_digest(job.ontology))
    try:
        dataset = Dataset()
        article, graph = read_source(job.path, job.curated, ontology, dataset)
    except SourceError as exc:
        work.error = (exc.line, exc.key, exc.problem, str(exc.path))
        return work
    except Exception as exc:  # a reader bug must not stop the other articles; --strict fails on it
        last = traceback.extract_tb(exc.__traceback__)[-1]
        problem = f"the pipeline failed on this article: {type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"
        work.error = (None, None, problem, str(job.path))
        return work
    work.title, work.title_line = article.title, article.title_span.line
    election = iris.election(article.title)
    work.election = str(election)
    work.canonical = _sorted_nquads(dataset)
    if job.base != iris.CANONICAL_BASE:
        work.published = _sorted_nquads(rebase_dataset(dataset, job.base))
    work.subjects = frozenset(str(s) for s in graph.subjects() if isinstance(s, URIRef))
    if job.validate:
        article_shapes, _ = _shapes(job.shapes, _file_digest(job.shapes))
        checked = graph + Graph().parse(data=job.datasets, format="nt") if job.datasets else graph
        work.findings = shacl.check(checked, article_shapes, ontology).findings
        violations = [f for f in work.findings if f.severity == SH.Violation]
        if violations:
            work.violations = report.readable(violations, graph, "validation")
        work.slice = shacl.corpus_slice(graph, ontology).serialize(format="nt")
    return work


class _Progress:
    """`articles done/total` on one terminal line, redrawn; silent unless asked and on a TTY."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.last = 0.0

    def step(self, label: str = "articles") -> None:
        self.done += 1
        now = time.monotonic()
        if self.stream is not None and (now - self.last > 0.1 or self.done == self.total):
            self.last = now
            self.stream.write(f"\r  {label} {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


class _Cache:
    """Pickled results under data/.cache/<kind>/<key>.pickle, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / f"{key}.pickle"

    def get(self, kind: str, key: str) -> Any:
        path = self._path(kind, key)
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (self.folder / ".gitignore").exists():
            (self.folder / ".gitignore").write_text("# election-kg build cache\n*\n")
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)


def _run(
    function: Callable[[Any], Any],
    jobs: dict[str, Any],
    cache: _Cache,
    kind: str,
    workers: int,
    progress: _Progress,
) -> dict[str, Any]:
    """function(job) for each key's job, from the cache where it is there, else in `workers` processes."""
    results: dict[str, Any] = {}
    missing = []
    for key in jobs:
        found = cache.get(kind, key)
        if found is None:
            missing.append(key)
        else:
            results[key] = found
            progress.step()
    if workers > 1 and len(missing) > 1:
        with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, len(missing))) as pool:
            futures = {pool.submit(function, jobs[key]): key for key in missing}
            for future in concurrent.futures.as_completed(futures):
                key = futures[future]
                results[key] = future.result()
                cache.put(kind, key, results[key])  # kept even if the build is then interrupted
                progress.step()
    else:
        for key in missing:
            results[key] = function(jobs[key])
            cache.put(kind, key, results[key])
            progress.step()
    return results


@dataclass
class _Quarantine:
    name: str
    stem: str
    text: str  # for the build output: `file:line: key 'K': problem`
    findings: list[Finding]


def _where(sources: str, file: str, line: int | None, key: str | None, problem: str) -> str:
    """`data/sources/X.txt:12: key 'K': problem`, the file named from the project folder."""
    return (
        _relative(Path(file), sources)
        + (f":{line}" if line else "")
        + ": "
        + (f"key {key!r}: " if key else "")
        + problem
    )


def _quarantine_finding(
    stem: str, message: str, value: Any = None, constraint: Any = None
) -> Finding:
    return Finding(
        severity=SH.Violation,
        focus=iris.source(stem),
        path=None,
        value=value,
        message=Literal(message, lang="en"),
        shape=report.QUARANTINE_SHAPE,
        component=report.QUARANTINE_COMPONENT,
        constraint=constraint,
    )


def _source_quarantine(work: ArticleWork, sources: str, error: tuple[Any, ...]) -> _Quarantine:
    line, key, problem, file = error
    text = _where(sources, file, line, key, problem)
    message = f"Not published: {text}"
    return _Quarantine(
        work.name,
        work.stem,
        text,
        [_quarantine_finding(work.stem, message, Literal(key) if key else None)],
    )


def _shacl_quarantine(work: ArticleWork, sources: str, violations: list[Finding]) -> _Quarantine:
    findings = []
    texts = []
    for finding in violations:
        path = f" {report.compact(finding.path)}" if finding.path is not None else ""
        what = (
            f"breaks {report.compact(finding.shape)} at <{finding.focus}>{path}: {finding.message}"
        )
        texts.append(what)
        findings.append(
            _quarantine_finding(
                work.stem,
                f"Not published: {sources}/{work.name}: {what}",
                finding.focus,
                finding.shape,
            )
        )
    detail = work.violations or "".join(f"- {text}\n" for text in texts)
    text = f"{sources}/{work.name}: the graph does not pass validation (shapes/election.ttl)\n"
    return _Quarantine(work.name, work.stem, text + detail.rstrip("\n"), findings)


def _relative(path: Path, sources: str) -> str:
    """A file of the project as `data/<folder>/<name>` (sources being `data/sources`)."""
    return f"{sources.split('/', 1)[0]}/{path.parent.name}/{path.name}"


_NAMING = tuple(
    f"<{p}>" for p in (RDFS.label, SKOS.altLabel, FOAF.name, EK.country, EK.contestant, EK.election)
)


class _Described(Graph):
    """What add_links reads of the articles: their names, countries and results (a graph of just
    those triples), and which subjects some article describes."""

    def __init__(self, lines: list[str], subjects: set[str]) -> None:
        super().__init__()
        wanted = [line for line in ntriples_of(lines) if any(p in line for p in _NAMING)]
        if wanted:
            self.parse(data="\n".join(wanted), format="nt")
        self.described = subjects

    def __contains__(self, triple: Any) -> bool:
        s, p, o = triple
        if p is None and o is None:  # "is this subject described by some article?"
            return str(s) in self.described
        return super().__contains__(triple)


def _links(
    settings: BuildSettings, works: list[ArticleWork], quarantined: set[str], log: Any
) -> Graph:
    """The links graph. Links whose subject only a quarantined article describes are left out;
    so, when an article could not be read at all, are links whose subject no article describes."""
    published: set[str] = set()
    every: set[str] = set()
    for work in works:
        if work.error is None:
            every |= work.subjects
            if work.name not in quarantined:
                published |= work.subjects
    unreadable = any(work.error is not None for work in works)
    links = Graph()
    lines = [line for work in works if work.error is None for line in work.canonical]
    described = _Described(lines, every)
    for path in sorted(settings.links.glob("*.ttl")):
        add_links(links, path, described, partial=unreadable)
    left_out = 0
    for s, p, o in sorted(links.triples((None, None, None))):
        if p in _LINK_PROPERTIES and str(s) not in published:
            links.remove((s, p, o))
            links.remove((iris.statement(s, p, o), None, None))
            left_out += 1
    if left_out and log is not None:
        log(f"left out {left_out} link(s) whose subject only a quarantined article describes")
    return links


_LINK_PROPERTIES = {
    URIRef("http://www.w3.org/2002/07/owl#sameAs"),
    URIRef("http://www.w3.org/2004/02/skos/core#closeMatch"),
    URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"),
}


def _check(job: tuple[str, Path, Path]) -> list[Finding]:
    """Check N-Triples text (the links with the articles they link) with the article rules."""
    text, ontology_path, shapes_path = job
    offline.configure()
    graph = Graph().parse(data=text, format="nt")
    article_shapes, _ = _shapes(shapes_path, _file_digest(shapes_path))
    ontology = _ontology(ontology_path, _file_digest(ontology_path))
    return shacl.check(graph, article_shapes, ontology).findings


def _owners(focus: Any, works: Iterable[ArticleWork]) -> list[ArticleWork]:
    works = list(works)
    main = [w for w in works if w.election == str(focus)]
    return main or [w for w in works if str(focus) in w.subjects]


def build(
    settings: BuildSettings, log: Any = print, progress: TextIO | None = None
) -> dict[str, Any]:
    """Build and publish; raise BuildError (nothing published) when no article can be, or, with
    `settings.strict`, when any article is quarantined. `progress`: a stream for the counter."""
    started = time.perf_counter()
    offline.configure()  # rdflib's SPARQL (the SHACL gate's) never loads FROM graphs in a build
    paths = source_paths(settings)
    if settings.validate:
        shacl.load_shapes(settings.shapes)  # ShapesError now rather than once per article
    shacl.load_ontology(settings.ontology)
    workers = settings.workers or os.cpu_count() or 1
    cache = _Cache(settings.cache)
    project = _digest(
        code_version(),
        settings.base,
        str(settings.validate),
        settings.ontology.read_bytes(),
        settings.shapes.read_bytes() if settings.validate else b"",
    )
    datasets = evidence_datasets(settings)
    jobs: dict[str, _Job] = {}
    for path in paths:
        curated = curated_of(settings, path)
        key = _digest(
            project,
            datasets,
            path.name,
            path.read_bytes(),
            curated.read_bytes() if curated.exists() else b"(none)",
        )
        jobs[key] = _Job(
            path,
            curated if curated.exists() else None,
            settings.ontology,
            settings.shapes,
            settings.base,
            settings.validate,
            datasets,
        )
    links_text = b"".join(p.read_bytes() for p in sorted(settings.links.glob("*.ttl")))
    build_key = _digest(project, str(settings.strict), links_text, *jobs)
    unchanged = _unchanged(settings, build_key)
    if unchanged is not None:
        manifest, lines = unchanged
        for line in lines:
            log(line)
        log(
            f"nothing changed since the last build ({len(jobs)} article(s)); data version "
            f"{manifest['dataVersion']} -> {settings.dist} is up to date"
        )
        return manifest
    said: list[str] = []
    outer_log = log

    def log(line: str) -> None:  # what a rebuild with nothing changed says again
        said.append(line)
        outer_log(line)

    counter = _Progress(len(jobs), progress)
    done = _run(article_work, jobs, cache, "articles", workers, counter)
    works = sorted(done.values(), key=lambda w: w.name)
    sources = f"{settings.sources.parent.name}/{settings.sources.name}"

    quarantine: dict[str, _Quarantine] = {}
    elections: dict[str, ArticleWork] = {}
    for work in works:
        if work.error is not None:
            quarantine[work.name] = _source_quarantine(work, sources, work.error)
            continue
        if work.election in elections:
            error = duplicate_election(
                settings.sources / work.name,
                read_article(settings.sources / work.name),
                Path(elections[work.election].name),
            )
            quarantine[work.name] = _source_quarantine(
                work, sources, (error.line, None, error.problem, str(settings.sources / work.name))
            )
            continue
        elections[work.election] = work
        violations = [f for f in work.findings if f.severity == SH.Violation]
        if violations:
            quarantine[work.name] = _shacl_quarantine(work, sources, violations)

    findings: set[Finding] = set()
    if settings.validate:
        findings = _corpus_findings(settings, works, quarantine, cache, sources)
    links = _links(settings, works, set(quarantine), log)
    kept = [w for w in works if w.name not in quarantine]
    for q in quarantine.values():
        q.text = q.text.replace(iris.CANONICAL_BASE, settings.base)
    for name in sorted(quarantine):
        log(f"quarantined (not published): {quarantine[name].text}")
    if settings.strict and quarantine:
        raise Quarantined(
            f"{len(quarantine)} article(s) quarantined and --strict is set:\n"
            + "\n".join(f"  {q.text}" for _, q in sorted(quarantine.items()))
        )
    if not kept:
        raise BuildError(
            f"every article of {sources} was quarantined; there is nothing to publish:\n"
            + "\n".join(f"  {q.text}" for _, q in sorted(quarantine.items()))
        )

    extra = {"ontology.ttl": settings.ontology.read_text(encoding="utf-8")}
    if (moved := settings.root / "data" / "redirects.tsv").exists():  # moved IRIs: the 301s
        extra["redirects.tsv"] = moved.read_text(encoding="utf-8")
    if settings.validate:
        for q in quarantine.values():
            findings.update(q.findings)
        outcome = shacl.Outcome(sorted(findings, key=Finding.sort_key), 0.0)
        log(shacl.summary(outcome, len(quarantine)))
        for finding in outcome.findings:
            if finding.component != report.QUARANTINE_COMPONENT:
                line = f"  {report.severity_name(finding.severity).lower()}: <{finding.focus}> {shacl.shorten(str(finding.message), 100)}"
                log(line.replace(iris.CANONICAL_BASE, settings.base))
        extra.update(
            {
                "shapes.ttl": settings.shapes.read_text(encoding="utf-8"),
                "validation.ttl": outcome.turtle(),
                "validation.jsonld": outcome.jsonld(),
            }
        )
    extra = {name: text.replace(iris.CANONICAL_BASE, settings.base) for name, text in extra.items()}

    links_dataset = Dataset()
    links_graph = links_dataset.graph(iris.graph("links"))
    for triple in links:
        links_graph.add(triple)
    if settings.base != iris.CANONICAL_BASE:
        links_dataset = rebase_dataset(links_dataset, settings.base)
    nquads = (
        "\n".join(line for work in kept for line in work.lines)
        + "\n"
        + links_dataset.serialize(format="nquads")
    )

    settings.builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="tmp-", dir=settings.builds))
    staging.rmdir()
    try:
        manifest = dumps.write_dumps(
            nquads, staging, settings.base, iris.rebase(NAMESPACE, settings.base), extra
        )
        dumps.publish(staging, settings.dist)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log(
        f"built {manifest['triples']} triples from {len(kept)} article(s)"
        + (f" ({len(quarantine)} quarantined)" if quarantine else "")
        + f" in {time.perf_counter() - started:.2f} s; data version {manifest['dataVersion']} -> {settings.dist}"
    )
    manifest["quarantined"] = [q.text for _, q in sorted(quarantine.items())]
    _record(settings, build_key, manifest, said[:-1])
    return manifest


_LAST_BUILD = "last-build.json"


def _unchanged(settings: BuildSettings, key: str) -> tuple[dict[str, Any], list[str]] | None:
    """The published manifest and what its build said, if it was built from exactly these
    inputs (articles, curated files, links, ontology, shapes, code, options) and is still there."""
    try:
        last = json.loads((settings.cache / _LAST_BUILD).read_text(encoding="utf-8"))
        manifest = json.loads((settings.dist / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if last.get("key") != key or last.get("dataVersion") != manifest.get("dataVersion"):
        return None
    manifest["quarantined"] = last.get("quarantined", [])
    return manifest, list(last.get("said", []))


def _record(settings: BuildSettings, key: str, manifest: dict[str, Any], said: list[str]) -> None:
    settings.cache.mkdir(parents=True, exist_ok=True)
    record = {
        "key": key,
        "dataVersion": manifest["dataVersion"],
        "quarantined": manifest["quarantined"],
        "said": said,
    }
    tmp = settings.cache / f"{_LAST_BUILD}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, settings.cache / _LAST_BUILD)


def _corpus_findings(
    settings: BuildSettings,
    works: list[ArticleWork],
    quarantine: dict[str, _Quarantine],
    cache: _Cache,
    sources: str,
) -> set[Finding]:
    """The findings of the published articles, of the links, and of the corpus rules, each
    article with the ones it follows; an article a Violation is found on is quarantined and the
    rest checked again."""
    while True:
        kept = [w for w in works if w.name not in quarantine]
        links = _links(settings, works, set(quarantine), None)
        findings: set[Finding] = {f for w in kept for f in w.findings}
        found: list[Finding] = []
        # The links, with the graphs of the articles whose nodes they link.
        link_subjects = {str(s) for s in links.subjects() if isinstance(s, URIRef)}
        linked = [w for w in kept if w.subjects & link_subjects]
        if len(links):
            text = links.serialize(format="nt") + "\n".join(
                dumps.ntriples_of([line for work in linked for line in work.canonical])
            )
            job = (text, settings.ontology, settings.shapes)
            key = _digest(shacl_digest(settings), text)
            found += _run(_check, {key: job}, cache, "links", 1, _Progress(1, None))[key]
        # The corpus rules, over what every published article says of its elections and results.
        _, corpus_shapes = _shapes(settings.shapes, _file_digest(settings.shapes))
        ontology = _ontology(settings.ontology, _file_digest(settings.ontology))
        found += shacl.corpus_check([w.slice for w in kept], corpus_shapes, ontology)
        findings.update(found)
        violations = [f for f in found if f.severity == SH.Violation]
        if not violations:
            return findings
        for finding in violations:
            owners = _owners(finding.focus, kept)
            if not owners:
                raise shacl.ValidationFailed(
                    report.readable([finding], links, "validation of the links")
                )
            for work in owners:
                quarantine[work.name] = _shacl_quarantine(
                    work,
                    sources,
                    [f for f in violations if work in _owners(f.focus, kept)],
                )


def shacl_digest(settings: BuildSettings) -> str:
    return _digest(code_version(), settings.ontology.read_bytes(), settings.shapes.read_bytes())


def stderr_progress(quiet: bool) -> TextIO | None:
    """The stream for the progress counter: stderr when it is a terminal and not --quiet."""
    return None if quiet or not sys.stderr.isatty() else sys.stderr
