"""The SPARQL 1.1 Protocol at /sparql, against the real server (granian workers on a loopback port).

Every body received is parsed (json, csv, xml.etree, rdflib) and checked against the published dump
read back with rdflib, an independent engine.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import requests
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from tests.support.project import SEED_ELECTION

ELECTION = URIRef(SEED_ELECTION)
BASE = "http://127.0.0.1:5000/"
LINKS = BASE + "graph/links"
ARTICLE = BASE + "graph/2007-algerian-parliamentary-election"
ONTOLOGY = BASE + "graph/ontology"
SRX = "{http://www.w3.org/2005/sparql-results#}"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")

SELECT = f"SELECT DISTINCT ?p ?o WHERE {{ <{ELECTION}> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT {{ <{ELECTION}> ?p ?o }} WHERE {{ <{ELECTION}> ?p ?o }}"
ASK = f"ASK {{ <{ELECTION}> a ?type }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def expected(dataset: Dataset) -> set[tuple]:
    """The election's triples, from the dump, merged over all graphs."""
    return {(s, p, o) for s, p, o, _ in dataset.quads((ELECTION, None, None, None))}


def get(sparql_url: str, query: str, accept: str | None = None, **params: str) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.get(sparql_url, params={"query": query, **params}, headers=headers, timeout=10)


def count(sparql_url: str, query: str = COUNT, **params: str) -> int:
    answer = get(sparql_url, query, "application/sparql-results+json", **params)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


# --- results, parsed -------------------------------------------------------------------------


def rows_json(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def rows_xml(body: bytes) -> list[ET.Element]:
    return ET.fromstring(body).findall(f"{SRX}results/{SRX}result")


def rows_csv(body: bytes) -> list[list[str]]:
    header, *rows = csv.reader(io.StringIO(body.decode("utf-8")))
    assert header == ["p", "o"]
    return rows


def rows_tsv(body: bytes) -> list[list[str]]:
    header, *rows = [line.split("\t") for line in body.decode("utf-8").splitlines()]
    assert header == ["?p", "?o"]
    return rows


RESULT_ACCEPT = [
    # (Accept header, content type answered, parser)
    (None, "application/sparql-results+json", rows_json),
    ("*/*", "application/sparql-results+json", rows_json),
    ("application/sparql-results+json", "application/sparql-results+json", rows_json),
    ("application/json", "application/sparql-results+json", rows_json),
    ("application/sparql-results+xml", "application/sparql-results+xml", rows_xml),
    ("application/xml", "application/sparql-results+xml", rows_xml),
    ("text/csv", "text/csv", rows_csv),
    ("text/tab-separated-values", "text/tab-separated-values", rows_tsv),
    ("text/*", "text/csv", rows_csv),
    ("text/csv;q=0.5, text/tab-separated-values;q=0.8", "text/tab-separated-values", rows_tsv),
    (
        "text/turtle, application/sparql-results+xml;q=0.1",
        "application/sparql-results+xml",
        rows_xml,
    ),
    ("image/png, */*;q=0.1", "application/sparql-results+json", rows_json),
    (
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "application/sparql-results+xml",
        rows_xml,
    ),
]


@pytest.mark.parametrize(("accept", "content_type", "parse"), RESULT_ACCEPT)
def test_select_results_follow_accept(sparql_url, expected, accept, content_type, parse):
    answer = get(sparql_url, SELECT, accept)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].split(";")[0] == content_type
    assert "Accept" in answer.headers["Vary"]
    assert len(parse(answer.content)) == len(expected)


def _term(binding: dict) -> Node:
    """An RDF term from a SPARQL JSON binding; blank nodes all alike (their labels are local)."""
    if binding["type"] == "uri":
        return URIRef(binding["value"])
    if binding["type"] == "bnode":
        return BNode("blank")
    return Literal(binding["value"], datatype=binding.get("datatype"), lang=binding.get("xml:lang"))


def test_select_values_match_the_dump(sparql_url, expected):
    rows = rows_json(get(sparql_url, SELECT).content)
    answered = {(_term(row["p"]), _term(row["o"])) for row in rows}
    dump = {(p, BNode("blank") if isinstance(o, BNode) else o) for _, p, o in expected}
    assert len(rows) == len(answered)  # DISTINCT: no row twice
    assert answered == dump
    assert any(isinstance(o, Literal) and o.datatype for _, o in answered)  # typed values compared


def graph_of(fmt: str):
    def parse(body: bytes) -> Graph:
        if fmt in ("nquads", "trig"):
            ds = Dataset()
            ds.parse(data=body, format=fmt)
            out = Graph()
            for s, p, o, _ in ds.quads((None, None, None, None)):
                out.add((s, p, o))
            return out
        return Graph().parse(data=body, format=fmt)

    return parse


GRAPH_ACCEPT = [
    (None, "text/turtle", "turtle"),
    ("*/*", "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/x-turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/n-quads", "application/n-quads", "nquads"),
    ("application/trig", "application/trig", "trig"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/xml", "application/rdf+xml", "xml"),
    ("application/*", "application/ld+json", "json-ld"),
    ("text/turtle;q=0.5, application/n-triples;q=0.9", "application/n-triples", "nt"),
    ("application/sparql-results+json, application/rdf+xml;q=0.2", "application/rdf+xml", "xml"),
]


@pytest.mark.parametrize(("accept", "content_type", "fmt"), GRAPH_ACCEPT)
def test_construct_results_follow_accept(sparql_url, expected, accept, content_type, fmt):
    answer = get(sparql_url, CONSTRUCT, accept)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].split(";")[0] == content_type
    assert set(graph_of(fmt)(answer.content)) == expected


def test_describe_returns_the_resource(sparql_url, expected):
    answer = get(sparql_url, f"DESCRIBE <{ELECTION}>", "text/turtle")
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.content, format="turtle")
    assert expected <= set(graph)


@pytest.mark.parametrize(
    ("accept", "parse"),
    [
        ("application/sparql-results+json", lambda body: json.loads(body)["boolean"]),
        (
            "application/sparql-results+xml",
            lambda body: ET.fromstring(body).find(f"{SRX}boolean").text == "true",
        ),
    ],
)
def test_ask(sparql_url, accept, parse):
    assert parse(get(sparql_url, ASK, accept).content) is True
    assert (
        parse(get(sparql_url, "ASK { <http://example.org/nothing> ?p ?o }", accept).content)
        is False
    )


FORMAT_PARAM = [
    (SELECT, "json", "application/sparql-results+json", rows_json),
    (SELECT, "xml", "application/sparql-results+xml", rows_xml),
    (SELECT, "csv", "text/csv", rows_csv),
    (SELECT, "tsv", "text/tab-separated-values", rows_tsv),
    (SELECT, "text/csv", "text/csv", rows_csv),
    (CONSTRUCT, "ttl", "text/turtle", graph_of("turtle")),
    (CONSTRUCT, "turtle", "text/turtle", graph_of("turtle")),
    (CONSTRUCT, "jsonld", "application/ld+json", graph_of("json-ld")),
    (CONSTRUCT, "json", "application/ld+json", graph_of("json-ld")),
    (CONSTRUCT, "nt", "application/n-triples", graph_of("nt")),
    (CONSTRUCT, "nq", "application/n-quads", graph_of("nquads")),
    (CONSTRUCT, "trig", "application/trig", graph_of("trig")),
    (CONSTRUCT, "rdf/xml", "application/rdf+xml", graph_of("xml")),
    (CONSTRUCT, "xml", "application/rdf+xml", graph_of("xml")),
]


@pytest.mark.parametrize(("query", "fmt", "content_type", "parse"), FORMAT_PARAM)
def test_format_parameter_overrides_accept(sparql_url, expected, query, fmt, content_type, parse):
    answer = get(sparql_url, query, "text/html", format=fmt)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].split(";")[0] == content_type
    assert len(list(parse(answer.content))) == len(expected)


# --- the three request shapes, and SPARQLWrapper as a client -------------------------------------


def test_post_form_and_post_direct_give_the_get_answer(sparql_url):
    by_get = rows_json(get(sparql_url, SELECT).content)
    by_form = requests.post(sparql_url, data={"query": SELECT}, timeout=10)
    by_body = requests.post(
        sparql_url,
        data=SELECT.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=10,
    )
    for answer in (by_form, by_body):
        assert answer.status_code == 200, answer.text
        assert sorted(map(json.dumps, rows_json(answer.content))) == sorted(map(json.dumps, by_get))


@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
def test_sparqlwrapper_select(sparql_url, expected, method):
    client = SPARQLWrapper(sparql_url)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    elif method == POST:
        client.setMethod(POST)
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    assert len(client.queryAndConvert()["results"]["bindings"]) == len(expected)
    client.setReturnFormat(XML)
    assert len(client.queryAndConvert().getElementsByTagName("result")) == len(expected)


def test_sparqlwrapper_construct_and_ask(sparql_url, expected):
    client = SPARQLWrapper(sparql_url)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    assert set(Graph().parse(data=client.queryAndConvert(), format="turtle")) == expected
    client.setQuery(ASK)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True


def test_sparqlwrapper_sees_a_bad_query_as_bad(sparql_url):
    client = SPARQLWrapper(sparql_url)
    client.setQuery("SELECT * WHERE { ?s ?p ")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        client.queryAndConvert()


def test_non_ascii_queries_round_trip(sparql_url):
    answer = get(sparql_url, 'SELECT ?x WHERE { BIND("Saïd · الجزائر" AS ?x) }')
    assert rows_json(answer.content)[0]["x"]["value"] == "Saïd · الجزائر"


def test_head_answers_like_get_without_a_body(sparql_url):
    answer = requests.head(sparql_url, params={"query": ASK}, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/sparql-results+json")
    assert answer.content == b""


# --- the dataset: union by default, graph parameters, FROM ------------------------------------


def test_default_graph_is_the_union_and_named_graphs_are_listed(sparql_url, manifest):
    answer = get(sparql_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    graphs = {row["g"]["value"] for row in rows_json(answer.content)}
    assert graphs == {*manifest["graphs"], ONTOLOGY}
    assert (
        count(sparql_url, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
        >= manifest["triples"]
    )


def test_default_graph_uri_restricts_the_default_graph(sparql_url, manifest):
    assert count(sparql_url, **{"default-graph-uri": LINKS}) == manifest["graphs"][LINKS]
    assert (
        count(sparql_url, f"SELECT (COUNT(*) AS ?n) FROM <{LINKS}> WHERE {{ ?s ?p ?o }}")
        == manifest["graphs"][LINKS]
    )


def test_protocol_graphs_override_from_clauses(sparql_url, manifest):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{ARTICLE}> WHERE {{ ?s ?p ?o }}"
    assert count(sparql_url, query, **{"default-graph-uri": LINKS}) == manifest["graphs"][LINKS]


def test_named_graph_uri_restricts_graph_patterns(sparql_url, manifest):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    for answer in (
        get(sparql_url, query, **{"named-graph-uri": LINKS}),
        get(sparql_url, query.replace("WHERE", f"FROM NAMED <{LINKS}> WHERE")),
    ):
        assert [row["g"]["value"] for row in rows_json(answer.content)] == [LINKS]
    assert (
        count(sparql_url, **{"named-graph-uri": LINKS}) == 0
    )  # no default-graph-uri: an empty default graph


def test_several_default_graphs_are_merged(sparql_url, manifest):
    answer = requests.get(
        sparql_url,
        params=[("query", COUNT), ("default-graph-uri", LINKS), ("default-graph-uri", ARTICLE)],
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    )
    assert (
        int(rows_json(answer.content)[0]["n"]["value"])
        == manifest["graphs"][LINKS] + manifest["graphs"][ARTICLE]
    )


@pytest.mark.parametrize(
    ("params", "query"),
    [
        ({"default-graph-uri": "http://example.org/elsewhere.ttl"}, COUNT),
        ({"named-graph-uri": "file:///etc/passwd"}, COUNT),
        ({}, "SELECT * FROM <http://example.org/elsewhere.ttl> WHERE { ?s ?p ?o }"),
        (
            {},
            "SELECT * FROM NAMED <http://example.org/elsewhere.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
        ),
    ],
)
def test_graphs_outside_the_dataset_are_refused_never_fetched(sparql_url, params, query):
    answer = get(sparql_url, query, "application/json", **params)
    assert answer.status_code == 400
    assert "is not in this dataset" in answer.json()["message"]


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?x } } } LIMIT 1",
        "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }",
        r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "PREFIX x: <http://example.org/> ASK { FILTER EXISTS { SERVICE x:sparql { ?s ?p ?o } } }",
    ],
)
def test_service_calls_outside_the_allowlist_are_refused(sparql_url, query):
    answer = get(sparql_url, query, "application/json")
    assert answer.status_code == 403
    assert "SERVICE" in answer.json()["message"]


def test_service_in_a_string_or_comment_is_just_text(sparql_url):
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://example.org/sparql> {}" AS ?x) } # SERVICE <http://example.org/>'
    assert get(sparql_url, query).status_code == 200


UPDATES = [
    "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    f"DROP GRAPH <{LINKS}>",
    f"MOVE <{LINKS}> TO DEFAULT",
]


@pytest.fixture(scope="module")
def sizes_before(sparql_url) -> tuple[int, int]:
    return count(sparql_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"), count(
        sparql_url
    )


@pytest.mark.parametrize("update", UPDATES)
def test_every_update_form_is_refused_and_changes_nothing(sparql_url, sizes_before, update):
    answers = [
        requests.get(sparql_url, params={"update": update}, timeout=10),
        requests.post(sparql_url, data={"update": update}, timeout=10),
        requests.post(
            sparql_url,
            data=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
            timeout=10,
        ),
        requests.post(sparql_url, data={"query": update}, timeout=10),
        requests.post(
            sparql_url,
            data=update.encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=10,
        ),
        get(sparql_url, update),
    ]
    for answer in answers:
        assert answer.status_code == 403, (answer.request.method, answer.text)
        assert "read-only" in answer.text
    for _ in range(4):  # more than one worker answers: none of them changed
        assert (
            count(sparql_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
            count(sparql_url),
        ) == sizes_before
    assert get(sparql_url, "ASK { <http://example.org/s> ?p ?o }").json()["boolean"] is False


def test_sparqlwrapper_update_is_refused(sparql_url, sizes_before):
    client = SPARQLWrapper(sparql_url)
    client.setMethod(POST)
    client.setQuery(UPDATES[0])
    with pytest.raises(Exception, match="403"):
        client.query()
    assert count(sparql_url) == sizes_before[1]


BAD_REQUESTS = [
    # (how, status, words in the message)
    (lambda u: get(u, "SELECT * WHERE { ?s ?p "), 400, "does not parse"),
    (lambda u: get(u, "SELECT * WHERE { ?s nope:p ?o }"), 400, "nope"),
    (lambda u: get(u, "SELECT (COUNT(*) AS ?n) ?s WHERE { ?s ?p ?o }"), 400, "not valid SPARQL"),
    (lambda u: get(u, ""), 400, "empty"),
    (
        lambda u: requests.get(u + "?query=ASK%7B%7D&query=ASK%7B%7D", timeout=10),
        400,
        "2 `query` parameters",
    ),
    (lambda u: requests.get(u + "?query=ASK%7B%FF%7D", timeout=10), 400, "UTF-8"),
    (
        lambda u: requests.post(
            u,
            data=b"query=ASK%7B%E9%7D",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=10,
        ),
        400,
        "UTF-8",
    ),
    (
        lambda u: requests.post(
            u,
            data='ASK { "é" }'.encode("latin-1"),
            headers={"Content-Type": "application/sparql-query"},
            timeout=10,
        ),
        400,
        "UTF-8",
    ),
    (lambda u: requests.post(u, data={"format": "json"}, timeout=10), 400, "no `query`"),
    (
        lambda u: requests.post(
            u, data=ASK.encode(), headers={"Content-Type": "text/plain"}, timeout=10
        ),
        415,
        "text/plain",
    ),
    (lambda u: requests.post(u, files={"query": ASK}, timeout=10), 415, "multipart/form-data"),
    (lambda u: get(u, ASK, format="excel"), 400, "unknown format"),
    (lambda u: get(u, SELECT, "text/turtle"), 406, "application/sparql-results+json"),
    (lambda u: get(u, CONSTRUCT, "text/csv"), 406, "text/turtle"),
    (lambda u: get(u, SELECT, format="ttl"), 406, "text/csv"),
    (
        lambda u: requests.post(u, data={"query": "ASK {} #" + "x" * 20_000}, timeout=10),
        413,
        "limit is 20000",
    ),
    (
        lambda u: requests.post(u, data={"query": "ASK {} #" + "x" * 200_000}, timeout=10),
        413,
        "Too Large",
    ),
    (lambda u: requests.put(u, data=ASK, timeout=10), 405, "Method Not Allowed"),
    (lambda u: requests.delete(u, timeout=10), 405, "Method Not Allowed"),
]


@pytest.mark.parametrize(("how", "status", "words"), BAD_REQUESTS)
def test_client_mistakes_are_4xx_with_a_message(sparql_url, how, status, words):
    answer = how(sparql_url)
    assert answer.status_code == status, answer.text
    assert words in answer.text
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "Traceback" not in answer.text and ".py" not in answer.text


def test_406_lists_what_is_offered(sparql_url):
    answer = get(sparql_url, SELECT, "image/png")
    assert answer.status_code == 406
    for media_type in (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ):
        assert media_type in answer.text


def test_405_says_which_methods_are_allowed(sparql_url):
    allow = requests.put(sparql_url, data=ASK, timeout=10).headers["Allow"]
    assert {"GET", "POST", "OPTIONS"} <= {m.strip() for m in allow.split(",")}


# --- CORS ---------------------------------------------------------------------------------------


def test_cors_on_answers_and_errors(sparql_url):
    for answer in (
        get(sparql_url, ASK),
        get(sparql_url, "nonsense"),
        get(sparql_url, SELECT, "image/png"),
        requests.get(sparql_url, timeout=10),
    ):
        assert answer.headers["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in answer.headers["Access-Control-Expose-Headers"]


def test_preflight(sparql_url):
    answer = requests.options(
        sparql_url,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
        timeout=10,
    )
    assert answer.status_code in (200, 204)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    assert "content-type" in answer.headers["Access-Control-Allow-Headers"].lower()
    assert int(answer.headers["Access-Control-Max-Age"]) > 0


# --- the service description --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("*/*", "turtle"),
        (None, "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_service_description(sparql_url, manifest, accept, fmt):
    answer = requests.get(sparql_url, headers={"Accept": accept} if accept else {}, timeout=10)
    assert answer.status_code == 200
    g = Graph().parse(data=answer.content, format=fmt)
    service = g.value(predicate=SD.endpoint, object=URIRef(BASE + "sparql"))
    assert service is not None
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    formats = {str(o) for o in g.objects(service, SD.resultFormat)}
    assert {
        "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        "http://www.w3.org/ns/formats/Turtle",
        "http://www.w3.org/ns/formats/JSON-LD",
    } <= formats
    dataset = g.value(service, SD.defaultDataset)
    named = {
        g.value(n, SD.name): g.value(g.value(n, SD.graph), VOID.triples)
        for n in g.objects(dataset, SD.namedGraph)
    }
    for graph, size in manifest["graphs"].items():
        assert named[URIRef(graph)] == Literal(size)
    assert URIRef(ONTOLOGY) in named


def test_service_description_by_format_parameter(sparql_url):
    answer = requests.get(
        sparql_url, params={"format": "jsonld"}, headers={"Accept": "text/html"}, timeout=10
    )
    assert answer.headers["Content-Type"].startswith("application/ld+json")
    assert len(Graph().parse(data=answer.content, format="json-ld")) > 10


def test_browsers_get_a_query_page(sparql_url):
    answer = requests.get(
        sparql_url,
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "<form" in answer.text or "yasgui" in answer.text.lower()
