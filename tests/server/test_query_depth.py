"""The nesting-depth scan that runs before any parser (`max_query_depth`): what counts, what does not."""

from __future__ import annotations

import time

import pytest

from election_kg.server.sparql.depth import depth


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ASK {}", 1),
        ("SELECT * WHERE { ?s ?p ?o }", 1),
        ("SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?p ?o } }", 2),
        ("SELECT * WHERE { ?s ?p ?o FILTER((?o > 1)) }", 3),
        ("SELECT * WHERE { ?s ?p [ ?q [ ?r ?o ] ] }", 3),
        ("SELECT * WHERE { ?s ?p ?o FILTER(!!!BOUND(?o)) }", 5),  # ( + !!! ; BOUND( is level 3
        ("SELECT * WHERE { ?s ^^^<http://x/p> ?o }", 4),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o != 1) }", 2),  # != is no negation
        ('SELECT * WHERE { ?s ?p "{{{{ ((((" }', 1),  # brackets in strings mean nothing
        ("SELECT * WHERE { ?s ?p '''{{{{\n'' ((((''' }", 1),
        ('SELECT * WHERE { ?s ?p "a \\" {{{{" }', 1),  # an escaped quote does not end the string
        ("SELECT * WHERE { ?s <http://x/a(b)> ?o }", 1),  # nor in IRIs
        ("SELECT * WHERE { ?s ?p ?o # {{{{ ((((\n }", 1),  # nor in comments
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o < ?s && ?s > ?o) }", 2),  # < > as operators
        ("SELECT * \\u007B \\u007B ?s ?p ?o } }", 2),  # escapes are expanded first
        ('SELECT * WHERE { ?s ?p "unterminated {{{ }', 4),  # counted: never too little
    ],
)
def test_depth_counts_brackets_and_unary_runs_outside_strings_iris_and_comments(query, expected):
    assert depth(query) == expected


def test_the_scan_is_linear_on_the_longest_accepted_queries():
    queries = [
        "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000,
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 19_000 + "?o) }",
        "SELECT * WHERE { ?s ?p " + "'''" + "'" * 19_000 + " }",
        "SELECT * WHERE { ?s ?p " + '"\\' * 9_000 + " }",
    ]
    started = time.process_time()
    for query in queries:
        depth(query)
    assert time.process_time() - started < 2.0  # CPU time, generous: milliseconds idle
