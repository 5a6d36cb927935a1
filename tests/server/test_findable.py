"""Findable and usable without SPARQL: robots.txt, sitemap.xml, the schema.org Dataset on the home
and dataset pages (read with a JSON-LD parser, context inline), the tables on /download, and a
CSV that equals the endpoint's answer to the published query over the same release."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
import requests
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from election_kg.server.serve import base_mismatch
from tests.support.live import serving

SDO = Namespace("https://schema.org/")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_robots_points_at_the_sitemap_and_keeps_crawlers_off_queries(url):
    answer = requests.get(url + "/robots.txt", timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/plain")
    lines = answer.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {url}/sitemap.xml" in lines
    assert "Disallow: /sparql?" in lines and "Allow: /" in lines


def test_sitemap_lists_every_page_of_the_release(url, dataset):
    answer = requests.get(url + "/sitemap.xml", timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(
        "application/xml"
    )
    assert answer.headers["ETag"]  # cached per release, revalidated with a 304
    again = requests.get(
        url + "/sitemap.xml", headers={"If-None-Match": answer.headers["ETag"]}, timeout=10
    )
    assert again.status_code == 304
    locs = [e.text for e in ET.fromstring(answer.content).iter(f"{SITEMAP}loc")]
    assert len(locs) == len(set(locs))
    for page in ("/", "/dataset", "/download", "/sparql", "/ontology", "/validation"):
        assert url + page in locs
    base = "http://127.0.0.1:5000/"
    subjects = {str(s) for s, _, _, _ in dataset.quads() if str(s).startswith(base + "id/")}
    assert len(subjects) > 1000  # every graph's subjects, not only the (empty) default graph's
    pages = {url + "/page/" + s[len(base + "id/") :] for s in subjects}
    site = {
        url + "/" + path for path in ("", "dataset", "download", "sparql", "ontology", "validation")
    }
    assert set(locs) == pages | site  # every resource the data describes, and nothing else
    assert url + "/page/election/2007-algerian-parliamentary-election" in locs
    for loc in (locs[0], locs[6], locs[len(locs) // 2], locs[-1]):
        assert requests.get(loc, timeout=10).status_code == 200, loc


@pytest.fixture(scope="module")
def small_sitemaps(built):
    """A server whose sitemaps hold 40 URLs each: the seed's pages need an index."""
    with serving("embedded", built.dist, env={"ELECTION_KG_SITEMAP_SIZE": "40"}) as server:
        yield server.url


def test_past_the_size_limit_the_sitemap_is_an_index_of_numbered_sitemaps(small_sitemaps, url):
    index = requests.get(small_sitemaps + "/sitemap.xml", timeout=10)
    assert index.status_code == 200
    root = ET.fromstring(index.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    parts = [e.text for e in root.iter(f"{SITEMAP}loc")]
    assert parts[0] == small_sitemaps + "/sitemap-1.xml" and len(parts) > 1
    listed: list[str] = []
    for part in parts:
        answer = requests.get(part, timeout=10)
        assert answer.status_code == 200 and answer.headers["ETag"]
        locs = [e.text for e in ET.fromstring(answer.content).iter(f"{SITEMAP}loc")]
        assert 0 < len(locs) <= 40
        listed += locs
    whole = requests.get(url + "/sitemap.xml", timeout=10).content  # the same release, unsplit
    expected = [e.text for e in ET.fromstring(whole).iter(f"{SITEMAP}loc")]
    assert listed == [loc.replace(url, small_sitemaps, 1) for loc in expected]
    past = small_sitemaps + f"/sitemap-{len(parts) + 1}.xml"
    assert requests.get(past, timeout=10).status_code == 404
    assert requests.get(small_sitemaps + "/sitemap-0.xml", timeout=10).status_code == 404


def test_one_sitemap_needs_no_numbered_files(url):
    assert requests.get(url + "/sitemap-1.xml", timeout=10).status_code == 404


def _dataset_graph(html: str, page_url: str) -> Graph:
    blocks = [json.loads(b) for b in JSONLD.findall(html)]
    found = [b for b in blocks if b.get("@type") == "Dataset"]
    assert len(found) == 1
    assert isinstance(found[0]["@context"], dict)  # inline: no reader needs to fetch schema.org
    return Graph().parse(data=json.dumps(found[0]), format="json-ld", publicID=page_url)


@pytest.mark.parametrize("page", ["/", "/dataset"])
def test_home_and_dataset_pages_describe_the_dataset_in_schema_org(url, manifest, page):
    answer = requests.get(url + page, headers={"Accept": "text/html"}, timeout=10)
    assert answer.status_code == 200
    g = _dataset_graph(answer.text, url + page)
    (ds,) = g.subjects(RDF.type, SDO.Dataset)
    assert g.value(ds, SDO.name) == Literal("election-kg")
    assert g.value(ds, SDO.description)
    assert g.value(ds, SDO.license) == URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
    start, _, end = str(g.value(ds, SDO.temporalCoverage)).partition("/")
    assert start <= "2007-05-17" <= (end or start)  # the span of the elections with results
    places = {g.value(p, SDO.name): p for p in g.objects(ds, SDO.spatialCoverage)}
    assert {Literal("Algeria"), Literal("Colombia"), Literal("Malta")} <= set(places)
    assert g.value(places[Literal("Algeria")], SDO.sameAs) == URIRef(
        "http://www.wikidata.org/entity/Q262"
    )
    assert URIRef("https://en.wikipedia.org/wiki/2007_Algerian_parliamentary_election") in set(
        g.objects(ds, SDO.isBasedOn)
    )
    downloads = {
        str(g.value(d, SDO.contentUrl)): str(g.value(d, SDO.encodingFormat))
        for d in g.objects(ds, SDO.distribution)
    }
    for entry in manifest["files"]:
        assert f"{url}/download/{entry['file']}" in downloads
    assert downloads[f"{url}/download/results.csv"] == "text/csv"
    assert downloads[f"{url}/download/election-kg.ttl"] == "text/turtle"
    assert downloads[f"{url}/sparql"] == "application/sparql-results+json"


def test_downloads_list_the_tables_with_checksums(url, manifest):
    listing = requests.get(url + "/download.json", timeout=10).json()
    files = {f["file"]: f for f in listing["files"]}
    entries = {e["file"]: e for e in manifest["files"]}
    for name, media_type in (
        ("results.csv", "text/csv"),
        ("elections.csv", "text/csv"),
        ("datapackage.json", "application/json"),
        ("results.rq", "application/sparql-query"),
    ):
        assert files[name]["mediaType"] == media_type
        assert files[name]["sha256"] == entries[name]["sha256"]
    page = requests.get(url + "/download.html", timeout=10).text
    assert 'href="' + url + '/download/results.csv"' in page
    assert "Frictionless" in page
    answer = requests.get(
        url + "/download/results.csv", headers={"Accept-Encoding": "identity"}, timeout=10
    )
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.headers["ETag"] == f'"{entries["results.csv"]["sha256"]}"'


def test_each_csv_equals_the_endpoints_answer_to_its_query(url, sparql_url):
    for name in ("results", "elections"):
        query = requests.get(f"{url}/download/{name}.rq", timeout=10).text
        answer = requests.post(
            sparql_url, data={"query": query}, headers={"Accept": "text/csv"}, timeout=30
        )
        assert answer.status_code == 200, answer.text
        published = requests.get(f"{url}/download/{name}.csv", timeout=10).content
        assert answer.content == published


def test_csv_rows_agree_with_an_independent_query(sparql_url, url):
    query = """PREFIX ek: <http://127.0.0.1:5000/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?result ?name ?seats ?share WHERE {
  ?result a ek:ElectionResult ; ek:contestant/rdfs:label ?name ; ek:seatsWon ?seats ; ek:voteShare ?share
}"""
    answer = requests.post(
        sparql_url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    ).json()
    expected = {
        (b["result"]["value"], b["name"]["value"], b["seats"]["value"], b["share"]["value"])
        for b in answer["results"]["bindings"]
    }
    text = requests.get(f"{url}/download/results.csv", timeout=10).content.decode("utf-8")
    rows = csv.DictReader(io.StringIO(text, newline=""))
    assert {
        (r["result"], r["contestant_label"], r["seats"], r["vote_share"])
        for r in rows
        if r["seats"] and r["vote_share"]  # the rows the independent query can match
    } == expected


def test_resource_pages_link_to_a_ready_query(url):
    for path in (
        "/page/party/workers-party",
        "/page/election/2007-algerian-parliamentary-election",
    ):
        html = requests.get(url + path, timeout=10).text
        found = re.search(r'<p class="query-link"><a href="([^"]+)"', html)
        assert found and found.group(1).startswith("/sparql#query=")
        assert "%3Chttp%3A%2F%2F127.0.0.1%3A5000%2Fid%2F" in found.group(1)


def test_query_page_carries_the_dataset_prefix_table(url):
    html = requests.get(url + "/sparql", headers={"Accept": "text/html"}, timeout=10).text
    block = re.search(r'<script type="application/json" id="dataset-prefixes">(.*?)</script>', html)
    assert block
    table = json.loads(block.group(1))
    assert table["ek"] == "http://127.0.0.1:5000/ontology#"
    assert table["schema"] == "https://schema.org/"


def test_serve_warns_when_the_build_is_for_another_address():
    assert base_mismatch("http://127.0.0.1:5000/", "127.0.0.1", 5000) is None
    assert base_mismatch("http://127.0.0.1:5055/", "0.0.0.0", 5055) is None
    message = base_mismatch("http://127.0.0.1:5000/", "127.0.0.1", 5055)
    assert message and "http://127.0.0.1:5000/" in message
    assert "election-kg build --base http://127.0.0.1:5055/" in message
    assert "make run PORT=5055" in message
