"""`election-kg load --gsp URL`: the built graphs pushed to a real Oxigraph server, then read back over SPARQL."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import requests
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.support.live import free_port
from tests.support.project import run_cli

COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def counts(endpoint: str) -> dict[str, int]:
    client = SPARQLWrapper(endpoint)
    client.setQuery(COUNTS)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def expected(built) -> dict[str, int]:
    manifest = json.loads((built.dist / "manifest.json").read_text(encoding="utf-8"))
    ontology = sum(
        1 for _ in ox.parse(path=str(built.dist / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
    )
    return {**manifest["graphs"], manifest["base"] + "graph/ontology": ontology}


def test_each_graph_is_put_and_holds_what_the_manifest_says(built, empty_store):
    result = run_cli("load", "--gsp", empty_store.store, "--root", str(built.root))
    assert result.returncode == 0, result.stderr
    assert counts(empty_store.query) == expected(built)
    for graph, n in expected(built).items():
        assert f"PUT {graph}: {n} triples" in result.stdout


def test_loading_twice_leaves_the_store_as_once(built, empty_store):
    for _ in range(2):
        assert (
            run_cli("load", "--gsp", empty_store.store, "--root", str(built.root)).returncode == 0
        )
    assert counts(empty_store.query) == expected(built)


def test_a_graph_is_replaced_not_added_to(built, empty_store):
    links = next(g for g in expected(built) if g.endswith("/graph/links"))
    stale = "<http://example.org/stale> <http://example.org/p> <http://example.org/o> .\n"
    response = requests.post(
        empty_store.store,
        params={"graph": links},
        data=stale.encode(),
        headers={"Content-Type": "application/n-triples"},
        timeout=10,
    )
    assert response.status_code in (200, 201, 204)
    assert run_cli("load", "--gsp", empty_store.store, "--root", str(built.root)).returncode == 0
    assert counts(empty_store.query) == expected(built)


def test_unreachable_store_exits_3_with_a_clear_message(built):
    result = run_cli(
        "load", "--gsp", f"http://127.0.0.1:{free_port()}/store", "--root", str(built.root)
    )
    assert result.returncode == 3
    assert (
        "error: cannot reach http://127.0.0.1:" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_a_store_that_refuses_writes_exits_4_with_its_status(built, wikidata):
    result = run_cli("load", "--gsp", wikidata.store, "--root", str(built.root))  # serve-read-only
    assert result.returncode == 4
    assert "answered 4" in result.stderr or "answered 5" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_damaged_dump_is_never_pushed(built, tmp_path, empty_store):
    dist = tmp_path / "data" / "dist"
    shutil.copytree(built.dist, dist)
    with (dist / "election-kg.nq").open("a", encoding="utf-8") as dump:
        dump.write(
            "<http://example.org/s> <http://example.org/p> <http://example.org/o> <http://example.org/g> .\n"
        )
    result = run_cli("load", "--gsp", empty_store.store, "--root", str(tmp_path))
    assert result.returncode == 1 and "SHA-256" in result.stderr
    assert counts(empty_store.query) == {}
