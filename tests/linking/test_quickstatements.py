"""`election-kg export --quickstatements`: every line parsed back and checked against the graph by SPARQL."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from string import Template

import pytest
from rdflib import Dataset

from election_kg.common.offline import offline
from tests.support.project import run_cli
from tests.support.sparql import PREFIXES

ARTICLE = "https://en.wikipedia.org/wiki/2007_Algerian_parliamentary_election"
ITEM = re.compile(r"^Q\d+$")
PROPERTY = re.compile(r"^P\d+$")
# The value syntaxes of QuickStatements V1 this export may use: item, time with precision, quantity (with ~ uncertainty).
VALUE = re.compile(r"^(Q\d+|[+-]\d{4}-\d\d-\d\dT00:00:00Z/(9|11)|[+-]?\d+(\.\d+)?(~\d+(\.\d+)?)?)$")


@dataclass(frozen=True)
class Line:
    item: str
    property: str
    value: str
    qualifiers: dict[str, str]
    sources: dict[str, str]


def parse(text: str) -> tuple[list[Line], list[str]]:
    lines, comments = [], []
    for raw in text.splitlines():
        if raw.startswith("/*"):
            assert raw.endswith("*/") and "\t" not in raw
            comments.append(raw)
            continue
        cells = raw.split("\t")
        assert len(cells) % 2 == 1, raw
        item, prop, value, rest = cells[0], cells[1], cells[2], cells[3:]
        pairs = list(zip(rest[::2], rest[1::2], strict=True))
        lines.append(
            Line(
                item,
                prop,
                value,
                {k: v for k, v in pairs if k.startswith("P")},
                {k: v for k, v in pairs if k.startswith("S")},
            )
        )
    return lines, comments


# One ASK per property: the fact as the graph states it, in a graph whose source article is the cited URL.
CHECKS = {
    "P17": "GRAPH ?g { ?e ek:country ?v . ?src a ek:SourceDocument ; schema:url <${url}> } ?e owl:sameAs wd:$item . ?v owl:sameAs wd:$value",
    "P194": "GRAPH ?g { ?e ek:legislature ?v . ?src a ek:SourceDocument ; schema:url <${url}> } ?e owl:sameAs wd:$item . ?v owl:sameAs wd:$value",
    "P155": "GRAPH ?g { ?e ek:follows ?v . ?src a ek:SourceDocument ; schema:url <${url}> } ?e owl:sameAs wd:$item . ?v owl:sameAs wd:$value",
    "P156": "GRAPH ?g { ?e ek:followedBy ?v . ?src a ek:SourceDocument ; schema:url <${url}> } ?e owl:sameAs wd:$item . ?v owl:sameAs wd:$value",
    "P710": "GRAPH ?g { ?r ek:election ?e ; ek:contestant ?c $seats . ?src a ek:SourceDocument ; schema:url <${url}> } "
    "?e owl:sameAs wd:$item . ?c owl:sameAs wd:$value",
}


def ask(dataset: Dataset, pattern: str) -> bool:
    with offline():
        return bool(dataset.query(PREFIXES + "ASK { " + pattern + " }").askAnswer)


@pytest.fixture(scope="module")
def dataset(built) -> Dataset:
    ds = built.dataset()
    ds.default_union = True
    return ds


@pytest.fixture(scope="module")
def exported(built, tmp_path_factory) -> tuple[list[Line], list[str]]:
    output = tmp_path_factory.mktemp("qs") / "wikidata.qs"
    result = run_cli(
        "export", "--quickstatements", "--output", str(output), "--root", str(built.root)
    )
    assert result.returncode == 0, result.stderr
    assert "statements about" in result.stderr
    return parse(output.read_text(encoding="utf-8"))


def test_every_line_is_quickstatements_v1_with_a_reference_url(exported):
    lines, _ = exported
    assert lines
    for line in lines:
        assert (
            ITEM.match(line.item) and PROPERTY.match(line.property) and VALUE.match(line.value)
        ), line
        assert all(PROPERTY.match(p) and VALUE.match(v) for p, v in line.qualifiers.items()), line
        assert line.sources == {"S854": f'"{ARTICLE}"'}, line


def in_graph(dataset: Dataset, line: Line) -> bool:
    """Does the graph state this line's fact, between the linked items, in a graph read from the cited article?"""
    url = line.sources["S854"].strip('"')
    if line.property == "P585":
        day = re.match(r"^\+(\d{4}-\d\d-\d\d)T00:00:00Z/11$", line.value)
        year = re.match(r"^\+(\d{4})-00-00T00:00:00Z/9$", line.value)
        fact = (
            f'?e ek:electionDate "{day.group(1)}"^^xsd:date'
            if day
            else f'?e ek:electionYear "{year.group(1)}"^^xsd:gYear'
        )  # type: ignore[union-attr]
        pattern = f"GRAPH ?g {{ {fact} . ?src a ek:SourceDocument ; schema:url <{url}> }} ?e owl:sameAs wd:{line.item}"
    elif line.property == "P1867":
        amount, _, plus_minus = line.value.partition("~")
        fact = f"?q ek:approximately {amount}" if plus_minus else f"?q schema:value {amount}"
        pattern = f"GRAPH ?g {{ ?e ek:eligibleVoters ?q . {fact} . ?src a ek:SourceDocument ; schema:url <{url}> }} ?e owl:sameAs wd:{line.item}"
    else:
        seats = f"; ek:seatsWon {line.qualifiers['P1410']}" if "P1410" in line.qualifiers else ""
        pattern = Template(CHECKS[line.property]).substitute(
            item=line.item, value=line.value, url=url, seats=seats
        )
    return ask(dataset, pattern)


def test_every_line_is_a_fact_of_the_graph_between_linked_items(exported, dataset):
    lines, _ = exported
    for line in lines:
        assert in_graph(dataset, line), f"not in the graph: {line}"


@pytest.mark.parametrize(
    "changed",
    [
        {"qualifiers": {"P1410": "27"}},
        {"value": "Q99000002"},
        {"item": "Q3586958"},
        {"sources": {"S854": '"https://en.wikipedia.org/wiki/Elsewhere"'}},
    ],
)
def test_the_check_catches_a_wrong_line(exported, dataset, changed):
    workers = next(
        line for line in exported[0] if line.property == "P710" and line.value == "Q627196"
    )
    assert in_graph(dataset, workers)
    assert not in_graph(dataset, replace(workers, **changed))


def test_the_approximate_electorate_stays_approximate(exported):
    lines, _ = exported
    voters = [line for line in lines if line.property == "P1867"]
    assert [(v.item, v.value) for v in voters] == [
        ("Q1500016", "18800000~100000")
    ]  # "18.8 million": ±1 in the last digit given


def test_the_facts_wikidata_models_are_all_there(exported, dataset):
    lines, _ = exported
    got = {(line.item, line.property, line.value) for line in lines}
    assert {
        ("Q1500016", "P585", "+2007-05-17T00:00:00Z/11"),
        ("Q1500016", "P17", "Q262"),
        ("Q1500016", "P194", "Q633590"),
        ("Q1500016", "P155", "Q3586958"),
        ("Q1500016", "P156", "Q1340896"),
        ("Q3586958", "P156", "Q1500016"),
    } <= got
    workers = next(line for line in lines if line.property == "P710" and line.value == "Q627196")
    assert workers.qualifiers == {"P1410": "26"}
    with offline():
        linked = int(
            next(
                iter(
                    dataset.query(
                        PREFIXES
                        + """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
            ?r ek:election ?e ; ek:contestant ?c . ?e owl:sameAs wd:Q1500016 .
            ?c owl:sameAs ?q . FILTER(STRSTARTS(STR(?q), "http://www.wikidata.org/entity/Q")) }"""
                    )
                )
            )[0]
        )
    assert sum(1 for line in lines if line.item == "Q1500016" and line.property == "P710") == linked


def test_what_is_left_out_is_said_and_never_guessed(exported):
    lines, comments = exported
    text = "\n".join(comments)
    assert "vote share" in text and "no Wikidata property" in text
    assert (
        "Independents (2007 Algerian parliamentary election), which has only a skos:closeMatch to Q327591"
        in text
    )
    assert "MJD, which has no Wikidata link" in text
    assert not any(line.value == "Q327591" for line in lines)
    assert not any("P1111" in line.qualifiers or line.property == "P1111" for line in lines)


def test_standard_output_by_default(built):
    result = run_cli("export", "--quickstatements", "--root", str(built.root))
    assert result.returncode == 0 and "Q1500016\tP1867\t18800000~100000\tS854" in result.stdout


@pytest.mark.parametrize(
    ("value", "stated", "plus_minus"),
    [
        ("18800000", "18.8 million voters", "100000"),  # one unit of the last digit given
        ("18800000", "", "100000"),  # no words: from the value's trailing zeros
        ("12000", "more than 12,000 candidates", "1000"),
        ("100", "around 100 independent lists", "100"),
        ("18812345", "18,812,345 voters", "1"),
        ("2500000", "2.50 million", "10000"),
    ],
)
def test_uncertainty_is_one_unit_of_the_last_digit_given(value, stated, plus_minus):
    from decimal import Decimal

    from election_kg.linking.wikidata_export import uncertainty

    assert uncertainty(Decimal(value), stated) == Decimal(plus_minus)
