"""A person's view of the data without SPARQL syntax: the query page shows IRIs with the dataset's
prefixes and literals as plain values, a resource page opens a ready query about itself, and the
results table downloads as CSV from /download."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

PARTY = "/page/party/workers-party"


def _cells(page) -> list[str]:
    return page.eval_on_selector_all(".yasr table tbody td", "cells => cells.map(c => c.innerText)")


def test_query_results_are_compacted_iris_and_plain_values(page, live_server, artifacts):
    query = (
        "PREFIX ek: <http://127.0.0.1:5000/ontology#>\n"
        "SELECT ?result ?type ?share WHERE { ?result a ?type ; ek:voteShare ?share ; "
        "ek:seatsWon 26 }"
    )
    page.goto(live_server.url + "/sparql#query=" + quote(query, safe=""))
    page.wait_for_selector(".yasr table tbody tr", timeout=15_000)
    cells = _cells(page)
    assert "ek:ElectionResult" in cells  # the class, written with the dataset's prefix
    assert "5.09" in cells  # the vote share as a value, not "5.09"^^<…#decimal>
    assert not any("^^" in c or "XMLSchema" in c for c in cells)
    share = page.locator(".yasr table tbody span.literal", has_text="5.09").first
    assert share.get_attribute("title") == "xsd:decimal"  # the datatype, on hover
    page.screenshot(path=str(artifacts / "query-page-compact.png"), full_page=True)
    assert page.console_errors == []
    assert page.outside_requests == []


def test_prefix_completion_offers_the_dataset_prefixes(page, live_server):
    page.goto(live_server.url + "/sparql")
    page.wait_for_selector(".yasgui .CodeMirror")
    offered = page.evaluate(
        """() => Yasgui.Yasqe.Autocompleters.datasetPrefixes.get().then(list => list)"""
    )
    assert "ek: <http://127.0.0.1:5000/ontology#>" in offered
    assert "schema: <https://schema.org/>" in offered
    assert len(offered) < 30  # the dataset's table, not prefix.cc's thousands
    assert page.outside_requests == []


def test_a_resource_page_opens_a_ready_query_about_it(page, live_server):
    page.goto(live_server.url + PARTY)
    link = page.locator(".page-head .query-link a")
    assert link.count() == 1
    link.click()
    page.wait_for_url("**/sparql**")
    page.wait_for_selector(".yasr table tbody tr", timeout=15_000)
    text = page.locator(".yasr table").inner_text()
    assert "rdfs:label" in text and "Workers' Party" in text
    assert "owl:sameAs" in text and "wd:Q627196" in text
    assert page.console_errors == []
    assert page.outside_requests == []


def test_the_results_csv_downloads_from_the_downloads_page(page, live_server, built):
    page.goto(live_server.url + "/download")
    with page.expect_download() as info:
        page.click("ul.tables a[href$='/download/results.csv']")
    download = info.value
    assert download.suggested_filename == "results.csv"
    raw = download.path().read_bytes()
    assert raw == (built.dist / "results.csv").read_bytes()  # the published file, byte for byte
    body = raw.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    workers = next(r for r in rows if r["contestant_label"] == "Workers' Party")
    assert (workers["seats"], workers["vote_share"], workers["wikidata"]) == (
        "26",
        "5.09",
        "Q627196",
    )
