"""Page latency: every kind of page at concurrency 16, with the page cache on and off, side by side.

Two `election-kg serve` processes read the same build: one as shipped, one with
`page_cache_size=0` (every request renders the page again, as before pages were kept). Rounds
interleave the two, so that both meet the same machine load; wrk (Debian package) drives each
page for a few seconds and reports p50 / p99 and requests/s. With the cache on, the first request
of each page in each worker renders it; every later one is a cache hit, which is the point: the
data of a release never changes.

Usage: python -m election_kg.bench.pages [--dist data/dist] [--seconds 3] [--rounds 2]
       [--connections 16] [--pages /page/...,/...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from election_kg.bench import CHECKOUT as ROOT
from election_kg.bench.serve import BIN, Server, count_quads, run_wrk, start, stop

DEFAULT_PAGES = (
    "/",
    "/page/election/2007-algerian-parliamentary-election",
    "/page/election/2019-algerian-presidential-election",
    "/page/country/algeria",
    "/page/party/algeria/national-liberation-front",
    "/page/election/2007-algerian-parliamentary-election/result-workers-party",
    "/data/election/2007-algerian-parliamentary-election.ttl",
    "/dataset",
)


def _present(base: str, pages: list[str]) -> list[str]:
    """The pages this build has (a seed-only build has no presidential election, say)."""
    found = []
    for page in pages:
        try:
            with urllib.request.urlopen(base + page, timeout=30) as answer:
                if answer.status == 200:
                    found.append(page)
        except OSError:
            continue
    return found


SAMPLE = """SELECT ?election ?country ?party ?result WHERE {
  ?result <%(ek)selection> ?election ; <%(ek)scontestant> ?party .
  ?election <%(ek)scountry> ?country .
} LIMIT 1 OFFSET %(offset)d"""


def _sampled(base: str, have: list[str], offset: int = 5000) -> list[str]:
    """An election, its country, a party and its result, from the build itself, when the defaults
    found no election page (a synthetic corpus has other names than the real articles)."""
    if any(page.startswith("/page/election/") for page in have):
        return []
    row: dict[str, dict[str, str]] = {}
    for skip in (offset, 0):  # a small build has fewer rows than the offset
        query = SAMPLE % {"ek": "http://127.0.0.1:5000/ontology#", "offset": skip}
        request = urllib.request.Request(
            base + "/sparql",
            data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            rows = json.load(answer)["results"]["bindings"]
        if rows:
            row = rows[0]
            break
    paths = {k: urllib.parse.urlsplit(v["value"]).path.removeprefix("/id/") for k, v in row.items()}
    return [
        *(f"/page/{paths[k]}" for k in ("election", "country", "party", "result") if k in paths),
        *([f"/data/{paths['election']}.ttl"] if "election" in paths else []),
    ]


def _get_script(folder: Path) -> Path:
    script = folder / "get.lua"
    script.write_text('wrk.method = "GET"\nwrk.headers["Accept"] = "text/html"\n')
    return script


def _warm(url: str, connections: int) -> None:
    """Two seconds of load with a long timeout, so that each worker has made the page once."""
    subprocess.run(
        ["wrk", "-t2", f"-c{connections}", "-d2s", "--timeout", "60s", url],
        capture_output=True,
        timeout=120,
        check=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "data" / "dist")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pages", default=",".join(DEFAULT_PAGES))
    args = parser.parse_args()
    env = {"ELECTION_KG_QUERY_BUDGET": "0"}
    servers = [
        Server(
            "page cache on",
            [str(BIN / "election-kg"), "serve", "--port", "{port}", "--dist", str(args.dist)],
            endpoint="",
            env=env,
        ),
        Server(
            "page cache off",
            [str(BIN / "election-kg"), "serve", "--port", "{port}", "--dist", str(args.dist)],
            endpoint="",
            env={**env, "ELECTION_KG_PAGE_CACHE_SIZE": "0"},
        ),
    ]
    figures: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as work:
        script = _get_script(Path(work))
        try:
            for server in servers:
                server.endpoint = "/sparql"
                start(server, "ASK { ?s ?p ?o }")
                server.endpoint = ""
            pages = _present(servers[0].url, args.pages.split(","))
            pages += _sampled(servers[0].url, pages)
            for (
                page
            ) in pages:  # every worker's first request renders the page: not what is measured
                for server in servers:
                    _warm(server.url + page, args.connections)
            for _ in range(args.rounds):
                for page in pages:
                    for server in servers:
                        rps, p50, p99, errors = run_wrk(
                            server.url + page, script, args.connections, args.seconds
                        )
                        if errors:
                            raise RuntimeError(
                                f"{server.name}: {errors} non-2xx answers for {page}"
                            )
                        figures.setdefault((server.name, page), []).append((rps, p50, p99))
        finally:
            for server in servers:
                stop(server)
    print(f"data: {args.dist} ({count_quads(args.dist):,} quads)")
    print(
        f"pages at concurrency {args.connections}, {args.rounds} round(s) of {args.seconds:g} s "
        "(median over rounds): requests/s, p50 ms, p99 ms"
    )
    print("| page | " + " | ".join(s.name for s in servers) + " |")
    print("|---|" + "---|" * len(servers))
    for page in pages:
        cells = []
        for server in servers:
            rows = figures[(server.name, page)]
            rps, p50, p99 = (statistics.median(r[i] for r in rows) for i in range(3))
            cells.append(f"{rps:,.0f} / {p50:.1f} / {p99:.1f}")
        print(f"| `{page}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
