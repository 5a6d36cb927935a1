"""rdflib SPARQL evaluation that never reaches outside the process.

rdflib's engine, by default, loads every `FROM` / `FROM NAMED` IRI it is given (a URL is fetched,
a `file:` IRI or a path is read) and runs every `SERVICE` call (urllib, to any host). Two doors
are closed here, for every rdflib evaluation in this project (tests, the SHACL gate, any tool):

1. `configure()` sets `rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False` for the process, so
   `FROM` names graphs of the dataset and never loads anything. The command line, the build and
   the server's app factory call it at start-up.
2. `offline()` is a context manager to wrap around an evaluation: while it is active in the
   current thread (or task), a Python audit hook refuses outbound requests (`urllib.Request`,
   `http.client.connect`, socket connects and name lookups), new processes, and file opens,
   raising `OutboundRefused` before any byte leaves. Reading Python code is still allowed, since
   rdflib imports parts of itself lazily during its first evaluation.

Audit hooks cannot be removed, so one hook is installed once per process and checks a context
variable: code outside `offline()` (and other threads) is not affected. pyoxigraph's HTTP client
is native code that no Python hook sees; the server gates its SERVICE calls in `query_guard`.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import rdflib.plugins.sparql

# Audit events that mean "about to reach outside": network, name lookups, other programs.
REFUSED_EVENTS = frozenset(
    {
        "urllib.Request",
        "http.client.connect",
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "socket.sendmsg",
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.startfile",
    }
)
CODE_SUFFIXES = (".py", ".pyc", ".so")
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

_OFFLINE: ContextVar[bool] = ContextVar("election_kg_offline", default=False)
_INSTALLED = threading.Lock()
_hook_installed = False


class OutboundRefused(PermissionError):
    """An rdflib evaluation tried to reach outside the process (network, files, programs)."""


def _is_code(args: tuple[Any, ...]) -> bool:
    """A read of Python code (a lazy import): the only file access an evaluation may make."""
    path, flags = args[0], args[2] if len(args) > 2 else 0
    if not isinstance(path, (str, bytes, os.PathLike)) or (
        isinstance(flags, int) and flags & _WRITING
    ):
        return False
    return os.fsdecode(path).endswith(CODE_SUFFIXES)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _OFFLINE.get():
        return
    if event == "open":
        if _is_code(args):
            return
        raise OutboundRefused(f"a SPARQL evaluation may not open files ({args[0]!r})")
    if event in REFUSED_EVENTS:
        shown = args[0] if event == "urllib.Request" else event
        raise OutboundRefused(f"a SPARQL evaluation may not reach outside ({event}: {shown!r})")


def install() -> None:
    """Add the audit hook to this process (once); it does nothing outside `offline()`."""
    global _hook_installed
    with _INSTALLED:
        if not _hook_installed:
            sys.addaudithook(_hook)
            _hook_installed = True


def configure() -> None:
    """Process-wide: rdflib's SPARQL treats FROM / FROM NAMED as names, never as graphs to load."""
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    install()


@contextmanager
def offline() -> Iterator[None]:
    """Refuse network access, new processes and file opens (other than code) in this block.

    Wrap rdflib evaluation (`graph.query(...)`, pySHACL's SPARQL constraints) in it; parse the
    inputs (files) before entering, and consume lazy results inside it.
    """
    install()
    token = _OFFLINE.set(True)
    try:
        yield
    finally:
        _OFFLINE.reset(token)
