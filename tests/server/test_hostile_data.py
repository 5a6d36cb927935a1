"""Values that hold markup are shown as text: a real build of an article whose names are HTML and
script, served, and every page that shows them read back.

The article goes through the whole pipeline (ingest, graph, validation, dumps), so the markup sits
in labels exactly as a hostile or careless source would put it there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import requests

from election_kg.server.http.addresses import href
from tests.support.html import Tree
from tests.support.live import LiveServer, start_server, stop_server
from tests.support.project import ROOT, copy_project, run_cli

ARTICLE = """= 2003 Scriptland general election =

Infobox
- Country: Scriptland<iframe src="javascript:alert('country')">
- Seats For Election: 10 seats
- Election Date: 5 May 2003
- Party1: <script>alert("party")</script> People's Party
- Leader1: "><img src=x onerror=alert('leader')>
- Percentage1: 60.0
- Seats1: 6
- Party2: Green & </title><svg onload=alert('svg')> Party
- Percentage2: 40.0
- Seats2: 4

General elections were held in Scriptland <b>on</b> 5 May 2003.
"""
# what must never appear raw in a page (each would run, or change the page, if it did)
RAW = ["<script>alert", "<img src=x", "<svg onload", "<iframe src", "</title><svg", "<b>on</b>"]
ELECTION = "/page/election/2003-scriptland-general-election"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("hostile")
    article = folder / "2003_Scriptland_general_election.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    root = copy_project(
        folder / "project",
        [ROOT / "data" / "sources" / "2007_Algerian_parliamentary_election.txt", article],
    )
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    server = start_server(root / "data" / "dist", workers=1)
    yield server
    stop_server(server)


def _page(server: LiveServer, path: str) -> str:
    answer = requests.get(server.url + path, headers={"Accept": "text/html"}, timeout=30)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.text


def _links(html: str) -> list[str]:
    return sorted(
        {
            a.attrs["href"]
            for a in Tree(html).root.iter("a")
            if a.attrs.get("href", "").startswith("/page/")
        }
    )


def _assert_inert(path: str, html: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{raw!r} is raw on {path}"
    root = Tree(html).root
    assert not [
        e for e in root.iter() if e.tag in ("iframe", "svg") and "alert" in json.dumps(e.attrs)
    ], path
    assert not [e for e in root.iter() if any(name.startswith("on") for name in e.attrs)], (
        f"an event handler on {path}"
    )
    for script in root.iter("script"):
        if script.attrs.get("type") == "application/ld+json":
            json.loads(script.all_text())  # the JSON-LD block was not broken out of


def test_the_markup_is_in_the_data(hostile):
    answer = requests.get(
        hostile.url + "/sparql",
        params={"query": 'ASK { ?s ?p ?o FILTER(CONTAINS(STR(?o), "<script>alert")) }'},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert answer.json()["boolean"] is True


def test_the_election_page_shows_markup_as_text(hostile):
    html = _page(hostile, ELECTION)
    _assert_inert(ELECTION, html)
    assert (
        "&lt;script&gt;alert(&#34;party&#34;)&lt;/script&gt; People&#39;s Party" in html
        or "&lt;script&gt;alert(&quot;party&quot;)&lt;/script&gt;" in html
    )
    assert "Green &amp; &lt;/title&gt;&lt;svg onload=alert(&#39;svg&#39;)&gt; Party" in html


def test_every_linked_page_and_the_search_show_markup_as_text(hostile):
    pages = [
        path
        for path in _links(_page(hostile, ELECTION))
        if "scriptland" in path or "script" in path or "img" in path
    ]
    assert len(pages) >= 4, pages  # the parties, the leader, the country, the results
    for path in [*pages, "/", "/search?q=script", "/search?q=Green", "/search?q=img"]:
        _assert_inert(path, _page(hostile, path))
    assert any(
        "&lt;img src=x onerror=alert(&#39;leader&#39;)&gt;" in _page(hostile, p) for p in pages
    )


def test_data_answers_keep_the_values_exactly(hostile):
    answer = requests.get(
        hostile.url + "/sparql",
        params={
            "query": "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l "
            'FILTER(STRSTARTS(?l, "<script>")) }'
        },
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    labels = [row["l"]["value"] for row in answer.json()["results"]["bindings"]]
    assert (
        '<script>alert("party")</script> People\'s Party' in labels
    )  # escaping is for HTML only: data is data
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "iri",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_iris_with_other_schemes_never_become_live_links(iri):
    assert href("http://127.0.0.1:5000/", iri) == "#"
    assert (
        href("http://127.0.0.1:5000/", "https://www.wikidata.org/wiki/Q1")
        == "https://www.wikidata.org/wiki/Q1"
    )


def test_no_page_reflects_the_request_as_markup(hostile):
    hostile_path = "/page/party/%3Cscript%3Ealert(1)%3C%2Fscript%3E"
    answer = requests.get(hostile.url + hostile_path, headers={"Accept": "text/html"}, timeout=30)
    assert answer.status_code == 404 and "<script>alert(1)" not in answer.text
    search = requests.get(
        hostile.url + "/search", params={"q": '"><script>alert(1)</script>'}, timeout=30
    )
    assert search.status_code == 200 and "<script>alert(1)" not in search.text
    assert re.search(r'value="&#34;&gt;&lt;script&gt;|value="&quot;&gt;&lt;script&gt;', search.text)
