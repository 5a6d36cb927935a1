"""The negotiation function, case by case (no server needed: it is a pure function)."""

from __future__ import annotations

import pytest

from election_kg.server.http import negotiation
from election_kg.server.http.negotiation import (
    NotAcceptable,
    UnknownFormat,
    choose,
    from_format_param,
    select,
)

RESULTS = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
)
RDF = (
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/rdf+xml",
    "application/x-turtle",
    "application/json",
    "application/xml",
    "text/xml",
)
PAGE = ("text/turtle", "application/ld+json", "text/html")

CASES = [
    # (Accept, offers, expected)
    (None, RESULTS, "application/sparql-results+json"),
    ("", RESULTS, "application/sparql-results+json"),
    ("*/*", RDF, "text/turtle"),
    ("text/csv", RESULTS, "text/csv"),
    ("TEXT/CSV", RESULTS, "text/csv"),
    ("application/sparql-results+xml", RESULTS, "application/sparql-results+xml"),
    ("text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("application/json", RESULTS, "application/json"),
    ("application/json", RDF, "application/json"),
    ("text/csv;q=0.5, application/sparql-results+xml", RESULTS, "application/sparql-results+xml"),
    ("text/csv;q=0.9, text/tab-separated-values;q=0.95", RESULTS, "text/tab-separated-values"),
    ("text/*", RESULTS, "text/csv"),
    ("text/*", RDF, "text/turtle"),
    ("application/*", RDF, "application/ld+json"),
    ("text/*;q=0.5, text/turtle;q=0", RDF, "text/xml"),
    ("*/*;q=0.1, application/n-triples", RDF, "application/n-triples"),
    ("application/rdf+xml;q=0.9, */*;q=0.8", RDF, "application/rdf+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", PAGE, "text/html"),
    (
        'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"',
        PAGE,
        "application/ld+json",
    ),
    ("text/turtle;charset=utf-8", PAGE, "text/turtle"),
    ("image/png", RESULTS, None),
    ("text/turtle", RESULTS, None),
    ("*/*;q=0", RESULTS, None),
    ("text/csv;q=0", ("text/csv",), None),
    # malformed entries are skipped, never fatal
    ("garbage", RESULTS, "application/sparql-results+json"),
    ("text/csv;q=abc, text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("text/csv;q=2, text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    ("*/csv, text/tab-separated-values", RESULTS, "text/tab-separated-values"),
    (";;;,,,", RESULTS, "application/sparql-results+json"),
    ("text/csv;q=", RESULTS, "application/sparql-results+json"),
    ("te xt/csv", RESULTS, "application/sparql-results+json"),
    ("\x00\xff/\u2603", RESULTS, "application/sparql-results+json"),
    # ties go to the server's order; specific beats wildcard, whatever the order in the header
    ("text/tab-separated-values, text/csv", RESULTS, "text/csv"),
    ("text/turtle;q=0.2, */*;q=0.9", RDF, "application/ld+json"),
    ("*/*;q=0.9, text/turtle;q=0.2", RDF, "application/ld+json"),
]


@pytest.mark.parametrize(("accept", "offers", "expected"), CASES)
def test_choose(accept, offers, expected):
    assert choose(accept, offers) == expected


def test_q_zero_on_the_specific_type_beats_a_wildcard_that_accepts_it():
    assert (
        choose("*/*, text/csv;q=0", ("text/csv", "text/tab-separated-values"))
        == "text/tab-separated-values"
    )


def test_parameters_make_a_range_more_specific():
    ranges = negotiation.parse_accept("text/html;q=0.1, text/html;level=1;q=0.7")
    assert negotiation.quality(ranges, "text/html") == 0.7


def test_prefers_needs_a_strictly_higher_q():
    assert negotiation.prefers("text/html,*/*;q=0.8", "text/html", ("text/turtle",))
    assert not negotiation.prefers("*/*", "text/html", ("text/turtle",))
    assert not negotiation.prefers("text/turtle", "text/html", ("text/turtle",))


FORMAT_CASES = [
    ("json", RESULTS, "application/sparql-results+json"),
    ("json", RDF, "application/ld+json"),
    ("xml", RESULTS, "application/sparql-results+xml"),
    ("xml", RDF, "application/rdf+xml"),
    ("csv", RESULTS, "text/csv"),
    ("tsv", RESULTS, "text/tab-separated-values"),
    ("ttl", RDF, "text/turtle"),
    ("turtle", RDF, "text/turtle"),
    ("Turtle", RDF, "text/turtle"),
    ("jsonld", RDF, "application/ld+json"),
    ("nt", RDF, "application/n-triples"),
    ("nq", RDF, "application/n-quads"),
    ("trig", RDF, "application/trig"),
    ("rdf/xml", RDF, "application/rdf+xml"),
    ("rdf", RDF, "application/rdf+xml"),
    ("text/csv", RESULTS, "text/csv"),
    ("csv", RDF, None),
    ("ttl", RESULTS, None),
    ("image/png", RESULTS, None),
]


@pytest.mark.parametrize(("value", "offers", "expected"), FORMAT_CASES)
def test_format_parameter(value, offers, expected):
    assert from_format_param(value, offers) == expected


@pytest.mark.parametrize("value", ["", "excel", "ttl2"])
def test_unknown_format_names_are_a_client_error(value):
    with pytest.raises(UnknownFormat, match="unknown format"):
        from_format_param(value, RESULTS)


def test_select_prefers_the_format_parameter_over_accept():
    assert select("text/csv", "tsv", RESULTS) == "text/tab-separated-values"
    assert select("text/csv", None, RESULTS) == "text/csv"
    with pytest.raises(NotAcceptable) as caught:
        select("image/png", None, RESULTS)
    assert caught.value.offers == RESULTS
