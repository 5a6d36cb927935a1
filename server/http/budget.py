"""A per-client budget of query time: past it, 429 Too Many Requests with Retry-After.

Each client (its IP address) may use `query_budget` seconds of query-process time per
`query_budget_window` seconds, like Wikidata's one minute of processing per minute. The account is
a leaky bucket: every query adds the time its query process worked (a cache hit costs nothing, a
query stopped at the deadline costs the whole deadline), and the debt drains at
`query_budget / query_budget_window` seconds per second. A client whose debt has reached the
budget is refused until it drains below again, which is what Retry-After says.

The accounts must be shared by every HTTP worker process of a server, or a client would get one
budget per process. They live in one SQLite file (`budget_store`, a fresh one per
`election-kg serve` run): SQLite gives atomic updates across processes without a server to run,
one upsert per query costs tens of microseconds in WAL mode, and it is in the standard library.
(flask-limiter counts requests rather than time, and its shared back ends are Redis, Memcached or
MongoDB: one more service to run for what a file does.) If the file cannot be used the budget
fails open, with a warning in the log: an accounting problem must not take the endpoint down, and
each query stays bounded by its deadline anyway.

The client is the connection's address. Behind a reverse proxy every connection comes from the
proxy, so `client_address` reads `X-Forwarded-For` instead, but only when the connection comes from
one of `trusted_proxies` (addresses or networks): anyone else could write any address there and
get a fresh budget per request. The header is read from the right (the address the nearest proxy
saw), skipping trusted proxies; the first address that is not one is the client.
"""

from __future__ import annotations

import atexit
import ipaddress
import logging
import math
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

from flask import Flask, current_app, request

from election_kg.server.http import errors

log = logging.getLogger(__name__)

SCHEMA = "CREATE TABLE IF NOT EXISTS debt (client TEXT PRIMARY KEY, seconds REAL NOT NULL, at REAL NOT NULL)"
CHARGE = """INSERT INTO debt (client, seconds, at) VALUES (:client, :seconds, :now)
            ON CONFLICT (client) DO UPDATE SET seconds = max(0, seconds - (:now - at) * :rate) + :seconds, at = :now"""
FORGET = "DELETE FROM debt WHERE at + seconds / :rate < :now"  # accounts that have drained to zero
FORGET_EVERY = 1000  # charges per process between two clean-ups


class Budget:
    """The accounts in one SQLite file; one connection per thread."""

    def __init__(self, path: Path | None, seconds: float, window: float) -> None:
        """`path`: the file shared with other processes, or None for accounts private to this process."""
        # a private database is a named in-memory one, shared by this process's threads while one connection lives
        self.database = (
            str(path) if path else f"file:election-kg-budget-{id(self)}?mode=memory&cache=shared"
        )
        self.seconds, self.window = seconds, window
        self.rate = seconds / window  # seconds of debt drained per second
        self._local = threading.local()
        self._charges = 0
        self._first = self._connection()
        if path:
            self._first.execute("PRAGMA journal_mode=WAL")
        self._first.execute(SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self.database,
                timeout=2,
                isolation_level=None,
                uri=self.database.startswith("file:"),
            )
            connection.execute(
                "PRAGMA synchronous=OFF"
            )  # the accounts are worth nothing after a crash
            self._local.connection = connection
        return connection

    def debt(self, client: str, now: float | None = None) -> float:
        """The client's current debt in seconds (after draining)."""
        now = time.time() if now is None else now
        row = (
            self._connection()
            .execute("SELECT seconds, at FROM debt WHERE client = ?", (client,))
            .fetchone()
        )
        return 0.0 if row is None else max(0.0, row[0] - (now - row[1]) * self.rate)

    def retry_after(self, client: str, now: float | None = None) -> int | None:
        """Seconds until the client may query again, or None if it may now."""
        over = self.debt(client, now) - self.seconds
        return None if over < 0 else max(1, math.ceil(over / self.rate))

    def charge(self, client: str, seconds: float, now: float | None = None) -> None:
        now = time.time() if now is None else now
        connection = self._connection()
        connection.execute(
            CHARGE, {"client": client, "seconds": seconds, "now": now, "rate": self.rate}
        )
        self._charges += 1
        if self._charges % FORGET_EVERY == 0:
            connection.execute(FORGET, {"rate": self.rate, "now": now})


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """`trusted_proxies` as networks (a bare address is a network of one); raises ValueError."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]
) -> str:
    """The client a query is charged to: the peer, or, when the peer is a trusted proxy, the
    right-most address of `X-Forwarded-For` that is not a trusted proxy."""
    peer = peer or "unknown"
    if not forwarded_for or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:  # not an address: the proxy chain cannot be read further
                return peer
    return hops[0] if hops else peer  # every hop is a trusted proxy: the farthest one


def current_client() -> str:
    """The client of the current request (see `client_address`)."""
    trusted = current_app.extensions.get("election_kg.trusted_proxies", ())
    return client_address(request.remote_addr, request.headers.get("X-Forwarded-For"), trusted)


def check(client: str) -> None:
    """Refuse (429, Retry-After) a client that has used its budget. Call before running its query."""
    budget: Budget | None = current_app.extensions.get("election_kg.budget")
    if budget is None:
        return
    try:
        wait = budget.retry_after(client)
    except sqlite3.Error as exc:
        log.warning("query budget unavailable (%s); not enforced for this query", exc)
        return
    if wait is not None:
        raise errors.too_many_requests(
            f"this client has used its query time budget ({budget.seconds:g} s of query time per {budget.window:g} s); "
            f"try again in {wait} s, or download the dumps for heavy use",
            wait,
        )


def charge(client: str, seconds: float) -> None:
    """Add the time a query cost to the client's account."""
    budget: Budget | None = current_app.extensions.get("election_kg.budget")
    if budget is None or seconds <= 0:
        return
    try:
        budget.charge(client, seconds)
    except sqlite3.Error as exc:
        log.warning("query budget unavailable (%s); %.3f s not charged", exc, seconds)


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    app.extensions["election_kg.trusted_proxies"] = parse_networks(settings.trusted_proxies)
    if settings.query_budget <= 0:
        return
    path = Path(settings.budget_store) if settings.budget_store else None
    app.extensions["election_kg.budget"] = Budget(
        path, settings.query_budget, settings.query_budget_window
    )


def shared_store() -> Path:
    """A fresh file for one server run's accounts (`election-kg serve` passes it to every worker),
    removed when the process that made it exits."""
    folder, owner = Path(tempfile.mkdtemp(prefix="election-kg-budget-")), os.getpid()
    atexit.register(
        lambda: os.getpid() == owner and shutil.rmtree(folder, ignore_errors=True)
    )  # not in forked children
    return folder / "budget.sqlite"
