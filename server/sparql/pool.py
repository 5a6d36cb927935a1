"""Run SPARQL queries in worker processes with a hard deadline.

pyoxigraph cannot cancel a running query, so every query from the endpoint runs in a pebble
process pool: past its deadline the process is killed (its CPU is released at once) and pebble
starts a replacement, while queries in other processes go on. A worker killed from outside
(SIGKILL, OOM) is replaced the same way and the query is retried once, so the client never sees
one crash; a query that takes two workers down fails, and one that crashed both by itself
(SIGSEGV, SIGABRT: a stack overflow in the engine) raises `QueryCrashed`, which the engine
remembers for the data version. Workers start from a forkserver, never by forking the
multi-threaded HTTP worker, and open the store themselves (see `store.open_store`).
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.util
import signal
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

import pyoxigraph as ox
from pebble import ProcessExpired, ProcessPool

from election_kg.server.sparql import cap as result_cap
from election_kg.server.sparql.cap import Answer
from election_kg.server.store.embedded import StoreSpec, open_store


class QueryTimeout(Exception):
    """The query ran past its deadline and its worker was killed."""


class QueryFailed(Exception):
    """The query could not run (SERVICE failure, store error); the message is safe to show."""


class QueryCrashed(Exception):
    """The query took its worker process down twice by itself: it must not run again on this data version."""


@dataclass(frozen=True)
class Job:
    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    media_type: str
    base_iri: str | None
    max_rows: int = 0  # cut the results past this many rows or triples (0: never)


ATTEMPTS = 2  # runs of a query whose worker process died under it: retried at most once
# How a worker dies of the query itself (a stack overflow, an abort), not killed from outside.
CRASH_SIGNALS = frozenset(
    {-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS, -signal.SIGILL, -signal.SIGFPE}
)

_STORE: ox.Store | None = None  # one per worker process, opened by _initialise


def _initialise(spec: StoreSpec) -> None:
    global _STORE
    # pebble stops a worker with SIGTERM and a Python handler, which cannot run while pyoxigraph
    # is inside a query: it would wait 3 s more before SIGKILL. The default action ends it at once.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _STORE = open_store(spec)


def run_job(store: ox.Store, job: Job) -> Answer:
    """Evaluate and serialize with pyoxigraph's own writers, cut at `job.max_rows` (see `result_cap`).
    Raises SyntaxError for a bad query."""
    started = time.perf_counter()
    results = store.query(
        job.query,
        base_iri=job.base_iri,
        use_default_graph_as_union=job.default_graphs is None,
        default_graph=None
        if job.default_graphs is None
        else [ox.NamedNode(g) for g in job.default_graphs],
        named_graphs=None
        if job.named_graphs is None
        else [ox.NamedNode(g) for g in job.named_graphs],
    )
    answer = result_cap.serialize(results, job.media_type, job.max_rows)
    return replace(answer, seconds=time.perf_counter() - started)


def _ready() -> None:
    """A no-op task: scheduling it makes pebble start the workers."""


def _run_in_worker(job: Job) -> Answer:
    assert _STORE is not None, "worker not initialised"
    try:
        return run_job(_STORE, job)
    # a remote store that stopped the query at the deadline it was given: 503, as at our own deadline
    except TimeoutError as exc:
        raise QueryTimeout(str(exc)) from None
    except OSError as exc:  # a failed SERVICE call or a store read error: keep only the message
        raise QueryFailed(str(exc)) from None


class QueryPool:
    """A pool of query processes for one HTTP worker process, started on first use."""

    def __init__(self, spec: StoreSpec, workers: int, timeout: float) -> None:
        self.spec, self.workers, self.timeout = spec, workers, timeout
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the workers now (pebble starts them on the first task), so they load the store before any query."""
        self._get().schedule(_ready)

    def _get(self) -> ProcessPool:
        with self._lock:
            if self._pool is None or not self._pool.active:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["election_kg.server.sparql.pool"])
                self._pool = ProcessPool(
                    max_workers=self.workers,
                    initializer=_initialise,
                    initargs=(self.spec,),
                    context=context,
                )
                # The HTTP worker may itself be a multiprocessing child (granian's workers are): at its exit,
                # multiprocessing joins its children *before* atexit runs, and would wait on the pool forever.
                # Finalizers with an exit priority run first, so stop the pool there (atexit covers other hosts).
                multiprocessing.util.Finalize(self, self.close, exitpriority=10)
                atexit.register(self.close)
            return self._pool

    def run(self, job: Job) -> Answer:
        # The deadline belongs to the request, not to one run: a query whose worker was killed from
        # outside runs again with the time it has left, so a slow query that meets a kill ends at
        # its deadline (the documented 503) instead of running two deadlines long. A query whose
        # worker died runs once more, never twice more: one that kills its worker by itself
        # (stack overflow, out of memory) costs at most two processes.
        started = time.monotonic()
        crashes = 0
        for attempt in range(1, ATTEMPTS + 1):
            remaining = self.timeout - (time.monotonic() - started)
            if remaining <= 0:
                break
            future = self._get().schedule(_run_in_worker, args=(job,), timeout=remaining)
            try:
                return future.result()
            except FutureTimeout:
                break
            except (ProcessExpired, BrokenProcessPool) as exc:  # a broken pool is replaced by _get
                crashes += getattr(exc, "exitcode", None) in CRASH_SIGNALS
                if crashes == ATTEMPTS:
                    raise QueryCrashed(
                        f"the query crashed the query engine {ATTEMPTS} times (its process died of it: "
                        "too deep or too large for the engine) and is refused for this data version; "
                        "simplify it, or download the dumps"
                    ) from None
                if attempt == ATTEMPTS:
                    raise QueryFailed(
                        f"the query's worker process stopped unexpectedly {ATTEMPTS} times (a query that "
                        "exhausts the memory does this); try again, or simplify the query"
                    ) from None
        raise QueryTimeout(f"the query ran for more than {self.timeout:g} s and was stopped")

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.stop()
                self._pool.join(timeout=5)
                self._pool = None
