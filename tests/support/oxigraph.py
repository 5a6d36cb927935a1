"""Real Oxigraph servers (the `oxigraph` CLI of the PyPI package `oxigraph`) on loopback ports, for the tests
that need a SPARQL store of their own: the linking tests' Wikidata-shaped endpoint, the Graph Store
Protocol tests, the remote-store back end of the live server and the federation tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from election_kg.bench.processes import free_port

WIKIDATA_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "wikidata.ttl"


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


def start_oxigraph(*args: str, port: int | None = None) -> Oxigraph:
    """`oxigraph ARGS --bind 127.0.0.1:PORT` (a free port unless given), once it answers HTTP."""
    port = port or free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), *args, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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


def start_wikidata(location: Path) -> Oxigraph:
    """A read-only Oxigraph server holding the Wikidata-shaped fixture (nothing can be written to it)."""
    subprocess.run(
        [oxigraph_binary(), "load", "--location", str(location), "--file", str(WIKIDATA_FIXTURE)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return start_oxigraph("serve-read-only", "--location", str(location))
