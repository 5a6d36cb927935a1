"""Error answers: (status, message) pairs made by small helpers, written in the format the client reads.

Views raise `ApiError`s made by the helpers below (`raise errors.bad_request("...")`); this module
turns them, and every other exception, into a response:

- JSON (`{"status", "error", "message"}`) for API clients (they accept a JSON type first),
- a small HTML page for browsers (they prefer text/html),
- plain text otherwise (curl, SPARQL clients that accept anything).

A client mistake is a 4xx with a message that says what to change. An unexpected exception is
logged with its traceback on the server and answered with a bare 500: no stack trace, file path or
exception text ever reaches the client.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from election_kg.server.http import negotiation
from election_kg.server.store.remote import RemoteStoreError

JSON_TYPES = (
    "application/json",
    "application/problem+json",
    "application/sparql-results+json",
    "application/ld+json",
)
OFFERS = ("text/plain", *JSON_TYPES, "text/html")


class ApiError(Exception):
    """An answer other than success: its status, a message for the client and extra headers."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, message)


def not_found(message: str = "nothing is published at this address") -> ApiError:
    return ApiError(404, message)


def not_acceptable(offers: Iterable[str]) -> ApiError:
    offered = ", ".join(dict.fromkeys(offers))
    return ApiError(
        406,
        f"none of the media types in Accept (or the format asked for) can be produced here; offered: {offered}",
    )


def too_large(message: str) -> ApiError:
    return ApiError(413, message)


def too_many_requests(message: str, retry_after: int) -> ApiError:
    """429: the client's query budget is spent (see `budget`); Retry-After says when it may query again."""
    return ApiError(429, message, {"Retry-After": str(retry_after)})


def unsupported_media_type(message: str, accepted: Iterable[str]) -> ApiError:
    return ApiError(415, message, {"Accept-Post": ", ".join(accepted)})


def unprocessable(message: str) -> ApiError:
    return ApiError(422, message)


def bad_gateway(message: str) -> ApiError:
    return ApiError(502, message)


def busy(message: str, retry_after: int) -> ApiError:
    """503: every query process stayed busy while the query waited; Retry-After says when to ask again."""
    return ApiError(503, message, {"Retry-After": str(retry_after)})


def query_timeout(message: str) -> ApiError:
    """503: the query's worker was stopped at the deadline. Documented in the README; not a crash."""
    return ApiError(
        503, f"{message}; simplify the query (add LIMIT, narrow its patterns) or download the dumps"
    )


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The answer for `status` with `message`, in the format the request's Accept header prefers."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:  # a status without a standard phrase
        title = "Error"
    chosen = negotiation.choose(request.headers.get("Accept"), OFFERS) or "text/plain"
    if chosen in JSON_TYPES:
        body = json.dumps(
            {"status": status, "error": title, "message": message}, ensure_ascii=False
        )
        response = Response(body, status, mimetype="application/json")
    elif chosen == "text/html":
        response = Response(
            render_template("error.html", status=status, title=title, message=message),
            status,
            mimetype="text/html",
        )
    else:
        response = Response(f"{status} {title}: {message}\n", status, mimetype="text/plain")
    response.headers.extend(headers or {})
    response.vary.add("Accept")
    return response


def _api_error(exc: ApiError) -> Response:
    return error_response(exc.status, exc.message, exc.headers)


def _http_error(exc: HTTPException) -> Response:
    # Werkzeug's descriptions are generic sentences (no paths or values), safe to show.
    code = exc.code or 500
    headers = {
        k: v for k, v in exc.get_headers() if k.lower() not in ("content-type", "content-length")
    }
    return error_response(code, (exc.description or "").strip() or HTTPStatus(code).phrase, headers)


def _unknown_format(exc: negotiation.UnknownFormat) -> Response:
    return error_response(400, str(exc))


def _not_acceptable(exc: negotiation.NotAcceptable) -> Response:
    return _api_error(not_acceptable(exc.offers))


def _unexpected(exc: Exception) -> Response:
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(
        500, "the server failed to answer this request; the error has been logged"
    )


def _bad_gateway(exc: RemoteStoreError) -> Response:
    # 502, or 503 for a store that stopped at the deadline or lost the release
    return error_response(exc.status, str(exc))


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(negotiation.UnknownFormat, _unknown_format)
    app.register_error_handler(negotiation.NotAcceptable, _not_acceptable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(
        RemoteStoreError, _bad_gateway
    )  # the store failed, not the client: 502, as at /sparql
    app.register_error_handler(Exception, _unexpected)
