"""The server's processes, read from /proc: HTTP workers, their forkservers and the query processes."""

from __future__ import annotations

from pathlib import Path


def children(pid: int) -> list[int]:
    try:
        return [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    except OSError:
        return []


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        found += kids
        todo += kids
    return found


def _is_forkserver(pid: int) -> bool:
    return b"forkserver" in _command(pid)


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def http_workers(server_pid: int) -> list[int]:
    """The server's HTTP worker processes: the children forked with its own command line."""
    command = _command(server_pid)
    return [worker for worker in children(server_pid) if _command(worker) == command]


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def query_workers(server_pid: int) -> list[int]:
    """Processes that run queries: the children of each HTTP worker's forkserver."""
    forkservers = [p for worker in children(server_pid) for p in children(worker) if _is_forkserver(p)]
    return [p for forkserver in forkservers for p in children(forkserver)]
