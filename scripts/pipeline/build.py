"""The pipeline: sources -> records -> graph -> (validation gate) -> dumps in data/dist/.

Each article is read, turned into its named graph and checked against the shapes on its own
(`article_work`), in parallel across processes, and the result is cached (`work_cache`). An
article that is malformed (SourceError) or whose graph breaks a rule of severity Violation is
quarantined (`quarantine`): it is not published, and the build output and the published
validation report name it with its file, line, key and problem. Every other article is published.
The rules that compare two articles (`shacl.CORPUS_RULES`) then run once over what every
published article says of its elections and results (`shacl.corpus_check`). `--strict` turns any
quarantine into a failed build. A rebuild from unchanged inputs publishes nothing (`last_build`).

Nothing is published unless every step succeeds: the dumps are written to a staging folder
under data/.builds/ and data/dist (a symlink) is switched to it only at the end. The output is
the same, byte for byte, whatever the number of processes and whatever was cached.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from rdflib import Dataset, Graph, URIRef

from election_kg.common import iris, offline, release_files
from election_kg.common.vocabgen import NAMESPACE
from election_kg.pipeline import dumps, last_build
from election_kg.pipeline.article import read_article
from election_kg.pipeline.article_work import (
    ArticleJob,
    ArticleWork,
    article_work,
    check_links,
    code_version,
    digest,
    evidence_datasets,
    ontology,
    shacl_digest,
    shapes,
)
from election_kg.pipeline.assemble import (
    BuildSettings,
    curated_of,
    duplicate_election,
    rebase_dataset,
    source_paths,
)
from election_kg.pipeline.errors import BuildError
from election_kg.pipeline.published_links import published_links
from election_kg.pipeline.quarantine import Quarantine, shacl_quarantine, source_quarantine
from election_kg.pipeline.work_cache import Progress, WorkCache
from election_kg.validation import report, shacl
from election_kg.validation.report import SH, Finding

Log = Callable[[str], None]


class Quarantined(BuildError):
    """`--strict`: an article was quarantined, so nothing is published."""


def build(
    settings: BuildSettings, log: Log = print, progress: TextIO | None = None
) -> dict[str, Any]:
    """Build and publish; raise BuildError (nothing published) when no article can be, or, with
    `settings.strict`, when any article is quarantined. `progress`: a stream for the counter."""
    started = time.perf_counter()
    offline.configure()  # rdflib's SPARQL (the SHACL gate's) never loads FROM graphs in a build
    if settings.validate:
        shacl.load_shapes(settings.shapes)  # ShapesError now rather than once per article
    shacl.load_ontology(settings.ontology)
    jobs, build_key = _jobs(settings)
    if (unchanged := last_build.unchanged(settings, build_key)) is not None:
        manifest, said_before = unchanged
        for line in said_before:
            log(line)
        log(
            f"nothing changed since the last build ({len(jobs)} article(s)); data version "
            f"{manifest['dataVersion']} -> {settings.dist} is up to date"
        )
        return manifest
    said: list[str] = []  # what a rebuild with nothing changed says again

    def logged(line: str) -> None:
        said.append(line)
        log(line)

    cache = WorkCache(settings.cache)
    workers = settings.workers or os.cpu_count() or 1
    done = cache.run(article_work, jobs, "articles", workers, Progress(len(jobs), progress))
    works = sorted(done.values(), key=lambda w: w.name)
    sources = f"{settings.sources.parent.name}/{settings.sources.name}"

    quarantine = _triage(settings, works, sources)
    findings: set[Finding] = set()
    if settings.validate:
        findings = _corpus_findings(settings, works, quarantine, cache, sources)
    links = published_links(settings, works, set(quarantine), logged)
    kept = [w for w in works if w.name not in quarantine]
    for q in quarantine.values():
        q.text = q.text.replace(iris.CANONICAL_BASE, settings.base)
    for name in sorted(quarantine):
        logged(f"quarantined (not published): {quarantine[name].text}")
    listed = "\n".join(f"  {q.text}" for _, q in sorted(quarantine.items()))
    if settings.strict and quarantine:
        raise Quarantined(
            f"{len(quarantine)} article(s) quarantined and --strict is set:\n{listed}"
        )
    if not kept:
        raise BuildError(
            f"every article of {sources} was quarantined; there is nothing to publish:\n{listed}"
        )

    extra = _published_files(settings, quarantine, findings, logged)
    manifest = _publish(settings, kept, links, extra)
    logged(
        f"built {manifest['triples']} triples from {len(kept)} article(s)"
        + (f" ({len(quarantine)} quarantined)" if quarantine else "")
        + f" in {time.perf_counter() - started:.2f} s; data version {manifest['dataVersion']} -> {settings.dist}"
    )
    manifest["quarantined"] = [q.text for _, q in sorted(quarantine.items())]
    last_build.record(settings, build_key, manifest, said[:-1])
    return manifest


def _jobs(settings: BuildSettings) -> tuple[dict[str, ArticleJob], str]:
    """Each article's job under the key of everything its work depends on, and the key of the
    whole build (the jobs' keys, the links, --strict)."""
    project = digest(
        code_version(),
        settings.base,
        str(settings.validate),
        settings.ontology.read_bytes(),
        settings.shapes.read_bytes() if settings.validate else b"",
    )
    datasets = evidence_datasets(settings)
    jobs: dict[str, ArticleJob] = {}
    for path in source_paths(settings):
        curated = curated_of(settings, path)
        key = digest(
            project,
            datasets,
            path.name,
            path.read_bytes(),
            curated.read_bytes() if curated.exists() else b"(none)",
        )
        jobs[key] = ArticleJob(
            path,
            curated if curated.exists() else None,
            settings.ontology,
            settings.shapes,
            settings.base,
            settings.validate,
            datasets,
        )
    links_text = b"".join(p.read_bytes() for p in sorted(settings.links.glob("*.ttl")))
    return jobs, digest(project, str(settings.strict), links_text, *jobs)


def _triage(
    settings: BuildSettings, works: list[ArticleWork], sources: str
) -> dict[str, Quarantine]:
    """The articles that cannot be published on their own account: unreadable, a second article
    of an election already read, or a Violation in their own graph."""
    quarantine: dict[str, Quarantine] = {}
    elections: dict[str, ArticleWork] = {}
    for work in works:
        if work.error is not None:
            quarantine[work.name] = source_quarantine(work, sources, work.error)
            continue
        if work.election in elections:
            path = settings.sources / work.name
            error = duplicate_election(
                path, read_article(path), Path(elections[work.election].name)
            )
            quarantine[work.name] = source_quarantine(
                work, sources, (error.line, None, error.problem, str(path))
            )
            continue
        elections[work.election] = work
        violations = [f for f in work.findings if f.severity == SH.Violation]
        if violations:
            quarantine[work.name] = shacl_quarantine(work, sources, violations)
    return quarantine


def _corpus_findings(
    settings: BuildSettings,
    works: list[ArticleWork],
    quarantine: dict[str, Quarantine],
    cache: WorkCache,
    sources: str,
) -> set[Finding]:
    """The findings of the published articles, of the links, and of the corpus rules, each
    article with the ones it follows; an article a Violation is found on is quarantined and the
    rest checked again."""
    _, corpus_shapes = shapes(settings.shapes)
    while True:
        kept = [w for w in works if w.name not in quarantine]
        links = published_links(settings, works, set(quarantine), None)
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
            key = digest(shacl_digest(settings), text)
            found += cache.run(check_links, {key: job}, "links", 1, Progress(1, None))[key]
        # The corpus rules, over what every published article says of its elections and results.
        found += shacl.corpus_check(
            [w.slice for w in kept], corpus_shapes, ontology(settings.ontology)
        )
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
                quarantine[work.name] = shacl_quarantine(
                    work,
                    sources,
                    [f for f in violations if work in _owners(f.focus, kept)],
                )


def _owners(focus: Any, works: Iterable[ArticleWork]) -> list[ArticleWork]:
    """The article a finding is about: the one whose election it is, else any describing it."""
    works = list(works)
    main = [w for w in works if w.election == str(focus)]
    return main or [w for w in works if str(focus) in w.subjects]


def _published_files(
    settings: BuildSettings, quarantine: dict[str, Quarantine], findings: set[Finding], log: Log
) -> dict[str, str]:
    """The files published beside the dumps: the ontology, the moved IRIs, and with the gate on,
    the shapes and the validation report (the quarantines included), under the published base."""
    extra = {"ontology.ttl": settings.ontology.read_text(encoding="utf-8")}
    moved = settings.root / "data" / release_files.REDIRECTS  # moved IRIs: the 301s
    if moved.exists():
        extra[release_files.REDIRECTS] = moved.read_text(encoding="utf-8")
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
    return {name: text.replace(iris.CANONICAL_BASE, settings.base) for name, text in extra.items()}


def _publish(
    settings: BuildSettings, kept: list[ArticleWork], links: Graph, extra: dict[str, str]
) -> dict[str, Any]:
    """Write the dumps to a staging folder and switch data/dist to it; nothing half-written is
    ever behind data/dist."""
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
    return manifest


def stderr_progress(quiet: bool) -> TextIO | None:
    """The stream for the progress counter: stderr when it is a terminal and not --quiet."""
    return None if quiet or not sys.stderr.isatty() else sys.stderr
