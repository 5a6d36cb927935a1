"""The project under test: a copy of its folders, the real `election-kg` command, a built release."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parent.parent.parent
CLI = [sys.executable, "-m", "election_kg"]
SEED_ELECTION = "http://127.0.0.1:5000/id/election/2007-algerian-parliamentary-election"
FIXTURES = ROOT / "tests" / "fixtures"
SEED_SOURCE = ROOT / "data" / "sources" / "2007_Algerian_parliamentary_election.txt"


def copy_project(target: Path, sources: list[Path] | None = None) -> Path:
    """A project folder with our ontology, shapes and data, and the given articles (default: ours)."""
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, target / name)
    for name in ("curated", "links", "queries"):
        shutil.copytree(ROOT / "data" / name, target / "data" / name)
    shutil.copy(ROOT / "data" / "redirects.tsv", target / "data" / "redirects.tsv")
    (target / "data" / "sources").mkdir(parents=True)
    for src in (
        sources if sources is not None else sorted((ROOT / "data" / "sources").glob("*.txt"))
    ):
        shutil.copy(src, target / "data" / "sources" / src.name)
    return target


def run_cli(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@dataclass
class Built:
    root: Path

    @property
    def dist(self) -> Path:
        return self.root / "data" / "dist"

    def dataset(self) -> Dataset:
        ds = Dataset()
        ds.parse(self.dist / "election-kg.nq", format="nquads")
        return ds

    def graph(self) -> Graph:
        return Graph().parse(self.dist / "election-kg.ttl", format="turtle")
