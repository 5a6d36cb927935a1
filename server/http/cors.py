"""CORS on every answer, and preflight for OPTIONS: the data is public and read-only, so any web
page may query it (YASGUI elsewhere, a notebook, another site's widget).

Flask answers OPTIONS itself (with `Allow`); this adds the preflight headers to that answer.
Errors are covered too, since after_request runs on them: a browser script must be able to read
why its query failed.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

METHODS = "GET, HEAD, POST, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since, Range"
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Link, Content-Location, Content-Encoding, Content-Length, Vary, Location, "
    "Retry-After, X-SPARQL-MaxRows, X-Result-Truncated"
)
_TOKEN_LIST = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$")


# What every answer but a preflight carries (the SPARQL fast path sets these same headers).
ANSWER_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", EXPOSED_HEADERS),
)


def _cors(response: Response) -> Response:
    for name, value in ANSWER_HEADERS:
        response.headers[name] = value
    if request.method == "OPTIONS":
        asked = request.headers.get("Access-Control-Request-Headers", "").strip()
        response.headers["Access-Control-Allow-Methods"] = METHODS
        # echo what was asked when it is a well-formed header list: no credentials are ever honoured, so this is safe
        response.headers["Access-Control-Allow-Headers"] = (
            asked if asked and _TOKEN_LIST.match(asked) else ALLOWED_HEADERS
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_cors)
