"""Shared fixtures: the project built once per session, and a real server on a loopback port per store back end.

The helpers behind them live in tests/support/ (plain modules); tests import those, never this file.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Graph

from tests.support.live import BACKENDS, VIRTUOSO_SUITE, LiveServer, serving
from tests.support.project import SEED_SOURCE, Built, copy_project, run_cli


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The seed project built once, in its own folder, through the real CLI."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    return Built(root)


@pytest.fixture(scope="session")
def graph(built: Built) -> Graph:
    return built.graph()


@pytest.fixture(scope="session")
def seed_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The seed article alone (with its curated facts and links), built through the real CLI: for
    tests whose expectations are the seed's own (its findings, its counts)."""
    root = copy_project(tmp_path_factory.mktemp("seed"), [SEED_SOURCE])
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    return Built(root)


@pytest.fixture(scope="session")
def seed_graph(seed_built: Built) -> Graph:
    return seed_built.graph()


@pytest.fixture(scope="session", params=BACKENDS)
def live_server(request: pytest.FixtureRequest, built: Built) -> Iterator[LiveServer]:
    """election-kg serve (real worker processes) on a free loopback port, once per store back end: the embedded
    pyoxigraph store, a real Oxigraph server and a real Virtuoso read through the SPARQL protocol (see
    tests/support/live.py; Virtuoso runs the files of `VIRTUOSO_SUITE`)."""
    with serving(request.param, built.dist) as server:
        yield server


SLOW_FOLDERS = {"server", "browser", "linking", "bench", "packaging"}
"""Test folders that start real processes (servers, stores, a browser): marked `slow`."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make test-fast` (pytest -m "not slow") runs the rest in under a minute; `make test` runs all.
    Live-server tests run on Virtuoso only in the files of `VIRTUOSO_SUITE`."""
    elsewhere = [
        item
        for item in items
        if getattr(item, "callspec", None) is not None
        and "virtuoso"
        in item.callspec.params.values()  # the live server, or a module's own back end
        and item.path.name not in VIRTUOSO_SUITE
    ]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        dropped = set(elsewhere)
        items[:] = [item for item in items if item not in dropped]
    for item in items:
        parts = item.path.relative_to(item.config.rootpath / "tests").parts
        if parts[0] in SLOW_FOLDERS or "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
