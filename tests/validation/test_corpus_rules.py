"""The rules that compare two articles, broken by the fixtures of tests/fixtures/corpus-rules/:
three elections of one (fictional) country whose "last election" figures disagree with the
previous article, the third naming the previous election differently ("legislative" for
"parliamentary"), so that it is found by country, legislature and year."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, Namespace, URIRef

from tests.support.project import FIXTURES, ROOT, run_cli

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPE = Namespace("http://127.0.0.1:5000/shapes#")
ID = "http://127.0.0.1:5000/id/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus-rules")
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(FIXTURES / "corpus-rules", root / "data" / "sources")
    (root / "data" / "curated").mkdir()
    (root / "data" / "links").mkdir()
    result = run_cli("build", "--strict", "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr  # Warnings never quarantine
    return root


@pytest.fixture(scope="module")
def report(built):
    return Graph().parse(built / "data" / "dist" / "validation.ttl", format="turtle")


def _results(report: Graph, shape: URIRef) -> dict[str, tuple[URIRef, str]]:
    found = {}
    for result in report.subjects(SH.sourceShape, shape):
        assert report.value(result, SH.resultSeverity) == SH.Warning
        focus = str(report.value(result, SH.focusNode))
        found[focus.rsplit("/", 1)[-1]] = (
            report.value(result, SH.value),
            str(report.value(result, SH.resultMessage)),
        )
    return found


def test_previous_seats_that_disagree_with_the_previous_article_are_a_warning(report):
    found = _results(report, SHAPE["previous-seats-agree"])
    assert set(found) == {
        "2010-ruritanian-parliamentary-election",
        "2015-ruritanian-legislative-election",
    }
    party, message = found["2010-ruritanian-parliamentary-election"]
    assert party == URIRef(ID + "party/ruritania/strelsau-liberal-union")
    assert message.startswith(
        "Strelsau Liberal Union had 7 seat(s) at the previous election according to "
        "2010 Ruritanian parliamentary election ("
    )
    assert "but won 6 in 2005 Ruritanian parliamentary election according to its article" in message
    # Both infobox lines, each with its article's excerpt IRI and line number.
    assert (
        f"<{ID}source/2010-ruritanian-parliamentary-election/" in message
        and '"- Last Election2: 7"' in message
    )
    assert (
        f"<{ID}source/2005-ruritanian-parliamentary-election/" in message
        and '"- Seats2: 6"' in message
    )
    assert message.endswith("The two articles disagree; both figures are kept.")


def test_the_previous_election_is_found_by_country_legislature_and_year(report):
    party, message = _results(report, SHAPE["previous-seats-agree"])[
        "2015-ruritanian-legislative-election"
    ]
    assert party == URIRef(ID + "party/ruritania/zenda-green-list")
    assert (
        "had 2 seat(s)" in message
        and "but won 3 in 2010 Ruritanian parliamentary election" in message
    )
    assert '"- Last Election3: 2"' in message and '"- Seats3: 3"' in message


def test_previous_seats_that_do_not_make_the_previous_assembly_are_a_warning(report):
    found = _results(report, SHAPE["previous-seats-sum"])
    assert set(found) == {"2010-ruritanian-parliamentary-election"}
    _, message = found["2010-ruritanian-parliamentary-election"]
    assert message.startswith(
        "The previous seats of the results of this election sum to 21, but the election it "
        "follows (2005 Ruritanian parliamentary election) had 20 seats contested."
    )
    assert "Lists may have merged or split" in message


def test_the_builds_corpus_check_finds_what_pyshacl_finds(built):
    """The build runs the corpus rules as plain SPARQL over every article at once (pyoxigraph);
    pySHACL, running them per focus node on the same graph, finds the same results."""
    from election_kg.validation import shacl

    union = Graph().parse(built / "data" / "dist" / "election-kg.nt", format="nt")
    _, corpus_shapes = shacl.split_shapes(shacl.load_shapes(built / "shapes" / "election.ttl"))
    ontology = shacl.load_ontology(built / "ontology" / "election.ttl")
    by_pyshacl = shacl.check(union, corpus_shapes, ontology).findings
    by_build = shacl.corpus_check(
        [shacl.corpus_slice(union, ontology).serialize(format="nt")], corpus_shapes, ontology
    )
    assert len(by_pyshacl) == 3
    assert by_build == by_pyshacl
