"""Faults: query processes killed under load, a new build served without a restart (and a failed
one never served), and a server that refuses to start on missing or damaged dumps."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from election_kg.bench.processes import alive, http_workers, query_workers
from tests.support.live import STOP_BOUND, LiveServer, free_port, start_server, stop_server
from tests.support.project import CLI, ROOT, SEED_SOURCE, copy_project, run_cli
from tests.support.waiting import wait_for, wait_until_a_query_runs

JSON = {"Accept": "application/sparql-results+json"}
MIX = [
    p.read_text(encoding="utf-8")
    for p in sorted((ROOT / "scripts" / "bench" / "queries").glob("*.rq"))
    if "SELECT" in p.read_text()
]
assert MIX, "the benchmark's query mix is missing"
MEDIUM = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d <http://www.w3.org/2000/01/rdf-schema#label> ?f }"  # some 50 ms of work
PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # a few seconds: the square of the triple count
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(url: str, query: str = COUNT, timeout: float = 60) -> int:
    answer = requests.post(url + "/sparql", data={"query": query}, headers=JSON, timeout=timeout)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


# --- query processes killed under load ----------------------------------------------------------


@pytest.fixture(scope="module")
def busy(seed_built) -> Iterator[LiveServer]:
    """One HTTP worker (so one pool), no result cache (every query runs), no budget (one client, much work).
    The seed alone: MEDIUM and PRODUCT cost the square of the triple count, calibrated on it."""
    server = start_server(
        seed_built.dist,
        env={"ELECTION_KG_RESULT_CACHE_SIZE": "0", "ELECTION_KG_QUERY_BUDGET": "0"},
        workers=1,
    )
    yield server
    stop_server(server)


def test_query_processes_killed_mid_load_are_replaced_and_no_request_fails(busy):
    """Six clients query while query processes are SIGKILLed, one at a time: a query whose process
    is killed runs once more (at most once), so no request fails. The killer waits, after each kill,
    until every client has finished a request it started after that kill: the next kill can then
    never meet the retry of a query the previous one interrupted (which would fail, by design)."""
    stop = threading.Event()
    failures: list[str] = []
    answered, kills = [0], []
    latest_start = [0.0] * 6  # per client: when its last finished request started

    def client(number: int) -> None:
        rng = random.Random(number)
        with requests.Session() as session:
            while not stop.is_set():
                query = rng.choice([*MIX, MEDIUM, MEDIUM])
                started = time.monotonic()
                try:
                    answer = session.post(
                        busy.url + "/sparql", data={"query": query}, headers=JSON, timeout=30
                    )
                except requests.RequestException as exc:
                    failures.append(repr(exc))
                    continue
                if answer.status_code != 200:
                    failures.append(f"{answer.status_code}: {answer.text[:200]}")
                else:
                    answered[0] += 1
                latest_start[number] = started

    def killer() -> None:
        rng = random.Random(7)
        while not stop.is_set() and (len(kills) < 6 or answered[0] < 50):
            time.sleep(0.3)  # pacing between kills
            if workers := query_workers(busy.process.pid):
                victim = rng.choice(workers)
                killed_at = time.monotonic()
                os.kill(victim, signal.SIGKILL)
                kills.append(victim)
                wait_for(
                    lambda at=killed_at: stop.is_set() or min(latest_start) > at,
                    60,
                    "every client finishing a request started after the kill",
                )
        stop.set()

    clients = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for thread in clients:
        thread.start()
    try:
        killer()
    finally:
        stop.set()
        for thread in clients:
            thread.join(60)
    assert len(kills) >= 6 and answered[0] >= 50
    assert failures == []
    replaced = wait_for(lambda: query_workers(busy.process.pid), what="query processes")
    assert set(replaced).isdisjoint(kills)


# --- a new build without a restart; a failed build never served ---------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(
        tmp_path_factory.mktemp("reload"), [SEED_SOURCE]
    )  # the seed alone: each rebuild takes seconds
    assert run_cli("build", "--root", str(root)).returncode == 0
    return root


@pytest.fixture(scope="module")
def reloading(project) -> Iterator[LiveServer]:
    # a deadline long enough for PRODUCT (a few seconds idle) on a loaded machine
    server = start_server(
        project / "data" / "dist",
        env={"ELECTION_KG_QUERY_BUDGET": "0", "ELECTION_KG_QUERY_TIMEOUT": "60"},
        workers=2,
    )
    yield server
    stop_server(server)


def _version(url: str) -> str:
    return requests.get(url + "/health", timeout=10).json()["dataVersion"]


def _settled(server: LiveServer, seconds: float = 60) -> list[int]:
    """The HTTP workers, once both are up with their query pools."""
    deadline = time.monotonic() + seconds
    while len(workers := http_workers(server.process.pid)) != 2:
        assert time.monotonic() < deadline, (
            f"the server has {len(workers)} HTTP workers after {seconds} s"
        )
        time.sleep(0.2)
    return workers


def _wait_for_replacement(old_workers: list[int], seconds: float = 60) -> None:
    """Until every HTTP worker of the old build has exited (they go one at a time, each after its last request)."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in old_workers):
        assert time.monotonic() < deadline, f"old workers still running after {seconds} s"
        time.sleep(0.2)


def _manifest(project: Path) -> dict:
    return json.loads((project / "data" / "dist" / "manifest.json").read_text(encoding="utf-8"))


def test_a_failed_build_never_replaces_the_served_one(project, reloading):
    served, target = _version(reloading.url), (project / "data" / "dist").resolve()
    broken = project / "data" / "sources" / "2002_Testland_general_election.txt"
    broken.write_text(
        (ROOT / "tests" / "fixtures" / "articles" / broken.name)
        .read_text(encoding="utf-8")
        .replace("Seats2: 4", "Seats2: -4"),
        encoding="utf-8",
    )
    try:
        # --strict: a malformed article fails the whole build (without it, it is quarantined)
        result = run_cli("build", "--strict", "--root", str(project))
        assert result.returncode == 1 and "must not be negative" in result.stderr
    finally:
        broken.unlink()
    assert (project / "data" / "dist").resolve() == target
    old_workers = _settled(reloading)
    reloading.process.send_signal(
        signal.SIGHUP
    )  # even told to reload, the server finds the good build
    _wait_for_replacement(old_workers)
    _settled(reloading)
    assert all(_version(reloading.url) == served for _ in range(10))
    assert _count(reloading.url) > 0


def test_sighup_serves_a_new_build_while_in_flight_queries_finish_on_the_old_one(
    project, reloading
):
    old_version, old_count = _version(reloading.url), _count(reloading.url)
    shutil.copy(
        ROOT / "tests" / "fixtures" / "articles" / "2002_Testland_general_election.txt",
        project / "data" / "sources",
    )
    assert run_cli("build", "--root", str(project)).returncode == 0
    new_version = _manifest(project)["dataVersion"]
    assert new_version != old_version

    in_flight: dict[str, int] = {}
    slow = threading.Thread(
        target=lambda: in_flight.setdefault("n", _count(reloading.url, PRODUCT))
    )
    failures: list[str] = []
    polling = threading.Event()

    def poll() -> None:  # meanwhile, every request is answered, by one build or the other
        while not polling.is_set():
            try:
                answer = requests.get(
                    reloading.url + "/health", timeout=10, headers={"Connection": "close"}
                )
                if answer.status_code != 200 or answer.json()["dataVersion"] not in (
                    old_version,
                    new_version,
                ):
                    failures.append(f"{answer.status_code} {answer.text[:100]}")
            except requests.RequestException as exc:
                failures.append(repr(exc))
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    old_workers = _settled(reloading)
    slow.start()
    poller.start()
    wait_until_a_query_runs(reloading.process.pid)  # the product runs in a worker of the old build
    reloading.process.send_signal(signal.SIGHUP)
    try:
        slow.join(60)
        _wait_for_replacement(old_workers)
    finally:
        polling.set()
        poller.join(15)
    assert in_flight["n"] == old_count**2, (
        "the in-flight query should have finished on the build it started on"
    )
    assert all(
        _version(reloading.url) == new_version for _ in range(10)
    )  # every worker now serves the new build
    assert _count(reloading.url) > old_count  # which has the second article
    _settled(reloading)
    assert failures == []
    assert (
        requests.get(
            reloading.url + "/page/election/2002-testland-general-election", timeout=30
        ).status_code
        == 200
    )


# --- reloads at any cadence under load; SIGTERM in bounded time ------------------------------------

PATHS = [
    ("/health", None),
    ("/", None),
    ("/sparql", "SELECT ?s WHERE { ?s a <http://127.0.0.1:5000/ontology#LegislativeElection> }"),
    ("/sparql", "ASK { ?s ?p ?o }"),
]


def test_sighup_every_2_s_under_load_drops_nothing_and_sigterm_stops_in_bounded_time(built):
    """8 clients (half keep-alive, half a new connection per request, no retry) while the server
    reloads every 2 s for 30 s: every request is answered 200; no extra worker is left; then a
    SIGTERM sent in the middle of a reload stops the server within the documented bound."""
    server = start_server(built.dist, env={"ELECTION_KG_QUERY_BUDGET": "0"}, workers=2)
    stop = threading.Event()
    outcomes: list[str] = []

    def client(number: int) -> None:
        session = requests.Session() if number % 2 else None
        i = number
        while not stop.is_set():
            path, query = PATHS[i % len(PATHS)]
            i += 1
            try:
                answer = (session or requests).get(
                    server.url + path,
                    params={"query": query} if query else None,
                    headers={"Accept": "application/sparql-results+json"} if query else {},
                    timeout=30,
                )
                outcomes.append("ok" if answer.status_code == 200 else f"{answer.status_code}")
            except requests.RequestException as exc:
                outcomes.append(repr(exc)[:200])

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    try:
        for thread in threads:
            thread.start()
        for _ in range(15):  # a SIGHUP every 2 s for 30 s
            stop.wait(2.0)  # the cadence itself, not a wait for a condition
            server.process.send_signal(signal.SIGHUP)
        stop.set()
        for thread in threads:
            thread.join(60)
        failures = [outcome for outcome in outcomes if outcome != "ok"]
        assert len(outcomes) > 100
        assert failures == [], f"{len(failures)} of {len(outcomes)} failed: {failures[:5]}"
        # the last reloads finish; then exactly two workers serve (none left over)
        wait_for(lambda: len(http_workers(server.process.pid)) == 2, 120, "two HTTP workers")
        assert requests.get(server.url + "/health", timeout=30).status_code == 200

        before = set(http_workers(server.process.pid))
        server.process.send_signal(signal.SIGHUP)  # SIGTERM in the middle of a reload
        wait_for(lambda: set(http_workers(server.process.pid)) - before, 30, "a new worker")
        stopping = time.monotonic()
        server.process.terminate()
        server.process.wait(timeout=STOP_BOUND)
        assert time.monotonic() - stopping < STOP_BOUND
    finally:
        stop.set()
        stop_server(server)


def test_a_keep_alive_connection_left_idle_across_a_reload_is_still_answered(built):
    """A keep-alive client that sends nothing for longer than `close_grace` while its worker is
    replaced (as a client thread held back on a busy machine does): its next request on the same
    connection is answered, with `Connection: close`, and only then does the old worker stop. It
    used to be stopped `close_grace` after the reload, closing the idle connection under the client
    (1 request in 7,025 failed so in the reload test on a loaded machine)."""
    server = start_server(built.dist, env={"ELECTION_KG_QUERY_BUDGET": "0"}, workers=1)
    try:
        session = requests.Session()
        assert session.get(server.url + "/health", timeout=30).status_code == 200
        [old] = http_workers(server.process.pid)
        server.process.send_signal(signal.SIGHUP)
        wait_for(lambda: f"(PID {old} ->" in server.log.read_text(), 60, "the worker replaced")
        threading.Event().wait(3.0)  # the client's idle time itself, longer than close_grace (1 s)
        assert alive(old)  # it waits for the connection it still holds
        answer = session.get(server.url + "/health", timeout=30)
        assert answer.status_code == 200
        assert answer.headers.get("Connection") == "close"
        wait_for(lambda: not alive(old), 30, "the retired worker gone")
    finally:
        stop_server(server)


def test_a_worker_stopped_while_it_loads_dies_and_leaves_no_extra_worker(built):
    """A SIGTERM that reaches a new worker before it has loaded the app used to run the master's
    handler in the worker's copy of it: the worker lived on, an extra one, and the master waited on
    it forever. Now it dies at once, the old worker keeps serving, and the server stops in bounds."""
    server = start_server(built.dist, env={"ELECTION_KG_QUERY_BUDGET": "0"}, workers=1)
    try:
        [old] = http_workers(server.process.pid)
        server.process.send_signal(signal.SIGHUP)
        [new] = wait_for(lambda: set(http_workers(server.process.pid)) - {old}, 30, "a new worker")
        os.kill(new, signal.SIGTERM)  # while it loads the app (it takes a second or more)
        wait_for(lambda: not alive(new), 10, "the loading worker gone")
        assert http_workers(server.process.pid) == [old]  # not replaced: the old one serves on
        assert requests.get(server.url + "/health", timeout=30).status_code == 200
        stopping = time.monotonic()
        server.process.terminate()
        server.process.wait(timeout=STOP_BOUND)
        assert time.monotonic() - stopping < STOP_BOUND
    finally:
        stop_server(server)


# --- refusing to start on a damaged build -------------------------------------------------------


@pytest.fixture
def damaged(built, tmp_path) -> Path:
    """A copy of the built release (the folder data/dist points at), to damage."""
    copy = tmp_path / "release"
    shutil.copytree(built.dist.resolve(), copy)
    return copy


def _damage_dump(folder: Path) -> None:
    with open(folder / "election-kg.nq", "ab") as dump:
        dump.write(b"<http://example.org/a> <http://example.org/b> .\n")


def _unparsable_dump_with_a_matching_checksum(folder: Path) -> None:
    import hashlib

    (folder / "election-kg.nq").write_bytes(b"this is not N-Quads\n")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["file"] == "election-kg.nq":
            entry["sha256"] = hashlib.sha256(b"this is not N-Quads\n").hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _built_by_an_older_version(folder: Path) -> None:
    """A release from before the build wrote statistics.json: consistent, but not servable."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = [e for e in manifest["files"] if e["file"] != "statistics.json"]
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "statistics.json").unlink()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_built_by_an_older_version, "lists no statistics.json: the build is from an older"),
        (
            lambda f: (f / "election-kg.nq").unlink(),
            "election-kg.nq is listed in the manifest but missing",
        ),
        (
            lambda f: (f / "election-kg.ttl.gz").unlink(),
            "election-kg.ttl.gz is listed in the manifest but missing",
        ),
        (
            _damage_dump,
            "election-kg.nq does not match its SHA-256 in the manifest (damaged or edited)",
        ),
        (lambda f: (f / "manifest.json").unlink(), "missing manifest.json"),
        (
            lambda f: (f / "manifest.json").write_text("{not json", encoding="utf-8"),
            "is not a valid build manifest",
        ),
        (
            lambda f: (f / "manifest.json").write_text('{"files": []}', encoding="utf-8"),
            "is not a valid build manifest",
        ),
        (_unparsable_dump_with_a_matching_checksum, "cannot load"),
        (lambda f: shutil.rmtree(f), "no build at"),
    ],
)
def test_serve_refuses_a_missing_or_damaged_build_with_a_clear_message(damaged, damage, message):
    damage(damaged)
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--dist", str(damaged)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:  # it started after all: stop it and everything it spawned
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        raise AssertionError("the server started on a damaged build") from None
    assert process.returncode != 0
    assert message in stderr, stderr
    assert "Traceback" not in stderr
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/health", timeout=2)
