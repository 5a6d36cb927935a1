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
- --reload-every N sends the server a SIGHUP every N seconds while the clients query (a new build
  picked up under load): every request must still be answered.
- --crash mixes in queries that would crash the query engine (3,000 nested groups, 18 KB): each
  must be refused with the documented 400 (max_query_depth) and no query process may die of them.
- Memory is measured after a warm-up (--warmup seconds of the same mix), once the bounded caches
  hold what they will hold, and at the end: growth past that is what a leak would show.

Exit code 1 when the run breaks the bar: a failed request, or RSS growth of 20% or more. A failed
request is one without an answer, a 5xx other than the documented ones (503 at the deadline; 502
for a query whose process was killed twice, only while processes are being killed), a valid query
answered anything but 200 (or the documented 429 of a spent budget, or the 503 deadline), or a
crash-mode query answered anything but its 400.

Usage: python -m election_kg.bench.soak [--clients 100] [--seconds 60] [--kill-every 5] [--timeout 2]
                                        [--reload-every 2] [--crash]
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
BUDGET_MESSAGE = b"query time budget"  # the documented 429
DEPTH_MESSAGE = b"max_query_depth"  # the documented 400 of a query nested too deep
CRASHING = (
    "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000
)  # overflows pyoxigraph's stack
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
    reload_every: float = 0  # SIGHUP the server every N seconds (0: never)
    crash: bool = False  # mix in queries that would crash the engine


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
    reloads: int = 0
    query_processes_lost: int = 0  # crash mode: query processes that died (none are killed then)
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
        # while reloading, a retiring worker and its successor briefly both hold memory: RSS then
        # says nothing about leaks
        steady = self.rss_growth < 20 or bool(self.options.reload_every)
        return not self.failures and not self.query_processes_lost and steady


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


def requests_mix(
    rng: random.Random, crash: bool = False
) -> tuple[str, str, str, bytes, dict[str, str]]:
    """(kind, method, path, body, headers) for one request of the mix: 78% valid, 20% invalid, 2% slow;
    in crash mode 5% of the invalid ones are queries that would crash the engine."""
    roll = rng.random()
    if crash and 0.78 <= roll < 0.83:
        return (
            "crash",
            "POST",
            "/sparql",
            urllib.parse.urlencode({"query": CRASHING}).encode(),
            {**FORM, "Accept": RESULTS_JSON},
        )
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


def failure_of(kind: str, status: int, content: bytes, killing: bool = False) -> str | None:
    """Why an answer breaks the bar, or None: the expected answers of each kind of request."""
    if status == 503 and TIMEOUT_MESSAGE in content and kind in ("valid", "slow"):
        return None  # the documented deadline
    if status == 429 and BUDGET_MESSAGE in content and kind in ("valid", "slow"):
        return None  # the documented budget, per client
    if status == 502 and KILLED_MESSAGE in content and killing:
        return None  # a query whose process was killed twice from outside: documented
    if kind == "valid":
        return None if status == 200 else f"{status} for a valid query"
    if kind == "crash":
        ok = status == 400 and DEPTH_MESSAGE in content
        return None if ok else f"{status} for a query nested too deep (expected 400)"
    if kind == "slow":
        return None if status == 200 else f"{status} for a slow query (expected 503)"
    return None if 400 <= status < 500 else f"{status} for an invalid request (expected a 4xx)"


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
        kind, method, path, body, headers = requests_mix(rng, report.options.crash)
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
        reason = failure_of(kind, answer.status, content, bool(report.options.kill_every))
        failure = reason and f"{reason}: {kind} {method} {path[:60]}: {content[:120]!r}"
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


def reloader(
    process: subprocess.Popen[bytes], every: float, deadline: float, report: Report
) -> None:
    while time.monotonic() + every < deadline:
        time.sleep(every)  # the cadence
        process.send_signal(signal.SIGHUP)
        report.reloads += 1


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
        process.wait(timeout=30)  # the README's bound: query_timeout + 5 s
    except subprocess.TimeoutExpired:
        print("the server did not stop within 30 s of SIGTERM", file=sys.stderr)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def _load(
    url: str,
    clients: int,
    seconds: float,
    report: Report,
    process: subprocess.Popen[bytes],
    kill_every: float,
    reload_every: float = 0,
) -> None:
    server_pid = process.pid
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
    if reload_every:
        threads.append(
            threading.Thread(
                target=reloader, args=(process, reload_every, deadline, report), daemon=True
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
            _load(url, options.clients, options.warmup, Report(options), process, 0)
        report.rss_before = rss_mib(process.pid)
        before = set(query_workers(process.pid))
        started = time.monotonic()
        _load(
            url,
            options.clients,
            options.seconds,
            report,
            process,
            options.kill_every,
            options.reload_every,
        )
        report.elapsed = time.monotonic() - started
        if options.crash and not options.kill_every and not options.reload_every:
            report.query_processes_lost = len(before - set(query_workers(process.pid)))
        report.rss_after = rss_mib(process.pid)
    finally:
        stop_server(process)
    return report


def render(report: Report) -> str:
    o = report.options
    kills = f"a query process killed every {o.kill_every:g} s" if o.kill_every else "no kills"
    kills += f", a SIGHUP every {o.reload_every:g} s" if o.reload_every else ""
    kills += ", crash-inducing queries in the mix" if o.crash else ""
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
        f"reloads (SIGHUP): {report.reloads}",
        f"query processes lost to crash-inducing queries: {report.query_processes_lost}",
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
    parser.add_argument(
        "--reload-every",
        type=float,
        default=Options.reload_every,
        help="SIGHUP the server every N seconds while the clients query (0: never)",
    )
    parser.add_argument(
        "--crash", action="store_true", help="mix in queries that would crash the query engine"
    )
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
            args.reload_every,
            args.crash,
        )
    )
    print(render(report))
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
