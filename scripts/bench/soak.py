"""Soak test: many concurrent clients mixing valid, invalid and deliberately slow queries.

Starts `election-kg serve` on a free loopback port, warms it up, then runs --clients client threads
for --seconds, optionally SIGKILLing a query process every --kill-every seconds, and prints the
requests served, answers by kind and status, p50/p99 latency, failed requests and the resident
memory of all the server's processes before and after. Traffic stays on loopback; every loop is
bounded in time.

- Valid queries are the benchmark mix (election_kg/bench/queries), a third of them made unique by a
  comment so that they miss the result and shape caches and run the whole path (guard, pool,
  serializer); invalid requests cover parse errors, bad bytes, unknown formats, refused Accept,
  updates, SERVICE calls and unknown resources; slow queries are a triple cartesian product that
  must end at the --timeout deadline with the documented 503.
- Each client has its own loopback address (127.0.0.2, .3, ...), as distinct clients would, so the
  per-client query budget stays on and is exercised under load without one client's slow queries
  spending the others' budgets.
- A request that fails on a reused keep-alive connection before any answer arrives is sent once
  more on a new connection, as browsers and HTTP libraries do for a connection the server had
  closed; those replays are counted and printed.
- Memory is measured after a warm-up (--warmup seconds of the same mix), once the bounded caches
  hold what they will hold, and at the end: growth past that is what a leak would show.

Exit code 1 when the run breaks the bar: a 5xx other than the documented timeout (503), a failed
request (no answer), or RSS growth of 20% or more.

Usage: python -m election_kg.bench.soak [--clients 100] [--seconds 60] [--kill-every 5] [--timeout 2]
"""

from __future__ import annotations

import argparse
import functools
import http.client
import math
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from election_kg.bench import CHECKOUT as ROOT
from election_kg.bench import QUERIES
from election_kg.bench.processes import query_workers, rss_mib

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RESULTS_JSON = "application/sparql-results+json"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TIMEOUT_MESSAGE = b"and was stopped"  # the documented 503's message
KILLED_MESSAGE = b"stopped unexpectedly"  # the 502 of a query whose worker died under every run
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
_FIRST_KEYWORD = re.compile(
    r"^\s*(?:(?:#[^\n]*|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*(\w+)", re.IGNORECASE
)


@dataclass(frozen=True)
class Options:
    clients: int = 100
    seconds: float = 60
    kill_every: float = 0
    timeout: float = 2
    workers: int = 2
    warmup: float = 10
    dist: Path = ROOT / "data" / "dist"


@dataclass
class Report:
    options: Options
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(
        default_factory=list
    )  # no answer, or a 5xx other than the documented timeout
    killed_failures: int = 0  # failures of queries whose worker was killed under every run
    replays: int = 0
    kills: int = 0
    elapsed: float = 0.0
    rss_start: float = 0.0
    rss_before: float = 0.0
    rss_after: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(
        self,
        kind: str,
        status: str,
        seconds: float,
        failure: str | None,
        killed: bool,
        replayed: bool,
    ) -> None:
        with self.lock:
            self.statuses[f"{kind} {status}"] += 1
            self.latencies.append(seconds)
            self.replays += replayed
            if failure:
                self.failures.append(failure)
                self.killed_failures += killed

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def unexpected_5xx(self) -> int:
        return sum(1 for failure in self.failures if failure[:1] == "5")

    @property
    def rss_growth(self) -> float:
        return (
            (self.rss_after - self.rss_before) / self.rss_before * 100 if self.rss_before else 0.0
        )

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(len(ordered) * fraction) - 1)] if ordered else 0.0

    @property
    def passed(self) -> bool:
        return not self.failures and self.rss_growth < 20


def _accept(query: str) -> str:
    found = _FIRST_KEYWORD.match(query)
    return (
        "text/turtle"
        if found and found.group(1).upper() in ("CONSTRUCT", "DESCRIBE")
        else RESULTS_JSON
    )


@functools.cache
def _mix() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))]


def requests_mix(rng: random.Random) -> tuple[str, str, str, bytes, dict[str, str]]:
    """(kind, method, path, body, headers) for one request of the mix: 78% valid, 20% invalid, 2% slow."""
    roll = rng.random()
    if roll < 0.78:
        query = rng.choice(_mix())
        if rng.random() < 1 / 3:
            query += f"\n# soak {rng.getrandbits(48)}"  # unique: misses the caches
        if roll < 0.68:
            return (
                "valid",
                "POST",
                "/sparql",
                urllib.parse.urlencode({"query": query}).encode(),
                {**FORM, "Accept": _accept(query)},
            )
        return (
            "valid",
            "GET",
            "/sparql?" + urllib.parse.urlencode({"query": query}),
            b"",
            {"Accept": "text/csv" if _accept(query) == RESULTS_JSON else "application/n-triples"},
        )
    if roll < 0.98:
        bad = rng.choice(
            [
                (
                    "POST",
                    "/sparql",
                    urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p "}).encode(),
                    {**FORM, "Accept": RESULTS_JSON},
                ),
                (
                    "POST",
                    "/sparql",
                    b"\xff\xfe query",
                    {"Content-Type": "application/sparql-query"},
                ),
                ("GET", "/sparql?query=ASK%7B%7D&format=nope", b"", {}),
                ("GET", "/sparql?query=ASK%7B%7D", b"", {"Accept": "image/png"}),
                ("POST", "/sparql", urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(), FORM),
                (
                    "GET",
                    "/sparql?"
                    + urllib.parse.urlencode(
                        {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}
                    ),
                    b"",
                    {},
                ),
                (
                    "GET",
                    "/sparql?"
                    + urllib.parse.urlencode(
                        {"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"}
                    ),
                    b"",
                    {},
                ),
                ("GET", "/id/party/no-such-party", b"", {"Accept": "text/turtle"}),
                ("PROPFIND", "/sparql", b"", {}),
            ]
        )
        return ("invalid", *bad)
    return (
        "slow",
        "POST",
        "/sparql",
        urllib.parse.urlencode({"query": SLOW}).encode(),
        {**FORM, "Accept": RESULTS_JSON},
    )


def client(url: str, deadline: float, report: Report, number: int) -> None:
    rng = random.Random(number)
    parsed = urllib.parse.urlsplit(url)
    source = (f"127.0.{number // 250}.{2 + number % 250}", 0)

    def connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection(
            parsed.hostname, parsed.port, timeout=120, source_address=source
        )

    connection, used = connect(), False
    while time.monotonic() < deadline:
        kind, method, path, body, headers = requests_mix(rng)
        started, replayed = time.monotonic(), False
        while True:
            try:
                connection.request(method, path, body=body or None, headers=headers)
                answer = connection.getresponse()
                content = answer.read()
                break
            except STALE as exc:
                connection.close()
                connection = connect()
                if (
                    used and not replayed
                ):  # the server had closed this keep-alive connection: send it again, once
                    used, replayed = False, True
                    continue
                answer, content = None, f"{type(exc).__name__}".encode()
                break
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connection, answer, content = (
                    connect(),
                    None,
                    f"{type(exc).__name__}: {exc}".encode(),
                )
                break
        seconds = time.monotonic() - started
        if answer is None:
            report.record(
                kind,
                "no answer",
                seconds,
                f"no answer ({content.decode()}) to {kind} {method} {path[:60]}",
                False,
                replayed,
            )
            used = False
            continue
        used = True
        documented = answer.status == 503 and TIMEOUT_MESSAGE in content
        failure = (
            None
            if answer.status < 500 or documented
            else f"{answer.status} for {kind} {method} {path[:60]}: {content[:120]!r}"
        )
        report.record(
            kind,
            str(answer.status),
            seconds,
            failure,
            answer.status == 502 and KILLED_MESSAGE in content,
            replayed,
        )
        if (answer.getheader("Connection") or "").lower() == "close":
            connection.close()
            connection, used = connect(), False
    connection.close()


def killer(server_pid: int, every: float, deadline: float, report: Report) -> None:
    rng = random.Random(1)
    while time.monotonic() + every < deadline:
        time.sleep(every)
        workers = query_workers(server_pid)
        if workers:
            try:
                os.kill(rng.choice(workers), signal.SIGKILL)
                report.kills += 1
            except OSError:
                pass


def start_server(options: Options) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "ELECTION_KG_QUERY_TIMEOUT": str(options.timeout)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "election_kg",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(options.workers),
            "--dist",
            str(options.dist),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"the server exited with {process.returncode}; try `election-kg serve --dist {options.dist}`"
            )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process, url
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    stop_server(process)
    raise SystemExit("the server did not start within 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and every process it started (its session: workers, forkservers, query processes)."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def _load(
    url: str, clients: int, seconds: float, report: Report, server_pid: int, kill_every: float
) -> None:
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(url, deadline, report, n), daemon=True)
        for n in range(clients)
    ]
    if kill_every:
        threads.append(
            threading.Thread(
                target=killer, args=(server_pid, kill_every, deadline, report), daemon=True
            )
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 150)


def run(options: Options) -> Report:
    """Start a server, warm it up, soak it, stop it; the figures of the soak proper."""
    process, url = start_server(options)
    report = Report(options)
    try:
        report.rss_start = rss_mib(process.pid)
        if options.warmup:
            _load(url, options.clients, options.warmup, Report(options), process.pid, 0)
        report.rss_before = rss_mib(process.pid)
        started = time.monotonic()
        _load(url, options.clients, options.seconds, report, process.pid, options.kill_every)
        report.elapsed = time.monotonic() - started
        report.rss_after = rss_mib(process.pid)
    finally:
        stop_server(process)
    return report


def render(report: Report) -> str:
    o = report.options
    kills = f"a query process killed every {o.kill_every:g} s" if o.kill_every else "no kills"
    lines = [
        f"soak: {o.clients} clients for {o.seconds:g} s after {o.warmup:g} s of warm-up, query timeout {o.timeout:g} s, "
        f"{o.workers} HTTP workers, {kills}",
        f"requests served: {report.requests} ({report.requests / report.elapsed:.0f}/s)"
        if report.elapsed
        else "requests served: 0",
        "answers by kind and status:",
    ]
    lines += [f"  {key}: {count}" for key, count in sorted(report.statuses.items())]
    lines += [
        f"latency p50 {statistics.median(report.latencies) * 1000:.1f} ms, p99 {report.percentile(0.99) * 1000:.1f} ms"
        if report.latencies
        else "latency: no requests",
        f"query processes killed: {report.kills}; requests that failed because of it: {report.killed_failures}",
        f"stale keep-alive connections replayed once: {report.replays}",
        f"5xx other than the documented timeout (503): {report.unexpected_5xx}",
        f"failed requests (no answer, or an undocumented 5xx): {len(report.failures)}",
    ]
    lines += [f"  {failure}" for failure in report.failures[:10]]
    lines.append(
        f"RSS of all server processes: {report.rss_start:.0f} MiB at start, {report.rss_before:.0f} MiB after warm-up, "
        f"{report.rss_after:.0f} MiB at the end ({report.rss_growth:+.1f}%)"
    )
    lines.append(
        "PASS"
        if report.passed
        else "FAIL: " + ("failed requests" if report.failures else "RSS grew by 20% or more")
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=Options.clients)
    parser.add_argument("--seconds", type=float, default=Options.seconds)
    parser.add_argument(
        "--kill-every",
        type=float,
        default=Options.kill_every,
        help="SIGKILL a query process every N seconds (0: never)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=Options.timeout,
        help="the server's query timeout for this run, in seconds",
    )
    parser.add_argument(
        "--workers", type=int, default=Options.workers, help="HTTP worker processes"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=Options.warmup,
        help="seconds of the same load before measuring",
    )
    parser.add_argument("--dist", type=Path, default=Options.dist, help="the build to serve")
    args = parser.parse_args()
    report = run(
        Options(
            args.clients,
            args.seconds,
            args.kill_every,
            args.timeout,
            args.workers,
            args.warmup,
            args.dist,
        )
    )
    print(render(report))
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
