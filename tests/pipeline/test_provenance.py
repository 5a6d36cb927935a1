"""Every fact says where it came from, and every excerpt is really in its source."""

import hashlib

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import PROV

from election_kg.common.offline import offline
from election_kg.common.vocab import EK
from election_kg.pipeline.article import read_article
from tests.support.project import ROOT
from tests.support.sparql import ask, rows

SEED = ROOT / "data" / "sources" / "2007_Algerian_parliamentary_election.txt"


SOURCES = {
    "http://127.0.0.1:5000/id/source/" + path.stem.lower().replace("_", "-"): path
    for path in sorted((ROOT / "data" / "sources").glob("*.txt"))
}


def test_every_excerpt_text_is_in_the_source_at_its_offsets(graph):
    texts = {iri: path.read_text(encoding="utf-8") for iri, path in SOURCES.items()}
    excerpts = rows(
        graph,
        """SELECT ?x ?text ?start ?end ?line ?src WHERE { ?x ek:exactText ?text ; ek:startOffset ?start ;
                                  ek:endOffset ?end ; ek:lineNumber ?line ; ek:excerptOf ?src }""",
    )
    assert len([ex for ex in excerpts if SOURCES[ex["src"]] == SEED]) > 100
    assert {ex["src"] for ex in excerpts} == set(SOURCES)
    for ex in excerpts:
        text = texts[ex["src"]]
        assert text[ex["start"] : ex["end"]] == ex["text"], ex["x"]
        assert text.count("\n", 0, ex["start"]) + 1 == ex["line"]


def test_source_node_has_title_url_and_sha256(graph):
    found = rows(
        graph,
        "SELECT ?s ?title ?url ?sha WHERE { ?s a ek:SourceDocument ; rdfs:label ?title ; schema:url ?url ; ek:sha256 ?sha }",
    )
    assert {row["s"] for row in found} == set(SOURCES)
    for row in found:
        path = SOURCES[row["s"]]
        title = read_article(path).title
        assert row == {
            "s": row["s"],
            "title": title,
            "url": "https://en.wikipedia.org/wiki/" + title.replace(" ", "_"),
            "sha": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
    [seed] = [row for row in found if SOURCES[row["s"]] == SEED]
    assert (seed["title"], seed["url"]) == (
        "2007 Algerian parliamentary election",
        "https://en.wikipedia.org/wiki/2007_Algerian_parliamentary_election",
    )


def _fact_triples(graph: Graph):
    """Triples that state facts: everything but provenance bookkeeping, links and activity descriptions."""
    bookkeeping = {
        RDF.subject,
        RDF.predicate,
        RDF.object,
        PROV.wasDerivedFrom,
        PROV.wasGeneratedBy,
        EK.mentionedIn,
        EK.derivationRule,
    }
    skip_types = {
        RDF.Statement,
        EK.InfoboxLine,
        EK.ProseExcerpt,
        EK.SourceDocument,
        EK.EvidenceRecord,  # rows of link and identification evidence: provenance themselves
        PROV.Activity,
        PROV.SoftwareAgent,
        PROV.Agent,
    }
    skip_subjects = {s for t in skip_types for s in graph.subjects(RDF.type, t)}
    skip_subjects |= set(graph.subjects(RDF.type, PROV.Entity))  # link evidence datasets
    for s, p, o in graph:
        if p in bookkeeping or s in skip_subjects or str(s).endswith("/id/role/party-leader"):
            continue
        yield s, p, o


def test_every_fact_triple_is_reified_with_an_excerpt(graph):
    missing = []
    for s, p, o in _fact_triples(graph):
        with offline():
            derived = list(
                graph.query(
                    """SELECT ?x WHERE { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?x }""",
                    initBindings={"s": s, "p": p, "o": o},
                    initNs={"rdf": RDF, "prov": PROV},
                )
            )
        if not derived:
            missing.append((s, p, o))
    assert missing == []


FACT_CLASSES = """ek:ElectionResult, ek:Quantity, ek:BoycottCall, ek:Incident, ek:VotingDay, ek:Leadership,
    ek:OfficeHolding, ek:Allegation, ek:Retraction, ek:Certification, ek:AppealRuling,
    ek:GroupRepresentation, ek:HistoricalRecord, ek:SecurityOperation"""
UNSOURCED_FACT_NODE = f"""ASK {{ ?n a ?c FILTER(?c IN ({FACT_CLASSES}))
    FILTER NOT EXISTS {{ ?n prov:wasDerivedFrom/ek:excerptOf ?src . ?src a ek:SourceDocument }} }}"""


def test_every_fact_node_is_derived_from_an_excerpt_of_a_source(graph):
    assert ask(graph, f"ASK {{ ?n a ?c FILTER(?c IN ({FACT_CLASSES})) }}")  # there are fact nodes
    assert not ask(graph, UNSOURCED_FACT_NODE)
    # the check sees a fact node without provenance: one added by hand is found
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.add((URIRef("urn:test:unsourced-result"), RDF.type, EK.ElectionResult))
    assert ask(broken, UNSOURCED_FACT_NODE), "a result node without provenance passed the check"


def test_curated_and_read_facts_say_how_they_were_made(graph):
    found = rows(
        graph,
        """SELECT ?agent (COUNT(?st) AS ?n) WHERE { ?st a rdf:Statement ; prov:wasGeneratedBy ?act .
                                                                ?act prov:wasAssociatedWith/rdfs:label ?agent } GROUP BY ?agent ORDER BY ?agent""",
    )
    assert [r["agent"] for r in found] == ["election-kg", "election-kg curators"]
    assert all(r["n"] > 50 for r in found)
    assert ask(
        graph,
        """ASK { ?st rdf:predicate ek:callMadeBy ; prov:wasGeneratedBy ?a . ?a prov:wasAssociatedWith/rdfs:label "election-kg curators"@en ;
                                rdfs:comment ?how FILTER(CONTAINS(?how, "exact sentence")) }""",
    )


def test_seat_change_is_marked_as_derived(graph):
    assert not ask(
        graph,
        """ASK { ?st rdf:predicate ek:seatChange ; rdf:subject ?r . ?r a ek:ElectionResult
                                   FILTER NOT EXISTS { ?st ek:derivationRule ?rule } }""",
    )


def test_every_prose_sentence_is_recorded_as_a_fact(graph):
    article = read_article(SEED)
    quoted = {
        (r["start"], r["end"])
        for r in rows(
            graph,
            "SELECT ?start ?end WHERE { ?x a ek:ProseExcerpt ; ek:startOffset ?start ; ek:endOffset ?end }",
        )
    }
    uncovered = [
        s.span.text
        for s in article.sentences
        if not any(a <= s.span.start and s.span.end <= b for a, b in quoted)
    ]
    assert uncovered == []


def test_every_infobox_line_is_used(graph):
    article = read_article(SEED)
    used = {
        r["key"]
        for r in rows(
            graph,
            """SELECT ?key WHERE { ?x a ek:InfoboxLine ; ek:infoboxKey ?key .
                                                                  { ?st prov:wasDerivedFrom ?x } UNION { ?thing ek:mentionedIn ?x } }""",
        )
    }
    assert {entry.key for entry in article.infobox} - used == set()
