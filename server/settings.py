"""One typed table of server settings, each with its default and help text.

Values come from the defaults, then from `ELECTION_KG_<NAME>` environment variables (so that
HTTP workers see what `election-kg serve` was given), then from code (tests pass overrides).
"""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

ROOT = Path(
    "."
)  # paths are relative to the folder the server runs in (the project folder), like `--root`


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    dist: Path = _setting(
        ROOT / "data" / "dist", "Folder of the published build (dumps and manifest.json) to serve."
    )
    queries: Path = _setting(
        ROOT / "data" / "queries", "Folder of example SPARQL queries (.rq) shown in the query page."
    )
    query_timeout: float = _setting(
        10.0, "Seconds a SPARQL query may run before its worker process is killed (answer: 503)."
    )
    sparql_fast_path: bool = _setting(
        True,
        "Answer plain /sparql queries ahead of Flask's routing and hooks (same checks, same "
        "headers; everything else goes through Flask). Off: every request goes through Flask.",
    )
    query_workers: int = _setting(
        2, "Query processes per HTTP worker (each runs one query at a time, under the deadline)."
    )
    store: str = _setting(
        "auto",
        "Where the data lives: 'memory' (each process loads the dump), 'disk' (one on-disk store, "
        "opened read-only by every process) or 'auto' (disk past `disk_threshold` triples).",
    )
    disk_threshold: int = _setting(
        200_000, "Triple count from which the 'auto' store goes on disk."
    )
    stores: Path = _setting(
        ROOT / "data" / ".stores", "Folder of the on-disk stores, one per data version."
    )
    store_endpoint: str = _setting(
        "",
        "SPARQL 1.1 query URL of a remote store holding the build's graphs (pushed with "
        "`election-kg load --gsp`); when set, every page and query reads it instead of `store`. "
        "Oxigraph server: http://HOST:PORT/query; Fuseki: http://HOST:3030/DATASET/query; "
        "Virtuoso: http://HOST:8890/sparql.",
    )
    store_user: str = _setting(
        "",
        "Account on the remote store, when it asks for one (Basic or Digest auth); the password "
        "comes from ELECTION_KG_STORE_PASSWORD or ~/.netrc, never from a setting or the command line.",
    )
    max_query_length: int = _setting(20_000, "Longest SPARQL query text accepted, in characters.")
    max_query_depth: int = _setting(
        100,
        "Deepest nesting a SPARQL query may have: groups, subqueries, parentheses, [ ] lists and "
        "runs of unary operators (! - + ^) count; past it 400, before any parser sees the query "
        "(pyoxigraph overflows its stack near 3,000). 0 turns the check off.",
    )
    max_body_bytes: int = _setting(100_000, "Largest request body accepted, in bytes.")
    max_header_bytes: int = _setting(
        16_384,
        "Largest total size of a request's headers (names and values), in bytes (431 past it).",
    )
    max_result_rows: int = _setting(
        10_000,
        "Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) one answer carries; past it the "
        "results are cut, still valid, and `X-SPARQL-MaxRows` says so (0: no cap).",
    )
    query_budget: float = _setting(
        60.0,
        "Seconds of query time one client (IP address) may use per `query_budget_window`; "
        "past it queries get 429 with Retry-After (0: no budget).",
    )
    trusted_proxies: tuple[str, ...] = _setting(
        (),
        "Addresses or networks (CIDR) of reverse proxies in front of the server: only for a "
        "connection from one of them is the client (for `query_budget`) read from X-Forwarded-For.",
    )
    query_budget_window: float = _setting(60.0, "Seconds over which the query budget refills.")
    budget_store: str = _setting(
        "",
        "SQLite file in which the HTTP worker processes share the clients' budgets; "
        "`election-kg serve` makes a fresh one per run (empty: one per process).",
    )
    result_cache_size: int = _setting(
        512, "How many query results the in-memory cache keeps (0 turns it off)."
    )
    page_cache_size: int = _setting(
        2048,
        "How many pages and resource documents each HTTP worker keeps once made (per release; 0 turns it off).",
    )
    home_elections: int = _setting(
        300,
        "Most elections the home page lists one by one; past it, the home page lists the "
        "countries (elections, years) and each country's page lists its elections.",
    )
    sitemap_size: int = _setting(
        50_000,
        "URLs per sitemap file (the Sitemaps protocol allows 50,000); a release with more pages "
        "is listed by /sitemap.xml as a sitemap index of /sitemap-1.xml, /sitemap-2.xml, ...",
    )
    service_allowlist: tuple[str, ...] = _setting(
        ("https://query.wikidata.org/sparql",), "SPARQL endpoints a query may call with SERVICE."
    )
    workers: int = _setting(2, "HTTP worker processes started by `election-kg serve` (granian).")
    threads: int = _setting(
        8, "Threads per HTTP worker (granian blocking threads); they wait on the query processes."
    )
    yasgui: Path = _setting(
        ROOT / "node_modules" / "@zazuko" / "yasgui" / "build",
        "Folder of the YASGUI build served to the query page (installed by `npm ci` from package-lock.json).",
    )

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(f"ELECTION_KG_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _convert(f.default if f.default is not MISSING else None, raw)
        settings = replace(cls(), **{**values, **overrides})
        # Folders are read relative to the directory the server starts in, whatever a library's own
        # idea of "relative" is (Flask joins relative paths to the package's folder).
        # Made absolute, never resolved: `dist` is a symlink that a new build switches, and a worker
        # started by a reload (SIGHUP) must follow it to the new build, not to the one the master saw.
        absolute = {
            f.name: getattr(settings, f.name).absolute()
            for f in fields(cls)
            if isinstance(getattr(settings, f.name), Path)
        }
        return replace(settings, **absolute)

    @staticmethod
    def folders(root: Path) -> dict[str, Path]:
        """The folder settings of a project folder other than the current directory (`serve --root`)."""
        return {
            "dist": root / "data" / "dist",
            "queries": root / "data" / "queries",
            "stores": root / "data" / ".stores",
            "yasgui": root / "node_modules" / "@zazuko" / "yasgui" / "build",
        }

    def to_env(self) -> dict[str, str]:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f"ELECTION_KG_{f.name.upper()}"] = (
                ",".join(value) if isinstance(value, tuple) else str(value)
            )
        return out


def _convert(default: Any, raw: str) -> Any:
    if isinstance(default, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, tuple):
        return tuple(part for part in raw.split(",") if part)
    if isinstance(default, (int, float)):
        return type(default)(raw)
    return raw


def documentation() -> list[tuple[str, str, str]]:
    """(name, default, help) for every setting; the README's table is checked against it."""
    return [(f.name, str(f.default), f.metadata["help"]) for f in fields(Settings)]
