"""Benchmark: `election-kg build` of a corpus of synthetic articles (issue 10, part 7).

Generates N articles (election_kg.bench.synthetic) into a fresh project and times, each as a
separate `election-kg build --quiet` process with the machine's cores as workers:

1. a full build, with an empty cache (target under 3 minutes for 1,000 articles);
2. a rebuild after editing one article (one party's seats and previous seats moved by one) (target
   under 20 s);
3. a rebuild with nothing changed (target under 10 s);

and the peak memory of the build's processes (the main process and its workers, sampled from
/proc every 0.2 s; RSS counts shared pages once per process, PSS splits them).

Usage: python -m election_kg.bench.corpus [--articles 1000] [--parties 12] [--layouts seed]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from election_kg.bench import CHECKOUT, processes, synthetic


def project(root: Path, articles: int, parties: int, layouts: tuple[str, ...]) -> Path:
    for name in ("ontology", "shapes"):
        shutil.copytree(CHECKOUT / name, root / name)
    (root / "data" / "curated").mkdir(parents=True)
    (root / "data" / "links").mkdir(parents=True)
    synthetic.generate(root / "data" / "sources", articles, parties, layouts=layouts)
    return root


def timed_build(root: Path) -> dict[str, float | str]:
    """Run one build; its wall time, peak RSS and PSS of its process tree, and its last line."""
    command = [sys.executable, "-m", "election_kg", "build", "--quiet", "--root", str(root)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"rss": 0.0, "pss": 0.0}

    def sample() -> None:
        while process.poll() is None:
            try:
                peak["rss"] = max(peak["rss"], processes.rss_mib(process.pid))
                peak["pss"] = max(peak["pss"], processes.pss_mib(process.pid))
            except (OSError, ValueError):
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"the build failed ({process.returncode}):\n{out}\n{err}")
    last = out.strip().splitlines()[-1] if out.strip() else ""
    return {"seconds": seconds, "rss": peak["rss"], "pss": peak["pss"], "said": last}


def edit_one(root: Path) -> Path:
    """Move one seat from the first party to the second in one article, keeping the sums."""
    path = sorted((root / "data" / "sources").glob("*.txt"))[
        len(os.listdir(root / "data" / "sources")) // 2
    ]
    text = path.read_text(encoding="utf-8")
    seats = [int(m) for m in re.findall(r"^- Seats(?:1|2): (\d+)$", text, flags=re.M)]
    if len(seats) == 2 and seats[0] > 0:
        text = text.replace(f"- Seats1: {seats[0]}\n", f"- Seats1: {seats[0] - 1}\n", 1)
        text = text.replace(f"- Seats2: {seats[1]}\n", f"- Seats2: {seats[1] + 1}\n", 1)
    else:  # an article without seats: one more sentence of prose
        text += "\nThis sentence was added by the benchmark.\n"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--parties", type=int, default=12, help="result rows per article")
    parser.add_argument(
        "--layouts",
        default=",".join(synthetic.DEFAULT_LAYOUTS),
        help=f"layout families, in turn per country: {', '.join(synthetic.LAYOUTS)}",
    )
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    layouts = tuple(args.layouts.split(","))
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        root = args.keep or Path(tmp) / "project"
        if root.exists():
            shutil.rmtree(root)
        project(root, args.articles, args.parties, layouts)
        print(
            f"{args.articles} synthetic articles ({args.parties} rows each, layouts {args.layouts}), "
            f"{os.cpu_count()} core(s)"
        )
        rows = []
        for label, prepare in (
            ("full build, empty cache", lambda: None),
            ("rebuild after editing one article", lambda: edit_one(root)),
            ("rebuild with nothing changed", lambda: None),
        ):
            prepare()
            result = timed_build(root)
            rows.append((label, result))
            print(
                f"{label}: {result['seconds']:.1f} s, peak RSS {result['rss']:.0f} MiB, "
                f"PSS {result['pss']:.0f} MiB\n  {result['said']}",
                flush=True,
            )
        manifest = json.loads((root / "data" / "dist" / "manifest.json").read_text())
        print(
            f"published {manifest['triples']:,} triples, "
            f"{sum(f['bytes'] for f in manifest['files']) / 2**20:.0f} MiB of files"
        )


if __name__ == "__main__":
    main()
