"""election-kg serve as users run it: real worker processes on a free loopback port, on each store back end.

"remote" is the whole deployment the README shows: a real `oxigraph serve` on a free loopback port,
`election-kg load --gsp` pushing the build into it, and `election-kg serve --store-endpoint` reading
it through the SPARQL 1.1 Protocol. "virtuoso" is the same with Debian's Virtuoso (`make test`
installs it), loaded through its Digest-protected Graph Store with the dba account; it runs the
representative part of the HTTP suite (`VIRTUOSO_SUITE`), to keep CI within its time.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from election_kg.bench.processes import free_port as free_port  # re-exported for tests
from election_kg.common.credentials import PASSWORD_VARIABLE
from tests.support import virtuoso
from tests.support.oxigraph import Oxigraph, start_oxigraph, stop_oxigraph
from tests.support.project import CLI, ROOT, run_cli

BACKENDS = ("embedded", "remote", "virtuoso")

VIRTUOSO_SUITE = {
    "test_sparql.py",  # the SPARQL protocol: every form, format, dataset and error
    "test_negotiation.py",  # DESCRIBE and CONSTRUCT in every RDF format, SELECT in every results format
    "test_pages.py",  # the home page lists the elections; the election page and its figures
    "test_resources.py",  # IRIs, pages and data of resources; 404s
    "test_search.py",
    "test_smoke.py",
    "test_remote_store.py",
}
"""The test files whose live-server tests also run on Virtuoso: the protocol checks and every page kind.
The rest of the suite (limits, budgets, caching, faults, headers) tests the site, not the store."""
# The README's bound on stopping: SIGTERM ends the server within query_timeout (10 s) + 5 s; plus a
# margin for a loaded machine.
STOP_BOUND = 10 + 5 + 10


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    dist: Path
    log: Path | None = None  # the server's output


def start_server(
    dist: Path, env: dict[str, str] | None = None, workers: int = 2, args: tuple[str, ...] = ()
) -> LiveServer:
    """`election-kg serve --port 0`: the server binds a port the system picks (no window in which
    another process could take a port chosen here) and logs it; its output goes to a file."""
    log = tempfile.NamedTemporaryFile(prefix="election-kg-serve-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [
            *CLI,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--workers",
            str(workers),
            "--dist",
            str(dist),
            *args,
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so that stop_server can end the workers too
    )
    log.close()
    url = _listening_url(Path(log.name), process)
    wait_for_health(url, process)
    return LiveServer(url, process, dist, Path(log.name))


_LISTENING = re.compile(rb"Listening at: (http://127\.0\.0\.1:[1-9][0-9]*)")


def _listening_url(log: Path, process: subprocess.Popen[bytes], seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while not (found := _LISTENING.search(log.read_bytes())):
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode}: {log.read_text()[-2000:]}"
            )
        assert time.monotonic() < deadline, f"the server logged no address within {seconds:g} s"
        time.sleep(0.05)  # polling interval while the condition is not met
    return found.group(1).decode()


def wait_for_health(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Until the server at `url` answers /health with 200; fail at once if its process exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if requests.get(url + "/health", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)  # polling interval while the condition is not met, not a wait for it
    process.kill()
    raise RuntimeError(f"server did not answer /health within {seconds:g} s")


def stop_server(server: LiveServer) -> None:
    """SIGTERM, and the server must be gone within `STOP_BOUND` (else it is killed, and the test fails)."""
    server.process.terminate()
    try:
        server.process.wait(timeout=STOP_BOUND)
        hung = False
    except subprocess.TimeoutExpired:
        hung = True
    try:
        os.killpg(
            server.process.pid, signal.SIGKILL
        )  # anything left of the group: workers, query processes
    except ProcessLookupError:
        pass
    server.process.wait(timeout=10)
    tail = server.log.read_text(errors="replace")[-3000:] if server.log else ""
    if server.log:
        server.log.unlink(missing_ok=True)
    assert not hung, f"the server did not stop within {STOP_BOUND} s of SIGTERM:\n{tail}"


def load(dist: Path, store: Oxigraph | virtuoso.Virtuoso) -> None:
    """`election-kg load --gsp` the build in `dist` (a project's data/dist) into `store` (Virtuoso:
    as its dba account, the password in the environment, as the README shows)."""
    args, env = (), None
    if isinstance(store, virtuoso.Virtuoso):
        args, env = ("--user", virtuoso.USER), {PASSWORD_VARIABLE: virtuoso.PASSWORD}
    result = run_cli(
        "load", "--gsp", store.store, *args, "--root", str(dist.parent.parent), env=env
    )
    assert result.returncode == 0, result.stderr


@contextmanager
def serving(
    backend: str, dist: Path, env: dict[str, str] | None = None, workers: int = 2
) -> Iterator[LiveServer]:
    """election-kg serving `dist` on `backend`, stopped (with its store) on exit."""
    if backend == "embedded":
        server = start_server(dist, env, workers)
        try:
            yield server
        finally:
            stop_server(server)
        return
    if backend == "virtuoso":
        with tempfile.TemporaryDirectory(prefix="virtuoso-") as folder:
            server_store = virtuoso.start_virtuoso(Path(folder))
            try:
                load(dist, server_store)
                # Virtuoso 7.2 takes ~11 s for the election page's query over the whole corpus on
                # this machine (README, "Virtuoso"): a deadline it can meet, the page kept after.
                slow = {"ELECTION_KG_QUERY_TIMEOUT": "60", **(env or {})}
                server = start_server(
                    dist, slow, workers, args=("--store-endpoint", server_store.query)
                )
                try:
                    yield server
                finally:
                    stop_server(server)
            finally:
                virtuoso.stop(server_store)
        return
    assert backend == "remote", backend
    store = start_oxigraph("serve")
    try:
        load(dist, store)
        server = start_server(dist, env, workers, args=("--store-endpoint", store.query))
        try:
            yield server
        finally:
            stop_server(server)
    finally:
        stop_oxigraph(store)
