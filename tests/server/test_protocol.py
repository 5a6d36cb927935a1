"""Reading request shapes into operations (`server.protocol.read`), case by case, without a server."""

from __future__ import annotations

import pytest

from election_kg.server.http.errors import ApiError
from election_kg.server.sparql.protocol import NoQuery, Query, Update, read

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"

OPERATIONS = [
    # (method, content type, query string, body, operation)
    ("GET", None, b"", b"", NoQuery()),
    ("GET", None, b"format=ttl", b"", NoQuery("ttl")),
    ("HEAD", None, b"query=ASK%7B%7D", b"", Query("ASK{}")),
    ("GET", None, b"query=ASK+%7B%7D", b"", Query("ASK {}")),
    (
        "GET",
        None,
        b"query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fa%2Fg&default-graph-uri=http://b/g&named-graph-uri=http://c/g",
        b"",
        Query("ASK{}", ("http://a/g", "http://b/g"), ("http://c/g",)),
    ),
    ("GET", None, b"query=ASK%7B%7D&format=csv&unknown=1", b"", Query("ASK{}", format="csv")),
    ("GET", None, b"query=%C3%A9", b"", Query("é")),
    ("GET", None, b"update=CLEAR+ALL", b"", Update()),
    ("GET", None, b"query=ASK%7B%7D&update=CLEAR+ALL", b"", Update()),
    (
        "POST",
        FORM,
        b"",
        b"query=ASK%7B%7D&named-graph-uri=http://c/g",
        Query("ASK{}", (), ("http://c/g",)),
    ),
    (
        "POST",
        FORM + "; charset=UTF-8",
        b"default-graph-uri=http://a/g",
        b"query=ASK%7B%7D",
        Query("ASK{}", ("http://a/g",)),
    ),
    ("POST", FORM, b"", b"update=CLEAR+ALL", Update()),
    ("POST", QUERY, b"", b"ASK {}", Query("ASK {}")),
    (
        "POST",
        QUERY + ";charset=utf-8",
        b"default-graph-uri=http://a/g&format=xml",
        'ASK { "é" }'.encode(),
        Query('ASK { "é" }', ("http://a/g",), format="xml"),
    ),
    ("POST", "application/sparql-update", b"", b"CLEAR ALL", Update()),
    ("POST", QUERY, b"update=x", b"ASK {}", Update()),
]


@pytest.mark.parametrize(
    ("method", "content_type", "query_string", "body", "operation"), OPERATIONS
)
def test_read(method, content_type, query_string, body, operation):
    assert read(method, content_type, query_string, body) == operation


MALFORMED = [
    # (method, content type, query string, body, status, words in the message)
    ("GET", None, b"query=ASK%7B%7D&query=ASK%7B%7D", b"", 400, "2 `query` parameters"),
    ("GET", None, b"query=%FF", b"", 400, "not valid UTF-8"),
    ("GET", None, b"query=\xff", b"", 400, "not valid UTF-8"),
    ("POST", FORM, b"", b"query=ASK%7B%7D&query=ASK%7B%7D", 400, "2 `query` parameters"),
    ("POST", FORM, b"query=ASK%7B%7D", b"query=ASK%7B%7D", 400, "2 `query` parameters"),
    ("POST", FORM, b"", b"query=%E9t%E9", 400, "not valid UTF-8"),
    ("POST", FORM, b"", b"format=json", 400, "no `query` parameter"),
    ("POST", QUERY, b"", 'ASK { "é" }'.encode("latin-1"), 400, "not valid UTF-8"),
    ("POST", QUERY, b"query=ASK%7B%7D", b"ASK {}", 400, "the body is the query"),
    ("POST", QUERY + "; charset=latin-1", b"", b"ASK {}", 400, "must be UTF-8"),
    ("POST", "text/plain", b"", b"ASK {}", 415, "not `text/plain`"),
    ("POST", "multipart/form-data; boundary=x", b"", b"", 415, "multipart/form-data"),
    ("POST", None, b"", b"query=ASK%7B%7D", 415, "no Content-Type"),
]


@pytest.mark.parametrize(
    ("method", "content_type", "query_string", "body", "status", "words"), MALFORMED
)
def test_malformed_requests_are_client_errors(
    method, content_type, query_string, body, status, words
):
    with pytest.raises(ApiError) as caught:
        read(method, content_type, query_string, body)
    assert caught.value.status == status
    assert words in caught.value.message
