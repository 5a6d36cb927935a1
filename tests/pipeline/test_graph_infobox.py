"""Every infobox row of the seed, checked by SPARQL over the published graph."""

from datetime import date
from decimal import Decimal

import pytest

from tests.support.sparql import ask, rows

# (row, label, leader, share, seats, previous seats) exactly as the article's infobox gives them.
RESULTS = [
    (1, "National Liberation Front", "Abdelaziz Belkhadem", "22.95", 136, 199),
    (2, "National Rally for Democracy", "Ahmed Ouyahia", "10.44", 62, 47),
    (3, "Movement of Society for Peace", "Boudjerra Soltani", "9.71", 51, 38),
    (4, "Workers' Party", "Louisa Hanoune", "5.09", 26, 21),
    (5, "Algerian National Front", "Moussa Touati", "4.22", 13, 8),
    (6, "Islamic Renaissance Movement", None, "3.39", 5, 1),
    (7, "Rally for Culture and Democracy", "Saïd Sadi", "3.24", 19, 0),
    (8, "El-Infitah Movement", None, "2.63", 3, 0),
    (9, "Movement for National Reform", None, "2.56", 3, 43),
    (10, "MJD", None, "2.29", 5, 0),
    (11, "Ahd 54", "Ali Fawzi Rebaine", "2.27", 2, 0),
    (12, "National Republican Alliance", None, "2.20", 4, 0),
    (13, "Movement of National Understanding", None, "2.13", 4, 1),
    (14, "MNND", None, "2.00", 7, 0),
    (15, "National Party for Solidarity and Development", None, "1.99", 2, 0),
    (16, "National Front of Independents for Understanding", None, "1.96", 3, 0),
    (17, "Party of Algerian Renewal", None, "1.80", 4, 1),
    (18, "Algerian Rally", None, "1.75", 1, 0),
    (19, "National Movement of Hope", None, "1.72", 2, 0),
    (20, "Republican Patriotic Rally", None, "1.48", 2, 0),
    (21, "Progressive Republican Party", None, "1.39", 0, 0),
    (22, "National Democratic Front", None, "1.37", 1, 0),
    (23, "Democratic and Social Movement", None, "0.89", 1, 0),
    (24, "Independents", None, "9.85", 33, 30),
]

RESULT_QUERY = """
SELECT ?label ?type ?share ?seats ?previous ?change ?leader WHERE {
  ?r a ek:ElectionResult ; ek:election election:2007-algerian-parliamentary-election ; ek:listPosition ?n ;
     ek:contestant ?c ; ek:voteShare ?share ; ek:seatsWon ?seats ; ek:previousSeats ?previous ; ek:seatChange ?change .
  ?c rdfs:label ?label ; a ?type .
  OPTIONAL { ?l a ek:Leadership ; org:organization ?c ; ek:election ?r_e ; org:member/rdfs:label ?leader .
             ?r ek:election ?r_e . }
}"""


@pytest.mark.parametrize(
    ("n", "label", "leader", "share", "seats", "previous"), RESULTS, ids=[r[1] for r in RESULTS]
)
def test_result_row(graph, n, label, leader, share, seats, previous):
    from rdflib import Literal

    found = rows(graph, RESULT_QUERY, n=Literal(n))
    assert len(found) == 1, found
    row = found[0]
    assert row["share"] == Decimal(share)
    assert (row["seats"], row["previous"], row["change"]) == (seats, previous, seats - previous)
    assert row["leader"] == leader
    if label == "Independents":
        assert row["type"] == "http://127.0.0.1:5000/ontology#IndependentCandidates"
        assert row["label"].startswith("Independents")
    else:
        assert row["type"] == "http://127.0.0.1:5000/ontology#PoliticalParty"
        assert row["label"] == label


def test_there_are_24_results_and_seats_sum_to_389(graph):
    [row] = rows(
        graph,
        "SELECT (COUNT(?r) AS ?n) (SUM(?s) AS ?seats) WHERE { ?r a ek:ElectionResult ; ek:seatsWon ?s ; ek:election election:2007-algerian-parliamentary-election }",
    )
    assert (row["n"], row["seats"]) == (24, 389)


def test_election_level_infobox_values(graph):
    [row] = rows(
        graph,
        """
        SELECT ?date ?country ?body ?seats ?majority ?turnout ?prev ?next WHERE {
          election:2007-algerian-parliamentary-election a ek:LegislativeElection ; ek:electionDate ?date ;
             ek:country/rdfs:label ?country ; ek:legislature/rdfs:label ?body ; ek:seatsContested ?seats ;
             ek:majorityNeeded ?majority ; ek:turnout ?t ; ek:follows/rdfs:label ?prev ; ek:followedBy/rdfs:label ?next .
          ?t schema:value ?turnout .
        }""",
    )
    assert row == {
        "date": date(2007, 5, 17),
        "country": "Algeria",
        "body": "People's National Assembly",
        "seats": 389,
        "majority": 195,
        "turnout": Decimal("35.67"),
        "prev": "2002 Algerian parliamentary election",
        "next": "2012 Algerian parliamentary election",
    }


def test_previous_and_next_elections_are_linked_both_ways(graph):
    assert ask(
        graph,
        """ASK { election:2002-algerian-parliamentary-election ek:followedBy election:2007-algerian-parliamentary-election ;
                                   ek:electionYear "2002"^^xsd:gYear .
                              election:2012-algerian-parliamentary-election ek:follows election:2007-algerian-parliamentary-election }""",
    )


def test_turnout_change_keeps_its_magnitude_and_gets_its_sign_from_the_prose(graph):
    [row] = rows(
        graph,
        """
        SELECT ?magnitude ?value ?direction ?stated ?rule ?excerpt WHERE {
          election:2007-algerian-parliamentary-election ek:turnoutChange ?c .
          ?c ek:magnitude ?magnitude ; schema:value ?value ; ek:direction ?direction ; ek:statedAs ?stated .
          ?st rdf:subject ?c ; rdf:predicate schema:value ; ek:derivationRule ?rule .
          ?d rdf:subject ?c ; rdf:predicate ek:direction ; prov:wasDerivedFrom/ek:exactText ?excerpt .
        }""",
    )
    assert row["magnitude"] == Decimal("10.50") and row["value"] == Decimal("-10.50")
    assert row["direction"].endswith("#Decrease")
    assert row["stated"] == "10.50pp"
    assert "lowest in Algerian history" in row["excerpt"]
    assert "sign" in row["rule"]


def test_prime_minister_before_and_after_with_party(graph):
    found = rows(
        graph,
        """
        SELECT ?when ?name ?party ?post WHERE {
          VALUES (?p ?when) { (ek:officeHolderBefore "before") (ek:officeHolderAfter "after") }
          election:2007-algerian-parliamentary-election ?p ?h .
          ?h org:member/rdfs:label ?name ; ek:partyAffiliation ?party ; ek:post/rdfs:label ?post .
        } ORDER BY ?when""",
    )
    assert found == [
        {
            "when": "after",
            "name": "Abdelaziz Belkhadem",
            "party": "http://127.0.0.1:5000/id/party/algeria/national-liberation-front",
            "post": "Prime Minister",
        },
        {
            "when": "before",
            "name": "Abdelaziz Belkhadem",
            "party": "http://127.0.0.1:5000/id/party/algeria/national-liberation-front",
            "post": "Prime Minister",
        },
    ]


def test_independents_are_not_a_party_and_have_no_leader(graph):
    assert not ask(graph, "ASK { e:independents a ek:PoliticalParty }")
    assert not ask(graph, "ASK { ?l a ek:Leadership ; org:organization e:independents }")
    assert not ask(graph, 'ASK { ?x rdfs:label ?l FILTER(STR(?l) IN ("–", "-", "—")) }')


def test_labels_drop_the_disambiguation_but_keep_the_wikipedia_page(graph):
    [row] = rows(
        graph,
        "SELECT ?label ?title ?page WHERE { party:workers-party rdfs:label ?label ; ek:articleTitle ?title ; foaf:isPrimaryTopicOf ?page }",
    )
    assert row == {
        "label": "Workers' Party",
        "title": "Workers' Party (Algeria)",
        "page": "https://en.wikipedia.org/wiki/Workers'_Party_(Algeria)",
    }
    assert not ask(graph, 'ASK { ?x rdfs:label ?l FILTER(CONTAINS(STR(?l), "(Algeria)")) }')


def test_one_leader_per_party_as_a_person(graph):
    found = rows(
        graph,
        "SELECT ?person WHERE { ?l a ek:Leadership ; org:member ?person ; ek:election election:2007-algerian-parliamentary-election . ?person a person:Person }",
    )
    assert len(found) == 7
