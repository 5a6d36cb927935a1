"""The query engine: hard deadlines in killable worker processes, crash recovery, and the result cache."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests

from election_kg.bench.processes import alive, query_workers
from election_kg.server.sparql.cache import ResultCache, normalise
from tests.support.live import start_server, stop_server
from tests.support.waiting import cpu_seconds, wait_for, wait_until_a_query_runs

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = (
    "SELECT ?s WHERE { ?s a <http://127.0.0.1:5000/ontology#LegislativeElection> }"  # the seed: 3
)
JSON = {"Accept": "application/sparql-results+json"}


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
    wait_until_a_query_runs(strict_server.process.pid)
    quick = requests.post(
        strict_server.url + "/sparql", data={"query": SIMPLE}, headers=JSON, timeout=10
    )
    assert quick.status_code == 200 and len(quick.json()["results"]["bindings"]) == 3
    assert thread.is_alive(), "the simple query waited for the runaway one"
    thread.join(timeout=30)
    answer = slow["r"]
    assert answer.status_code == 503
    assert "more than 3 s" in answer.text
    # stopped at its deadline, not before; the upper bound only says "not run to the end"
    assert 3.0 <= time.monotonic() - started < 3.0 + 15


def test_a_timed_out_query_releases_its_cpu(strict_server):
    pids = wait_for(lambda: query_workers(strict_server.process.pid), what="query processes")
    answer = requests.post(
        strict_server.url + "/sparql", data={"query": RUNAWAY}, headers=JSON, timeout=30
    )
    assert answer.status_code == 503
    # the process that ran it is killed (its replacements load the store: not measured here)
    wait_for(lambda: not all(alive(pid) for pid in pids), 10, "the runaway's process killed")
    before = cpu_seconds(pids)
    time.sleep(1.0)  # a measurement window, not a wait for a condition
    assert cpu_seconds(pids) - before < 0.5, "something still computes the runaway query"


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


@pytest.fixture(scope="module")
def lenient_server(built):
    """One HTTP worker (one pool, one result cache, so a repeated query meets its cache), the result
    cache on, no budget, and the nesting-depth check off: a query can reach the engine and crash it."""
    server = start_server(
        built.dist,
        env={"ELECTION_KG_MAX_QUERY_DEPTH": "0", "ELECTION_KG_QUERY_BUDGET": "0"},
        workers=1,
    )
    yield server
    stop_server(server)


def test_cache_is_keyed_by_format(lenient_server):
    query = "SELECT ?p WHERE { ?p a <http://127.0.0.1:5000/ontology#Legislature> } # format key"

    def post(accept: str) -> requests.Response:
        answer = requests.post(
            lenient_server.url + "/sparql",
            data={"query": query},
            headers={"Accept": accept},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return answer

    first_json, second_json = post(JSON["Accept"]), post(JSON["Accept"])
    assert (first_json.headers["X-Cache"], second_json.headers["X-Cache"]) == ("miss", "hit")
    first_csv, second_csv = post("text/csv"), post("text/csv")
    assert first_csv.headers["X-Cache"] == "miss", (
        "the CSV request was answered from the JSON entry"
    )
    assert second_csv.headers["X-Cache"] == "hit"
    for answer in (first_csv, second_csv):
        assert answer.headers["Content-Type"].startswith("text/csv") and answer.text.startswith(
            "p\r\n"
        )
    assert second_json.content == first_json.content and second_json.json()["head"]["vars"] == ["p"]


# --- queries that would crash the engine ---------------------------------------------------------

DEEP = (
    "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000
)  # 18 KB: overflows pyoxigraph's stack
DEEP_SUBQUERIES = "SELECT * WHERE " + "{ SELECT * WHERE " * 1000 + "{ ?s ?p ?o }" + " }" * 1000
DEEP_NEGATION = "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 3000 + "BOUND(?o)) }"


@pytest.mark.parametrize(
    ("query", "levels"), [(DEEP, 3000), (DEEP_SUBQUERIES, 1001), (DEEP_NEGATION, 3002)]
)
def test_a_deeply_nested_query_is_400_and_no_query_process_is_replaced(
    strict_server, query, levels
):
    # the pool whole (an earlier test's killed processes replaced), then not one of them may die
    before = wait_for(
        lambda: len(pids := sorted(query_workers(strict_server.process.pid))) == 2 and pids,
        what="two query processes",
    )
    answer = requests.post(
        strict_server.url + "/sparql", data={"query": query}, headers=JSON, timeout=30
    )
    assert answer.status_code == 400, answer.text
    message = answer.json()["message"]
    assert f"nests {levels} levels deep; the limit is 100 (max_query_depth" in message
    assert all(alive(pid) for pid in before), "a query process died of the query"


def test_a_query_that_crashes_its_worker_twice_is_422_and_then_refused_at_once(lenient_server):
    pid = lenient_server.process.pid
    before = wait_for(lambda: query_workers(pid), what="query processes")
    first = requests.post(
        lenient_server.url + "/sparql", data={"query": DEEP}, headers=JSON, timeout=60
    )
    assert first.status_code == 422, first.text
    assert "crashed the query engine 2 times" in first.json()["message"]
    assert not all(alive(p) for p in before), "no query process died: the query did not crash it"
    # the pool is whole again; the same query (in any format) is refused without running
    survivors = wait_for(
        lambda: len(workers := sorted(query_workers(pid))) == 2 and workers, what="the pool whole"
    )
    for accept in (JSON["Accept"], "text/csv"):
        again = requests.post(
            lenient_server.url + "/sparql",
            data={"query": DEEP},
            headers={"Accept": accept},
            timeout=30,
        )
        assert again.status_code == 422 and "refused for this data version" in again.text
    assert sorted(query_workers(pid)) == survivors and all(alive(p) for p in survivors)
    ok = requests.post(
        lenient_server.url + "/sparql", data={"query": SIMPLE}, headers=JSON, timeout=30
    )
    assert ok.status_code == 200


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
