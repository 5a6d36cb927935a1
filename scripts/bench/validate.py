"""Benchmark: how long the SHACL gate takes on the seed graph (target: under 1 s) and how it grows.

The larger graphs are made of many elections of the same model: copies of the seed article and
its curated prose, each moved to another year (2007, 2012, 2017, ...), so that each election
follows the previous copy and every rule has real work to do. Each graph is assembled by the real
pipeline and validated in-process, as the build does; assembling is not timed.
Usage: python -m election_kg.bench.validate [--sizes 10000,30000,100000] [--runs N]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
from pathlib import Path

from rdflib import Graph

from election_kg.bench import CHECKOUT as ROOT
from election_kg.pipeline.assemble import BuildSettings, BuiltGraph, assemble
from election_kg.validation.shacl import check, load_shapes

SEED = "2007_Algerian_parliamentary_election"
YEAR, STEP = 2007, 5


def project(folder: Path, elections: int) -> BuildSettings:
    """A project with `elections` copies of the seed article, five years apart."""
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copytree(ROOT / "data" / "links", folder / "data" / "links")
    for name in ("sources", "curated"):
        (folder / "data" / name).mkdir(parents=True)
    article = (ROOT / "data" / "sources" / f"{SEED}.txt").read_text(encoding="utf-8")
    curated = (ROOT / "data" / "curated" / f"{SEED}.ttl").read_text(encoding="utf-8")
    for i in range(elections):
        year = YEAR + STEP * i
        years = {
            str(YEAR - STEP): str(year - STEP),
            str(YEAR): str(year),
            str(YEAR + STEP): str(year + STEP),
        }
        stem = SEED.replace(str(YEAR), str(year))
        (folder / "data" / "sources" / f"{stem}.txt").write_text(
            _move(article, years), encoding="utf-8"
        )
        (folder / "data" / "curated" / f"{stem}.ttl").write_text(
            _move(curated, years), encoding="utf-8"
        )
    return BuildSettings(root=folder)


def _move(text: str, years: dict[str, str]) -> str:
    return re.sub(r"\b(" + "|".join(years) + r")\b", lambda m: years[m.group(1)], text)


def timed(
    built: BuiltGraph, shapes: Graph, runs: int, inference: str = "none"
) -> tuple[list[float], int, int]:
    """Seconds of each of `runs` validations, with the numbers of violations and of other findings."""
    times, outcome = [], None
    for _ in range(runs):
        outcome = check(built.union, shapes, built.ontology, inference=inference)
        times.append(outcome.seconds)
    assert outcome is not None
    return times, outcome.violations, len(outcome.findings) - outcome.violations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="10000,30000,100000",
        help="approximate triple counts of the synthetic graphs",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="validations of the seed and of graphs up to 30k triples",
    )
    args = parser.parse_args()
    seed = BuildSettings()
    shapes = load_shapes(seed.shapes)
    built = assemble(seed)
    times, violations, others = timed(built, shapes, args.runs + 1)
    print(f"seed: {len(built.union)} triples, {violations} violations, {others} warnings and infos")
    print(
        f"  first validation in the process {times[0]:.2f} s (rdflib parses the shapes' SPARQL), "
        f"then median {statistics.median(times[1:]):.2f} s over {args.runs} runs (target < 1 s)"
    )
    [rdfs], rdfs_violations, _ = timed(built, shapes, 1, inference="rdfs")
    print(
        f"  with RDFS inference: {rdfs:.2f} s and {rdfs_violations} violations (inferred triples that closed shapes reject)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        two = assemble(project(Path(tmp) / "two", 2))
    per_election = len(two.union) - len(built.union)
    print(f"synthetic graphs: copies of the seed election, {per_election} triples each")
    print(
        f"{'elections':>10} {'triples':>8} {'seconds':>8} {'µs/triple':>9} {'violations':>10} {'warn+info':>9}"
    )
    for size in (int(s) for s in args.sizes.split(",") if s):
        elections = max(1, 1 + round((size - len(built.union)) / per_election))
        with tempfile.TemporaryDirectory() as tmp:
            big = assemble(project(Path(tmp), elections))
        times, violations, others = timed(big, shapes, args.runs if size <= 30000 else 1)
        seconds = statistics.median(times)
        print(
            f"{elections:>10} {len(big.union):8d} {seconds:8.2f} {seconds / len(big.union) * 1e6:9.1f} {violations:10d} {others:9d}"
        )


if __name__ == "__main__":
    main()
