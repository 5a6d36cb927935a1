"""The application factory: settings in, a Flask app with one blueprint per URL space out."""

from __future__ import annotations

from flask import Flask

from server import (
    budget,
    caching,
    cors,
    dataset,
    downloads,
    engine,
    errors,
    health,
    ontology_page,
    quality,
    query_ui,
    reconcile,
    release,
    remote_store,
    request_limits,
    resources,
    search,
    security_headers,
    site,
    sparql,
)
from server.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    release.init_app(app, settings)
    engine.init_app(app)
    budget.init_app(app)  # per-client query time, shared by the worker processes: 429 past it
    errors.init_app(app)
    request_limits.init_app(app)  # headers past max_header_bytes: 431
    remote_store.init_app(app)  # a page the remote store (if any) could not answer: 502
    caching.init_app(app)
    cors.init_app(app)
    security_headers.init_app(app)  # CSP, nosniff, no framing, no referrer: on every response
    app.register_blueprint(health.blueprint)
    sparql.init_app(app)
    dataset.init_app(app)
    app.register_blueprint(downloads.blueprint)
    for pages in (site, resources, search, ontology_page, quality, query_ui):  # IRIs, pages, search, vocabulary, shapes, query page
        app.register_blueprint(pages.blueprint)
    app.register_blueprint(reconcile.blueprint)  # /reconcile: the Reconciliation Service API (OpenRefine)
    return app
