"""RemoteStore: a real Oxigraph server and a real Virtuoso, loaded with `election-kg load --gsp`, answer
every query the way the embedded store does; failures are typed; start-up refuses a store that does not
hold the build.

The whole HTTP suite also runs against a remote store (the `live_server` fixture); these tests look
at the pieces underneath: the dataset each call sees, substitutions, and what happens when the store
is missing, partial, unreachable or stops in the middle of an answer.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from election_kg.common.credentials import PASSWORD_VARIABLE
from election_kg.linking.graph_store import graph_url
from election_kg.server.settings import Settings
from election_kg.server.sparql import pool
from election_kg.server.store import stored_queries
from election_kg.server.store.release import Release, ReleaseError, load_release
from election_kg.server.store.remote import (
    FUSEKI,
    OXIGRAPH,
    VIRTUOSO,
    RemoteSpec,
    RemoteStore,
    RemoteStoreError,
    StoreTimeout,
    load_hint,
    load_url,
    substitute,
)
from tests.support import virtuoso
from tests.support.live import (
    BACKENDS,
    LiveServer,
    free_port,
    load,
    serving,
    start_server,
    stop_server,
)
from tests.support.oxigraph import Oxigraph, start_oxigraph, stop_oxigraph
from tests.support.project import CLI, SEED_ELECTION, run_cli

BASE = "http://127.0.0.1:5000/"
LINKS = BASE + "graph/links"
ARTICLE = BASE + "graph/2007-algerian-parliamentary-election"
ONTOLOGY = BASE + "graph/ontology"
PARTY = BASE + "id/party/algeria/national-liberation-front"
STRANGER = "http://example.org/graph/not-ours"


STRANGER_TRIPLE = (
    b'<http://example.org/s> <http://www.w3.org/2000/01/rdf-schema#label> "not ours" .\n'
)


@pytest.fixture(scope="module")
def oxigraph(built) -> Iterator[Oxigraph]:
    """The build in a real Oxigraph server, beside a graph that is not ours (which no answer may show)."""
    server = start_oxigraph("serve")
    load(built.dist, server)
    assert requests.put(
        graph_url(server.store, STRANGER),
        data=STRANGER_TRIPLE,
        headers={"Content-Type": "application/n-triples"},
        timeout=10,
    ).ok
    yield server
    stop_oxigraph(server)


@pytest.fixture(scope="module")
def virtuoso_store(built, tmp_path_factory) -> Iterator[virtuoso.Virtuoso]:
    """The build in a real Virtuoso (fresh database, dba account, Digest auth), beside a graph not ours."""
    server = virtuoso.start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        load(built.dist, server)
        assert requests.put(
            graph_url(server.store, STRANGER),
            data=STRANGER_TRIPLE,
            headers={"Content-Type": "application/n-triples"},
            auth=requests.auth.HTTPDigestAuth(virtuoso.USER, virtuoso.PASSWORD),
            timeout=10,
        ).ok
        yield server
    finally:
        virtuoso.stop(server)


@pytest.fixture(scope="module")
def embedded(built) -> Release:
    return load_release(built.dist, Settings(dist=built.dist, store="memory"))


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(request: pytest.FixtureRequest, built) -> Release:
    """The release read from each real store (the fixture of that store starts it once per module)."""
    server = request.getfixturevalue(
        "oxigraph" if request.param == "oxigraph" else "virtuoso_store"
    )
    # Virtuoso answers the election query over the corpus in about 11 s on this kind of machine,
    # so it gets the deadline the live Virtuoso suite runs with (see tests/support/live.py).
    deadline = 10.0 if request.param == "oxigraph" else 60.0
    return load_release(
        built.dist,
        Settings(dist=built.dist, store_endpoint=server.query, query_timeout=deadline),
    )


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
        remote.store.query("ASK { ?s ?p }", use_default_graph_as_union=True)
    # read as the embedded store reads it, before it is sent: a lenient store would answer this one
    with pytest.raises(SyntaxError, match="unbound"):
        remote.store.query("SELECT (COUNT(*) AS ?n) ?s WHERE { ?s ?p ?o }")


def test_an_answer_that_stops_midway_is_a_remote_store_error(built, oxigraph):
    """Oxigraph server sends 200, then the error of a failed SERVICE call in the middle of the body."""
    remote = load_release(built.dist, Settings(dist=built.dist, store_endpoint=oxigraph.query))
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


# What the site sends, and what it makes of odd answers: a fake store on a loopback port.


@dataclass
class Seen:
    method: str
    headers: dict[str, str]
    form: dict[str, list[str]]


@contextmanager
def fake_store(
    answer: Callable[[Seen], tuple[int, dict[str, str], bytes]],
) -> Iterator[tuple[str, list[Seen]]]:
    """An HTTP server that records each request and answers with `answer(request)`."""
    seen: list[Seen] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else ""
            request = Seen(
                self.command,
                dict(self.headers.items()),
                urllib.parse.parse_qs(body) | urllib.parse.parse_qs(self.path.partition("?")[2]),
            )
            seen.append(request)
            status, headers, content = answer(request)
            headers = dict(headers)
            self.server_version, self.sys_version = headers.pop("Server", "fake"), ""
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(content))}.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_HEAD = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


JSON_TRUE = (
    200,
    {"Content-Type": "application/sparql-results+json"},
    b'{"head":{},"boolean":true}',
)
NO_ROWS = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'


def _answers_by_form(request: Seen) -> tuple[int, dict[str, str], bytes]:
    if "n-triples" in request.headers.get("Accept", "").split(",")[0]:
        return 200, {"Content-Type": "application/n-triples"}, b""
    if "SELECT" in request.form.get("query", [""])[0]:
        return 200, {"Content-Type": "application/sparql-results+json"}, NO_ROWS
    return JSON_TRUE


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("# what to SELECT\nPREFIX select: <http://e/>\nASK { ?s select:p ?o }", "json"),
        ("SELECT * WHERE { ?s ?p ?o }", "json"),
        ("PREFIX ask: <http://e/> CONSTRUCT { ?s ask:p ?o } WHERE { ?s ask:p ?o }", "n-triples"),
        ("BASE <http://e/> DESCRIBE <s>", "n-triples"),
    ],
)
def test_each_query_form_asks_the_store_for_its_own_formats(query, accept):
    with fake_store(_answers_by_form) as (url, seen):
        RemoteStore(RemoteSpec(url + "/query", (LINKS,), 5)).query(query)
    sent = seen[-1].headers["Accept"]
    if accept == "json":
        assert sent == "application/sparql-results+json, application/sparql-results+xml;q=0.9"
    else:
        assert sent == "application/n-triples, text/turtle;q=0.9"


def test_queries_are_sent_without_their_comments():
    query = '# élection… of "2007"\nASK { <http://e/s#frag> ?p "a # not a comment" } # end'
    with fake_store(lambda _: JSON_TRUE) as (url, seen):
        RemoteStore(RemoteSpec(url + "/query", (LINKS,), 5)).query(query)
    assert seen[-1].form["query"] == ['\nASK { <http://e/s#frag> ?p "a # not a comment" } ']


@pytest.mark.parametrize(
    ("query", "media_type", "body"),
    [
        (f"DESCRIBE <{PARTY}>", "application/sparql-results+json", NO_ROWS),  # Virtuoso's own JSON
        ("SELECT * WHERE { ?s ?p ?o }", "text/turtle", b"<http://e/s> <http://e/p> 1 ."),
        ("SELECT * WHERE { ?s ?p ?o }", "text/html", b"<html></html>"),
        ("ASK {}", "application/sparql-results+json", NO_ROWS),
    ],
)
def test_an_answer_in_an_unexpected_format_is_a_502_naming_the_store(query, media_type, body):
    server = {"Content-Type": media_type, "Server": "Virtuoso/07.20.3229 (Linux)"}
    with fake_store(lambda _: (200, server, body)) as (url, _):
        with pytest.raises(RemoteStoreError) as caught:
            RemoteStore(RemoteSpec(url + "/sparql", (LINKS,), 5)).query(query)
    assert caught.value.status == 502
    assert str(caught.value).startswith("Virtuoso answered a")
    assert url not in str(caught.value)


@pytest.mark.parametrize(
    ("headers", "parameter"),
    [
        ({"Server": "Virtuoso/07.20.3229 (Linux)"}, ["2500"]),  # milliseconds
        ({"Fuseki-Request-Id": "7"}, ["2.5"]),  # seconds
        ({"Server": "Oxigraph/0.5.13"}, None),  # Oxigraph server has no such parameter
    ],
)
def test_the_deadline_is_passed_on_in_the_stores_own_parameter(headers, parameter):
    answer = (200, {**headers, "Content-Type": "application/sparql-results+json"}, NO_ROWS)
    with fake_store(lambda _: answer) as (url, seen):
        RemoteStore(RemoteSpec(url + "/sparql", (LINKS,), 2.5)).query("SELECT * WHERE {?s ?p ?o}")
    assert seen[-1].form.get("timeout") == parameter


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        (503, {"Content-Type": "text/plain"}, b"Query timed out"),  # Fuseki past its timeout
        (500, {"Content-Type": "text/plain"}, b"Virtuoso S1T00 Error SR171: Transaction timed out"),
        (  # Virtuoso's "anytime" answer: partial results, with 200
            200,
            {"Content-Type": "application/sparql-results+json", "X-SQL-State": "S1TAT"},
            NO_ROWS,
        ),
    ],
)
def test_a_store_that_stops_at_the_deadline_is_a_503(status, headers, body):
    with fake_store(lambda _: (status, headers, body)) as (url, _):
        with pytest.raises(StoreTimeout, match="deadline") as caught:
            RemoteStore(RemoteSpec(url + "/sparql", (LINKS,), 5)).query("SELECT * {?s ?p ?o}")
    assert caught.value.status == 503 and isinstance(caught.value, TimeoutError)


def test_the_query_pool_answers_a_store_timeout_with_its_own_timeout():
    class Slow:
        def query(self, *args: object, **kwargs: object) -> None:
            raise StoreTimeout("Virtuoso stopped the query at the 10 s deadline")

    kind, error = pool._answer(
        Slow(), pool.Job("SELECT * {}", None, None, "application/json", None)
    )
    assert kind == "error" and isinstance(error, pool.QueryTimeout) and "deadline" in str(error)


def test_virtuoso_stops_a_slow_query_at_the_deadline(virtuoso_store):
    store = RemoteStore(RemoteSpec(virtuoso_store.query, (ARTICLE,), 1))
    started = time.monotonic()
    with pytest.raises(StoreTimeout):
        store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            use_default_graph_as_union=True,
        )
    assert time.monotonic() - started < 10  # it stopped computing: nothing waits for it


# Credentials: `load --gsp --user` and `serve --user`, Basic or Digest, the password never in argv.


def test_load_asks_for_a_password_it_never_takes_from_the_command_line(built, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_VARIABLE}
    missing = subprocess.run(
        [*CLI, "load", "--gsp", "http://127.0.0.1:1/store", "--user", "dba", "--root", str(built.root)],
        capture_output=True, text=True, env={**env, "NETRC": str(tmp_path / "none")}, timeout=120,
    )  # fmt: skip
    assert missing.returncode == 2, missing.stderr
    assert f"no password for user 'dba': set {PASSWORD_VARIABLE}" in missing.stderr
    assert "password" not in run_cli("load", "--help").stdout.replace("the password", "")


def test_load_with_a_wrong_password_is_refused(built, virtuoso_store):
    result = run_cli(
        "load", "--gsp", virtuoso_store.store, "--user", "dba", "--root", str(built.root),
        env={PASSWORD_VARIABLE: "not-the-password"},
    )  # fmt: skip
    assert result.returncode == 4, result.stderr
    assert "401 Unauthorized: the store refused user 'dba' and its password" in result.stderr


def _basic(user: str, password: str) -> Callable[[Seen], tuple[int, dict[str, str], bytes]]:
    token = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def answer(request: Seen) -> tuple[int, dict[str, str], bytes]:
        if request.headers.get("Authorization") != token:
            return 401, {"WWW-Authenticate": 'Basic realm="store"'}, b""
        if request.method == "PUT":
            return 201, {}, b""
        return JSON_TRUE

    return answer


def test_load_answers_basic_auth_with_the_netrc_entry(built, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login loader password s3cret\n", encoding="utf-8")
    netrc.chmod(0o600)
    with fake_store(_basic("loader", "s3cret")) as (url, seen):
        result = run_cli(
            "load", "--gsp", url + "/store", "--root", str(built.root), env={"NETRC": str(netrc)}
        )
    assert result.returncode == 0, result.stderr
    puts = [s for s in seen if s.method == "PUT"]
    manifest = json.loads((built.dist / "manifest.json").read_text(encoding="utf-8"))
    graphs = len(manifest["graphs"]) + 1  # every named graph of the build, and the ontology's
    assert len(puts) == graphs and all(s.headers.get("Authorization") for s in puts)


def test_the_site_reads_a_store_that_asks_for_credentials(monkeypatch):
    monkeypatch.setenv(PASSWORD_VARIABLE, "s3cret")
    with fake_store(_basic("reader", "s3cret")) as (url, _):
        assert bool(RemoteStore(RemoteSpec(url + "/query", (LINKS,), 5, "reader")).query("ASK {}"))
        with pytest.raises(RemoteStoreError, match="the store answered 401"):
            RemoteStore(RemoteSpec(url + "/query", (LINKS,), 5)).query("ASK {}")


# The hint for an empty store, and health that tells the truth.


@pytest.mark.parametrize(
    ("endpoint", "kind", "url"),
    [
        ("http://h:7878/query", OXIGRAPH, "http://h:7878/store"),
        ("http://h:3030/elections/query", FUSEKI, "http://h:3030/elections/data"),
        ("http://h:3030/elections/sparql", FUSEKI, "http://h:3030/elections/data"),
        ("http://h:8890/sparql", VIRTUOSO, "http://h:8890/sparql-graph-crud-auth"),
        ("http://h/graphdb/repositories/x", "", None),
    ],
)
def test_the_load_hint_names_the_stores_own_graph_store_url(endpoint, kind, url):
    assert load_url(endpoint, kind) == url
    hint = load_hint(endpoint, kind)
    assert (
        (f"election-kg load --gsp {url}" in hint) if url else ("Graph Store Protocol URL" in hint)
    )
    assert ("--user dba" in hint) == (kind == VIRTUOSO)


def test_start_up_names_virtuosos_load_url(built):
    answer = (
        200,
        {"Content-Type": "application/sparql-results+json", "Server": "Virtuoso/07.20.3229"},
        b'{"head":{"vars":["g","n"]},"results":{"bindings":[]}}',
    )
    with fake_store(lambda _: answer) as (url, _):
        with pytest.raises(ReleaseError) as caught:
            load_release(built.dist, _settings(built.dist, url + "/sparql"))
    assert f"election-kg load --gsp {url}/sparql-graph-crud-auth --user dba" in str(caught.value)


def _until(check: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)  # polling interval while the condition is not met
    return False


class Restartable:
    """A store on a fixed loopback port that can be stopped, and started again empty."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.folder = kind, folder
        self.port = free_port()
        self.server: Oxigraph | virtuoso.Virtuoso | None = None

    def start_empty(self) -> Oxigraph | virtuoso.Virtuoso:
        if self.kind == "oxigraph":  # in memory: empty at every start
            self.server = start_oxigraph("serve", port=self.port)
        else:  # a fresh database in the same folder, on the same ports
            if self.server is None:
                self.server = virtuoso.configure(self.folder)
            for stale in self.folder.glob("virtuoso*"):
                if stale.name != "virtuoso.ini":
                    stale.unlink()
            virtuoso.start(self.server)
        return self.server

    def stop(self) -> None:
        if isinstance(self.server, Oxigraph):
            stop_oxigraph(self.server)
        elif self.server is not None:
            virtuoso.stop(self.server)


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_a_store_stopped_under_the_site_makes_health_503_and_the_site_recovers_once_reloaded(
    built, tmp_path, kind
):
    store = Restartable(kind, tmp_path)
    server = store.start_empty()
    load(built.dist, server)
    live = start_server(built.dist, workers=1, args=("--store-endpoint", server.query))
    page = live.url + "/page/party/national-liberation-front"

    def health() -> requests.Response:
        return requests.get(live.url + "/health", timeout=30)

    try:
        assert health().status_code == 200 and health().json()["status"] == "ok"
        store.stop()  # down
        assert _until(lambda: health().status_code == 503)
        assert "the store could not be reached" in health().json()["reason"]
        server = store.start_empty()  # back, but empty
        assert _until(lambda: "no longer holds this release" in health().json().get("reason", ""))
        assert health().status_code == 503
        assert f"election-kg load --gsp {server.store}" in health().json()["reason"]
        lost = requests.get(page, headers={"Accept": "application/json"}, timeout=30)
        assert lost.status_code == 503, lost.text  # not a silent 404
        assert "no longer holds this release" in lost.json()["message"]
        load(built.dist, server)  # reloaded: the same site recovers, without a restart
        assert _until(lambda: health().status_code == 200)
        assert requests.get(page, timeout=30).status_code == 200
        assert requests.get(live.url + "/", timeout=30).status_code == 200
        assert requests.get(live.url + "/page/party/no-such-party", timeout=30).status_code == 404
    finally:
        stop_server(live)
        store.stop()


# The "done when", on every back end (the Virtuoso back end runs this file).

ELECTION_PAGE = "/page/election/2007-algerian-parliamentary-election"


@pytest.fixture(scope="module", params=BACKENDS)
def seed_server(request: pytest.FixtureRequest, seed_built) -> Iterator[LiveServer]:
    """The seed alone on each back end: the issue's figures were set for it (on the 16-article
    corpus Virtuoso needs about 11 s for the election page: README, "Virtuoso")."""
    with serving(request.param, seed_built.dist) as server:
        yield server


def test_every_store_lists_the_elections_and_answers_graph_queries(seed_server):
    live_server = seed_server
    home = requests.get(live_server.url + "/", timeout=30)
    assert home.status_code == 200 and "2007 Algerian parliamentary election" in home.text
    started = time.monotonic()
    page = requests.get(live_server.url + ELECTION_PAGE, timeout=30)
    assert page.status_code == 200 and time.monotonic() - started < 5
    assert "National Liberation Front" in page.text
    for accept in ("text/turtle", "application/ld+json", "application/n-triples"):
        answer = requests.post(
            live_server.url + "/sparql",
            data={"query": f"DESCRIBE <{PARTY}>"},
            headers={"Accept": accept},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        assert answer.headers["Content-Type"].startswith(accept)
    health = requests.get(live_server.url + "/health", timeout=30)
    assert health.status_code == 200 and health.json()["status"] == "ok"
