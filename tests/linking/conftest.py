"""Real Oxigraph servers on loopback ports for the linking tests: a read-only Wikidata-shaped endpoint
loaded with tests/fixtures/wikidata.ttl, and an empty read-write store for the Graph Store Protocol."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "wikidata.ttl"


def oxigraph_binary() -> str:
    """The `oxigraph` CLI of the PyPI package `oxigraph` (the test extra), next to this Python first."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph CLI is missing: pip install -e '.[test]' installs it")
    return found


@dataclass
class Oxigraph:
    url: str
    process: subprocess.Popen[bytes]

    @property
    def query(self) -> str:
        return self.url + "/query"

    @property
    def store(self) -> str:
        return self.url + "/store"


def start_oxigraph(*args: str) -> Oxigraph:
    """`oxigraph ARGS --bind 127.0.0.1:PORT`, once it answers HTTP."""
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), *args, "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited with {process.returncode}")
        try:
            requests.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
            return Oxigraph(url, process)
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("oxigraph did not answer within 20 s")


def stop_oxigraph(server: Oxigraph) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    """A read-only Oxigraph server holding the Wikidata-shaped fixture (nothing can be written to it)."""
    location = tmp_path_factory.mktemp("wikidata-store")
    subprocess.run([oxigraph_binary(), "load", "--location", str(location), "--file", str(FIXTURE)],
                   check=True, capture_output=True, timeout=60)
    server = start_oxigraph("serve-read-only", "--location", str(location))
    yield server
    stop_oxigraph(server)


@pytest.fixture
def empty_store() -> Iterator[Oxigraph]:
    """An empty in-memory read-write Oxigraph server, new for each test."""
    server = start_oxigraph("serve")
    yield server
    stop_oxigraph(server)
