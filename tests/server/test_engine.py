"""The query engine: hard deadlines in killable worker processes, crash recovery, and the result cache."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
import requests

from election_kg.bench.processes import descendants, query_workers
from election_kg.server.sparql.cache import ResultCache, normalise
from tests.support.live import start_server, stop_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = (
    "SELECT ?s WHERE { ?s a <http://127.0.0.1:5000/ontology#LegislativeElection> }"  # the seed: 3
)
JSON = {"Accept": "application/sparql-results+json"}


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        except OSError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def strict_server(seed_built):
    """A server with a 3 s deadline and one HTTP worker, so every query shares one pool."""
    server = start_server(
        seed_built.dist,
        env={"ELECTION_KG_QUERY_TIMEOUT": "3", "ELECTION_KG_RESULT_CACHE_SIZE": "0"},
        workers=1,
    )
    assert (
        requests.post(
            server.url + "/sparql", data={"query": SIMPLE}, headers=JSON, timeout=30
        ).status_code
        == 200
    )
    yield server
    stop_server(server)


def test_runaway_query_gets_the_documented_503_while_a_simple_query_is_answered(strict_server):
    slow: dict[str, requests.Response] = {}
    thread = threading.Thread(
        target=lambda: slow.setdefault(
            "r",
            requests.post(
                strict_server.url + "/sparql", data={"query": RUNAWAY}, headers=JSON, timeout=30
            ),
        )
    )
    started = time.monotonic()
    thread.start()
    time.sleep(0.2)
    quick = requests.post(
        strict_server.url + "/sparql", data={"query": SIMPLE}, headers=JSON, timeout=10
    )
    assert quick.status_code == 200 and len(quick.json()["results"]["bindings"]) == 3
    assert time.monotonic() - started < 1.5, "the simple query waited for the runaway one"
    thread.join(timeout=30)
    answer = slow["r"]
    assert answer.status_code == 503
    assert "more than 3 s" in answer.text
    assert 3.0 <= time.monotonic() - started < 5.0


def test_a_timed_out_query_releases_its_cpu(strict_server):
    answer = requests.post(
        strict_server.url + "/sparql", data={"query": RUNAWAY}, headers=JSON, timeout=30
    )
    assert answer.status_code == 503
    time.sleep(0.5)  # within 1 s of the deadline
    pids = descendants(strict_server.process.pid)
    before = _cpu_seconds(pids)
    time.sleep(1.0)
    assert _cpu_seconds(pids) - before < 0.3, "something still computes the runaway query"


def test_a_killed_query_worker_is_replaced_and_no_request_fails(strict_server):
    assert (
        requests.post(
            strict_server.url + "/sparql", data={"query": SIMPLE}, headers=JSON, timeout=10
        ).status_code
        == 200
    )
    workers = query_workers(strict_server.process.pid)
    assert workers, "no query worker process found"
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    for _ in range(10):
        answer = requests.post(
            strict_server.url + "/sparql", data={"query": SIMPLE}, headers=JSON, timeout=10
        )
        assert answer.status_code == 200
    assert set(query_workers(strict_server.process.pid)).isdisjoint(workers)


def test_repeated_query_is_a_cache_hit_even_reformatted(sparql_url):
    query = "SELECT ?p WHERE { ?p a <http://127.0.0.1:5000/ontology#PoliticalParty> } ORDER BY ?p  # cache test"
    reformatted = query.replace(" WHERE ", "\n  WHERE\n    ")
    headers = {**JSON, "Connection": "close"}
    first = requests.post(sparql_url, data={"query": query}, headers=headers, timeout=10)
    hits = [
        requests.post(sparql_url, data={"query": reformatted}, headers=headers, timeout=10)
        for _ in range(4)
    ]
    assert first.status_code == 200 and all(h.status_code == 200 for h in hits)
    assert all(h.content == first.content for h in hits)
    assert "hit" in {
        h.headers["X-Cache"] for h in hits
    }  # several HTTP workers each keep their own cache


def test_cache_is_keyed_by_format(sparql_url):
    query = "SELECT ?p WHERE { ?p a <http://127.0.0.1:5000/ontology#Legislature> } # format key"
    as_json = requests.post(sparql_url, data={"query": query}, headers=JSON, timeout=10)
    as_csv = requests.post(
        sparql_url, data={"query": query}, headers={"Accept": "text/csv"}, timeout=10
    )
    assert as_json.headers["Content-Type"].startswith("application/sparql-results+json")
    assert as_csv.headers["Content-Type"].startswith("text/csv") and as_csv.text.startswith("p\r\n")


def test_normalise_folds_whitespace_but_not_strings():
    assert normalise("SELECT *\n  WHERE { ?s ?p 'a  b' }") == "SELECT * WHERE { ?s ?p 'a  b' }"
    assert normalise('ASK { ?s ?p "x\\"  y" }') == 'ASK { ?s ?p "x\\"  y" }'


def test_cache_hit_and_data_version_in_the_key():
    cache = ResultCache(max_entries=10)
    calls = []

    def compute(value: bytes):
        return lambda: calls.append(value) or value

    assert cache.get_or_compute(("v1", "q"), compute(b"a")) == (b"a", False)
    assert cache.get_or_compute(("v1", "q"), compute(b"b")) == (b"a", True)
    assert cache.get_or_compute(("v2", "q"), compute(b"c")) == (
        b"c",
        False,
    )  # a new build: a new key
    assert calls == [b"a", b"c"]


def test_cache_is_bounded_by_entries_and_bytes():
    cache = ResultCache(max_entries=3, max_bytes=10, max_entry_bytes=6)
    for n in range(5):
        cache.get_or_compute(n, lambda: b"x")
    assert len(cache) == 3
    assert cache.get_or_compute(0, lambda: b"y") == (b"y", False)  # the oldest was evicted
    cache.get_or_compute("big", lambda: b"123456789")  # larger than one entry may be: not kept
    assert cache.get_or_compute("big", lambda: b"other") == (b"other", False)
    for n in range(3):
        cache.get_or_compute(("six", n), lambda: b"123456")
    assert cache._bytes <= 10


def test_errors_are_not_cached():
    cache = ResultCache(max_entries=10)

    def fail():
        raise SyntaxError("bad")

    with pytest.raises(SyntaxError):
        cache.get_or_compute("q", fail)
    assert cache.get_or_compute("q", lambda: b"ok") == (b"ok", False)


def test_disk_store_is_built_once_and_reopened(seed_built, tmp_path):
    env = {"ELECTION_KG_STORE": "disk", "ELECTION_KG_STORES": str(tmp_path / "stores")}
    server = start_server(seed_built.dist, env=env, workers=1)
    try:
        answer = requests.post(
            server.url + "/sparql", data={"query": SIMPLE}, headers=JSON, timeout=10
        )
        assert answer.status_code == 200 and len(answer.json()["results"]["bindings"]) == 3
    finally:
        stop_server(server)
    [store] = [p for p in (tmp_path / "stores").iterdir() if p.is_dir()]
    marker = store.stat().st_mtime_ns
    server = start_server(seed_built.dist, env=env, workers=1)
    try:
        assert (
            requests.post(
                server.url + "/sparql", data={"query": SIMPLE}, headers=JSON, timeout=10
            ).status_code
            == 200
        )
    finally:
        stop_server(server)
    assert store.stat().st_mtime_ns == marker, (
        "the second start rebuilt the store instead of opening it"
    )
