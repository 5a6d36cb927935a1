"""/dataset and /.well-known/void: the VoID + DCAT description, checked against the manifest and the dump."""

from __future__ import annotations

import pytest
import requests
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

BASE = "http://127.0.0.1:5000/"
DATASET = URIRef(BASE + "dataset#dataset")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
WIKIDATA = "http://www.wikidata.org/entity/"

ACCEPT = [
    # (Accept, content type, rdflib format or None for HTML, Content-Location)
    (None, "text/turtle", "turtle", "/dataset.ttl"),
    ("*/*", "text/turtle", "turtle", "/dataset.ttl"),
    ("text/turtle", "text/turtle", "turtle", "/dataset.ttl"),
    ("application/ld+json", "application/ld+json", "json-ld", "/dataset.jsonld"),
    ("application/json", "application/ld+json", "json-ld", "/dataset.jsonld"),
    ("application/n-triples", "application/n-triples", "nt", "/dataset.nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml", "/dataset.rdf"),
    (
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "text/html",
        None,
        "/dataset.html",
    ),
    (
        "text/turtle;q=0.4, application/n-triples;q=0.6",
        "application/n-triples",
        "nt",
        "/dataset.nt",
    ),
]


@pytest.fixture(scope="module")
def void(url) -> Graph:
    return Graph().parse(
        data=requests.get(url + "/dataset.ttl", timeout=10).content, format="turtle"
    )


@pytest.mark.parametrize("path", ["/dataset", "/.well-known/void"])
@pytest.mark.parametrize(("accept", "content_type", "fmt", "location"), ACCEPT)
def test_negotiation(url, void, path, accept, content_type, fmt, location):
    answer = requests.get(url + path, headers={"Accept": accept} if accept else {}, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].split(";")[0] == content_type
    assert answer.headers["Content-Location"] == location
    assert "Accept" in answer.headers["Vary"]
    if fmt:
        assert isomorphic(Graph().parse(data=answer.content, format=fmt), void)
    else:
        assert "CC BY-SA 4.0" in answer.text
    own = requests.get(url + location, timeout=10)
    assert own.headers["Content-Type"].split(";")[0] == content_type
    for ext in ("ttl", "jsonld", "nt", "rdf", "html"):
        assert f"</dataset.{ext}>" in answer.headers["Link"]


def test_406(url):
    answer = requests.get(url + "/dataset", headers={"Accept": "text/csv"}, timeout=10)
    assert answer.status_code == 406
    assert "text/turtle" in answer.text


def test_licence_publisher_and_sources(void, dataset: Dataset):
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert (DATASET, RDF.type, DCAT.Dataset) in void
    assert (
        DATASET,
        DCTERMS.license,
        URIRef("https://creativecommons.org/licenses/by-sa/4.0/"),
    ) in void
    assert void.value(void.value(DATASET, DCTERMS.publisher), FOAF.name) == Literal("election-kg")
    source_urls = {
        o for _, _, o, _ in dataset.quads((None, URIRef("https://schema.org/url"), None, None))
    }
    assert source_urls and set(void.objects(DATASET, DCTERMS.source)) == source_urls


def test_counts_match_the_manifest_and_the_dump(void, manifest, dataset: Dataset):
    assert void.value(DATASET, VOID.triples) == Literal(manifest["triples"])
    subjects = {s for s, _, _, _ in dataset.quads((None, None, None, None))}
    assert void.value(DATASET, VOID.distinctSubjects) == Literal(len(subjects))
    subsets = {
        void.value(s, URIRef("http://www.w3.org/ns/sparql-service-description#name")): void.value(
            s, VOID.triples
        )
        for s in void.objects(DATASET, VOID.subset)
    }
    for graph, size in manifest["graphs"].items():
        assert subsets[URIRef(graph)] == Literal(size)


def test_whole_dataset_figures_match_the_dump(void, dataset: Dataset):
    """The build computes these figures once (statistics.json); they must say what the dump says."""
    quads = set(dataset.quads((None, None, None, None)))
    triples = {(s, p, o) for s, p, o, _ in quads}
    assert void.value(DATASET, VOID.distinctObjects) == Literal(len({o for _, _, o in triples}))
    entities = {s for s, _, _ in triples if str(s).startswith(BASE + "id/")}
    assert void.value(DATASET, VOID.entities) == Literal(len(entities))
    instances: dict[URIRef, set] = {}
    for s, _, o in (t for t in triples if t[1] == RDF.type):
        instances.setdefault(o, set()).add(s)
    partitions = {
        void.value(part, VOID["class"]): int(void.value(part, VOID.entities))
        for part in void.objects(DATASET, VOID.classPartition)
    }
    assert partitions == {cls: len(members) for cls, members in instances.items()}
    assert void.value(DATASET, VOID.properties) == Literal(len({p for _, p, _ in triples}))


def test_example_resources_and_vocabularies_are_in_the_data(void, dataset: Dataset):
    examples = set(void.objects(DATASET, VOID.exampleResource))
    assert URIRef(BASE + "id/election/2007-algerian-parliamentary-election") in examples
    for example in examples:
        assert next(dataset.quads((example, None, None, None)), None) is not None
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    predicates = {str(p) for _, p, _, _ in dataset.quads((None, None, None, None))}
    assert all(any(p.startswith(v) for v in vocabularies) for p in predicates)


def test_endpoint_and_dumps(void, manifest):
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    dumps = {str(d) for d in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {f"{BASE}download/{e['file']}" for e in manifest["files"] if "format" in e}
    by_url = {
        str(void.value(d, DCAT.downloadURL)): d for d in void.objects(DATASET, DCAT.distribution)
    }
    for entry in manifest["files"]:
        if "format" not in entry:
            continue
        for file in (entry, entry["gzip"]):
            distribution = by_url[f"{BASE}download/{file['file']}"]
            assert int(void.value(distribution, DCAT.byteSize)) == file["bytes"]
            checksum = void.value(distribution, SPDX.checksum)
            assert str(void.value(checksum, SPDX.checksumValue)) == file["sha256"]


def test_linkset_to_wikidata_counts_the_links(void, dataset: Dataset):
    links = {
        (s, p, o)
        for s, p, o, _ in dataset.quads((None, None, None, None))
        if str(o).startswith(WIKIDATA) and p not in (RDF.object, RDF.subject)
    }
    linksets = [
        ls
        for ls in void.subjects(RDF.type, VOID.Linkset)
        if str(void.value(void.value(ls, VOID.objectsTarget), VOID.uriSpace)) == WIKIDATA
    ]
    assert linksets
    assert sum(int(void.value(ls, VOID.triples)) for ls in linksets) == len(links)
    same_as = next(ls for ls in linksets if void.value(ls, VOID.linkPredicate) == OWL.sameAs)
    assert int(void.value(same_as, VOID.triples)) == sum(1 for _, p, _ in links if p == OWL.sameAs)
    assert all(void.value(ls, VOID.subjectsTarget) == DATASET for ls in linksets)


def test_html_page_says_it_all(url, manifest):
    page = requests.get(url + "/dataset.html", timeout=10).text
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in page
    assert "https://en.wikipedia.org/wiki/2007_Algerian_parliamentary_election" in page
    assert f"{manifest['triples']:,}" in page
    assert "Wikidata" in page and "/sparql" in page and "/download" in page
