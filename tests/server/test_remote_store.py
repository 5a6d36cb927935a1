"""RemoteStore: a real Oxigraph server, loaded with `election-kg load --gsp`, answers every query the way
the embedded store does; its failures are typed; start-up refuses a store that does not hold the build.

The whole HTTP suite also runs against a remote store (the `live_server` fixture); these tests look
at the pieces underneath: the dataset each call sees, substitutions, and what happens when the store
is missing, partial, unreachable or stops in the middle of an answer.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from election_kg.linking.graph_store import graph_url
from election_kg.server.settings import Settings
from election_kg.server.store import stored_queries
from election_kg.server.store.release import Release, ReleaseError, load_release
from election_kg.server.store.remote import RemoteSpec, RemoteStore, RemoteStoreError, substitute
from tests.support.live import free_port, load, start_server, stop_server
from tests.support.oxigraph import Oxigraph, start_oxigraph, stop_oxigraph
from tests.support.project import SEED_ELECTION, run_cli

BASE = "http://127.0.0.1:5000/"
LINKS = BASE + "graph/links"
ARTICLE = BASE + "graph/2007-algerian-parliamentary-election"
ONTOLOGY = BASE + "graph/ontology"
PARTY = BASE + "id/party/algeria/national-liberation-front"
STRANGER = "http://example.org/graph/not-ours"


@pytest.fixture(scope="module")
def oxigraph(built) -> Iterator[Oxigraph]:
    """The build in a real Oxigraph server, beside a graph that is not ours (which no answer may show)."""
    server = start_oxigraph("serve")
    load(built.dist, server)
    stranger = b'<http://example.org/s> <http://www.w3.org/2000/01/rdf-schema#label> "not ours" .\n'
    assert requests.put(
        graph_url(server.store, STRANGER),
        data=stranger,
        headers={"Content-Type": "application/n-triples"},
        timeout=10,
    ).ok
    yield server
    stop_oxigraph(server)


@pytest.fixture(scope="module")
def embedded(built) -> Release:
    return load_release(built.dist, Settings(dist=built.dist, store="memory"))


@pytest.fixture(scope="module")
def remote(built, oxigraph: Oxigraph) -> Release:
    return load_release(built.dist, Settings(dist=built.dist, store_endpoint=oxigraph.query))


def canonical(results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> object:
    """Results in a comparable form: variables and sorted rows, a boolean, or sorted triples."""
    if isinstance(results, ox.QuerySolutions):
        names = [v.value for v in results.variables]
        return names, sorted(
            tuple(str(s[n]) if s[n] is not None else None for n in names) for s in results
        )
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    assert isinstance(results, ox.QueryTriples)
    return sorted({str(t) for t in results})  # a graph: a set of triples


def graphs(*names: str) -> list[ox.NamedNode]:
    return [ox.NamedNode(n) for n in names]


CASES = [
    # DISTINCT: a triple two articles state is in both their graphs, and the two engines repeat it in
    # the union default graph a different number of times (see the README); the set is the same.
    ("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", {"use_default_graph_as_union": True}),
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {}),
    (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        {},
    ),  # the store's own default graph: empty in both
    (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        {"default_graph": graphs(LINKS), "named_graphs": []},
    ),
    ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"default_graph": graphs(LINKS)}),
    ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"named_graphs": graphs(ARTICLE)}),
    (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        {"default_graph": graphs(LINKS, ARTICLE), "named_graphs": []},
    ),
    (
        "SELECT ?e WHERE { ?e a <ontology#LegislativeElection> }",
        {"use_default_graph_as_union": True, "base_iri": BASE},
    ),
    (
        f"CONSTRUCT {{ <{SEED_ELECTION}> ?p ?o }} WHERE {{ <{SEED_ELECTION}> ?p ?o }}",
        {"use_default_graph_as_union": True},
    ),
    (f"DESCRIBE <{PARTY}>", {"use_default_graph_as_union": True}),
    (f"ASK {{ <{PARTY}> ?p ?o }}", {"default_graph": graphs(ONTOLOGY), "named_graphs": []}),
    ('SELECT ?s WHERE { ?s ?p "not ours" }', {"use_default_graph_as_union": True}),
]


@pytest.mark.parametrize(("query", "options"), CASES)
def test_every_dataset_form_answers_as_the_embedded_store(embedded, remote, query, options):
    assert canonical(remote.store.query(query, **options)) == canonical(
        embedded.store.query(query, **options)
    )


def test_graphs_are_the_builds_only(embedded, remote):
    assert sorted(g.value for g in remote.store.named_graphs()) == sorted(
        g.value for g in embedded.store.named_graphs()
    )
    assert STRANGER not in {g.value for g in remote.store.named_graphs()}


@pytest.mark.parametrize(
    ("kind", "name", "bindings"),
    [
        ("select", "elections", {}),
        ("select", "labels", {}),
        ("select", "reconcile_classes", {}),
        ("select", "reconcile_entities", {}),
        ("construct", "ontology", {}),
        ("construct", "describe", {"resource": ox.NamedNode(PARTY)}),
        ("construct", "election", {"election": ox.NamedNode(SEED_ELECTION)}),
        ("ask", "exists", {"resource": ox.NamedNode(PARTY)}),
        ("ask", "exists", {"resource": ox.NamedNode(BASE + "id/party/no-such-party")}),
        ("ask", "is_election", {"resource": ox.NamedNode(SEED_ELECTION)}),
        ("ask", "is_election", {"resource": ox.NamedNode(PARTY)}),
    ],
)
def test_the_servers_own_queries_answer_as_on_the_embedded_store(
    embedded, remote, kind, name, bindings
):
    run = getattr(stored_queries, kind)
    answer, expected = run(remote, name, **bindings), run(embedded, name, **bindings)
    if kind == "select":  # rows in any order
        answer, expected = (
            sorted(sorted((k, str(v)) for k, v in row.items()) for row in rows)
            for rows in (answer, expected)
        )
    assert answer == expected
    if kind != "ask":
        assert answer, f"{name} found nothing: the comparison would prove little"


def test_substitution_changes_variables_only():
    query = '# ?x in a comment\nSELECT ?y WHERE { ?x <http://e/?x> "?x" ; <http://e/p> $x . FILTER(?x2 != ?x) }'
    done = substitute(query, {ox.Variable("x"): ox.NamedNode("http://e/v")})
    assert (
        done
        == '# ?x in a comment\nSELECT ?y WHERE { <http://e/v> <http://e/?x> "?x" ; <http://e/p> <http://e/v> . FILTER(?x2 != <http://e/v>) }'
    )
    literal = substitute("ASK { ?s ?p ?v }", {ox.Variable("v"): ox.Literal("l'été", language="fr")})
    assert literal == 'ASK { ?s ?p "l\'été"@fr }'
    with pytest.raises(ValueError, match="blank node"):
        substitute("ASK { ?s ?p ?v }", {ox.Variable("v"): ox.BlankNode()})


def test_an_unreachable_store_is_a_remote_store_error_that_hides_its_address():
    endpoint = f"http://127.0.0.1:{free_port()}/query"
    store = RemoteStore(RemoteSpec(endpoint, (LINKS,), 5))
    with pytest.raises(RemoteStoreError, match="could not be reached") as caught:
        store.query("ASK {}", use_default_graph_as_union=True)
    assert isinstance(caught.value, OSError)  # the query pool turns OSError into a 502
    assert endpoint not in str(caught.value)


def test_an_error_status_is_a_remote_store_error(oxigraph):
    store = RemoteStore(RemoteSpec(oxigraph.url + "/no-such-path", (LINKS,), 5))
    with pytest.raises(RemoteStoreError, match="the store answered 404"):
        store.query("ASK {}", use_default_graph_as_union=True)


def test_a_query_the_store_refuses_is_a_syntax_error(remote):
    with pytest.raises(SyntaxError, match="the store refused the query"):
        remote.store.query("SELECT * WHERE { ?s ?p }", use_default_graph_as_union=True)


def test_an_answer_that_stops_midway_is_a_remote_store_error(remote):
    """Oxigraph server sends 200, then the error of a failed SERVICE call in the middle of the body."""
    dead = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(
        RemoteStoreError, match=r"the store stopped in the middle of its answer: Connection refused"
    ):
        remote.store.query(
            f"SELECT * WHERE {{ SERVICE <{dead}> {{ ?s ?p ?o }} }}", use_default_graph_as_union=True
        )


def _settings(dist: Path, endpoint: str) -> Settings:
    return Settings(dist=dist, store_endpoint=endpoint)


def test_start_up_refuses_a_store_without_the_build(built):
    empty = start_oxigraph("serve")
    try:
        with pytest.raises(ReleaseError) as caught:
            load_release(built.dist, _settings(built.dist, empty.query))
        message = str(caught.value)
        assert f"the store at {empty.query} does not hold build" in message
        assert (
            f"graph <{ARTICLE}> is missing" in message
            and f"election-kg load --gsp {empty.store}" in message
        )
        # the command says the same and stops
        result = run_cli(
            "serve",
            "--port",
            str(free_port()),
            "--dist",
            str(built.dist),
            "--store-endpoint",
            empty.query,
        )
        assert result.returncode == 1
        assert "does not hold build" in result.stderr and "election-kg load --gsp" in result.stderr
    finally:
        stop_oxigraph(empty)


def test_start_up_refuses_a_store_with_an_older_graph(built):
    store = start_oxigraph("serve")
    try:
        load(built.dist, store)
        one = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
        assert requests.put(
            graph_url(store.store, LINKS),
            data=one,
            headers={"Content-Type": "application/n-triples"},
            timeout=10,
        ).ok
        with pytest.raises(ReleaseError, match=rf"graph <{LINKS}> holds 1 triples, the build \d+"):
            load_release(built.dist, _settings(built.dist, store.query))
    finally:
        stop_oxigraph(store)


def test_start_up_refuses_an_unreachable_store_or_a_wrong_url(built, oxigraph):
    dead = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(
        ReleaseError, match=rf"cannot read the store at {dead}: the store could not be reached"
    ):
        load_release(built.dist, _settings(built.dist, dead))
    with pytest.raises(ReleaseError, match=r"is it a SPARQL 1\.1 query URL"):
        load_release(
            built.dist, _settings(built.dist, oxigraph.store)
        )  # the Graph Store URL, not the query URL


def test_a_store_that_goes_away_makes_pages_and_queries_502_not_500(built):
    store = start_oxigraph("serve")
    try:
        load(built.dist, store)
        live = start_server(built.dist, workers=1, args=("--store-endpoint", store.query))
    finally:
        stop_oxigraph(store)  # gone once the server is up
    try:
        query = requests.post(
            live.url + "/sparql",
            data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert query.status_code == 502, query.text
        assert query.json()["message"].startswith(
            "the query failed: the store could not be reached"
        )
        page = requests.get(
            live.url + "/page/party/algeria/national-liberation-front",
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert page.status_code == 502, page.text
        assert "the store could not be reached" in page.json()["message"]
        assert store.query not in page.text + query.text
    finally:
        stop_server(live)


def test_a_connection_broken_midway_is_a_remote_store_error():
    """A store that promises 1000 bytes and hangs up after 9: never a 500."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def answer_half() -> None:
            connection, _ = server.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                    b'Content-Length: 1000\r\n\r\n{"head": '
                )

        thread = threading.Thread(target=answer_half)
        thread.start()
        store = RemoteStore(RemoteSpec(f"http://127.0.0.1:{port}/query", (LINKS,), 5))
        with pytest.raises(RemoteStoreError, match="cut off"):
            store.query("ASK {}", use_default_graph_as_union=True)
        thread.join(timeout=5)
