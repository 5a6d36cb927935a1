"""Several articles in one build: shared parties and people get one IRI; edge cases of the format."""

from decimal import Decimal

import pytest

from tests.support.project import ROOT, Built, copy_project, run_cli
from tests.support.sparql import ask, rows

ARTICLES = ROOT / "tests" / "fixtures" / "articles"
FREEDONIA = "<http://127.0.0.1:5000/id/election/2011-freedonian-parliamentary-election>"


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    sources = [
        ROOT / "data" / "sources" / "2007_Algerian_parliamentary_election.txt",
        ROOT / "data" / "sources" / "2009_Algerian_presidential_election.txt",
        *sorted(ARTICLES.glob("*.txt")),
    ]
    root = copy_project(tmp_path_factory.mktemp("many"), sources)
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    return Built(root).graph()


def test_a_party_in_two_articles_has_one_iri(many):
    found = rows(
        many,
        "SELECT ?e WHERE { ?r ek:contestant party:workers-party ; ek:election ?e } ORDER BY ?e",
    )
    assert [r["e"].rsplit("/", 1)[-1] for r in found] == [
        "2007-algerian-parliamentary-election",
        "2011-freedonian-parliamentary-election",
    ]


def test_a_person_in_two_articles_of_one_country_has_one_iri(many):
    """Louisa Hanoune leads the Workers' Party in 2007 and is its candidate in 2009: one node."""
    found = rows(
        many,
        """SELECT ?e WHERE {
             { ?l a ek:Leadership ; org:member pers:louisa-hanoune ; ek:election ?e }
             UNION { ?r a ek:ElectionResult ; ek:candidate pers:louisa-hanoune ; ek:election ?e }
           } ORDER BY ?e""",
    )
    assert [r["e"].rsplit("/", 1)[-1] for r in found] == [
        "2007-algerian-parliamentary-election",
        "2009-algerian-presidential-election",
    ]


def test_namesakes_in_two_countries_are_two_nodes(many):
    """Freedonia's Louisa Hanoune shares only a name with Algeria's: nothing joins them."""
    found = rows(
        many,
        """SELECT ?p ?e WHERE { ?l a ek:Leadership ; org:member ?p ; ek:election ?e .
                                 ?p rdfs:label "Louisa Hanoune"@en } ORDER BY ?p""",
    )
    assert [(r["p"], r["e"].rsplit("/", 1)[-1]) for r in found] == [
        (
            "http://127.0.0.1:5000/id/person/algeria/louisa-hanoune",
            "2007-algerian-parliamentary-election",
        ),
        (
            "http://127.0.0.1:5000/id/person/freedonia/louisa-hanoune",
            "2011-freedonian-parliamentary-election",
        ),
    ]
    assert not ask(
        many,
        "ASK { pers:louisa-hanoune ?p <http://127.0.0.1:5000/id/person/freedonia/louisa-hanoune> }",
    )


def test_decimal_comma_and_turnout_arrow(many):
    [row] = rows(
        many,
        f"""SELECT ?share ?turnout ?change ?dir WHERE {{ ?r ek:election {FREEDONIA} ; ek:listPosition 1 ; ek:voteShare ?share .
                          {FREEDONIA} ek:turnout/schema:value ?turnout ; ek:turnoutChange ?c . ?c schema:value ?change ; ek:direction ?dir }}""",
    )
    assert row == {
        "share": Decimal("45.5"),
        "turnout": Decimal("61.5"),
        "change": Decimal("3.2"),
        "dir": "http://127.0.0.1:5000/ontology#Increase",
    }


def test_new_party_has_no_previous_seats_and_no_change(many):
    [row] = rows(
        many,
        f"""SELECT ?new ?prev ?change WHERE {{ ?r ek:election {FREEDONIA} ; ek:listPosition 1 ; ek:newContestant ?new .
                          OPTIONAL {{ ?r ek:previousSeats ?prev }} OPTIONAL {{ ?r ek:seatChange ?change }} }}""",
    )
    assert row == {"new": True, "prev": None, "change": None}


def test_absent_values_are_absent(many):
    assert not ask(
        many, f"ASK {{ ?r ek:election {FREEDONIA} ; ek:listPosition 3 ; ek:previousSeats ?p }}"
    )  # n/a
    assert not ask(
        many, f"ASK {{ ?r ek:election {FREEDONIA} ; ek:listPosition 4 ; ek:voteShare ?p }}"
    )  # empty
    assert not ask(
        many, "ASK { ?l a ek:Leadership ; org:organization party:party-of-nobody }"
    )  # '–'


def test_unicode_names_keep_their_letters(many):
    [row] = rows(
        many,
        "SELECT ?p ?name WHERE { ?l a ek:Leadership ; org:member ?p . ?p rdfs:label ?name FILTER(STRSTARTS(?name, 'Zo')) }",
    )
    assert row["name"] == "Zoë Ærøskøbing"
    assert row["p"] == "http://127.0.0.1:5000/id/person/freedonia/zoe-ærøskøbing"
    assert ask(
        many,
        "ASK { ?p a ek:PoliticalParty ; rdfs:label 'Union of Şahin'@en ; ek:articleTitle 'Union of Şahin (Freedonia)' }",
    )


def test_article_without_legislature_or_turnout(many):
    testland = "<http://127.0.0.1:5000/id/election/2002-testland-general-election>"
    # No `Type` and no telling title word: its seat keys say it elected an assembly, and the
    # type statement says so in its derivation rule.
    assert ask(many, f"ASK {{ {testland} a ek:LegislativeElection ; ek:seatsContested 10 }}")
    assert ask(
        many,
        f"""ASK {{ ?st rdf:subject {testland} ; rdf:predicate rdf:type ;
                   rdf:object ek:LegislativeElection ; ek:derivationRule ?rule }}""",
    )
    assert not ask(many, f"ASK {{ {testland} ek:legislature ?l }}")
    assert not ask(many, f"ASK {{ {testland} ek:turnout ?t }}")


def test_a_second_article_for_the_same_election_is_quarantined(tmp_path):
    seed = ROOT / "data" / "sources" / "2007_Algerian_parliamentary_election.txt"
    root = copy_project(tmp_path, [seed])
    (root / "data" / "sources" / "copy.txt").write_text(
        seed.read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "data/sources/copy.txt:1: the election" in result.stdout
    assert "already described by 2007_Algerian_parliamentary_election.txt" in result.stdout
    strict = run_cli("build", "--strict", "--root", str(root))
    assert strict.returncode == 1 and "already described by" in strict.stderr
