"""Real Oxigraph servers on loopback ports for the linking tests: a read-only Wikidata-shaped endpoint
loaded with tests/fixtures/wikidata.ttl, and an empty read-write store for the Graph Store Protocol."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.oxigraph import Oxigraph, start_oxigraph, start_wikidata, stop_oxigraph


@pytest.fixture(scope="session")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    """A read-only Oxigraph server holding the Wikidata-shaped fixture (nothing can be written to it)."""
    server = start_wikidata(tmp_path_factory.mktemp("wikidata-store"))
    yield server
    stop_oxigraph(server)


@pytest.fixture
def empty_store() -> Iterator[Oxigraph]:
    """An empty in-memory read-write Oxigraph server, new for each test."""
    server = start_oxigraph("serve")
    yield server
    stop_oxigraph(server)
