"""Links to Wikidata and Party Facts: exactly the evidenced identifiers, each with its evidence."""

from pathlib import Path

import pytest
from rdflib import Graph

from election_kg.pipeline.errors import SourceError
from election_kg.pipeline.links import add_links
from tests.support.sparql import ask, rows

LINKS = Path(__file__).resolve().parents[2] / "data" / "links" / "accepted.ttl"

# From shared/reference/wikidata-links.md: the only identifiers the project may publish.
WIKIDATA = {
    "country/algeria": "Q262",
    "legislature/algeria/peoples-national-assembly": "Q633590",
    "election/2007-algerian-parliamentary-election": "Q1500016",
    "election/2002-algerian-parliamentary-election": "Q3586958",
    "election/2012-algerian-parliamentary-election": "Q1340896",
    "party/algeria/national-liberation-front": "Q204543",
    "party/algeria/national-rally-for-democracy": "Q840321",
    "party/algeria/movement-of-society-for-peace": "Q1889454",
    "party/algeria/workers-party": "Q627196",
    "party/algeria/algerian-national-front": "Q912180",
    "party/algeria/islamic-renaissance-movement": "Q1790632",
    "party/algeria/rally-for-culture-and-democracy": "Q1627773",
    "party/algeria/movement-for-national-reform": "Q852320",
    "party/algeria/socialist-forces-front": "Q605960",
    "party/algeria/islamic-salvation-front": "Q734545",
    "party/algeria/party-of-algerian-renewal": "Q3366402",
    "party/algeria/ahd-54": "Q400152",
    "party/algeria/national-republican-alliance": "Q2838210",
    "party/algeria/national-party-for-solidarity-and-development": "Q6974807",
    "party/algeria/el-infitah-movement": "Q5350660",
    "party/algeria/republican-patriotic-rally": "Q7314690",
    "party/algeria/algerian-rally": "Q4724078",
    "party/algeria/national-movement-of-hope": "Q6974415",
    "person/algeria/louisa-hanoune": "Q269903",
    "person/algeria/ali-fawzi-rebaine": "Q2836221",
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
    "party-of-algerian-renewal": 8868,
}
ID = "http://127.0.0.1:5000/id/"


def test_same_as_links_are_exactly_the_evidenced_wikidata_items(graph):
    found = rows(graph, "SELECT ?s ?o WHERE { ?s owl:sameAs ?o }")
    wikidata = {r["s"][len(ID) :]: r["o"].rsplit("/", 1)[-1] for r in found}
    assert all(r["o"].startswith("http://www.wikidata.org/entity/Q") for r in found)
    assert wikidata == WIKIDATA
    assert len(found) == len(WIKIDATA)


def test_party_facts_records_are_exact_matches_never_same_as(graph):
    found = rows(graph, "SELECT ?s ?o WHERE { ?s skos:exactMatch ?o }")
    party_facts = {
        r["s"][len(ID + "party/algeria/") :]: int(r["o"].rstrip("/").rsplit("/", 1)[-1])
        for r in found
    }
    assert party_facts == PARTY_FACTS
    assert not ask(graph, 'ASK { ?s owl:sameAs ?o FILTER(CONTAINS(STR(?o), "partyfacts")) }')


def test_the_party_of_algerian_renewal_has_its_identifiers_and_the_progressive_republican_party_none(
    graph,
):
    pra = "<http://127.0.0.1:5000/id/party/algeria/party-of-algerian-renewal>"
    prp = "<http://127.0.0.1:5000/id/party/algeria/progressive-republican-party>"
    assert ask(graph, f"ASK {{ {pra} owl:sameAs <http://www.wikidata.org/entity/Q3366402> }}")
    assert ask(
        graph,
        f"ASK {{ {pra} skos:exactMatch <https://partyfacts.herokuapp.com/data/partycodes/8868/> }}",
    )
    assert ask(graph, f"ASK {{ {prp} rdfs:label ?label }}")
    assert not ask(graph, f"ASK {{ {prp} owl:sameAs|skos:exactMatch|skos:closeMatch ?any }}")


def test_every_link_names_its_evidence_row(graph):
    assert not ask(
        graph,
        """ASK { ?st rdf:subject ?s ; rdf:predicate ?p .
                 FILTER (?p IN (owl:sameAs, skos:exactMatch, skos:closeMatch))
                 FILTER NOT EXISTS { ?st prov:wasDerivedFrom [ a ek:EvidenceRecord ;
                     ek:inDataset/rdfs:label ?dataset ; ek:file ?file ; ek:rowText ?row ] } }""",
    )


def test_independents_party_facts_code_cites_the_core_parties_file(graph):
    found = rows(
        graph,
        """SELECT ?file ?row WHERE {
             ?st rdf:subject e:independents ; rdf:object <https://partyfacts.herokuapp.com/data/partycodes/3563/> ;
                 prov:wasDerivedFrom [ ek:file ?file ; ek:rowText ?row ] }""",
    )
    assert [r["file"] for r in found] == ["import/elecglob/partyfacts-core-parties.csv"]
    assert found[0]["row"].startswith("DZA,3563,8,indep,independent,")


def test_independents_are_a_close_match_not_the_same(graph):
    found = rows(graph, "SELECT ?o WHERE { e:independents skos:closeMatch ?o }")
    assert sorted(r["o"] for r in found) == [
        "http://www.wikidata.org/entity/Q327591",
        "https://partyfacts.herokuapp.com/data/partycodes/3563/",
    ]


def test_every_link_carries_its_evidence(graph):
    assert not ask(
        graph,
        """ASK { ?s owl:sameAs|skos:closeMatch|skos:exactMatch ?o .
                                  FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                                                          prov:wasDerivedFrom/rdfs:label ?evidence } }""",
    )


# The link reader refuses, naming the file and line, links that the evidence does not support.

PRA_LINK = """
[] a rdf:Statement ;
    rdf:subject party:{subject} ;
    rdf:predicate {predicate} ;
    rdf:object {obj} ;
    prov:wasDerivedFrom evidence:party-facts-wikipedia ,
        [ a ek:EvidenceRecord ; ek:inDataset evidence:party-facts-wikipedia ;
          ek:file "import/wikipedia/wikidata.csv" ;
          ek:rowText "{row}" {extra}] .
"""


def _refused(tmp_path: Path, graph: Graph, text: str) -> SourceError:
    path = tmp_path / "accepted.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        add_links(Graph(), path, graph)
    assert caught.value.path == path and caught.value.line, caught.value.describe()
    assert caught.value.describe().startswith(f"{path}:{caught.value.line}: ")
    return caught.value


def _link(subject="progressive-republican-party", predicate="owl:sameAs", obj="wd:Q3366402",
          row="DZA,8868,Q3366402,Party of Algerian Renewal,,", extra=""):  # fmt: skip
    return PRA_LINK.format(subject=subject, predicate=predicate, obj=obj, row=row, extra=extra)


def test_two_parties_of_one_country_cannot_share_an_identifier(tmp_path, graph):
    text = LINKS.read_text(encoding="utf-8") + _link(extra='; ek:nameInEvidence "x" ')
    error = _refused(tmp_path, graph, text)
    assert "share the identifier <http://www.wikidata.org/entity/Q3366402>" in error.problem
    assert "Progressive Republican Party" in error.problem
    assert "Party of Algerian Renewal" in error.problem
    assert error.line > len(LINKS.read_text(encoding="utf-8").splitlines())


def test_the_old_wrong_entity_link_is_refused(tmp_path, graph):
    text = LINKS.read_text(encoding="utf-8").replace(
        "party:party-of-algerian-renewal", "party:progressive-republican-party"
    )
    error = _refused(tmp_path, graph, text)
    assert "does not name Progressive Republican Party" in error.problem


def test_a_name_in_evidence_that_belongs_to_another_entity_is_refused(tmp_path, graph):
    text = LINKS.read_text(encoding="utf-8").replace(
        "party:party-of-algerian-renewal", "party:progressive-republican-party"
    )
    text = text.replace(
        'ek:rowText "DZA,8868,Q3366402,Party of Algerian Renewal,," ]',
        'ek:rowText "DZA,8868,Q3366402,Party of Algerian Renewal,," ;'
        ' ek:nameInEvidence "Party of Algerian Renewal" ]',
    )
    error = _refused(tmp_path, graph, text)
    assert "which is another entity" in error.problem


def test_a_row_without_the_identifier_is_refused(tmp_path, graph):
    head = LINKS.read_text(encoding="utf-8").split("[] a rdf:Statement", 1)[0]
    error = _refused(
        tmp_path,
        graph,
        head
        + _link(
            subject="party-of-algerian-renewal", row="DZA,4111,Q204543,Party of Algerian Renewal"
        ),
    )
    assert "does not hold q3366402" in error.problem


def test_party_facts_by_same_as_is_refused(tmp_path, graph):
    head = LINKS.read_text(encoding="utf-8").split("[] a rdf:Statement", 1)[0]
    error = _refused(
        tmp_path,
        graph,
        head
        + _link(
            subject="party-of-algerian-renewal",
            obj="<https://partyfacts.herokuapp.com/data/partycodes/8868/>",
        ),
    )
    assert "would make Party of Algerian Renewal" in error.problem and "web page" in error.problem
