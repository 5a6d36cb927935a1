"""Federation: SERVICE reaches the endpoints of the allowlist and nothing else, on both store back ends.

A real read-only Oxigraph server holding the Wikidata-shaped fixture stands in for the Wikidata Query
Service, and a plain loopback listener (tests/listener.py) for everything a query must not reach. On
the embedded back end the query processes (forkserver children of each HTTP worker) make the SERVICE call; on the remote one,
the Oxigraph server holding our data does. Either way the allowlist is checked before the query
leaves election-kg.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import requests

from tests.support.listener import Listener, listening
from tests.support.live import BACKENDS, free_port, serving
from tests.support.oxigraph import WIKIDATA_FIXTURE, Oxigraph, start_wikidata, stop_oxigraph
from tests.support.project import ROOT

EXAMPLE = ROOT / "data" / "queries" / "10-parties-joined-with-wikidata.rq"
WQS = "https://query.wikidata.org/sparql"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    server = start_wikidata(tmp_path_factory.mktemp("wikidata-store"))
    yield server
    stop_oxigraph(server)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with listening() as witness:
        yield witness


@pytest.fixture(scope="module")
def dead() -> str:
    """An allowed endpoint where nothing listens: the SERVICE call fails."""
    return f"http://127.0.0.1:{free_port()}/sparql"


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, built, wikidata: Oxigraph, dead: str) -> Iterator[str]:
    allowlist = ",".join([WQS, wikidata.query, dead, wikidata.url + "/no-such-endpoint"])
    with serving(
        request.param, built.dist, env={"ELECTION_KG_SERVICE_ALLOWLIST": allowlist}, workers=1
    ) as live:
        yield live.url + "/sparql"


def ask(sparql_url: str, query: str) -> requests.Response:
    return requests.post(sparql_url, data={"query": query}, headers=JSON, timeout=30)


def rows(answer: requests.Response) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    return [{k: v["value"] for k, v in b.items()} for b in answer.json()["results"]["bindings"]]


def test_the_example_joins_our_parties_with_wikidata_labels_and_descriptions(
    server, wikidata, built
):
    example = EXAMPLE.read_text(encoding="utf-8")
    assert example.startswith("# title: ") and f"SERVICE <{WQS}>" in example
    found = rows(ask(server, example.replace(WQS, wikidata.query)))

    # the same join computed locally, with the fixture beside our data and no SERVICE at all
    local = ox.Store()
    local.load(path=str(built.dist / "election-kg.nq"), format=ox.RdfFormat.N_QUADS)
    local.load(path=str(WIKIDATA_FIXTURE), format=ox.RdfFormat.TURTLE)
    solutions = local.query(
        example.replace(f"SERVICE <{WQS}>", ""), use_default_graph_as_union=True
    )
    expected = [
        {v.value: s[v].value for v in solutions.variables if s[v] is not None} for s in solutions
    ]

    assert found == expected
    assert len(found) >= 15
    by_name = {row["name"]: row for row in found}
    assert by_name["National Liberation Front"] == {
        "name": "National Liberation Front",
        "item": "http://www.wikidata.org/entity/Q204543",
        "wikidataLabel": "National Liberation Front",
        "wikidataDescription": "political party in Algeria",
    }
    assert not any(row["item"].startswith("http://www.wikidata.org/entity/Q99") for row in found), (
        "a decoy joined"
    )


def test_an_allowed_service_can_be_called_anywhere_in_the_query(server, wikidata):
    query = f"""SELECT ?label WHERE {{
      OPTIONAL {{ SERVICE <{wikidata.query}> {{ <http://www.wikidata.org/entity/Q262> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}
    }} ORDER BY ?label"""
    assert [r["label"] for r in rows(ask(server, query))] == ["Algeria", "Algérie"]


REFUSED_SERVICE = [
    "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?x }} }} }} LIMIT 1",
    "PREFIX far: <{url}/> ASK {{ FILTER EXISTS {{ SERVICE far:sparql {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?where {{ <{url}/sparql> }} SERVICE ?where {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", REFUSED_SERVICE)
def test_a_service_outside_the_allowlist_is_refused_and_never_contacted(server, listener, template):
    answer = ask(server, template.format(url=listener.url))
    assert answer.status_code == 403, answer.text
    message = answer.json()["message"]
    assert "SERVICE" in message and "not allowed" in message
    assert listener.wait_quiet() == []


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", {}),
        ("SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        ("SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1", {"default-graph-uri": "{url}/data.ttl"}),
        ("SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1", {"named-graph-uri": "{url}/data.ttl"}),
        ("SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}", {}),
    ],
)
def test_graphs_that_would_be_fetched_are_refused_and_never_fetched(
    server, listener, query, params
):
    data = {
        "query": query.format(url=listener.url),
        **{k: v.format(url=listener.url) for k, v in params.items()},
    }
    answer = requests.post(server, data=data, headers=JSON, timeout=30)
    assert answer.status_code == 400, answer.text
    assert "never fetched" in answer.json()["message"]
    assert listener.wait_quiet() == []


def test_load_is_refused_and_never_fetched(server, listener):
    answer = requests.post(
        server, data={"update": f"LOAD <{listener.url}/data.ttl>"}, headers=JSON, timeout=30
    )
    assert answer.status_code == 403
    assert "read-only" in answer.json()["message"]
    assert listener.wait_quiet() == []


@pytest.mark.parametrize("where", ["dead", "missing"])
def test_a_failed_service_call_is_a_clear_502(server, wikidata, dead, where):
    endpoint = dead if where == "dead" else wikidata.url + "/no-such-endpoint"
    answer = ask(server, f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}")
    assert answer.status_code == 502, answer.text
    message = answer.json()["message"]
    assert message.startswith("the query failed")
    assert "Traceback" not in message


def test_a_failed_silent_service_call_is_no_error(server, dead):
    answer = ask(
        server,
        f"SELECT ?x WHERE {{ BIND(1 AS ?x) OPTIONAL {{ SERVICE SILENT <{dead}> {{ ?s ?p ?o }} }} }}",
    )
    assert rows(answer) == [{"x": "1"}]
