"""Refuse requests whose headers are too large (431) before any view reads them.

The HTTP server in front (granian) only refuses headers near a megabyte; a view that negotiates,
parses and echoes headers should never see more than a browser sends (a few kilobytes, cookies
included). `max_header_bytes` bounds the sum of every header's name and value.
"""

from __future__ import annotations

from flask import Flask, current_app, request

from election_kg.server.http import errors


def _check_headers() -> None:
    limit = current_app.config["SETTINGS"].max_header_bytes
    size = sum(len(name) + len(value) for name, value in request.headers.items())
    if size > limit:
        raise errors.ApiError(
            431, f"the request's headers are {size} bytes long; the limit is {limit}"
        )


def init_app(app: Flask) -> None:
    app.before_request(_check_headers)
