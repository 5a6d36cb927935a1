"""The guard's fast path: it skips rdflib's parse only when no keyword can reach outside, and then
agrees with the parse; whenever SERVICE, FROM or LOAD may be present, the parse decides."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from election_kg.server.http.errors import ApiError
from election_kg.server.sparql.guard import fast_shape, parsed_shape, read_query
from tests.support.project import ROOT

BASE = "http://127.0.0.1:5000/"
EXAMPLES = sorted(
    [
        *(ROOT / "data" / "queries").glob("*.rq"),
        *(ROOT / "scripts" / "bench" / "queries").glob("*.rq"),
    ]
)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_fast_path_agrees_with_the_parse_on_every_shipped_query(path):
    text = path.read_text(encoding="utf-8")
    fast = fast_shape(text)
    if fast is not None:
        assert fast == parsed_shape(text, BASE)


def test_most_shipped_queries_take_the_fast_path():
    taken = [p.name for p in EXAMPLES if fast_shape(p.read_text(encoding="utf-8"))]
    assert len(taken) >= len(EXAMPLES) // 2, taken


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("select*{?s ?p ?o}", "SELECT"),
        ("ASK{}", "ASK"),
        ("  # a comment with SELECT in it\n\tCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("BASE <http://e/> PREFIX : <x#> PREFIX ex.a: <y> DESCRIBE :a", "DESCRIBE"),
        ("PREFIX é: <http://e/> ASK { ?s é:p ?o }", "ASK"),
        (r"\u0041SK {}", "ASK"),  # escapes are expanded first, as SPARQL says
    ],
)
def test_form_after_the_prologue(query, form):
    shape = fast_shape(query)
    assert shape is not None and shape.form == form
    assert shape.services == shape.default_graphs == shape.named_graphs == ()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://evil.example/> { ?s ?p ?o } }",
        "SELECT * FROM <http://evil.example/g> WHERE { ?s ?p ?o }",
        "select * from named <g> { graph ?g { ?s ?p ?o } }",
        "LOAD <http://evil.example/data.ttl>",
        r"SELECT * WHERE { \u0053ERVICE <http://evil.example/> { ?s ?p ?o } }",
        r"SELECT * WHERE { \U00000053ERVICE <http://evil.example/> { ?s ?p ?o } }",
        r"SELECT * \u0046\u0052\u004f\u004d <http://evil.example/g> WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ſervice <http://evil.example/> { ?s ?p ?o } }",  # U+017F upper-cases to S (pyparsing matches it)
        'SELECT * WHERE { ?s ?p "just the word SERVICE in a string" }',  # look-alikes take the parse too: sound, not clever
        "SELECT * WHERE { ?s ?p ?o } # from a comment",
        "SELECT ?x WHERE { ?x <http://www.w3.org/ns/prov#wasDerivedFrom> ?y }",
        "SELECT ?x WHERE { ?x ?p ?o .SERVICE <http://evil.example/> { ?s ?p ?o } }",
        "SELECT*FROM<http://evil.example/g>{?s ?p ?o}",
        "SELECT (1 AS ?x)FROM <http://evil.example/g> {}",
        "SELECT ?x WHERE { ?x ?p ?o }LOAD",
        "SELECT ?x WHERE { ?x ex:a.SERVICE ?o }",  # after a dot: sent to the parse, never guessed
        "SELECT ?x WHERE { ?x ?p 1SERVICE <http://evil.example/> {} }",  # a number, then the keyword
        "SELECT ?x WHERE { ?x ?p trueSERVICE <http://evil.example/> {} }",
        "SELECT ?x WHERE { ?x ?p ?o .SERVICE:a {} }",  # the keyword, then an empty-prefix name
        "SELECT ?x WHERE { ?x ex:p?SERVICE <http://evil.example/> {} }",
    ],
)
def test_anything_that_may_reach_outside_takes_the_parse(query):
    assert fast_shape(query) is None


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://a/s> <http://a/p> 1 }",  # updates never look like a query form
        "CLEAR ALL",
        "SELEC * { }",
        "PREFIX ex <http://e/> SELECT * {}",  # a malformed prologue
        "\ufeffSELECT * {}",
        r"\U00110000 SELECT * {}",  # an escape past U+10FFFF
    ],
)
def test_what_the_scan_does_not_recognise_takes_the_parse(query):
    assert fast_shape(query) is None


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?x WHERE { ?x prov:wasDerivedFrom ?y }",
        "PREFIX ek: <http://e/> SELECT ?download WHERE { ?x ek:download ?download }",
        "PREFIX ex: <http://e/> ASK { ?x ex:fromage ?place }",
        "SELECT ?wasDerivedFrom WHERE { ?x ?p ?wasDerivedFrom }",
    ],
)
def test_the_letters_inside_a_name_are_not_the_keyword(query):
    """Provenance queries name prov:wasDerivedFrom: they must not all pay rdflib's parse."""
    shape = fast_shape(query)
    assert shape is not None
    assert shape == parsed_shape(query, BASE)


def test_updates_are_still_refused_through_read_query():
    with pytest.raises(ApiError) as caught:
        read_query("INSERT DATA { <http://a/s> <http://a/p> 1 }", BASE)
    assert caught.value.status == 403


def test_scan_time_is_linear_on_hostile_text():
    import time

    for text in [
        "PREFIX a: <http://x/> " * 900 + "X",
        " " * 20_000 + "X",
        "#" * 20_000,
        "PREFIX " + "a" * 19_990 + "..:",
        "ex:" + "From" * 5_000,  # one long name full of the letters: each found once
        "?" + "x" * 10_000 + "LOAD" * 2_500,
    ]:
        started = time.perf_counter()
        assert fast_shape(text) is None
        assert time.perf_counter() - started < 0.05


TOKENS = [
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "select",
    "PREFIX",
    "BASE",
    "ex:",
    ":",
    "<http://e/>",
    "<g>",
    "{",
    "}",
    "(",
    ")",
    "?s",
    "?p",
    "?o",
    "*",
    " ",
    "\n",
    "\t",
    "# note\n",
    "#",
    ".",
    ";",
    '"x"',
    "'y'",
    "1",
    "WHERE",
    "FILTER",
    "OPTIONAL",
    "GRAPH",
    "SERVICE",
    "FROM",
    "NAMED",
    "LOAD",
    "SILENT",
    r"\u0053",
    "ERVICE",
    r"\u0046",
    "ROM",
    "OAD",
    "S",
    "F",
    "L",
    "ex:p",
    "a",
    "?was",  # glued to the keywords above, these make names that hold their letters
    "ex:was",
    "true",
    "$",
    "?",
]
GAP = st.sampled_from([" ", "\n", "\t", "  # a comment\n", "#\n", " # SERVICE in a comment\n"])
DECLARATIONS = st.lists(
    st.sampled_from(
        [
            "PREFIX ex: <http://e/>",
            "BASE <http://b/>",
            "PREFIX : <x>",
            "prefix ex.b: <y#>",
            "PREFIX from: <http://f/>",
        ]
    ),
    max_size=3,
)
FORMS = st.sampled_from(
    [
        "SELECT *",
        "select ?s",
        "ASK",
        "CONSTRUCT",
        "CONSTRUCT { ?s ?p ?o }",
        "DESCRIBE ?s",
        "describe <http://e/x>",
    ]
)
PATTERNS = st.sampled_from(
    [
        "{ ?s ?p ?o }",
        "{ ?s <http://e/p> 1 }",
        "{ ?s ?p ?o OPTIONAL { ?s ?p ?x } }",
        "{ GRAPH ?g { ?s ?p ?o } }",
        "{ ?s ?p ?o FILTER(?o > 1) }",
        "{ ?s a <http://e/C> }",
        "{ ?s ?p 'LOAD' }",
        "{ SERVICE <http://evil.example/> { ?s ?p ?o } }",
        "{ ?s ?p ?o } # FROM",
    ]
)
FROMS = st.lists(
    st.sampled_from(["FROM <http://e/g>", "FROM NAMED <g>", r"\u0046ROM <http://e/g>"]), max_size=2
)


@st.composite
def queries(draw) -> str:
    """Well-formed queries (most of which rdflib parses) written with varied gaps, case and comments."""
    parts = [
        *draw(DECLARATIONS),
        draw(FORMS),
        *draw(FROMS),
        draw(st.sampled_from(["WHERE", ""])),
        draw(PATTERNS),
        draw(st.sampled_from(["", "LIMIT 1", "ORDER BY ?s"])),
    ]
    return "".join(draw(GAP) + part for part in parts if part)


@settings(max_examples=300, deadline=None)
@given(st.one_of(queries(), st.lists(st.sampled_from(TOKENS), max_size=20).map("".join)))
def test_fast_path_never_disagrees_with_the_parse(text):
    fast = fast_shape(text)
    if fast is None:
        return
    upper = text.replace(r"\u0053", "S").replace(r"\u0046", "F").upper()
    for found in re.finditer("SERVICE|FROM|LOAD", upper):  # only ever the end of a longer name
        assert found.start() > 0 and (
            upper[found.start() - 1].isalnum() or upper[found.start() - 1] in "_:"
        )
    try:
        full = parsed_shape(text, BASE)
    except ApiError:
        return  # rdflib refuses it; pyoxigraph decides, and a query it refuses is a 400 all the same
    assert fast == full
