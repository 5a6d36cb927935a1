"""`election-kg serve`: the app behind gunicorn, a production WSGI server with worker processes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from server.release import ReleaseError, load_release
from server.settings import Settings


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from server.app import create_app

        return create_app(Settings.from_env())


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=None, type=int, help="Worker processes (default: the `workers` setting).")
@click.option("--dist", type=click.Path(file_okay=False, path_type=Path), default=None, help="Build folder to serve.")
def serve_command(host: str, port: int, workers: int | None, dist: Path | None) -> None:
    """Serve the published build over HTTP."""
    settings = Settings.from_env(**({"dist": dist} if dist else {}), **({"workers": workers} if workers else {}))
    try:
        load_release(settings.dist, settings)  # fail here, clearly (and build an on-disk store once), not in every worker
    except ReleaseError as exc:
        raise click.ClickException(str(exc)) from exc
    os.environ.update(settings.to_env())
    click.echo(f"serving {settings.dist} on http://{host}:{port}/ with {settings.workers} HTTP workers x {settings.threads} threads, "
               f"{settings.query_workers} query processes each, {settings.query_timeout:g} s query deadline")
    _Gunicorn({"bind": f"{host}:{port}", "workers": settings.workers, "worker_class": "gthread", "threads": settings.threads,
               "accesslog": "-", "errorlog": "-", "timeout": int(settings.query_timeout) + 20,
               "limit_request_line": 8190}).run()
