"""Soak test: many concurrent clients mixing valid, invalid and deliberately slow queries.

Starts `election-kg serve` on a free loopback port (or uses --url), runs --clients client threads
for --seconds, optionally SIGKILLs query worker processes while it runs (--kill-every), and
prints requests served, answers by status, p50/p99 latency, failed requests (connection errors
and 5xx other than the documented query timeout) and the server's resident memory before and
after. Traffic stays on 127.0.0.1; every loop is bounded in time. Exit code 1 when the run
breaks the bar: a 5xx other than a timeout, a failed request, or RSS growth of 20% or more.

Usage: python scripts/soak.py [--clients 100] [--seconds 60] [--kill-every 5] [--timeout 2]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
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

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [p.read_text() for p in sorted((ROOT / "scripts" / "bench_queries").glob("*.rq"))]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
RESULTS_JSON = "application/sparql-results+json"


@dataclass
class Tally:
    statuses: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: str, seconds: float, failure: str | None) -> None:
        with self.lock:
            self.statuses[f"{kind} {status}"] += 1
            self.latencies.append(seconds)
            if failure:
                self.failures.append(failure)


def requests_mix(rng: random.Random) -> tuple[str, str, str, bytes, dict[str, str]]:
    """(kind, method, path, body, headers) for one request of the mix."""
    roll = rng.random()
    form = {"Content-Type": "application/x-www-form-urlencoded", "Accept": RESULTS_JSON}
    if roll < 0.70:
        query = rng.choice(QUERIES)
        accept = "text/turtle" if query.lstrip("# \n").split("\n")[-1].strip().upper().startswith(("DESCRIBE", "CONSTRUCT")) else RESULTS_JSON
        return "valid", "POST", "/sparql", urllib.parse.urlencode({"query": query}).encode(), {**form, "Accept": accept}
    if roll < 0.80:
        return "valid", "GET", "/sparql?" + urllib.parse.urlencode({"query": rng.choice(QUERIES)}), b"", {"Accept": "text/csv"}
    if roll < 0.95:
        bad = rng.choice([
            ("POST", "/sparql", urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p "}).encode(), form),
            ("POST", "/sparql", b"\xff\xfe query", {"Content-Type": "application/sparql-query"}),
            ("GET", "/sparql?query=ASK%7B%7D&format=nope", b"", {}),
            ("GET", "/sparql?query=ASK%7B%7D", b"", {"Accept": "image/png"}),
            ("POST", "/sparql", urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(), form),
            ("GET", "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}), b"", {}),
            ("GET", "/id/party/no-such-party", b"", {"Accept": "text/turtle"}),
        ])
        return ("invalid", *bad)
    return "slow", "POST", "/sparql", urllib.parse.urlencode({"query": SLOW}).encode(), form


def client(url: str, deadline: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    while time.monotonic() < deadline:
        kind, method, path, body, headers = requests_mix(rng)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            answer.read()
            status = answer.status
            failure = None
            if status >= 500 and not (kind == "slow" and status == 503):
                failure = f"{status} for {kind} {method} {path[:60]}"
            tally.record(kind, str(status), time.monotonic() - started, failure)
            if answer.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        except (OSError, http.client.HTTPException) as exc:
            tally.record(kind, "connection-error", time.monotonic() - started, f"{type(exc).__name__} for {kind} {method} {path[:60]}")
            connection.close()
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        found += kids
        todo += kids
    return found


def rss_mib(pid: int) -> float:
    total = 0
    for current in [pid, *descendants(pid)]:
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def query_workers(server_pid: int) -> list[int]:
    """Processes that run queries: the children of each HTTP worker's forkserver."""
    forkservers = [p for w in children(server_pid) for p in children(w) if _is_forkserver(p)]
    return [p for f in forkservers for p in children(f)]


def children(pid: int) -> list[int]:
    try:
        return [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    except OSError:
        return []


def _is_forkserver(pid: int) -> bool:
    try:
        return b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def killer(server_pid: int, every: float, deadline: float, kills: list[int]) -> None:
    rng = random.Random(1)
    while time.monotonic() + every < deadline:
        time.sleep(every)
        workers = query_workers(server_pid)
        if workers:
            victim = rng.choice(workers)
            try:
                os.kill(victim, signal.SIGKILL)
                kills.append(victim)
            except OSError:
                pass


def start_server(timeout: float, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "ELECTION_KG_QUERY_TIMEOUT": str(timeout)}
    process = subprocess.Popen([str(Path(sys.executable).parent / "election-kg"), "serve", "--port", str(port), "--workers", str(workers)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-every", type=float, default=0, help="SIGKILL a query worker every N seconds (0: never)")
    parser.add_argument("--timeout", type=float, default=2, help="the server's query timeout for this run, in seconds")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    process, url = start_server(args.timeout, args.workers)
    try:
        time.sleep(1)
        rss_before = rss_mib(process.pid)
        tally, kills = Tally(), []
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(url, deadline, tally, n), daemon=True) for n in range(args.clients)]
        if args.kill_every:
            threads.append(threading.Thread(target=killer, args=(process.pid, args.kill_every, deadline, kills), daemon=True))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 90)
        elapsed = time.monotonic() - started
        rss_after = rss_mib(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()

    total = sum(tally.statuses.values())
    latencies = sorted(tally.latencies)
    print(f"soak: {args.clients} clients for {args.seconds:.0f} s, query timeout {args.timeout} s, workers killed: {len(kills)}")
    print(f"requests served: {total} ({total / elapsed:.0f}/s)")
    for key, count in sorted(tally.statuses.items()):
        print(f"  {key}: {count}")
    if latencies:
        print(f"latency p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms")
    unexpected_5xx = [f for f in tally.failures if f[:1] == "5"]
    print(f"5xx other than documented timeouts: {len(unexpected_5xx)}")
    print(f"failed requests (connection errors and unexpected 5xx): {len(tally.failures)}")
    for failure in tally.failures[:10]:
        print(f"  {failure}")
    growth = (rss_after - rss_before) / rss_before * 100 if rss_before else 0.0
    print(f"RSS of all server processes: {rss_before:.0f} MiB before, {rss_after:.0f} MiB after ({growth:+.1f}%)")
    return 1 if tally.failures or growth >= 20 else 0


if __name__ == "__main__":
    sys.exit(main())
