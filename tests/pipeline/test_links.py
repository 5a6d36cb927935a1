"""Links to Wikidata and Party Facts: exactly the evidenced identifiers, each with its evidence."""

from tests.support.sparql import ask, rows

# From shared/reference/wikidata-links.md: the only identifiers the project may publish.
WIKIDATA = {
    "country/algeria": "Q262",
    "legislature/peoples-national-assembly": "Q633590",
    "election/2007-algerian-parliamentary-election": "Q1500016",
    "election/2002-algerian-parliamentary-election": "Q3586958",
    "election/2012-algerian-parliamentary-election": "Q1340896",
    "party/national-liberation-front": "Q204543",
    "party/national-rally-for-democracy": "Q840321",
    "party/movement-of-society-for-peace": "Q1889454",
    "party/workers-party": "Q627196",
    "party/algerian-national-front": "Q912180",
    "party/islamic-renaissance-movement": "Q1790632",
    "party/rally-for-culture-and-democracy": "Q1627773",
    "party/movement-for-national-reform": "Q852320",
    "party/socialist-forces-front": "Q605960",
    "party/islamic-salvation-front": "Q734545",
    "party/progressive-republican-party": "Q3366402",
    "party/ahd-54": "Q400152",
    "party/national-republican-alliance": "Q2838210",
    "party/national-party-for-solidarity-and-development": "Q6974807",
    "party/el-infitah-movement": "Q5350660",
    "party/republican-patriotic-rally": "Q7314690",
    "party/algerian-rally": "Q4724078",
    "party/national-movement-of-hope": "Q6974415",
    "person/louisa-hanoune": "Q269903",
    "person/ali-fawzi-rebaine": "Q2836221",
}
PARTY_FACTS = {
    "national-liberation-front": 4111,
    "national-rally-for-democracy": 4113,
    "movement-of-society-for-peace": 5221,
    "workers-party": 5622,
    "algerian-national-front": 4098,
    "islamic-renaissance-movement": 6219,
    "rally-for-culture-and-democracy": 6120,
    "movement-for-national-reform": 5222,
    "socialist-forces-front": 4114,
    "islamic-salvation-front": 6118,
    "progressive-republican-party": 8868,
}
ID = "http://127.0.0.1:5000/id/"


def test_same_as_links_are_exactly_the_evidenced_ones(graph):
    found = rows(graph, "SELECT ?s ?o WHERE { ?s owl:sameAs ?o }")
    wikidata = {r["s"][len(ID) :]: r["o"].rsplit("/", 1)[-1] for r in found if "wikidata" in r["o"]}
    party_facts = {
        r["s"][len(ID + "party/") :]: int(r["o"].rstrip("/").rsplit("/", 1)[-1])
        for r in found
        if "partyfacts" in r["o"]
    }
    assert wikidata == WIKIDATA
    assert party_facts == PARTY_FACTS
    assert len(found) == len(WIKIDATA) + len(PARTY_FACTS)


def test_independents_are_a_close_match_not_the_same(graph):
    found = rows(graph, "SELECT ?o WHERE { e:independents skos:closeMatch ?o }")
    assert sorted(r["o"] for r in found) == [
        "http://www.wikidata.org/entity/Q327591",
        "https://partyfacts.herokuapp.com/data/partycodes/3563/",
    ]


def test_every_link_carries_its_evidence(graph):
    assert not ask(
        graph,
        """ASK { ?s owl:sameAs|skos:closeMatch ?o .
                                  FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                                                          prov:wasDerivedFrom/rdfs:label ?evidence } }""",
    )
