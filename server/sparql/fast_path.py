"""`/sparql` answered ahead of Flask's routing and hooks, for the plain case that most queries are.

Measured on a fresh query (2 cores), Flask's request context, URL routing, five after-request hooks
and the Response object cost about as much as the query itself; a cached answer is almost all of
it. This WSGI middleware answers a plain query itself, with the very same code as the view (the
protocol reader, `endpoint.plan`, the budget, `endpoint.run`) and the very same headers (the
constants of `cors`, `security_headers`, and `caching.etag_for`), and hands everything else to
Flask untouched, with the body put back:
- anything but GET or POST on `/sparql`, a request with conditional or range headers (Flask's
  `make_conditional` answers those), headers near `max_header_bytes`, a body without a length or
  over `max_body_bytes`, a request with no query, or an update;
- any refusal before the query runs (size, nesting, guard, dataset, format, budget): Flask checks
  again and answers it, with its error pages; nothing ran, so nothing is charged twice.
A failure once the query ran (deadline, crash, store) is answered through Flask's own error
handlers and after-request hooks, in a request context made for it. `tests/server/test_fast_path.py`
compares both paths' answers, headers included.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.http import http_date
from werkzeug.utils import get_content_type

from election_kg.server.http import budget, caching, cors, errors, negotiation, security_headers
from election_kg.server.sparql import endpoint, protocol
from election_kg.server.store.release import get_release

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

PATH = "/sparql"
# Flask's make_conditional reads these on a GET: such requests take Flask's path.
CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)
HEADER_SLACK = 256  # bytes below max_header_bytes from which Flask measures the headers itself


def _header_bytes(environ: dict[str, Any]) -> int:
    """What `limits` counts (every header's name and value); close calls go to Flask anyway."""
    size = sum(len(k) - 5 + len(v) for k, v in environ.items() if k.startswith("HTTP_"))
    for key, name in (("CONTENT_TYPE", "Content-Type"), ("CONTENT_LENGTH", "Content-Length")):
        if environ.get(key):
            size += len(name) + len(environ[key])
    return size


class SparqlFastPath:
    """WSGI middleware in front of the Flask app (see the module docstring)."""

    def __init__(self, app: Flask, inner: WsgiApp) -> None:
        self.app, self.inner = app, inner
        self.settings = app.config["SETTINGS"]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if (
            environ.get("PATH_INFO") != PATH
            or method not in ("GET", "POST")
            or (method == "GET" and any(name in environ for name in CONDITIONAL))
            or _header_bytes(environ) > self.settings.max_header_bytes - HEADER_SLACK
        ):
            return self.inner(environ, start_response)
        body = b""
        if method == "POST":
            length = environ.get("CONTENT_LENGTH", "")
            if not length.isdigit() or int(length) > self.settings.max_body_bytes:
                return self.inner(environ, start_response)
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)  # for Flask, if it answers after all
        try:
            operation = protocol.read(
                method,
                environ.get("CONTENT_TYPE") or None,
                environ.get("QUERY_STRING", "").encode("latin-1"),
                body,
            )
        except errors.ApiError:
            return self.inner(environ, start_response)
        if not isinstance(operation, protocol.Query):
            return self.inner(environ, start_response)
        with self.app.app_context():
            return self._answer(operation, environ, start_response)

    def _answer(
        self, query: protocol.Query, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        release, settings = get_release(), self.settings
        try:
            planned = endpoint.plan(
                query, environ.get("HTTP_ACCEPT"), release, settings, endpoint.get_endpoint()
            )
            client = budget.client_address(
                environ.get("REMOTE_ADDR"),
                environ.get("HTTP_X_FORWARDED_FOR"),
                self.app.extensions.get("election_kg.trusted_proxies", ()),
            )
            budget.check(client)
        except (errors.ApiError, negotiation.NotAcceptable, negotiation.UnknownFormat):
            return self.inner(environ, start_response)  # nothing ran: Flask refuses it, its way
        try:
            answer, hit = endpoint.run(planned, release, settings, client)
        except Exception as exc:  # a documented failure, or a bug: Flask's handlers answer both
            return self._failure(exc, environ, start_response)
        content_type = get_content_type(planned.media_type, "utf-8")
        tag = caching.etag_for(
            release.version, self.app.extensions[caching.CODE_VERSION], content_type
        )
        headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(answer.body))),
            *endpoint.answer_headers(answer, hit),
            ("Vary", "Accept"),
            *security_headers.DEFAULTS,
            *cors.ANSWER_HEADERS,
            ("ETag", f'W/"{tag}"'),
            ("Cache-Control", "no-cache"),
        ]
        if environ["REQUEST_METHOD"] == "GET":  # as make_conditional does for a GET (see caching)
            headers.append(("Date", http_date()))
        start_response("200 OK", headers)
        return [answer.body]

    def _failure(
        self, exc: Exception, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """The answer Flask gives for this error (its handlers, then its after-request hooks): a
        documented status for an ApiError, a logged 500 without details for anything else."""
        with self.app.request_context(environ):
            response = self.app.make_response(self.app.handle_user_exception(exc))
            response = self.app.process_response(response)
        return response(environ, start_response)


def init_app(app: Flask) -> None:
    if app.config["SETTINGS"].sparql_fast_path:
        app.wsgi_app = SparqlFastPath(app, app.wsgi_app)  # type: ignore[method-assign]
