"""Dereferenceable IRIs against the real server: 303 by Accept, each representation parsed, headers, 404s."""

from __future__ import annotations

import pytest
import requests
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

BASE = "http://127.0.0.1:5000/"
EK = Namespace(BASE + "ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
PARTY = "party/algeria/workers-party"
RESULT = "election/2007-algerian-parliamentary-election/result-workers-party"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
FORMATS = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}


def get(url: str, accept: str | None = None, **kwargs) -> requests.Response:
    headers = {"Accept": accept} if accept is not None else {}
    return requests.get(url, headers=headers, allow_redirects=False, timeout=30, **kwargs)


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        (None, f"/page/{PARTY}"),
        ("*/*", f"/page/{PARTY}"),
        (BROWSER, f"/page/{PARTY}"),
        ("text/html", f"/page/{PARTY}"),
        ("application/xhtml+xml", f"/page/{PARTY}"),
        ("text/turtle", f"/data/{PARTY}.ttl"),
        ("application/ld+json", f"/data/{PARTY}.jsonld"),
        ("application/json", f"/data/{PARTY}.jsonld"),
        ("application/n-triples", f"/data/{PARTY}.nt"),
        ("application/rdf+xml", f"/data/{PARTY}.rdf"),
        ("text/turtle;q=0.5, application/ld+json", f"/data/{PARTY}.jsonld"),
        ("text/html;q=0.1, text/*;q=0.9", f"/data/{PARTY}.ttl"),
    ],
)
def test_id_answers_303_by_accept(url, accept, target):
    answer = get(f"{url}/id/{PARTY}", accept)
    assert answer.status_code == 303
    assert answer.headers["Location"] == target
    assert "Accept" in answer.headers["Vary"]


def test_id_refuses_what_it_cannot_produce(url):
    answer = get(f"{url}/id/{PARTY}", "image/png")
    assert answer.status_code == 406
    assert "text/turtle" in answer.text
    assert "Accept" in answer.headers["Vary"]


@pytest.mark.parametrize("extension", FORMATS)
def test_each_representation_parses_and_describes_the_resource(url, extension):
    media_type, rdflib_format = FORMATS[extension]
    answer = get(f"{url}/data/{RESULT}.{extension}")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].split(";")[0] == media_type
    graph = Graph().parse(data=answer.content, format=rdflib_format)
    result, party = URIRef(BASE + "id/" + RESULT), URIRef(BASE + "id/" + PARTY)
    assert (result, EK.seatsWon, Literal(26)) in graph
    assert (result, EK.contestant, party) in graph
    assert (
        party,
        RDFS.label,
        Literal("Workers' Party", lang="en"),
    ) in graph  # label of what it links to
    assert (EK.seatsWon, RDFS.label, None) in graph  # and of its properties
    # The reified statement of the seats, and the quote it was derived from.
    statements = set(graph.subjects(RDF.subject, result)) & set(
        graph.subjects(RDF.predicate, EK.seatsWon)
    )
    assert len(statements) == 1
    excerpt = graph.value(statements.pop(), PROV.wasDerivedFrom)
    assert str(graph.value(excerpt, EK.exactText)) == "- Seats4: 26"
    assert graph.value(excerpt, EK.lineNumber).toPython() == 29


def test_following_the_redirect_gives_the_data(url):
    answer = requests.get(f"{url}/id/{PARTY}", headers={"Accept": "text/turtle"}, timeout=30)
    assert answer.status_code == 200 and answer.url.endswith(f"/data/{PARTY}.ttl")
    graph = Graph().parse(data=answer.text, format="turtle")
    assert (URIRef(BASE + "id/" + PARTY), RDF.type, EK.PoliticalParty) in graph
    # What points at it comes along: the result that names it as contestant.
    assert (URIRef(BASE + "id/" + RESULT), EK.contestant, URIRef(BASE + "id/" + PARTY)) in graph


def test_every_representation_links_to_the_others(url):
    for address in (f"/page/{PARTY}", f"/data/{PARTY}.ttl"):
        answer = get(url + address)
        links = requests.utils.parse_header_links(answer.headers["Link"])
        by_type = {link["type"]: link["url"] for link in links if link.get("rel") == "alternate"}
        assert by_type["text/turtle"] == f"/data/{PARTY}.ttl"
        assert by_type["application/ld+json"] == f"/data/{PARTY}.jsonld"
        assert by_type["application/n-triples"] == f"/data/{PARTY}.nt"
        assert by_type["application/rdf+xml"] == f"/data/{PARTY}.rdf"
    assert "text/html" in {
        link["type"]
        for link in requests.utils.parse_header_links(
            get(f"{url}/data/{PARTY}.ttl").headers["Link"]
        )
    }


@pytest.mark.parametrize(
    "path",
    [
        "election/2007-algerian-parliamentary-election",
        "person/algeria/louisa-hanoune",
        "source/2007-algerian-parliamentary-election/238-266",
        "election/2007-algerian-parliamentary-election/turnout",
    ],
)
def test_other_kinds_of_resource_dereference(url, path):
    answer = requests.get(
        f"{url}/id/{path}", headers={"Accept": "application/n-triples"}, timeout=30
    )
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.text, format="nt")
    assert len(list(graph.predicate_objects(URIRef(BASE + "id/" + path)))) > 0


def test_an_excerpt_carries_its_text(url):
    graph = Graph().parse(
        data=get(f"{url}/data/source/2007-algerian-parliamentary-election/238-266.ttl").text,
        format="turtle",
    )
    assert (
        str(
            graph.value(
                URIRef(BASE + "id/source/2007-algerian-parliamentary-election/238-266"),
                EK.exactText,
            )
        )
        == "- Turnout: 35.67% ( 10.50pp)"
    )


def test_a_statement_dereferences(url):
    graph = Graph().parse(data=get(f"{url}/data/{RESULT}.ttl").text, format="turtle")
    statement = next(iter(graph.subjects(RDF.predicate, EK.voteShare)))
    path = str(statement)[len(BASE + "id/") :]
    assert get(f"{url}/id/{path}", "text/turtle").headers["Location"] == f"/data/{path}.ttl"
    own = Graph().parse(data=get(f"{url}/data/{path}.ttl").text, format="turtle")
    assert (
        statement,
        RDF.object,
        Literal("5.09", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
    ) in own


@pytest.mark.parametrize("extension", FORMATS)
def test_unknown_iri_is_404_in_the_format_asked_for(url, extension):
    media_type, rdflib_format = FORMATS[extension]
    for answer in (
        get(f"{url}/id/party/no-such-party", media_type),
        get(f"{url}/data/party/no-such-party.{extension}"),
    ):
        assert answer.status_code == 404
        assert answer.headers["Content-Type"].split(";")[0] == media_type
        assert len(Graph().parse(data=answer.content, format=rdflib_format)) == 0


def test_unknown_iri_is_404_html_for_browsers(url):
    for answer in (
        get(f"{url}/id/party/no-such-party", BROWSER),
        get(f"{url}/page/party/no-such-party"),
    ):
        assert answer.status_code == 404
        assert answer.headers["Content-Type"].startswith("text/html")
        assert "http://127.0.0.1:5000/id/party/no-such-party" in answer.text
    assert "Accept" in get(f"{url}/id/party/no-such-party").headers["Vary"]


def test_unknown_extension_is_404(url):
    assert get(f"{url}/data/{PARTY}.xlsx").status_code == 404
    assert get(f"{url}/data/{PARTY}").status_code == 404


def test_the_vocabulary_negotiates_and_has_its_own_files(url):
    html = get(f"{url}/ontology", BROWSER)
    assert html.status_code == 200 and html.headers["Content-Type"].startswith("text/html")
    assert "Accept" in html.headers["Vary"]
    turtle = get(f"{url}/ontology", "text/turtle")
    assert turtle.headers["Content-Location"] == "/ontology.ttl"
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (EK.voteShare, RDFS.domain, EK.ElectionResult) in graph
    for extension, (media_type, rdflib_format) in FORMATS.items():
        answer = get(f"{url}/ontology.{extension}")
        assert answer.headers["Content-Type"].split(";")[0] == media_type
        assert len(Graph().parse(data=answer.content, format=rdflib_format)) == len(graph)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "/id/party/national-liberation-front",
            "/id/party/algeria/national-liberation-front",
        ),
        (
            "/page/party/national-liberation-front",
            "/page/party/algeria/national-liberation-front",
        ),
        ("/data/person/louisa-hanoune.ttl", "/data/person/algeria/louisa-hanoune.ttl"),
        (
            "/page/legislature/peoples-national-assembly",
            "/page/legislature/algeria/peoples-national-assembly",
        ),
    ],
)
def test_an_iri_published_before_country_scoping_answers_301_to_its_new_iri(url, old, new):
    """The seed's IRIs of parties, people, organisations and legislatures moved under their
    country; redirects.tsv (published by the build) keeps each old one resolving."""
    answer = get(url + old, "text/html")
    assert answer.status_code == 301
    assert answer.headers["Location"].endswith(new)
    assert get(url + new, "text/html").status_code in (200, 303)


def test_an_unknown_old_style_iri_is_still_404(url):
    assert get(url + "/page/party/no-such-party", "text/html").status_code == 404
