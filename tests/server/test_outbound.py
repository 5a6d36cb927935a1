"""No reach outside: a query never makes the server open a connection or a file it was not told to.

A loopback listener is pointed at by SERVICE, FROM, FROM NAMED, LOAD and the protocol's graph
parameters, in every form the guard must see through; each is refused with a message that says
why, and the listener must receive nothing. A control server whose allowlist names the listener
shows that the listener does see a SERVICE call the guard lets through, so its silence means
something.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.support.listener import Listener, listening
from tests.support.live import LiveServer, start_server, stop_server

JSON = {"Accept": "application/json"}


@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening() as found:
        yield found


def _get(sparql_url: str, query: str | None = None, **params: str) -> requests.Response:
    if query is not None:
        params["query"] = query
    return requests.get(sparql_url, params=params, headers=JSON, timeout=30)


SERVICES = [
    "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }} }} LIMIT 1",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ FILTER NOT EXISTS {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?x ?y ?z MINUS {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }}",
    "PREFIX remote: <{url}/> SELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
    "BASE <{url}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    r"SELECT * WHERE {{ \u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service <{url}/sparql> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", SERVICES)
def test_service_outside_the_allowlist_is_refused_and_connects_nowhere(
    sparql_url, listener, template
):
    answer = _get(sparql_url, template.format(url=listener.url))
    assert answer.status_code == 403, answer.text
    assert "is not allowed" in answer.json()["message"] and "SERVICE" in answer.json()["message"]
    assert listener.wait_quiet() == []


OUTSIDE_GRAPHS = [
    # (query, protocol parameter naming an outside graph or None)
    ("SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", None),
    ("SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", None),
    ("ASK FROM <file:///etc/passwd> {{ ?s ?p ?o }}", None),
    (r"SELECT * \u0046ROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", None),
    ("CONSTRUCT WHERE {{ ?s ?p ?o }}", "default-graph-uri"),
    ("SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "named-graph-uri"),
    ("SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", "default-graph-uri"),
    ("SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "named-graph-uri"),
]


@pytest.mark.parametrize(("template", "param"), OUTSIDE_GRAPHS)
def test_graphs_not_in_the_dataset_are_refused_and_never_fetched(
    sparql_url, listener, template, param
):
    params = {param: f"{listener.url}/other.ttl"} if param else {}
    answer = _get(sparql_url, template.format(url=listener.url), **params)
    assert answer.status_code == 400, answer.text
    assert "is not in this dataset (graphs are never fetched)" in answer.json()["message"]
    assert listener.wait_quiet() == []


@pytest.mark.parametrize(
    "graph",
    ["/etc/passwd", "file:///etc/passwd", "../../setup.cfg", "data/dist/manifest.json", "urn:x"],
)
def test_graph_parameters_naming_files_are_refused(sparql_url, graph):
    for param in ("default-graph-uri", "named-graph-uri"):
        answer = _get(sparql_url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", **{param: graph})
        assert answer.status_code == 400
        assert "root:" not in answer.text and "[metadata]" not in answer.text


def test_load_is_refused_in_every_form_and_connects_nowhere(sparql_url, listener):
    load = f"LOAD <{listener.url}/data.ttl>"
    answers = [
        requests.get(sparql_url, params={"update": load}, timeout=10),
        requests.post(sparql_url, data={"update": load}, timeout=10),
        requests.post(
            sparql_url,
            data=load.encode(),
            headers={"Content-Type": "application/sparql-update"},
            timeout=10,
        ),
        requests.post(sparql_url, data={"query": load}, timeout=10),
        requests.post(
            sparql_url,
            data=f"LOAD SILENT <{listener.url}/x> INTO GRAPH <urn:g>".encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=10,
        ),
    ]
    for answer in answers:
        assert answer.status_code == 403, answer.text
        assert "read-only" in answer.text
    assert listener.wait_quiet() == []


def test_from_naming_a_graph_of_the_dataset_stays_allowed(sparql_url, manifest):
    graph = sorted(manifest["graphs"])[0]
    answer = _get(sparql_url, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    assert answer.status_code == 200
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == manifest["graphs"][graph]


@pytest.fixture(scope="module")
def control(built) -> Iterator[tuple[LiveServer, Listener]]:
    """The control: a server (embedded store) whose allowlist names one endpoint of a listener."""
    with listening() as found:
        server = start_server(
            built.dist, env={"ELECTION_KG_SERVICE_ALLOWLIST": f"{found.url}/sparql"}, workers=1
        )
        try:
            yield server, found
        finally:
            stop_server(server)


def test_control_an_allowed_service_does_reach_the_listener_and_others_do_not(control):
    server, found = control
    refused = _get(
        server.url + "/sparql", f"SELECT * WHERE {{ SERVICE <{found.url}/other> {{ ?s ?p ?o }} }}"
    )
    assert (
        refused.status_code == 403 and f"{found.url}/sparql" in refused.json()["message"]
    )  # it lists what is allowed
    assert found.wait_quiet() == []
    allowed = _get(
        server.url + "/sparql", f"SELECT * WHERE {{ SERVICE <{found.url}/sparql> {{ ?s ?p ?o }} }}"
    )
    assert allowed.status_code == 200, allowed.text
    assert any(b"/sparql" in request for request in found.wait_quiet()), (
        "the witness saw nothing: the test would prove nothing"
    )
