"""Bounded work, against a real server with small limits: request sizes (413), the row cap (cut,
valid, and said so), costly patterns ending at the deadline while the server stays responsive,
and the per-client query-time budget (429 with Retry-After), shared by the worker processes.

Requests come from chosen loopback addresses (127.0.0.x) so that each test is its own client.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
import pytest

from election_kg.server.http.budget import client_address, parse_networks
from tests.support.live import LiveServer, start_server, stop_server
from tests.support.waiting import wait_until_a_query_runs

TIMEOUT = 2.0
MAX_ROWS = 50
BUDGET = 3.0  # seconds of query time per minute and client
SIMPLE = "SELECT ?s WHERE { ?s a <http://127.0.0.1:5000/ontology#LegislativeElection> }"
MANY = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }"  # about 30 million rows
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON = "application/sparql-results+json"
PROXY = "127.0.0.5"  # a trusted reverse proxy (the `trusted_proxies` setting of the server below)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> dict:
        return json.loads(self.body)


def ask(
    server: LiveServer,
    query: str | None = None,
    *,
    source: str = "127.0.0.1",
    accept: str = JSON,
    path: str = "/sparql",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    """One request on a fresh connection from `source` (any 127.x address is this machine)."""
    parsed = urllib.parse.urlsplit(server.url)
    connection = http.client.HTTPConnection(
        parsed.hostname, parsed.port, timeout=timeout, source_address=(source, 0)
    )
    if query is not None:
        body = urllib.parse.urlencode({"query": query}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    started = time.monotonic()
    try:
        connection.request(
            "POST" if body is not None else "GET",
            path,
            body=body,
            headers={"Accept": accept, **(headers or {})},
        )
        response = connection.getresponse()
        return Answer(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read(),
            time.monotonic() - started,
        )
    finally:
        connection.close()


@pytest.fixture(scope="module")
def limited(built) -> Iterator[LiveServer]:
    env = {
        "ELECTION_KG_QUERY_TIMEOUT": str(TIMEOUT),
        "ELECTION_KG_MAX_RESULT_ROWS": str(MAX_ROWS),
        "ELECTION_KG_QUERY_BUDGET": str(BUDGET),
        "ELECTION_KG_QUERY_BUDGET_WINDOW": "60",
        "ELECTION_KG_RESULT_CACHE_SIZE": "0",
        "ELECTION_KG_TRUSTED_PROXIES": f"{PROXY},10.9.0.0/16",
    }
    server = start_server(built.dist, env=env, workers=2)
    yield server
    stop_server(server)


# --- sizes --------------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_413_before_it_is_read(limited):
    answer = ask(
        limited,
        body=b"query=" + b"x" * 150_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        source="127.0.0.20",
    )
    assert answer.status == 413


def test_a_chunked_body_over_the_limit_is_refused(limited):
    def chunks():
        yield b"query="
        for _ in range(20):
            yield b"x" * 10_000

    parsed = urllib.parse.urlsplit(limited.url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/sparql",
            body=chunks(),
            encode_chunked=True,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON},
        )
        response = connection.getresponse()
        assert response.status in (400, 413), response.read()
    finally:
        connection.close()


def test_a_query_over_the_length_limit_is_413(limited):
    answer = ask(limited, "ASK {} #" + "x" * 20_000, source="127.0.0.20")
    assert answer.status == 413 and "limit is 20000" in answer.json()["message"]


# --- the row cap --------------------------------------------------------------------------------


def _rows(answer: Answer, accept: str) -> int:
    if accept == JSON:
        return len(answer.json()["results"]["bindings"])
    if accept == "application/sparql-results+xml":
        return len(
            ET.fromstring(answer.body).findall(".//{http://www.w3.org/2005/sparql-results#}result")
        )
    if accept == "text/csv":
        return len(list(csv.reader(io.StringIO(answer.body.decode())))) - 1
    return len(list(ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.TSV)))


@pytest.mark.parametrize(
    "accept", [JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
)
def test_results_past_the_cap_are_cut_valid_and_said_so(limited, accept):
    answer = ask(limited, MANY, accept=accept, source="127.0.0.21")
    assert answer.status == 200
    assert _rows(answer, accept) == MAX_ROWS  # and the document parsed: it is valid
    assert answer.headers["x-sparql-maxrows"] == str(MAX_ROWS)
    assert "cut at 50 rows" in answer.headers["x-result-truncated"]
    # a run to the end of the 30 million rows would have met the deadline: 503, not 200


def test_a_graph_past_the_cap_is_cut_and_valid(limited):
    answer = ask(
        limited,
        "CONSTRUCT { ?s ?p ?a } WHERE { ?s ?p ?o . ?a ?b ?c }",
        accept="text/turtle",
        source="127.0.0.21",
    )
    assert answer.status == 200 and answer.headers["x-sparql-maxrows"] == str(MAX_ROWS)
    assert len(list(ox.parse(answer.body, format=ox.RdfFormat.TURTLE))) == MAX_ROWS


def test_results_within_the_cap_are_whole_and_unmarked(limited):
    exactly = ask(limited, "SELECT * WHERE { ?s ?p ?o } LIMIT 50", source="127.0.0.21")
    assert exactly.status == 200 and len(exactly.json()["results"]["bindings"]) == MAX_ROWS
    assert "x-sparql-maxrows" not in exactly.headers and "x-result-truncated" not in exactly.headers
    assert ask(limited, "ASK { ?s ?p ?o }", source="127.0.0.21").json()["boolean"] is True


# --- costly patterns end at the deadline; the server stays responsive ---------------------------

COSTLY = {
    "cartesian product": RUNAWAY,
    "unbounded property path": "SELECT (COUNT(*) AS ?n) WHERE { ?a (^!<http://x/p>|!<http://x/p>)* ?b }",
    "regex over a product": 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(REGEX(CONCAT(STR(?c), STR(?f)), "^(a+)+$")) }',
}


@pytest.mark.parametrize(("name", "number"), [(name, n) for n, name in enumerate(COSTLY)])
def test_costly_patterns_end_at_the_deadline_while_others_are_answered(limited, name, number):
    source = f"127.0.0.{30 + number}"
    slow: dict[str, Answer] = {}
    thread = threading.Thread(
        target=lambda: slow.setdefault("answer", ask(limited, COSTLY[name], source=source))
    )
    thread.start()
    wait_until_a_query_runs(limited.process.pid)
    for _ in range(3):  # meanwhile: the health check and a simple query, answered
        assert (
            ask(limited, path="/health", accept="application/json", source="127.0.0.29").status
            == 200
        )
        quick = ask(limited, SIMPLE, source="127.0.0.29")
        assert quick.status == 200
    assert thread.is_alive(), "the others were answered only once the costly query had ended"
    thread.join(30)
    answer = slow["answer"]
    assert answer.status == 503, answer.body
    assert f"more than {TIMEOUT:g} s" in answer.json()["message"]
    # stopped at its deadline, not before; the upper bound only says "not run to the end"
    assert TIMEOUT <= answer.seconds < TIMEOUT + 15


# --- the per-client budget ----------------------------------------------------------------------


def test_a_client_past_its_budget_gets_429_with_retry_after_and_others_do_not(limited):
    spender, other = "127.0.0.2", "127.0.0.3"
    assert ask(limited, SIMPLE, source=spender).status == 200
    assert (
        ask(limited, RUNAWAY, source=spender).status == 503
    )  # charged the whole deadline: 2 s of 3
    assert ask(limited, RUNAWAY, source=spender).status == 503  # allowed (2 < 3), and now 4 s: over
    refusals = [
        ask(limited, SIMPLE, source=spender) for _ in range(6)
    ]  # new connections: both workers answer
    for refused in refusals:
        assert refused.status == 429, refused.body
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "query time budget" in refused.json()["message"]
        assert refused.headers["access-control-allow-origin"] == "*"
    assert ask(limited, SIMPLE, source=other).status == 200
    plain = ask(limited, SIMPLE, source=spender, accept="*/*")
    assert plain.status == 429 and plain.body.startswith(
        b"429 Too Many Requests: this client has used its query time budget"
    )


def _spend(server: LiveServer, source: str, forwarded_for: str | None = None) -> None:
    """Use up the budget of a client (two queries stopped at the 2 s deadline: 4 s of 3)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else None
    for _ in range(2):
        assert ask(server, RUNAWAY, source=source, headers=headers).status == 503


def test_behind_a_trusted_proxy_the_budget_is_the_forwarded_clients(limited):
    _spend(limited, PROXY, forwarded_for="198.51.100.7, 203.0.113.1")  # the proxy saw 203.0.113.1
    forwarded = {"X-Forwarded-For": "198.51.100.7, 203.0.113.1"}
    assert ask(limited, SIMPLE, source=PROXY, headers=forwarded).status == 429
    # another client behind the same proxy, and the proxy itself, still have their budgets
    assert (
        ask(limited, SIMPLE, source=PROXY, headers={"X-Forwarded-For": "203.0.113.2"}).status == 200
    )
    assert ask(limited, SIMPLE, source=PROXY).status == 200


def test_x_forwarded_for_from_an_untrusted_connection_is_ignored(limited):
    spoofer = "127.0.0.6"
    _spend(
        limited, spoofer, forwarded_for="203.0.113.50"
    )  # charged to 127.0.0.6, not to the header
    for fresh in (
        "203.0.113.51",
        "203.0.113.52",
    ):  # a new forged address per request: no new budget
        assert (
            ask(limited, SIMPLE, source=spoofer, headers={"X-Forwarded-For": fresh}).status == 429
        )
    assert (
        ask(limited, SIMPLE, source=PROXY, headers={"X-Forwarded-For": "203.0.113.50"}).status
        == 200
    )


@pytest.mark.parametrize(
    ("peer", "header", "client"),
    [
        ("10.9.3.4", "198.51.100.7", "198.51.100.7"),  # a trusted network
        ("10.9.3.4", "198.51.100.7, 10.9.0.1", "198.51.100.7"),  # a chain of trusted proxies
        ("10.9.3.4", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the left part is the client's word
        ("10.8.3.4", "198.51.100.7", "10.8.3.4"),  # not trusted
        ("10.9.3.4", None, "10.9.3.4"),
        ("10.9.3.4", "not-an-address", "10.9.3.4"),
        ("10.9.3.4", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_reads_x_forwarded_for_only_from_trusted_proxies(peer, header, client):
    assert client_address(peer, header, parse_networks(("127.0.0.5", "10.9.0.0/16"))) == client
