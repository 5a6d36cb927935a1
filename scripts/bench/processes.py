"""The server's processes, read from /proc: HTTP workers, their forkservers, query processes, memory.

Shared by the soak and benchmark scripts and the fault tests, which kill query processes and
measure memory. Children are read from every thread of a process: the query pool starts its workers from
a helper thread, and /proc lists a child under the thread that forked it.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path


def children(pid: int) -> list[int]:
    try:
        return [
            int(c)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for c in (task / "children").read_text().split()
        ]
    except OSError:
        return []


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        found += kids
        todo += kids
    return found


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def http_workers(server_pid: int) -> list[int]:
    """The server's HTTP worker processes: the children forked with its own command line."""
    command = _command(server_pid)
    return [worker for worker in children(server_pid) if _command(worker) == command]


def query_workers(server_pid: int) -> list[int]:
    """Processes that run queries: the children of each HTTP worker's forkserver."""
    forkservers = [
        p
        for worker in children(server_pid)
        for p in children(worker)
        if b"forkserver" in _command(p)
    ]
    return [p for forkserver in forkservers for p in children(forkserver)]


def _memory_kib(pid: int, field: str, source: str) -> int:
    try:
        match = re.search(rf"^{field}:\s+(\d+) kB", Path(f"/proc/{pid}/{source}").read_text(), re.M)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its descendants, in MiB (shared pages counted once per process)."""
    return sum(_memory_kib(p, "VmRSS", "status") for p in [pid, *descendants(pid)]) / 1024


def pss_mib(pid: int) -> float:
    """Proportional set size of a process and its descendants, in MiB: shared pages split between users, so it adds up."""
    return sum(_memory_kib(p, "Pss", "smaps_rollup") for p in [pid, *descendants(pid)]) / 1024


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
