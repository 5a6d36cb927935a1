"""rdflib evaluation never reaches outside: FROM loads nothing, SERVICE and LOAD connect nowhere.

Each door is tested on its own (the loading switch alone, the audit hook alone) so that removing
either one fails a test, and a loopback listener is the witness that no connection was made. One
control test shows the listener does see rdflib's requests when nothing guards them.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import rdflib.plugins.sparql
from rdflib import Dataset, Graph, Literal, URIRef

from election_kg.common.offline import OutboundRefused, configure, offline
from tests.support.listener import listening
from tests.support.project import ROOT, copy_project

SECRET = "<http://example.org/s> <http://example.org/p> 'the secret' ."


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.ttl"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.fixture
def loading_switched_on():
    """rdflib's default (FROM loads graphs), to test the audit hook on its own."""
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = True
    try:
        yield
    finally:
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


def _rows(query: str) -> list:
    return list(Dataset().query(query))


def _refused(exc: BaseException | None) -> bool:
    """The refusal, possibly wrapped by rdflib ("Could not load ...")."""
    while exc is not None:
        if isinstance(exc, OutboundRefused):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@pytest.fixture(autouse=True)
def configured():
    """What the command line, the build and the server do at start-up."""
    configure()


def test_configure_switches_graph_loading_off():
    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is False


def test_from_a_file_reads_nothing(secret):
    for clause in (f"FROM <{secret.as_uri()}>", f"FROM NAMED <{secret.as_uri()}>"):
        rows = _rows(
            f"SELECT * {clause} WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
        )
        assert Literal("the secret") not in {term for row in rows for term in row}


def test_from_a_url_connects_nowhere():
    with listening() as listener:
        assert (
            _rows(
                f"SELECT * FROM <{listener.url}/data.ttl> FROM NAMED <{listener.url}/g.ttl> WHERE {{ ?s ?p ?o }}"
            )
            == []
        )
        assert listener.wait_quiet() == []


def test_the_hook_alone_refuses_a_file_that_from_would_load(secret, loading_switched_on):
    with offline(), pytest.raises(Exception) as caught:  # rdflib wraps the refusal
        _rows(f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}")
    assert _refused(caught.value)


def test_the_hook_alone_refuses_a_url_that_from_would_load(loading_switched_on):
    with listening() as listener:
        with offline(), pytest.raises(Exception) as caught:  # rdflib wraps the refusal
            _rows(f"SELECT * FROM <{listener.url}/data.ttl> WHERE {{ ?s ?p ?o }}")
        assert _refused(caught.value)
        assert listener.wait_quiet() == []


@pytest.mark.parametrize(
    "pattern",
    [
        "SERVICE <{url}/sparql> {{ ?s ?p ?o }}",
        "OPTIONAL {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "FILTER EXISTS {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_before_connecting(pattern):
    with listening() as listener:
        with offline(), pytest.raises(Exception) as caught:  # rdflib may wrap the refusal
            _rows("SELECT * WHERE { BIND(1 AS ?x) " + pattern.format(url=listener.url) + " }")
        assert _refused(caught.value)
        assert listener.wait_quiet() == []


def test_service_silent_connects_nowhere_either():
    with listening() as listener:
        with offline():
            _rows(f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}/sparql> {{ ?s ?p ?o }} }}")
        assert listener.wait_quiet() == []


def test_load_connects_nowhere():
    with listening() as listener:
        Dataset().update(f"LOAD <{listener.url}/data.ttl>")  # the switch alone: LOAD does nothing
        assert listener.wait_quiet() == []


def test_the_hook_alone_refuses_load(loading_switched_on):
    with listening() as listener:
        with offline(), pytest.raises(Exception) as caught:  # rdflib wraps the refusal
            Dataset().update(f"LOAD <{listener.url}/data.ttl>")
        assert _refused(caught.value)
        assert listener.wait_quiet() == []


def test_control_without_the_hook_rdflib_does_call_out():
    """The witness works: unguarded, rdflib's SERVICE reaches the listener."""
    with listening() as listener:
        _rows(f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}")
        assert any(b"POST /sparql" in r or b"GET /sparql" in r for r in listener.wait_quiet())


def test_evaluation_over_local_data_works_inside_the_block():
    graph = Graph()
    graph.add((URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal(1)))
    with offline():
        assert [row[0].toPython() for row in graph.query("SELECT ?o WHERE { ?s ?p ?o }")] == [1]


def test_only_the_guarded_thread_is_restricted(secret):
    seen: list[str] = []
    entered, done = threading.Event(), threading.Event()

    def other_thread() -> None:
        entered.wait(5)
        seen.append(secret.read_text(encoding="utf-8"))
        done.set()

    thread = threading.Thread(target=other_thread)
    thread.start()
    with offline():
        entered.set()
        done.wait(5)
        with pytest.raises(OutboundRefused):
            secret.read_text(encoding="utf-8")
    thread.join(5)
    assert seen == [SECRET]
    assert secret.read_text(encoding="utf-8") == SECRET  # and the block is over


def _fresh(code: str) -> str:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "module",
    ["election_kg.pipeline.build", "election_kg.server.sparql.guard", "election_kg.server.app"],
)
def test_importing_changes_no_global(module):
    """No side effect at import: graph loading is switched off by the code that starts, not by an import."""
    assert (
        _fresh(f"import {module}, rdflib.plugins.sparql as s; print(s.SPARQL_LOAD_GRAPHS)")
        == "True"
    )


def test_the_server_switches_graph_loading_off(built):
    code = (
        "import rdflib.plugins.sparql as s; from election_kg.server.app import create_app; "
        f"from election_kg.server.settings import Settings; create_app(Settings.from_env(dist=__import__('pathlib').Path({str(built.dist)!r}))); "
        "print(s.SPARQL_LOAD_GRAPHS)"
    )
    assert _fresh(code) == "False"


def test_a_build_switches_graph_loading_off(tmp_path):
    root = copy_project(tmp_path / "project")
    code = (
        "import rdflib.plugins.sparql as s; from election_kg.pipeline.assemble import BuildSettings; from election_kg.pipeline.build import build; "
        f"build(BuildSettings(root=__import__('pathlib').Path({str(root)!r})), log=lambda *_: None); print(s.SPARQL_LOAD_GRAPHS)"
    )
    assert _fresh(code) == "False"
