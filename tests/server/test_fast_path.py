"""The `/sparql` fast path answers exactly as Flask does: same status, body and headers, request by
request, with the fast path on and off; and it really answers the plain queries itself."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from election_kg.server.app import create_app
from election_kg.server.settings import Settings

SELECT = "SELECT ?s WHERE { ?s a <http://127.0.0.1:5000/ontology#LegislativeElection> } ORDER BY ?s"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON = "application/sparql-results+json"


@dataclass
class Served:
    app: Flask
    client: FlaskClient
    views: list[str] = field(default_factory=list)  # requests Flask's /sparql view answered


def _serve(dist, fast: bool) -> Served:
    settings = Settings.from_env(
        dist=dist,
        store="memory",
        query_timeout=2.0,
        query_budget=0,
        max_result_rows=3,
        sparql_fast_path=fast,
    )
    app = create_app(settings)
    served = Served(app, app.test_client())
    view = app.view_functions["sparql.sparql"]

    def counted(*args: Any, **kwargs: Any) -> Any:
        served.views.append("view")
        return view(*args, **kwargs)

    app.view_functions["sparql.sparql"] = counted
    return served


@pytest.fixture(scope="module")
def both(seed_built) -> Iterator[tuple[Served, Served]]:
    fast, flask = _serve(seed_built.dist, True), _serve(seed_built.dist, False)
    yield fast, flask
    for served in (fast, flask):
        served.app.extensions["election_kg.engine"].pool.close()


REQUESTS = [
    # (what, method, path, keyword arguments, answered by the fast path)
    ("form POST", "POST", "/sparql", {"data": {"query": "ASK {}"}, "headers": {"Accept": JSON}}, True),
    ("the same again: a cache hit", "POST", "/sparql", {"data": {"query": "ASK {}"}, "headers": {"Accept": JSON}}, True),
    ("GET, CSV", "GET", "/sparql", {"query_string": {"query": SELECT}, "headers": {"Accept": "text/csv"}}, True),
    ("GET, XML by format=", "GET", "/sparql", {"query_string": {"query": SELECT, "format": "xml"}}, True),
    ("direct POST, Turtle, cut at max_result_rows", "POST", "/sparql",
     {"data": CONSTRUCT, "content_type": "application/sparql-query", "headers": {"Accept": "text/turtle"}}, True),
    ("a query stopped at the deadline", "POST", "/sparql", {"data": {"query": RUNAWAY}, "headers": {"Accept": JSON}}, True),
    ("not SPARQL", "POST", "/sparql", {"data": {"query": "SELEKT nothing"}, "headers": {"Accept": JSON}}, False),
    ("no acceptable format", "GET", "/sparql", {"query_string": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, False),
    ("an update", "POST", "/sparql", {"data": {"update": "CLEAR ALL"}}, False),
    ("no query", "GET", "/sparql", {"headers": {"Accept": "text/turtle"}}, False),
    ("conditional GET", "GET", "/sparql",
     {"query_string": {"query": "ASK {}"}, "headers": {"Accept": JSON, "If-None-Match": "*"}}, False),
    ("HEAD", "HEAD", "/sparql", {"query_string": {"query": "ASK {}"}, "headers": {"Accept": JSON}}, False),
    ("graph parameter naming no graph of ours", "GET", "/sparql",
     {"query_string": {"query": "ASK {}", "default-graph-uri": "http://example.org/g"}}, False),
]  # fmt: skip


def _headers(answer: Any) -> list[tuple[str, str]]:
    """Every header and its value; the Date's value alone may differ by the second between the two."""
    return sorted((k, "(a date)" if k == "Date" else v) for k, v in answer.headers.items())


@pytest.mark.parametrize(
    ("what", "method", "path", "options", "fast_answers"), REQUESTS, ids=[r[0] for r in REQUESTS]
)
def test_both_paths_answer_alike(both, what, method, path, options, fast_answers):
    fast, flask = both
    fast.views.clear()
    answers = [s.client.open(path, method=method, **options) for s in (fast, flask)]
    mine, theirs = answers
    assert mine.status_code == theirs.status_code, what
    assert mine.data == theirs.data, what
    assert _headers(mine) == _headers(theirs), what
    assert (fast.views == []) is fast_answers, (
        f"{what}: answered by {fast.views or 'the fast path'}"
    )


def test_the_cut_and_the_deadline_really_happened(both):
    """The cases above must show what they are named for, or the comparison proves little."""
    fast, _ = both
    cut = fast.client.post(
        "/sparql",
        data=CONSTRUCT,
        content_type="application/sparql-query",
        headers={"Accept": "text/turtle"},
    )
    assert cut.headers["X-SPARQL-MaxRows"] == "3"
    stopped = fast.client.post("/sparql", data={"query": RUNAWAY + " "}, headers={"Accept": JSON})
    assert stopped.status_code == 503 and b"more than 2 s" in stopped.data


def test_a_bug_after_the_query_ran_is_the_same_logged_500_on_both_paths(both, monkeypatch):
    from election_kg.server.sparql import endpoint

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("/secret/path in a message that must not reach the client")

    monkeypatch.setattr(endpoint, "run", broken)
    both[0].views.clear()
    mine, theirs = (
        s.client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON})
        for s in both
    )
    assert mine.status_code == theirs.status_code == 500
    assert mine.data == theirs.data and b"/secret/path" not in mine.data
    assert _headers(mine) == _headers(theirs)
    assert both[0].views == []  # the fast path met the bug, and answered as Flask does
