"""The vocabulary: documented, versioned, and in sync with the code that uses it."""

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

from election_kg.common import vocabgen
from tests.support.project import ROOT

ONTOLOGY = ROOT / "ontology" / "election.ttl"
NS = vocabgen.NAMESPACE


def test_generated_namespace_is_in_sync_with_the_ontology():
    assert (ROOT / "scripts" / "common" / "vocab.py").read_text(
        encoding="utf-8"
    ) == vocabgen.render(ONTOLOGY), "run `election-kg vocab`"


def test_the_namespace_is_closed():
    import pytest

    from election_kg.common.vocab import EK

    with pytest.raises(AttributeError):
        EK.seatsWonn  # noqa: B018 - a typo must fail


def test_every_minted_term_has_label_comment_domain_and_range():
    g = Graph().parse(ONTOLOGY)
    terms = [s for s in set(g.subjects()) if isinstance(s, URIRef) and str(s).startswith(NS)]
    assert len(terms) > 80
    for term in terms:
        assert (
            g.value(term, RDFS.label) is not None and g.value(term, RDFS.label).language == "en"
        ), term
        assert g.value(term, RDFS.comment) is not None, term
        if (term, RDF.type, OWL.ObjectProperty) in g or (term, RDF.type, OWL.DatatypeProperty) in g:
            assert (
                g.value(term, RDFS.domain) is not None and g.value(term, RDFS.range) is not None
            ), term


def test_ontology_metadata():
    g = Graph().parse(ONTOLOGY)
    onto = URIRef(NS.rstrip("#"))
    assert (onto, RDF.type, OWL.Ontology) in g
    for prop in (OWL.versionIRI, DCTERMS.license, DCTERMS.creator, DCTERMS.created):
        assert g.value(onto, prop) is not None, prop


def test_data_and_curated_files_use_only_defined_terms(graph):
    defined = {str(s) for s in Graph().parse(ONTOLOGY).subjects()}
    used = {
        str(t)
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(NS)
    }
    for path in sorted((ROOT / "data").glob("*/*.ttl")):
        used |= {
            str(t)
            for triple in Graph().parse(path)
            for t in triple
            if isinstance(t, URIRef) and str(t).startswith(NS)
        }
    assert used - defined == set()


def test_wikidata_alignments_use_only_confirmed_properties():
    confirmed = {
        "P31",
        "P17",
        "P1001",
        "P194",
        "P585",
        "P155",
        "P156",
        "P1342",
        "P1867",
        "P1868",
        "P1697",
        "P5044",
        "P1110",
        "P710",
        "P1346",
        "P726",
        "P1111",
        "P991",
        "P1114",
        "P1410",
        "P3602",
        "P1268",
        "Q2618461",
    }
    g = Graph().parse(ONTOLOGY)
    used = {
        str(o).rsplit("/", 1)[-1]
        for o in g.objects()
        if str(o).startswith("http://www.wikidata.org/entity/")
    }
    assert used and used <= confirmed
