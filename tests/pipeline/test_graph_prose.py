"""Every fact of the seed's prose, checked by SPARQL over the published graph, qualifiers kept."""

from datetime import date
from decimal import Decimal

import pytest

from tests.support.sparql import ask, rows


def test_two_voting_days_with_their_voters(graph):
    found = rows(
        graph,
        """
        SELECT ?day (GROUP_CONCAT(?group; separator=" | ") AS ?groups) (SAMPLE(?r) AS ?reason) WHERE {
          ?v a ek:VotingDay ; ek:election election:2007-algerian-parliamentary-election ; schema:startDate ?day ; ek:voterGroup ?group .
          OPTIONAL { ?v ek:reason ?r }
        } GROUP BY ?day ORDER BY ?day""",
    )
    assert [r["day"] for r in found] == [date(2007, 5, 16), date(2007, 5, 17)]
    early = found[0]["groups"]
    for group in (
        "immigrants from Algeria to other countries (especially France)",
        "Algerians living in the Sahara (i.e. Southern Algeria)",
        "other nomads and semi-nomads",
    ):
        assert group in early
    assert "distance from Algiers" in found[0]["reason"]
    assert found[1]["groups"] == "most Algerians"


@pytest.mark.parametrize(
    ("prop", "kind", "value", "stated"),
    [
        ("ek:partiesContesting", "schema:value", 24, "24 political parties"),
        ("ek:independentListsContesting", "ek:approximately", 100, "around 100 independent lists"),
        ("ek:candidatesContesting", "ek:moreThan", 12000, "more than 12,000 candidates"),
        ("ek:eligibleVoters", "ek:approximately", 18800000, "18.8 million voters"),
        ("ek:spoiltBallotShare", "ek:approximately", 15, "About 15%"),
    ],
)
def test_figures_keep_their_qualifier(graph, prop, kind, value, stated):
    found = rows(
        graph,
        f"""SELECT ?v ?stated WHERE {{ election:2007-algerian-parliamentary-election {prop} ?q .
                                                        ?q {kind} ?v ; ek:statedAs ?stated }}""",
    )
    assert found == [{"v": value, "stated": stated}]
    other_kinds = {"schema:value", "ek:approximately", "ek:moreThan"} - {kind}
    for other in other_kinds:
        assert not ask(
            graph, f"ASK {{ election:2007-algerian-parliamentary-election {prop}/{other} ?x }}"
        ), other


def test_more_than_12000_is_never_12000(graph):
    assert not ask(
        graph, "ASK { ?q ek:statedAs ?s ; schema:value 12000 FILTER(CONTAINS(?s, 'more than')) }"
    )


def test_seats_contested_also_stated_in_the_prose(graph):
    found = rows(
        graph,
        """SELECT ?text WHERE { ?st rdf:subject election:2007-algerian-parliamentary-election ;
                             rdf:predicate ek:seatsContested ; prov:wasDerivedFrom/ek:exactText ?text }""",
    )
    texts = sorted(r["text"] for r in found)
    assert len(texts) == 2
    assert texts[0].startswith("- Seats For Election") and "389 seats" in texts[1]


def test_turnout_36_percent_is_approximate_and_the_lowest_in_history(graph):
    found = rows(
        graph,
        """SELECT ?approx ?exact WHERE { election:2007-algerian-parliamentary-election ek:turnout ?t .
                             OPTIONAL { ?t ek:approximately ?approx } OPTIONAL { ?t schema:value ?exact } }""",
    )
    assert sorted(found, key=str) == sorted(
        [{"approx": 36, "exact": None}, {"approx": None, "exact": Decimal("35.67")}], key=str
    )
    assert ask(
        graph,
        """ASK { ?r a ek:HistoricalRecord ; ek:recordMeasure ek:turnout ; ek:recordKind ek:Decrease ;
                                  ek:recordScope <http://127.0.0.1:5000/id/country/algeria> ; ek:election election:2007-algerian-parliamentary-election }""",
    )


BOYCOTTERS = {
    "Socialist Forces Front": "ek:PoliticalParty",
    "Democratic and Social Movement": "ek:PoliticalParty",
    "Abbassi Madani": "person:Person",
    "Ali Belhadj": "person:Person",
    "Main faction of the Islah Party": "ek:Faction",
    "Rachad": "org:Organization",
    "Al-Qaeda Organization in the Islamic Maghreb": "ek:ArmedGroup",
}


def test_who_called_for_a_boycott(graph):
    found = rows(
        graph,
        """SELECT ?name ?type WHERE { ?call a ek:BoycottCall ; ek:election election:2007-algerian-parliamentary-election ;
                                                            ek:callMadeBy ?who . ?who rdfs:label ?name ; a ?type }""",
    )
    names = {r["name"] for r in found}
    assert names == set(BOYCOTTERS)
    prefixes = {
        "ek:": "http://127.0.0.1:5000/ontology#",
        "person:": "http://www.w3.org/ns/person#",
        "org:": "http://www.w3.org/ns/org#",
    }
    for name, curie in BOYCOTTERS.items():
        prefix, local = curie.split(":")
        assert {"name": name, "type": prefixes[prefix + ":"] + local} in found


def test_boycott_reason_and_the_fis_leaders(graph):
    reasons = rows(
        graph, "SELECT DISTINCT ?reason WHERE { ?c a ek:BoycottCall ; ek:reason ?reason }"
    )
    assert [r["reason"] for r in reasons] == [
        "the elections were consistently rigged by the government, and participation merely lent a fundamentally corrupt process undeserved legitimacy"
    ]
    assert ask(
        graph,
        """ASK { pers:abbassi-madani org:memberOf party:islamic-salvation-front .
                               pers:ali-belhadj org:memberOf party:islamic-salvation-front }""",
    )
    assert ask(
        graph,
        "ASK { organisation:main-faction-of-the-islah-party org:unitOf party:movement-for-national-reform }",
    )


def test_aqim_video_called_participation_a_great_sin(graph):
    [row] = rows(
        graph,
        """SELECT ?medium ?words ?desc WHERE { ?c a ek:BoycottCall ; ek:callMadeBy ?g ; ek:medium ?medium ; ek:characterisation ?words .
                                                           ?g a ek:ArmedGroup ; schema:description ?desc }""",
    )
    assert row == {
        "medium": "video",
        "words": "a great sin",
        "desc": "the only notable remaining armed group in Algeria",
    }


def test_constantine_bombings(graph):
    [row] = rows(
        graph,
        """SELECT ?date ?place ?bombs ?deaths ?injuries WHERE {
        ?i a ek:Incident ; schema:startDate ?date ; schema:location/rdfs:label ?place ; ek:explosiveDevices ?bombs ;
           ek:deaths ?deaths ; ek:injuries ?injuries }""",
    )
    assert row == {
        "date": date(2007, 5, 16),
        "place": "Constantine",
        "bombs": 2,
        "deaths": 1,
        "injuries": 5,
    }
    assert ask(
        graph,
        "ASK { ?s a ek:SecurityOperation ; ek:election election:2007-algerian-parliamentary-election }",
    )


def test_bouchair_alleged_then_retracted_and_apologised(graph):
    [row] = rows(
        graph,
        """SELECT ?who ?role (COUNT(?claim) AS ?claims) ?apology WHERE {
        ?a a ek:Allegation ; ek:statedBy ?p ; ek:claim ?claim ; ek:concerns party:national-liberation-front .
        ?r a ek:Retraction ; ek:retracts ?a ; ek:statedBy ?p ; ek:withApology ?apology .
        ?p rdfs:label ?who ; org:headOf/rdfs:label ?role } GROUP BY ?who ?role ?apology""",
    )
    assert row == {
        "who": "Said Bouchair",
        "role": "National commission of legislative election control",
        "claims": 3,
        "apology": True,
    }


def test_constitutional_council_certified_and_rejected_appeals(graph):
    found = rows(
        graph,
        """SELECT ?type ?date WHERE { ?e ek:decidedBy organisation:constitutional-council ; a ?type ; schema:startDate ?date
                                                    FILTER(?type IN (ek:Certification, ek:AppealRuling)) } ORDER BY ?date""",
    )
    assert found == [
        {"type": "http://127.0.0.1:5000/ontology#Certification", "date": date(2007, 5, 21)},
        {"type": "http://127.0.0.1:5000/ontology#AppealRuling", "date": date(2007, 5, 30)},
    ]
    assert ask(
        graph,
        'ASK { ?c a ek:Certification ; ek:changesMade ?t FILTER(CONTAINS(?t, "turn-out rate")) }',
    )


def test_women_won_31_seats_eight_more(graph):
    [row] = rows(
        graph,
        "SELECT ?seats ?change WHERE { ?g a ek:GroupRepresentation ; ek:group 'women'@en ; ek:seatsWon ?seats ; ek:seatChange ?change }",
    )
    assert row == {"seats": 31, "change": 8}


def test_contradictions_are_kept_on_one_entity(graph):
    # The Democratic and Social Movement won a seat and called for a boycott: both facts stay.
    assert ask(
        graph,
        """ASK { ?r ek:contestant party:democratic-and-social-movement ; ek:seatsWon 1 ; ek:voteShare 0.89 .
                               ?c a ek:BoycottCall ; ek:callMadeBy party:democratic-and-social-movement }""",
    )
    # The Islah party won 3 seats while its main faction boycotted.
    assert ask(
        graph,
        """ASK { ?r ek:contestant party:movement-for-national-reform ; ek:seatsWon 3 .
                               party:movement-for-national-reform skos:altLabel "Islah Party"@en .
                               ?c ek:callMadeBy/org:unitOf party:movement-for-national-reform }""",
    )
