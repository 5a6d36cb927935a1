"""The application factory: settings in, a Flask app with one blueprint per URL space out."""

from __future__ import annotations

from flask import Flask

from election_kg.common import offline
from election_kg.server.http import (
    budget,
    caching,
    cors,
    errors,
    limits,
    page_cache,
    security_headers,
)
from election_kg.server.settings import Settings
from election_kg.server.sparql import endpoint, engine, fast_path
from election_kg.server.store import release
from election_kg.server.views import (
    dataset,
    downloads,
    findable,
    health,
    home,
    ontology,
    quality,
    query,
    reconcile,
    resources,
    search,
)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    offline.configure()  # rdflib (the query guard's parser) never loads FROM graphs in this process
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    release.init_app(app, settings)
    engine.init_app(app)
    budget.init_app(app)  # per-client query time, shared by the worker processes: 429 past it
    errors.init_app(app)
    limits.init_app(app)  # headers past max_header_bytes: 431
    page_cache.init_app(app, settings.page_cache_size)  # pages made once per release
    caching.init_app(app)  # after the page cache's hooks: ETag and 304 on kept pages too
    cors.init_app(app)
    security_headers.init_app(app)  # CSP, nosniff, no framing, no referrer: on every response
    app.register_blueprint(health.blueprint)
    endpoint.init_app(app)
    dataset.init_app(app)
    app.register_blueprint(downloads.blueprint)
    findable.init_app(app)  # robots.txt, sitemap.xml
    for pages in (
        home,
        resources,
        search,
        ontology,
        quality,
        query,
    ):  # IRIs, pages, search, vocabulary, shapes, query page
        app.register_blueprint(pages.blueprint)
    app.register_blueprint(
        reconcile.blueprint
    )  # /reconcile: the Reconciliation Service API (OpenRefine)
    fast_path.init_app(app)  # last: it wraps the finished app's WSGI callable
    return app
