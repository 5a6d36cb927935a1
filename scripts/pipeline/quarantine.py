"""Quarantine: an article that cannot be published, and why, in two forms.

The build output gets one line a person can act on (`data/sources/X.txt:12: key 'K': problem`);
the published validation report gets the same as SHACL results whose focus is the article's
source, so that /validation and the dumps say which articles are missing and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Literal

from election_kg.common import iris
from election_kg.pipeline.article_work import ArticleWork
from election_kg.validation import report
from election_kg.validation.report import SH, Finding


@dataclass
class Quarantine:
    name: str
    stem: str
    text: str
    """For the build output: `file:line: key 'K': problem`."""
    findings: list[Finding]


def source_quarantine(work: ArticleWork, sources: str, error: tuple[Any, ...]) -> Quarantine:
    """An article that could not be read: (line, key, problem, file) of its SourceError."""
    line, key, problem, file = error
    text = where(sources, file, line, key, problem)
    message = f"Not published: {text}"
    return Quarantine(
        work.name,
        work.stem,
        text,
        [_finding(work.stem, message, Literal(key) if key else None)],
    )


def shacl_quarantine(work: ArticleWork, sources: str, violations: list[Finding]) -> Quarantine:
    """An article whose graph breaks rules of severity Violation."""
    findings = []
    texts = []
    for finding in violations:
        path = f" {report.compact(finding.path)}" if finding.path is not None else ""
        what = (
            f"breaks {report.compact(finding.shape)} at <{finding.focus}>{path}: {finding.message}"
        )
        texts.append(what)
        findings.append(
            _finding(
                work.stem,
                f"Not published: {sources}/{work.name}: {what}",
                finding.focus,
                finding.shape,
            )
        )
    detail = work.violations or "".join(f"- {text}\n" for text in texts)
    text = f"{sources}/{work.name}: the graph does not pass validation (shapes/election.ttl)\n"
    return Quarantine(work.name, work.stem, text + detail.rstrip("\n"), findings)


def where(sources: str, file: str, line: int | None, key: str | None, problem: str) -> str:
    """`data/sources/X.txt:12: key 'K': problem`, the file named from the project folder."""
    return (
        _relative(Path(file), sources)
        + (f":{line}" if line else "")
        + ": "
        + (f"key {key!r}: " if key else "")
        + problem
    )


def _relative(path: Path, sources: str) -> str:
    """A file of the project as `data/<folder>/<name>` (sources being `data/sources`)."""
    return f"{sources.split('/', 1)[0]}/{path.parent.name}/{path.name}"


def _finding(stem: str, message: str, value: Any = None, constraint: Any = None) -> Finding:
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
