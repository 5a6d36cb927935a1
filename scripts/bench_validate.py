"""Benchmark: how long the SHACL gate takes on the seed graph (target: under 1 s) and how it grows.

The larger graphs are made of many elections of the same model: copies of the seed article and
its curated prose, each moved to another year (2007, 2012, 2017, ...), so that each election
follows the previous copy and every rule has real work to do. Each graph is assembled by the real
pipeline and validated in-process, as the build does; assembling is not timed.
Usage: python scripts/bench_validate.py [--sizes 10000,30000,100000] [--runs N]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from scripts.build import ROOT, BuildSettings, BuiltGraph, assemble
from scripts.validate import check, load_shapes

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
        years = {str(YEAR - STEP): str(year - STEP), str(YEAR): str(year), str(YEAR + STEP): str(year + STEP)}
        stem = SEED.replace(str(YEAR), str(year))
        (folder / "data" / "sources" / f"{stem}.txt").write_text(_move(article, years), encoding="utf-8")
        (folder / "data" / "curated" / f"{stem}.ttl").write_text(_move(curated, years), encoding="utf-8")
    return BuildSettings(root=folder)


def _move(text: str, years: dict[str, str]) -> str:
    return re.sub(r"\b(" + "|".join(years) + r")\b", lambda m: years[m.group(1)], text)


def timed(built: BuiltGraph, settings: BuildSettings, runs: int) -> tuple[float, int, int]:
    """Median seconds of `runs` validations, with the number of warnings and violations found."""
    shapes = load_shapes(settings.shapes)
    times, outcome = [], None
    for _ in range(runs):
        started = time.perf_counter()
        outcome = check(built.union, shapes, built.ontology)
        times.append(time.perf_counter() - started)
    assert outcome is not None
    return statistics.median(times), len(outcome.findings) - outcome.violations, outcome.violations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000", help="approximate triple counts of the synthetic graphs")
    parser.add_argument("--runs", type=int, default=3, help="validations per graph (the median is printed)")
    args = parser.parse_args()
    seed = BuildSettings()
    built = assemble(seed)
    per_election = len(built.union)
    seconds, others, violations = timed(built, seed, args.runs)
    print(f"{'graph':>28} {'triples':>8} {'seconds':>8} {'µs/triple':>9} {'warn+info':>9} {'violations':>10}")
    print(f"{'seed':>28} {len(built.union):8d} {seconds:8.2f} {seconds / len(built.union) * 1e6:9.1f} {others:9d} {violations:10d}"
          f"   (target < 1 s)")
    for size in (int(s) for s in args.sizes.split(",") if s):
        elections = max(1, round(size / per_election))
        with tempfile.TemporaryDirectory() as tmp:
            settings = project(Path(tmp), elections)
            big = assemble(settings)
            seconds, others, violations = timed(big, settings, max(1, args.runs if size <= 30000 else 1))
        label = f"{elections} elections (~{size // 1000}k)"
        print(f"{label:>28} {len(big.union):8d} {seconds:8.2f} {seconds / len(big.union) * 1e6:9.1f} {others:9d} {violations:10d}")


if __name__ == "__main__":
    main()
