"""Real Virtuoso servers (Debian's `virtuoso-opensource`, installed by `make test`) on loopback ports.

Each starts on a fresh database folder from the reference configuration (tests/fixtures/virtuoso.ini.in)
with free loopback ports: `virtuoso-t -f -c virtuoso.ini`, in the foreground, ended by the test. A new
database has the account dba/dba; its Graph Store (`/sparql-graph-crud-auth`) asks for Digest auth.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from election_kg.bench.processes import free_port

CONFIG = Path(__file__).resolve().parent.parent / "fixtures" / "virtuoso.ini.in"
USER, PASSWORD = "dba", "dba"  # the account of a new Virtuoso database


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if found is None:
        pytest.fail(
            "virtuoso-t is missing: `make test` installs Debian's virtuoso-opensource "
            "(apt-get install virtuoso-opensource)"
        )
    return found


@dataclass
class Virtuoso:
    url: str
    folder: Path
    http_port: int
    sql_port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def query(self) -> str:
        return self.url + "/sparql"

    @property
    def store(self) -> str:
        return self.url + "/sparql-graph-crud-auth"


def configure(folder: Path) -> Virtuoso:
    """A fresh database folder with its virtuoso.ini, on two free loopback ports."""
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    while sql_port == http_port:
        sql_port = free_port()
    text = (
        CONFIG.read_text(encoding="utf-8")
        .replace("@DB@", str(folder))
        .replace("@DIR@", str(folder))
        .replace("@SQLPORT@", str(sql_port))
        .replace("@HTTPPORT@", str(http_port))
    )
    (folder / "virtuoso.ini").write_text(text, encoding="utf-8")
    return Virtuoso(f"http://127.0.0.1:{http_port}", folder, http_port, sql_port)


def start(server: Virtuoso, seconds: float = 120) -> Virtuoso:
    """`virtuoso-t -f -c virtuoso.ini` in the server's folder, once its SPARQL endpoint answers."""
    server.process = subprocess.Popen(
        [virtuoso_binary(), "-f", "-c", "virtuoso.ini"],
        cwd=server.folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = server.folder / "virtuoso.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"virtuoso exited with {server.process.returncode}: {tail}")
        try:
            answer = requests.get(server.query, params={"query": "ASK {}"}, timeout=2)
            if answer.status_code == 200:
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.2)  # polling interval while the condition is not met, not a wait for it
    stop(server)
    raise RuntimeError(f"virtuoso did not answer within {seconds:g} s")


def start_virtuoso(folder: Path) -> Virtuoso:
    return start(configure(folder))


def stop(server: Virtuoso) -> None:
    if server.process is None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.process = None
