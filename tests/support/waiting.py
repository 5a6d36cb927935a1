"""Waiting on a condition, never on a fixed sleep: the helpers tests use instead of `time.sleep`."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from election_kg.bench.processes import query_workers

T = TypeVar("T")

POLL = 0.02  # seconds between two looks at the condition (pacing, not a wait for it)


def wait_for(condition: Callable[[], T], seconds: float = 30, what: str = "the condition") -> T:
    """The first truthy value of `condition()`; fails past `seconds` (a generous deadline)."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds:g} s"
        time.sleep(POLL)
    return value


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes have used so far; 0 for a process that is gone."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        except OSError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


def wait_until_a_query_runs(server_pid: int, seconds: float = 30, cpu: float = 0.1) -> list[int]:
    """Until the server's query processes have burnt `cpu` more seconds than when called: a query
    is being evaluated (the server is otherwise idle). Returns the query processes."""
    workers = query_workers(server_pid)
    start = cpu_seconds(workers)
    wait_for(lambda: cpu_seconds(workers) - start >= cpu, seconds, "a query running")
    return workers
