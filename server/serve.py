"""`election-kg serve`: the app behind granian, a production HTTP server with worker processes.

Chosen by measurement (README, "Performance"): on the seed's query mix granian's Rust HTTP layer
answered about 1.8x the requests/s of gunicorn's gthread workers at concurrency 16, with a lower
p99. Each granian worker is a process with its own app, result cache and query pool; a worker
that dies is respawned, and SIGHUP reloads the workers (a new build is picked up) one at a time,
without refusing or dropping a connection (`supervisor`).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import click
from granian.constants import Interfaces

from election_kg.server.http import budget
from election_kg.server.settings import Settings
from election_kg.server.store.release import VERIFIED, ReleaseError, load_release
from election_kg.server.supervisor import Supervisor


def app_factory() -> object:
    """The WSGI app of one worker process, configured from the environment `serve` sets."""
    from election_kg.server.app import create_app

    return create_app(Settings.from_env())


WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def base_mismatch(base: str, host: str, port: int) -> str | None:
    """What to tell the person starting the server when the build's IRIs are not on the address it
    listens on (so a link to an IRI would not come back here), or None when they are. A server on
    every interface (0.0.0.0) can only be checked by its port."""
    served = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    parts = urlsplit(base)
    if host in WILDCARD_HOSTS:
        matches = (parts.port or (443 if parts.scheme == "https" else 80)) == port
    else:
        matches = base.rstrip("/") == served.rstrip("/")
    if matches:
        return None
    return (
        f"warning: this build's IRIs start with {base}, but the server listens on {served}: "
        "links to the data's IRIs on the pages and in query answers will not reach this server.\n"
        f"  Rebuild for this address: election-kg build --base {served}  (or: make run PORT={port})\n"
        "  If a proxy serves this server at that base, all is well."
    )


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers", default=None, type=int, help="Worker processes (default: the `workers` setting)."
)
@click.option(
    "--dist",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Build folder to serve.",
)
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Project folder whose data/dist, data/queries, data/.stores and node_modules to use "
    "(default: the current directory).",
)
@click.option(
    "--store-endpoint",
    metavar="URL",
    default=None,
    help="Read the data from this SPARQL 1.1 store (its query URL; Oxigraph server: http://HOST:PORT/query), "
    "loaded with `election-kg load --gsp`, instead of an embedded store.",
)
@click.option(
    "--user",
    "store_user",
    default=None,
    help="Account on the store at --store-endpoint (Basic or Digest auth); the password comes from "
    "ELECTION_KG_STORE_PASSWORD or ~/.netrc, never from the command line.",
)
def serve_command(
    host: str,
    port: int,
    workers: int | None,
    dist: Path | None,
    root: Path | None,
    store_endpoint: str | None,
    store_user: str | None,
) -> None:
    """Serve the published build over HTTP."""
    settings = Settings.from_env(
        **(Settings.folders(root.resolve()) if root else {}),
        **({"dist": dist} if dist else {}),
        **({"workers": workers} if workers else {}),
        **({"store_endpoint": store_endpoint} if store_endpoint else {}),
        **({"store_user": store_user} if store_user else {}),
    )
    try:
        release = load_release(
            settings.dist, settings
        )  # fail here, clearly (and build an on-disk store once), not in every worker
    except ReleaseError as exc:
        raise click.ClickException(str(exc)) from exc
    mismatch = base_mismatch(release.base, host, port)
    if mismatch:
        click.echo(mismatch, err=True)
    if (
        settings.query_budget > 0 and not settings.budget_store
    ):  # one budget per client across all workers
        settings = replace(settings, budget_store=str(budget.shared_store()))
    os.environ.update(settings.to_env())
    os.environ[VERIFIED] = (
        f"{release.folder}:{release.version}"  # workers need not hash the dumps again
    )
    del release
    click.echo(
        f"serving {settings.dist} on http://{host}:{port}/ with {settings.workers} HTTP workers x {settings.threads} threads, "
        f"{settings.query_workers} query processes each, {settings.query_timeout:g} s query deadline"
        + (
            f", data read from the store at {settings.store_endpoint}"
            if settings.store_endpoint
            else ""
        )
    )
    # granian's process manager, made to reload without dropping a connection (`supervisor`); a
    # retired worker's in-flight queries end by their deadline, so it drains in query_timeout + 5 s
    Supervisor(
        "election_kg.server.serve:app_factory",
        factory=True,
        drain=settings.query_timeout + 5,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=settings.workers,
        blocking_threads=settings.threads,
        respawn_failed_workers=True,
        log_access=True,
    ).serve()
