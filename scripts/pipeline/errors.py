"""Errors of the pipeline that a person must act on, each naming where the problem is."""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """The build cannot go on; nothing is published. Exit code 1."""


class SourceError(BuildError):
    """A problem in an input file, reported as `file:line: key 'K': problem`."""

    def __init__(self, path: Path, line: int | None, key: str | None, problem: str) -> None:
        self.path, self.line, self.key, self.problem = path, line, key, problem
        super().__init__(self.describe())

    def describe(self) -> str:
        where = _display(self.path) + (f":{self.line}" if self.line else "")
        what = f"key {self.key!r}: " if self.key else ""
        return f"{where}: {what}{self.problem}"


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
