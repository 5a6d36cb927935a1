"""The live server on each store back end: the embedded pyoxigraph store, or a remote SPARQL store.

"remote" is the whole deployment the README shows: a real `oxigraph serve` on a free loopback port,
`election-kg load --gsp` pushing the build into it, and `election-kg serve --store-endpoint` reading
it through the SPARQL 1.1 Protocol.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import LiveServer, run_cli, start_server, stop_server
from tests.oxigraph_server import Oxigraph, start_oxigraph, stop_oxigraph

BACKENDS = ("embedded", "remote")


def load(dist: Path, store: Oxigraph) -> None:
    """`election-kg load --gsp` the build in `dist` (a project's data/dist) into `store`."""
    result = run_cli("load", "--gsp", store.store, "--root", str(dist.parent.parent))
    assert result.returncode == 0, result.stderr


@contextmanager
def serving(backend: str, dist: Path, env: dict[str, str] | None = None, workers: int = 2) -> Iterator[LiveServer]:
    """election-kg serving `dist` on `backend`, stopped (with its store) on exit."""
    if backend == "embedded":
        server = start_server(dist, env, workers)
        try:
            yield server
        finally:
            stop_server(server)
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
