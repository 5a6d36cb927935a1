"""Read a SPARQL 1.1 Protocol request into one operation: a query, an update (refused) or neither.

A pure function of the request's method, content type, query string and body, so every request
shape is tested without a server. Parameters are decoded here, strictly as UTF-8, rather than by
Werkzeug's form parser, which replaces undecodable bytes silently: a query that is not UTF-8 must
be a 400, not a different query.

Shapes (https://www.w3.org/TR/sparql11-protocol/#query-operation):
- GET ?query=...&default-graph-uri=...&named-graph-uri=...
- POST application/x-www-form-urlencoded with the same parameters in the body
- POST application/sparql-query with the query as the body, graph parameters in the URL
An `update` parameter or an application/sparql-update body is an update, whatever else is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from werkzeug.http import parse_options_header

from election_kg.server.http import errors

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
POST_TYPES = (FORM, QUERY)


@dataclass(frozen=True)
class Query:
    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    format: str | None = None


@dataclass(frozen=True)
class Update:
    """Any form of SPARQL Update; this endpoint is read-only and refuses it."""


@dataclass(frozen=True)
class NoQuery:
    """A request without a query: answered with the service description (or the query page)."""

    format: str | None = None


Operation = Query | Update | NoQuery


def _params(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except UnicodeDecodeError as exc:
        raise errors.bad_request(
            f"the {where} is not valid UTF-8; SPARQL requests must be UTF-8"
        ) from exc


def _values(params: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


def _one_query(values: list[str]) -> str | None:
    if len(values) > 1:
        raise errors.bad_request(
            f"the request has {len(values)} `query` parameters; give exactly one"
        )
    return values[0] if values else None


def _format(params: list[tuple[str, str]]) -> str | None:
    values = _values(params, "format")
    return values[0] if values else None


def _query(text: str, params: list[tuple[str, str]]) -> Query:
    return Query(
        text,
        tuple(_values(params, "default-graph-uri")),
        tuple(_values(params, "named-graph-uri")),
        _format(params),
    )


def read(method: str, content_type: str | None, query_string: bytes, body: bytes) -> Operation:
    """The operation a request asks for; raises ApiError (400/415) for a malformed request."""
    url_params = _params(query_string, "query string")
    if _values(url_params, "update"):
        return Update()
    if method in ("GET", "HEAD"):
        text = _one_query(_values(url_params, "query"))
        return NoQuery(_format(url_params)) if text is None else _query(text, url_params)

    mimetype, options = parse_options_header(content_type or "")
    charset = options.get("charset", "utf-8").lower()
    if mimetype == UPDATE:
        return Update()
    if mimetype not in POST_TYPES:
        shown = f"`{mimetype}`" if mimetype else "no Content-Type"
        raise errors.unsupported_media_type(
            f"a SPARQL POST must be {FORM} or {QUERY}, not {shown}", POST_TYPES
        )
    if charset not in ("utf-8", "utf8"):
        raise errors.bad_request(f"SPARQL requests must be UTF-8, not {charset}")
    if mimetype == FORM:
        params = url_params + _params(body, "request body")
        if _values(params, "update"):
            return Update()
        text = _one_query(_values(params, "query"))
        if text is None:
            raise errors.bad_request("the form has no `query` parameter")
        return _query(text, params)
    if _values(url_params, "query"):
        raise errors.bad_request(
            f"with {QUERY} the body is the query; do not also give a `query` parameter"
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise errors.bad_request(
            f"the request body is not valid UTF-8 (byte {exc.start}); SPARQL requests must be UTF-8"
        ) from exc
    return _query(text, url_params)
