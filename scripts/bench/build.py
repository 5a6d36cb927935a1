"""Benchmark: how long `election-kg build` takes for the seed (target: under 2 s).

Runs the whole pipeline in-process several times on a copy of the project (parse, graph,
curated facts, links, SHACL gate, all dumps) and prints the median and the spread.
Usage: python -m election_kg.bench.build [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from election_kg.bench import CHECKOUT as ROOT
from election_kg.pipeline.assemble import BuildSettings
from election_kg.pipeline.build import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("ontology", "shapes"):
            shutil.copytree(ROOT / name, root / name)
        for name in ("sources", "curated", "links"):
            shutil.copytree(ROOT / "data" / name, root / "data" / name)
        times, manifest = [], {}
        for _ in range(args.runs):
            started = time.perf_counter()
            manifest = build(BuildSettings(root=root), log=lambda _msg: None)
            times.append(time.perf_counter() - started)
    print(f"seed build: {manifest['triples']} triples, {len(manifest['files'])} files")
    print(
        f"build time over {args.runs} runs: median {statistics.median(times):.3f} s, "
        f"min {min(times):.3f} s, max {max(times):.3f} s (target < 2 s)"
    )


if __name__ == "__main__":
    main()
