"""`/shapes` and `/validation`: the build's SHACL shapes and report, dereferenceable and in every format."""

from __future__ import annotations

import json

import pytest
import requests
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic

SH = Namespace("http://www.w3.org/ns/shacl#")


def test_validation_report_as_turtle_is_the_published_file(url, built):
    answer = requests.get(url + "/validation", headers={"Accept": "text/turtle"}, timeout=30)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/turtle")
    assert answer.headers["Content-Location"] == "/validation.ttl"
    served = Graph().parse(data=answer.text, format="turtle")
    assert isomorphic(served, Graph().parse(built.dist / "validation.ttl", format="turtle"))
    report = URIRef("http://127.0.0.1:5000/validation#report")
    assert served.value(report, SH.conforms).toPython() is True
    severities = sorted(
        str(served.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        for r in served.objects(report, SH.result)
    )
    # The corpus conforms: incomplete sources are Warnings and Infos, never a Violation; the seed's
    # boycott contradiction is among them.
    assert set(severities) == {"Info", "Warning"}
    assert any(
        "Democratic and Social Movement won 1 seat" in str(served.value(r, SH.resultMessage))
        for r in served.objects(report, SH.result)
    )


@pytest.mark.parametrize(
    ("extension", "fmt"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")]
)
def test_every_format_parses_to_the_same_graph(url, built, extension, fmt):
    for name in ("validation", "shapes"):
        answer = requests.get(f"{url}/{name}.{extension}", timeout=30)
        assert answer.status_code == 200, (name, extension)
        graph = Graph().parse(data=answer.content, format=fmt)
        assert isomorphic(graph, Graph().parse(built.dist / f"{name}.ttl", format="turtle")), (
            name,
            extension,
        )


def test_validation_page_lists_the_warning_with_its_focus_node(url):
    answer = requests.get(url + "/validation", headers={"Accept": "text/html"}, timeout=30)
    assert answer.status_code == 200 and "text/html" in answer.headers["Content-Type"]
    assert "it conforms" in answer.text
    assert 'href="/id/party/algeria/democratic-and-social-movement"' in answer.text
    assert "Democratic and Social Movement won 1 seat(s)" in answer.text
    assert "0.68%" in answer.text
    assert (
        'rel="alternate"' in answer.headers["Link"] and "/validation.ttl" in answer.headers["Link"]
    )


def test_shapes_page_lists_each_node_shape_with_its_messages(url, built):
    shapes = Graph().parse(built.dist / "shapes.ttl", format="turtle")
    named = [
        s for s in shapes.subjects(predicate=None, object=SH.NodeShape) if isinstance(s, URIRef)
    ]
    answer = requests.get(url + "/shapes", headers={"Accept": "text/html"}, timeout=30)
    assert answer.status_code == 200
    assert len(named) > 20
    for shape in named:
        assert f'id="{str(shape).rsplit("#", 1)[-1]}"' in answer.text, (
            shape
        )  # {base}shapes#X dereferences to /shapes#X
    assert "ek:ElectionResult" in answer.text and "(SPARQL rule)" in answer.text


def test_unknown_extension_and_unacceptable_type(url):
    assert requests.get(url + "/shapes.xyz", timeout=30).status_code == 404
    answer = requests.get(url + "/validation", headers={"Accept": "image/png"}, timeout=30)
    assert answer.status_code == 406
    assert "text/turtle" in answer.text


def test_json_ld_report_is_valid_json(url):
    answer = requests.get(url + "/validation.jsonld", timeout=30)
    assert isinstance(json.loads(answer.text), (list, dict))
