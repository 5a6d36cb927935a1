"""The query pool on its own, in this process: which waits are bounded, and which deaths cost a query
an attempt. (Through HTTP, `test_engine.py` and `test_faults.py` kill workers under load.)"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from election_kg.server.settings import Settings
from election_kg.server.sparql import pool as query_pool
from election_kg.server.sparql.pool import Job, QueryBusy, QueryPool, QueryTimeout
from election_kg.server.store.release import load_release
from tests.support.waiting import wait_for

JSON = "application/sparql-results+json"
SIMPLE = Job(
    "SELECT ?s WHERE { ?s a <http://127.0.0.1:5000/ontology#LegislativeElection> }",
    None,
    None,
    JSON,
    None,
)
RUNAWAY = Job(
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", None, None, JSON, None
)


@pytest.fixture
def pool(seed_built, request: pytest.FixtureRequest) -> Iterator[QueryPool]:
    """One worker with a 2 s deadline (or the test's `deadline` mark), started with its store open."""
    mark = request.node.get_closest_marker("deadline")
    release = load_release(seed_built.dist, Settings(dist=seed_built.dist, store="memory"))
    pool = QueryPool(release.spec, workers=1, timeout=mark.args[0] if mark else 2)
    pool.start()
    pool.run(SIMPLE)
    yield pool
    pool.close()


def _only_worker(pool: QueryPool) -> query_pool._Worker:
    (worker,) = wait_for(
        lambda: [w for w in list(pool._all) if w.process.is_alive()], 30, "a worker"
    )
    return worker


def test_a_worker_killed_while_idle_costs_the_next_query_nothing(pool):
    victim = _only_worker(pool)
    os.kill(victim.process.pid, signal.SIGKILL)
    wait_for(lambda: not victim.process.is_alive(), 10, "the worker's death")
    assert b"bindings" in pool.run(SIMPLE).body  # its one attempt, on the replacement
    assert _only_worker(pool) is not victim


@pytest.mark.deadline(30)
def test_a_worker_killed_under_a_query_runs_it_again_on_its_replacement(pool):
    """PRODUCT runs a few seconds on the seed: the kill meets it inside the engine."""
    victim = _only_worker(pool)
    product = Job("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", None, None, JSON, None)
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(pool.run(product)))
    thread.start()
    wait_for(lambda: pool._idle.empty(), 10, "the worker taking the query")
    os.kill(victim.process.pid, signal.SIGKILL)
    thread.join(60)
    assert result and b'"n"' in result[0].body  # type: ignore[attr-defined]
    assert _only_worker(pool) is not victim


def test_a_query_past_its_deadline_is_stopped_and_its_worker_replaced(pool):
    victim = _only_worker(pool)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="more than 2 s"):
        pool.run(RUNAWAY)
    assert time.monotonic() - started < 2 + 10  # the deadline, with room for a loaded machine
    assert not victim.process.is_alive()
    assert b"bindings" in pool.run(SIMPLE).body
    assert _only_worker(pool) is not victim


def test_a_query_that_finds_no_free_worker_in_its_wait_is_told_the_server_is_busy(
    pool, monkeypatch
):
    monkeypatch.setattr(query_pool, "MIN_QUEUE_WAIT", 0.5)
    monkeypatch.setattr(query_pool, "QUEUE_WAIT_FACTOR", 0.0)
    outcome: list[BaseException] = []

    def hold_the_worker() -> None:
        try:
            pool.run(RUNAWAY)
        except QueryTimeout as exc:
            outcome.append(exc)

    holder = threading.Thread(target=hold_the_worker)
    holder.start()
    wait_for(lambda: pool._idle.empty(), 10, "the one worker taken by the runaway query")
    with pytest.raises(QueryBusy, match=r"no query process was free for 0\.5 s"):
        pool.run(SIMPLE)
    holder.join(30)
    assert outcome  # the runaway query met its own deadline meanwhile
