"""Benchmark: how election-kg scales, from 10 thousand to a million triples and more.

For each size it generates synthetic elections (election_kg.bench.synthetic, same model as the seed),
builds them with the real pipeline, starts `election-kg serve` on the on-disk store twice (the
first start bulk-loads the store; the second must only open it), and reports build time, startup
time, resident memory of all server processes together, and the latency of the query mix scoped
to one election (the way users query) with the result cache off; whole-graph aggregates are
reported separately. All traffic stays on 127.0.0.1.

Usage: python -m election_kg.bench.scale [--sizes 10000,100000,1000000] [--requests 30]
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from election_kg.bench import CHECKOUT as ROOT
from election_kg.bench import QUERIES, synthetic
from election_kg.bench.processes import free_port, pss_mib, rss_mib
from election_kg.pipeline.assemble import BuildSettings
from election_kg.pipeline.build import build

SEED_ELECTION = "http://127.0.0.1:5000/id/election/2007-algerian-parliamentary-election"
TRIPLES_PER_ARTICLE = 3200
WHOLE_GRAPH = {
    "count-results": "PREFIX ek: <http://127.0.0.1:5000/ontology#> SELECT (COUNT(?r) AS ?n) WHERE { ?r a ek:ElectionResult }",
    "seats-by-country": "PREFIX ek: <http://127.0.0.1:5000/ontology#> SELECT ?c (SUM(?s) AS ?seats) WHERE { "
    "?r ek:election/ek:country ?c ; ek:seatsWon ?s } GROUP BY ?c ORDER BY DESC(?seats) LIMIT 5",
}


def post(url: str, query: str, accept: str) -> float:
    body = urllib.parse.urlencode({"query": query}).encode()
    started = time.perf_counter()
    with urllib.request.urlopen(
        urllib.request.Request(url, data=body, headers={"Accept": accept}), timeout=120
    ) as answer:
        answer.read()
        assert answer.status == 200
    return time.perf_counter() - started


def start(dist: Path, stores: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    port = free_port()
    env = {
        **os.environ,
        "ELECTION_KG_STORE": "disk",
        "ELECTION_KG_STORES": str(stores),
        "ELECTION_KG_RESULT_CACHE_SIZE": "0",
        "ELECTION_KG_QUERY_TIMEOUT": "60",
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "election-kg"),
            "serve",
            "--port",
            str(port),
            "--dist",
            str(dist),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            post(url + "/sparql", "ASK { ?s ?p ?o }", "application/sparql-results+json")
            return process, url, time.perf_counter() - started
        except OSError:
            if process.poll() is not None or time.perf_counter() - started > 600:
                raise SystemExit("the server did not start") from None
            time.sleep(0.05)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()


def measure(size: int, requests: int, work: Path) -> dict[str, object]:
    root = work / f"size-{size}"
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, root / name)
    (root / "data" / "curated").mkdir(parents=True)
    (root / "data" / "links").mkdir(parents=True)
    paths = synthetic.generate(
        root / "data" / "sources", max(1, math.ceil(size / TRIPLES_PER_ARTICLE))
    )
    started = time.perf_counter()
    manifest = build(BuildSettings(root=root, validate=False), log=lambda _msg: None)
    build_seconds = time.perf_counter() - started
    dist, stores = root / "data" / "dist", root / "data" / ".stores"
    first_title = paths[0].read_text(encoding="utf-8").splitlines()[0].strip("= ")
    election = "http://127.0.0.1:5000/id/election/" + first_title.lower().replace(" ", "-")
    mix = {
        p.stem: p.read_text().replace(SEED_ELECTION, election)
        for p in sorted(QUERIES.glob("*.rq"))
        if "national-liberation-front" not in p.read_text()
        and "result-workers-party" not in p.read_text()
    }

    process, url, first_start = start(dist, stores)
    stop(process)
    process, url, second_start = start(dist, stores)
    try:
        latencies = {}
        for name, query in mix.items():
            accept = (
                "application/n-triples"
                if "CONSTRUCT" in query or "DESCRIBE" in query
                else "application/sparql-results+json"
            )
            times = [post(url + "/sparql", query, accept) for _ in range(requests)]
            latencies[name] = (
                statistics.median(times) * 1000,
                sorted(times)[int(len(times) * 0.99) - 1] * 1000,
            )
        whole = {}
        for name, query in WHOLE_GRAPH.items():
            times = [
                post(url + "/sparql", query, "application/sparql-results+json")
                for _ in range(max(3, requests // 10))
            ]
            whole[name] = statistics.median(times) * 1000
        memory = rss_mib(process.pid), pss_mib(process.pid)
    finally:
        stop(process)
    return {
        "size": size,
        "triples": manifest["quads"],
        "articles": len(paths),
        "build": build_seconds,
        "first_start": first_start,
        "second_start": second_start,
        "rss": memory,
        "latencies": latencies,
        "whole": whole,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            row = measure(size, args.requests, Path(tmp))
            rows.append(row)
            print(
                f"{row['triples']:,} triples ({row['articles']} elections): build {row['build']:.1f} s, "
                f"first start (bulk load) {row['first_start']:.2f} s, start from the persisted store {row['second_start']:.2f} s, "
                f"RSS {row['rss'][0]:.0f} MiB, PSS {row['rss'][1]:.0f} MiB",
                flush=True,
            )
    print(
        "\n| triples | build s | first start s | start from store s | RSS / PSS MiB (all processes) | "
        "max p50 ms, mix scoped to one election | whole-graph aggregates p50 ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        worst = max(p50 for p50, _ in row["latencies"].values())
        aggregates = ", ".join(f"{k} {v:.0f}" for k, v in row["whole"].items())
        rss, pss = row["rss"]
        print(
            f"| {row['triples']:,} | {row['build']:.1f} | {row['first_start']:.2f} | {row['second_start']:.2f} | "
            f"{rss:.0f} / {pss:.0f} | {worst:.1f} | {aggregates} |"
        )
    print("\nper query (p50 / p99 ms):")
    for row in rows:
        print(
            f"  {row['triples']:,}: "
            + "; ".join(f"{k} {p50:.1f}/{p99:.1f}" for k, (p50, p99) in row["latencies"].items())
        )
    print(
        "targets: 1M triples: start from the persisted store < 2 s, all server processes < 1 GiB, p50 < 50 ms per scoped query"
    )


if __name__ == "__main__":
    main()
