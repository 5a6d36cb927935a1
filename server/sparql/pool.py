"""Run SPARQL queries in worker processes with a hard deadline.

pyoxigraph cannot cancel a running query, so every query from the endpoint runs in a query
process: past its deadline the process is killed (its CPU is released at once) and a replacement
starts, while queries in other processes go on. A worker killed from outside (SIGKILL, OOM) is
replaced the same way and the query is retried once, so the client never sees one crash; a query
that takes two workers down fails, and one that crashed both by itself (SIGSEGV, SIGABRT: a stack
overflow in the engine) raises `QueryCrashed`, which the engine remembers for the data version.

Each worker has its own pipe, and the request's thread talks to the worker it took from the idle
queue: no shared channel, no lock a killed process could die holding, no task a dying worker
could take with it unseen. (A pool with one shared task channel, such as pebble's, wedges for a
minute when a worker is SIGKILLed inside the channel's lock; that is why this one is written
here.) Workers start from a forkserver, never by forking the multi-threaded HTTP worker, and open
the store themselves (see `store.open_store`).
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import multiprocessing.util
import os
import pickle
import queue
import signal
import threading
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import pyoxigraph as ox

from election_kg.server.sparql import cap as result_cap
from election_kg.server.sparql.cap import Answer
from election_kg.server.store.embedded import StoreSpec, open_store


class QueryTimeout(Exception):
    """The query ran past its deadline and its worker was killed."""


class QueryFailed(Exception):
    """The query could not run (SERVICE failure, store error); the message is safe to show."""


class QueryBusy(Exception):
    """No query process became free in time: every one was busy for the whole wait."""


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

# A query waits for a free worker at most this many times its deadline (and at least MIN_QUEUE_WAIT s).
QUEUE_WAIT_FACTOR, MIN_QUEUE_WAIT = 3.0, 30.0
RETRY_BUSY = 5  # seconds a client told the server is busy waits before asking again (Retry-After)
READY_WITHIN = 600.0  # seconds a new worker may take to open the store (a large one, on disk)
# The first and the longest wait before starting a worker again after one failed to start.
RESTART_PAUSE = (0.5, 30.0)

log = logging.getLogger(__name__)
_STARTING = threading.Lock()


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


def _serve(spec: StoreSpec, conn: Connection) -> None:
    """A worker's life: open the store, say so, then answer jobs one at a time until the pipe closes."""
    # SIGTERM's default action ends the worker at once, even inside a query (a Python handler could
    # not run until pyoxigraph returned); Ctrl-C is the server's to handle, not each worker's.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = open_store(spec)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_answer(store, job))


def _answer(store: ox.Store, job: Job) -> tuple[str, object]:
    try:
        return ("answer", run_job(store, job))
    # a remote store that stopped the query at the deadline it was given: 503, as at our own deadline
    except TimeoutError as exc:
        return ("error", QueryTimeout(str(exc)))
    except OSError as exc:  # a failed SERVICE call or a store read error: keep only the message
        return ("error", QueryFailed(str(exc)))
    except Exception as exc:  # SyntaxError and the engine's other refusals go back as they are
        try:
            pickle.dumps(exc)
        except Exception:
            return ("error", QueryFailed(f"{type(exc).__name__}: {exc}"))
        return ("error", exc)


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection

    def kill(self) -> None:
        """SIGKILL (a worker inside a query cannot run a handler) and reap, closing our end."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        try:
            self.conn.close()
        except OSError:  # already closed: nothing left to release
            pass

    def exit_code(self) -> int | None:
        """How the worker ended (negative: the signal), once it has: reaped within a second."""
        self.process.join(1)
        return self.process.exitcode


class _Clock:
    """A query's two bounds: the wait for a free worker, and its run time from its first start."""

    def __init__(self, timeout: float, queue_wait: float) -> None:
        self.timeout, self.queue_wait = timeout, queue_wait
        self.queue_deadline = time.monotonic() + queue_wait
        self.run_deadline: float | None = None

    def left_to_wait(self) -> float:
        bound = self.queue_deadline if self.run_deadline is None else self.run_deadline
        return max(0.0, bound - time.monotonic())

    def left_to_run(self) -> float:
        if self.run_deadline is None:
            self.run_deadline = time.monotonic() + self.timeout
        return max(0.0, self.run_deadline - time.monotonic())


class _Died(Exception):
    """The worker's process ended while it held the job."""

    def __init__(self, exitcode: int | None) -> None:
        self.exitcode = exitcode


def _backed_off(pause: float) -> float:
    """Wait `pause`, then the next, longer one: a store that cannot be opened must not make a hot
    loop of restarts."""
    time.sleep(pause)
    return min(pause * 2, RESTART_PAUSE[1])


class QueryPool:
    """The query processes of one HTTP worker process, started at once in the background."""

    def __init__(self, spec: StoreSpec, workers: int, timeout: float) -> None:
        self.spec, self.workers, self.timeout = spec, workers, timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = self._closed = False

    def start(self) -> None:
        """Start the workers now, so they open the store before the first query arrives."""
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["election_kg.server.sparql.pool"])
            self._context = context
            # The HTTP worker may itself be a multiprocessing child (granian's workers are): at its exit,
            # multiprocessing joins its children *before* atexit runs. Finalizers with an exit priority
            # run first, so stop the workers there (atexit covers other hosts).
            multiprocessing.util.Finalize(self, self.close, exitpriority=10)
            atexit.register(self.close)
        for _ in range(self.workers):
            self._replace()

    def _replace(self) -> None:
        """Start one worker in the background; it joins the idle queue once its store is open."""
        threading.Thread(target=self._spawn, name="query-worker-start", daemon=True).start()

    def _spawn(self) -> None:
        pause = RESTART_PAUSE[0]
        while not self._closed:
            ours, theirs = self._context.Pipe()
            process = self._context.Process(
                target=_serve, args=(self.spec, theirs), name="election-kg-query", daemon=True
            )
            try:
                # One start at a time: multiprocessing's start-up is not thread-safe.
                with _STARTING:
                    process.start()
            except Exception:
                log.exception("a query process could not be started; retrying in %g s", pause)
                ours.close()
                theirs.close()
                pause = _backed_off(pause)
                continue
            theirs.close()
            worker = _Worker(process, ours)
            with self._lock:
                self._all.add(worker)
            try:
                if ours.poll(READY_WITHIN) and ours.recv()[0] == "ready":
                    with self._lock:
                        if not self._closed:
                            self._idle.put(worker)
                            return
            except (EOFError, OSError):
                pass
            with self._lock:
                self._all.discard(worker)
            code = worker.exit_code()
            worker.kill()
            if self._closed:
                return
            log.error(
                "a query process failed to start (exit code %s); retrying in %g s", code, pause
            )
            pause = _backed_off(pause)

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker that timed out or died, and start its replacement."""
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed:
            self._replace()

    def _take(self, clock: _Clock) -> _Worker:
        """An idle worker that is still alive: one killed while idle costs the query no attempt."""
        while True:
            try:
                worker = self._idle.get(timeout=clock.left_to_wait())
            except queue.Empty:
                if clock.run_deadline is not None:  # a retry that found no worker in its time left
                    raise QueryTimeout(self._ran_too_long) from None
                raise QueryBusy(
                    f"no query process was free for {clock.queue_wait:g} s (the server is busy)"
                ) from None
            if worker.process.is_alive():
                return worker
            self._retire(worker)

    @property
    def _ran_too_long(self) -> str:
        return f"the query ran for more than {self.timeout:g} s and was stopped"

    def _attempt(self, job: Job, clock: _Clock) -> Answer:
        """One run on one idle worker. Raises _Died if its process ended under the job."""
        while True:
            worker = self._take(clock)
            try:
                worker.conn.send(job)
                break
            except OSError:  # it died between the check and the send: it never had the job
                self._retire(worker)
        try:
            if not worker.conn.poll(clock.left_to_run()):
                self._retire(worker)
                raise QueryTimeout(self._ran_too_long)
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            code = worker.exit_code()
            self._retire(worker)
            raise _Died(code) from None
        self._idle.put(worker)
        if kind == "error":
            raise value  # type: ignore[misc]
        return value  # type: ignore[return-value]

    def run(self, job: Job) -> Answer:
        # The deadline belongs to the query, from the moment a worker first takes it, not to one run:
        # a query whose worker was killed from outside runs again with the time it has left, so a
        # slow query that meets a kill ends at its deadline (the documented 503) instead of running
        # two deadlines long. A query whose worker died runs once more, never twice more: one that
        # kills its worker by itself (stack overflow, out of memory) costs at most two processes.
        # Waiting for a free worker is bounded apart (`queue_wait`), so a busy server answers 503
        # with Retry-After instead of holding requests without end.
        self.start()
        clock = _Clock(self.timeout, max(MIN_QUEUE_WAIT, QUEUE_WAIT_FACTOR * self.timeout))
        crashes = 0
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._attempt(job, clock)
            except _Died as died:
                crashes += died.exitcode in CRASH_SIGNALS
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
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()
