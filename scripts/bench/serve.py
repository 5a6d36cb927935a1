"""Benchmark: election-kg against Oxigraph server and rdflib-endpoint on the same dumps.

Starts each server on a loopback port, then drives it with wrk (Debian package) through a fixed
mix of queries (election_kg/bench/queries/*.rq) at concurrency 1 and 16, in two modes: `repeat`
(the same query text every request: what a result cache serves) and `fresh` (a unique constant
in every request: no cache can hold it, the honest "cache off"). Servers are interleaved round by
round so that drift hits all alike. Prints requests/s, p50 and p99 per server and query, the
geometric mean over the mix, and the ratio to Oxigraph server in memory per round (median of
ratios). All traffic stays on 127.0.0.1; every wrk run is bounded by --seconds.

Usage: python -m election_kg.bench.serve [--rounds N] [--seconds S] [--servers a,b,...]
       [--modes repeat,fresh] [--connections 1,16] [--dist DIR]
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from election_kg.bench import CHECKOUT as ROOT
from election_kg.bench import QUERIES
from election_kg.bench.processes import free_port, pss_mib, rss_mib

BIN = Path(sys.executable).parent
RESULTS_JSON = "application/sparql-results+json"


@dataclass
class Server:
    name: str
    command: list[str]
    endpoint: str = "/sparql"
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.endpoint}"


def start(server: Server, probe: str) -> None:
    server.port = free_port()
    command = [part.replace("{port}", str(server.port)) for part in server.command]
    server.process = subprocess.Popen(
        command,
        env={**os.environ, **server.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    body = urllib.parse.urlencode({"query": probe}).encode()
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                server.url, data=body, headers={"Accept": RESULTS_JSON}
            )
            with urllib.request.urlopen(request, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer within 60 s")


def stop(server: Server) -> None:
    if server.process:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()


FRESH_MARK = "__FRESH__"


def wrk_script(query: str, folder: Path, name: str, fresh: bool = False) -> Path:
    """A wrk script POSTing the query; `fresh` makes every request a query never seen before.

    Fresh requests end the query with `VALUES ?fresh_constant { N }`, N unique per request (wrk's
    threads count apart: thread t sends t, t + T, t + 2T, ...). A trailing VALUES clause over a
    variable the query never uses joins one row with nothing: the answer is unchanged, but the
    text is new, so no result cache can hold it (a working set of a few variants would still be
    answered from the cache; this is the honest "cache off")."""
    accept = (
        "application/n-triples"
        if re.search(r"^\s*(CONSTRUCT|DESCRIBE)", query, re.M | re.I)
        else RESULTS_JSON
    )
    text = query.rstrip() + (f"\nVALUES ?fresh_constant {{ {FRESH_MARK} }}\n" if fresh else "")
    before, _, after = urllib.parse.urlencode({"query": text}).partition(FRESH_MARK)
    headers = (
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Accept"] = "{accept}"\n'
        'wrk.method = "POST"\n'
    )
    if not fresh:
        body = f'wrk.body = "{before}"\n'
    else:
        body = (
            "local threads = 0\n"
            "function setup(thread) threads = threads + 1; thread:set('first', threads) end\n"
            "function init(args) step = 0 end\n"
            "function request()\n"
            "  step = step + 1\n"
            "  local n = first + (step - 1) * 64\n"
            f'  return wrk.format(nil, nil, nil, "{before}" .. n .. "{after}")\n'
            "end\n"
        )
    path = folder / f"{name}{'-fresh' if fresh else ''}.lua"
    path.write_text(headers + body)
    return path


def run_wrk(
    url: str, script: Path, connections: int, seconds: float
) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p99 ms, non-2xx responses)."""
    threads = min(2, connections)
    done = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    )
    out = done.stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not found:
        raise RuntimeError(f"wrk failed on {url}: {done.stderr or out}")
    rps = float(found.group(1))

    def pct(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return math.nan
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, pct("50"), pct("99"), int(errors.group(1)) if errors else 0


def servers_for(dist: Path, work: Path, wanted: set[str]) -> list[Server]:
    store = work / "oxigraph-store"
    subprocess.run(
        [
            str(BIN / "oxigraph"),
            "load",
            "--location",
            str(store),
            "--file",
            str(dist / "election-kg.nq"),
        ],
        check=True,
        capture_output=True,
    )
    turtle = dist / "election-kg.ttl"
    endpoint = "{rdflib-endpoint}"
    all_servers = [
        # The per-client query budget is off: every wrk connection comes from 127.0.0.1, one "client".
        Server(
            "election-kg",
            [str(BIN / "election-kg"), "serve", "--port", "{port}", "--dist", str(dist)],
            env={"ELECTION_KG_QUERY_BUDGET": "0"},
        ),
        # The same server with every request through Flask: what the fast path saves.
        Server(
            "election-kg via Flask",
            [str(BIN / "election-kg"), "serve", "--port", "{port}", "--dist", str(dist)],
            env={"ELECTION_KG_QUERY_BUDGET": "0", "ELECTION_KG_SPARQL_FAST_PATH": "0"},
        ),
        Server(
            "oxigraph serve-read-only",
            [
                str(BIN / "oxigraph"),
                "serve-read-only",
                "--location",
                str(store),
                "--bind",
                "127.0.0.1:{port}",
                "--union-default-graph",
            ],
            endpoint="/query",
        ),
        Server(
            "oxigraph in-memory",
            [str(BIN / "oxigraph"), "serve", "--bind", "127.0.0.1:{port}", "--union-default-graph"],
            endpoint="/query",
        ),
        Server(
            "rdflib-endpoint",
            [endpoint, "serve", str(turtle), "--host", "127.0.0.1", "--port", "{port}"],
            endpoint="/",
        ),
    ]
    chosen = [s for s in all_servers if not wanted or any(w in s.name for w in wanted)]
    for server in chosen:
        server.command = [
            str(rdflib_endpoint()) if part == endpoint else part for part in server.command
        ]
    return chosen


def rdflib_endpoint() -> Path:
    """rdflib-endpoint in its own venv (its FastAPI stack is not a dependency of ours)."""
    venv = ROOT / ".bench-venv"
    exe = venv / "bin" / "rdflib-endpoint"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", "rdflib-endpoint[cli]>=0.6,<0.7"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return exe


def load_in_memory(server: Server, dist: Path) -> None:
    data = (dist / "election-kg.nq").read_bytes()
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/store",
        data=data,
        method="POST",
        headers={"Content-Type": "application/n-quads"},
    )
    with urllib.request.urlopen(request, timeout=60):
        pass


def geomean(values: list[float]) -> float:
    values = [v for v in values if v > 0]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else math.nan


MODES = ("repeat", "fresh")
SEED_ELECTION = "http://127.0.0.1:5000/id/election/2007-algerian-parliamentary-election"
CONTESTANT = re.compile(
    rb"^<(?P<result>(?P<election>[^>]*/id/election/[^>/]+)/result-[^>]+)> "
    rb"<[^>]*ontology#contestant> <(?P<party>[^>]*/id/party/[^>]+)>"
)


def stand_ins(dist: Path, queries: dict[str, str]) -> dict[str, str]:
    """The mix names the seed's election, a party and a result of it: on a build without the seed
    (a synthetic corpus), the first election with a party's result stands in for them, so that
    every query has data to find and the answers are not empty."""
    nquads = dist / "election-kg.nq"
    with nquads.open("rb") as lines:
        if any(line.startswith(f"<{SEED_ELECTION}>".encode()) for line in lines):
            return queries
    with nquads.open("rb") as lines:
        found = next((m for line in lines if (m := CONTESTANT.match(line))), None)
    if found is None:
        raise SystemExit(f"{nquads} holds no party result to stand in for the seed's")
    election, result, party = (found.group(k).decode() for k in ("election", "result", "party"))
    swaps = {
        f"{SEED_ELECTION}/result-workers-party": result,
        SEED_ELECTION: election,
        "http://127.0.0.1:5000/id/party/algeria/national-liberation-front": party,
    }
    print(f"the seed is not in this build: {election}, {party} and {result} stand in")
    changed = {}
    for name, text in queries.items():
        for old, new in swaps.items():  # the result first: it begins with the election's IRI
            text = text.replace(f"<{old}>", f"<{new}>")
        changed[name] = text
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--seconds", type=int, default=3, help="length of each wrk run, in whole seconds"
    )
    parser.add_argument(
        "--servers", default="", help="comma-separated name fragments (default: all)"
    )
    parser.add_argument(
        "--modes", default=",".join(MODES), help="repeat (one query text), fresh (never seen)"
    )
    parser.add_argument("--connections", default="1,16", help="comma-separated concurrencies")
    parser.add_argument("--dist", type=Path, default=ROOT / "data" / "dist")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    modes = [m for m in args.modes.split(",") if m]
    concurrencies = [int(c) for c in args.connections.split(",") if c]
    queries = stand_ins(args.dist, {p.stem: p.read_text() for p in sorted(QUERIES.glob("*.rq"))})
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scripts = {
            (name, mode): wrk_script(q, work, name, fresh=mode == "fresh")
            for name, q in queries.items()
            for mode in modes
        }
        servers = servers_for(args.dist.resolve(), work, {s for s in args.servers.split(",") if s})
        probe = "ASK { ?s ?p ?o }"
        results: dict[tuple[str, str, int, str], list[tuple[float, float, float, int]]] = {}
        try:
            for server in servers:
                start(server, probe)
                if server.name == "oxigraph in-memory":
                    load_in_memory(server, args.dist)
                print(
                    f"started {server.name} on {server.url} (RSS {rss_mib(server.process.pid):.0f} MiB, "
                    f"PSS {pss_mib(server.process.pid):.0f} MiB)",
                    flush=True,
                )
            # Interleaved: every (mode, concurrency, query) runs on each server in turn, round by
            # round, so drift in the machine's load falls on all servers alike.
            for round_no in range(1, args.rounds + 1):
                for mode in modes:
                    for connections in concurrencies:
                        for name in queries:
                            for server in servers:
                                results.setdefault(
                                    (server.name, name, connections, mode), []
                                ).append(
                                    run_wrk(
                                        server.url,
                                        scripts[(name, mode)],
                                        connections,
                                        args.seconds,
                                    )
                                )
                print(f"round {round_no} done", flush=True)
            memory = {
                s.name: (rss_mib(s.process.pid), pss_mib(s.process.pid))
                for s in servers
                if s.process
            }
        finally:
            for server in servers:
                stop(server)
    print(f"\ndata: {args.dist} ({count_quads(args.dist):,} quads)")
    for mode in modes:
        for connections in concurrencies:
            report(servers, queries, results, memory, args.rounds, mode, connections)


def count_quads(dist: Path) -> int:
    with (dist / "election-kg.nq").open("rb") as lines:
        return sum(1 for line in lines if line.strip() and not line.startswith(b"#"))


def report(
    servers: list[Server],
    queries: dict[str, str],
    results: dict,
    memory: dict[str, tuple[float, float]],
    rounds: int,
    mode: str,
    connections: int,
) -> None:
    reference = "oxigraph in-memory"
    print(
        f"\n## {mode} queries, concurrency {connections} "
        f"(median over {rounds} rounds; requests/s, p50 ms, p99 ms)"
    )
    print("| query | " + " | ".join(s.name for s in servers) + " |")
    print("|---|" + "---|" * len(servers))
    for name in queries:
        cells = []
        for server in servers:
            runs = results[(server.name, name, connections, mode)]
            rps = statistics.median(r[0] for r in runs)
            p50 = statistics.median(r[1] for r in runs)
            p99 = statistics.median(r[2] for r in runs)
            errors = sum(r[3] for r in runs)
            cells.append(
                f"{rps:,.0f} / {p50:.1f} / {p99:.1f}" + (f" ({errors} non-2xx)" if errors else "")
            )
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(
        "\n| server | geometric mean req/s | ratio to oxigraph in-memory (median of per-round "
        "ratios) | worst p99 ms | RSS / PSS MiB |"
    )
    print("|---|---|---|---|---|")
    for server in servers:
        per_round = []
        for i in range(rounds):
            mine = geomean([results[(server.name, q, connections, mode)][i][0] for q in queries])
            key = (reference, next(iter(queries)), connections, mode)
            ref = (
                geomean([results[(reference, q, connections, mode)][i][0] for q in queries])
                if key in results
                else math.nan
            )
            per_round.append(mine / ref if ref else math.nan)
        runs = [results[(server.name, q, connections, mode)] for q in queries]
        mean = geomean([statistics.median(r[0] for r in run) for run in runs])
        worst_p99 = max(statistics.median(r[2] for r in run) for run in runs)
        rss, pss = memory.get(server.name, (math.nan, math.nan))
        print(
            f"| {server.name} | {mean:,.0f} | {statistics.median(per_round):.2f}x | "
            f"{worst_p99:.1f} | {rss:.0f} / {pss:.0f} |"
        )


if __name__ == "__main__":
    main()
