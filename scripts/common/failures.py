"""How a failure to reach another service is told to a person: one line, never a traceback.

The linker (Wikidata, Graph Store loads) and the server's remote store both talk to other SPARQL
services; their messages must read the same way.
"""

from __future__ import annotations

import socket


def first_line(text: str, limit: int = 300) -> str:
    """The first line of a service's message, cut to `limit` characters ("" for an empty one)."""
    return text.strip().splitlines()[0][:limit] if text.strip() else ""


def reason(exc: BaseException) -> str:
    """Why a connection failed, as a short phrase ("timed out", "Connection refused", ...)."""
    cause = getattr(exc, "reason", exc)
    if isinstance(cause, socket.timeout | TimeoutError):
        return "timed out"
    return str(cause)
