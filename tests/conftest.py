"""Shared fixtures: a project copy built once per session, and a real server on a loopback port."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "scripts.cli"]
SEED_ELECTION = "http://127.0.0.1:5000/id/election/2007-algerian-parliamentary-election"


def copy_project(target: Path, sources: list[Path] | None = None) -> Path:
    """A project folder with our ontology, shapes and data, and the given articles (default: ours)."""
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, target / name)
    for name in ("curated", "links", "queries"):
        shutil.copytree(ROOT / "data" / name, target / "data" / name)
    (target / "data" / "sources").mkdir(parents=True)
    for src in sources if sources is not None else sorted((ROOT / "data" / "sources").glob("*.txt")):
        shutil.copy(src, target / "data" / "sources" / src.name)
    return target


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300)


@dataclass
class Built:
    root: Path

    @property
    def dist(self) -> Path:
        return self.root / "data" / "dist"

    def dataset(self) -> Dataset:
        ds = Dataset()
        ds.parse(self.dist / "election-kg.nq", format="nquads")
        return ds

    def graph(self) -> Graph:
        return Graph().parse(self.dist / "election-kg.ttl", format="turtle")


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    dist: Path


def start_server(dist: Path, env: dict[str, str] | None = None, workers: int = 2, args: tuple[str, ...] = ()) -> LiveServer:
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--dist", str(dist), *args],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so that stop_server can end the workers too
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if requests.get(url + "/health", timeout=1).status_code == 200:
                return LiveServer(url, process, dist)
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not answer /health within 30 s")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(server.process.pid, signal.SIGKILL)  # anything left of the group: workers, query processes
    except ProcessLookupError:
        pass
    server.process.wait(timeout=10)


@pytest.fixture(scope="session", params=["embedded", "remote"])
def live_server(request: pytest.FixtureRequest, built: Built) -> Iterator[LiveServer]:
    """election-kg serve (real worker processes) on a free loopback port, once per store back end: the embedded
    pyoxigraph store, then a real Oxigraph server read through the SPARQL protocol (see tests/backends.py)."""
    from tests.backends import serving  # it builds on this module's helpers

    with serving(request.param, built.dist) as server:
        yield server
