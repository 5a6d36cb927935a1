"""Reading queries before they run: form, dataset and SERVICE calls found in the parsed algebra."""

from __future__ import annotations

import pytest

from election_kg.server.http.errors import ApiError
from election_kg.server.sparql.guard import check_graphs, check_services, parsed_shape, read_query

BASE = "http://127.0.0.1:5000/"
ALLOWED = ("https://query.wikidata.org/sparql",)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://127.0.0.1:5000/id/party/x>", "DESCRIBE"),
        ("PREFIX ex: <http://e/> # a comment\nselect ?x { ?x ex:p 1 }", "SELECT"),
    ],
)
def test_form(query, form):
    assert read_query(query, BASE).form == form


SERVICES = [
    (
        "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
        ("http://evil.example/sparql",),
    ),
    (
        "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE SILENT <http://evil.example/sparql> { ?s ?p ?o } } }",
        ("http://evil.example/sparql",),
    ),
    (
        "SELECT * WHERE { { ?a ?b ?c } UNION { SERVICE <http://e1/> { ?s ?p ?o } } }",
        ("http://e1/",),
    ),
    (
        "SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE <http://e2/> { ?s ?p ?o } } }",
        ("http://e2/",),
    ),
    ("SELECT * WHERE { ?a ?b ?c MINUS { SERVICE <http://e3/> { ?a ?p ?o } } }", ("http://e3/",)),
    (
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://e4/> { ?s ?p ?o } } } }",
        ("http://e4/",),
    ),
    ("ASK { GRAPH ?g { SERVICE <http://e5/> { ?s ?p ?o } } }", ("http://e5/",)),
    ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://e6/> { ?s ?p ?o } }", ("http://e6/",)),
    (
        "PREFIX x: <http://e7/> SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }",
        ("http://e7/sparql",),
    ),
    (
        "SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
        (BASE + "sparql",),
    ),  # relative, resolved against the base
    ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", (None,)),
    # codepoint escapes are expanded before parsing (by both parsers): no way around the guard
    (r"SELECT * WHERE { \u0053ERVICE <http://e8/> { ?s ?p ?o } }", ("http://e8/",)),
    (r"SELECT * WHERE { SERVICE <http:\u002F\u002Fe9/> { ?s ?p ?o } }", ("http://e9/",)),
    # look-alikes that are not SERVICE calls: a regex would be fooled, the parser is not
    ('SELECT * WHERE { ?s ?p "SERVICE <http://evil.example/> { }" }', ()),
    ("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil.example/> { ?s ?p ?o }", ()),
    ("SELECT ?service WHERE { ?service ?p ?o }", ()),
]


@pytest.mark.parametrize(("query", "services"), SERVICES)
def test_service_calls_are_found_wherever_they_are(query, services):
    assert read_query(query, BASE).services == services


def test_only_allowed_services_pass():
    check_services(
        read_query(
            "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }", BASE
        ),
        ALLOWED,
    )
    for query, services in SERVICES:
        if services:
            with pytest.raises(ApiError) as caught:
                check_services(read_query(query, BASE), ALLOWED)
            assert caught.value.status == 403


def test_dataset_clauses_are_read():
    shape = read_query(
        r"SELECT * FROM <http://a/g> FROM <g2> FROM NAMED <http://a/\u0068> WHERE { ?s ?p ?o }",
        BASE,
    )
    assert shape.default_graphs == ("http://a/g", BASE + "g2")
    assert shape.named_graphs == ("http://a/h",)


def test_unknown_graphs_are_refused_and_named():
    check_graphs(["http://a/g"], frozenset({"http://a/g"}))
    with pytest.raises(ApiError) as caught:
        check_graphs(["http://a/g", "http://evil.example/data.ttl"], frozenset({"http://a/g"}))
    assert caught.value.status == 400
    assert "<http://evil.example/data.ttl> is not in this dataset" in caught.value.message


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://a/s> <http://a/p> <http://a/o> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
        "LOAD <http://evil.example/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://a/g>",
        "CREATE GRAPH <http://a/g>",
        "ADD DEFAULT TO <http://a/g>",
        "MOVE <http://a/g> TO DEFAULT",
        "COPY DEFAULT TO <http://a/g>",
        "PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c } ; CLEAR ALL",
    ],
)
def test_updates_are_forbidden(update):
    with pytest.raises(ApiError) as caught:
        read_query(update, BASE)
    assert caught.value.status == 403
    assert "read-only" in caught.value.message


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("", "empty"),
        ("SELECT * WHERE { ?s ?p ?o", "Expected"),
        ("SELEC * WHERE { ?s ?p ?o }", "does not parse"),
        ("SELECT * WHERE { ?s nope:p ?o }", "nope"),
    ],
)
def test_bad_queries_are_400_with_the_parser_message(query, words):
    """rdflib's messages (the endpoint shows them also for queries the fast path let pyoxigraph refuse)."""
    with pytest.raises(ApiError) as caught:
        (parsed_shape if query else read_query)(query, BASE)
    assert caught.value.status == 400
    assert words in caught.value.message
