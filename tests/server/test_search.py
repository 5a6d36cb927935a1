"""`/search` against the real server: case- and accent-insensitive names, JSON and HTML, escaping."""

from __future__ import annotations

import pytest
import requests

BASE = "http://127.0.0.1:5000/"


def search(url: str, text: str) -> dict:
    answer = requests.get(f"{url}/search.json", params={"q": text}, timeout=30)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(
        "application/json"
    )
    return answer.json()


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Saïd Sadi", "person/algeria/said-sadi"),
        ("said sadi", "person/algeria/said-sadi"),
        ("SAÏD", "person/algeria/said-sadi"),
        ("hanoune", "person/algeria/louisa-hanoune"),
        ("workers party", "party/algeria/workers-party"),
        ("Workers’ Party", "party/algeria/workers-party"),
        ("rachad", "organisation/algeria/rachad"),
        ("constantine bomb", "election/2007-algerian-parliamentary-election/constantine-bombings"),
    ],
)
def test_names_match_whatever_the_case_or_accents(url, text, first):
    results = search(url, text)["results"]
    assert results and results[0]["iri"] == BASE + "id/" + first
    assert results[0]["page"] == "/page/" + first


def test_alternative_names_are_searched_too(url):
    fln = search(url, "FLN")["results"][0]
    assert fln["iri"] == BASE + "id/party/algeria/national-liberation-front"
    assert fln["label"] == "National Liberation Front" and fln["matched"] == "FLN"
    assert fln["matchedProperty"] == "skos:altLabel"
    islah = search(url, "islah party")["results"]
    assert BASE + "id/party/algeria/movement-for-national-reform" in [r["iri"] for r in islah]


def _order(result: dict, query: str) -> tuple:
    """The promised order: exact, then starting with the query, then a word starting with it, then
    containing it, then every word; names before alternative names; shorter names first."""
    name = result["matched"].lower()
    category = (
        0
        if name == query
        else 1
        if name.startswith(query)
        else 2
        if f" {query}" in f" {name}"
        else 3
        if query in name
        else 4
    )
    return (category, result["matchedProperty"] == "skos:altLabel", len(name), name)


@pytest.mark.parametrize("text", ["front", "national", "national front"])
def test_each_resource_is_listed_once_and_best_matches_first(url, text):
    results = search(url, text)["results"]
    iris = [r["iri"] for r in results]
    assert len(iris) == len(set(iris)) and len(iris) >= 5
    assert all(all(w in r["matched"].lower() for w in text.split()) for r in results)
    keys = [_order(r, text) for r in results]
    assert keys == sorted(keys), [r["matched"] for r in results]
    # the order is put to the test: the results mix kinds of match (all match "front" and
    # "national" at a word start, so there the length decides)
    assert len({key[0] for key in keys}) > 1 or text in ("front", "national")


def test_best_matches_first_for_a_known_query(url):
    results = search(url, "front")["results"]  # all match at a word start: shortest first
    assert [r["iri"].removeprefix(BASE + "id/") for r in results[:5]] == [
        "party/algeria/future-front",
        "party/libya/national-front-party",
        "party/algeria/socialist-forces-front",
        "party/algeria/algerian-national-front",
        "party/botswana/botswana-national-front",
    ]
    national = [r["matched"] for r in search(url, "national")["results"]]
    assert national[:3] == ["National Assembly", "Nationalist Party", "National Front Party"]
    assert national.index("National Liberation Front") > national.index("National Democratic Front")


def test_empty_and_unmatched_queries(url):
    assert search(url, "")["results"] == []
    assert search(url, "zzzz-nothing")["count"] == 0
    too_long = requests.get(f"{url}/search.json", params={"q": "x" * 500}, timeout=30)
    assert too_long.status_code == 400


def test_search_negotiates_html_or_json(url):
    as_json = requests.get(
        f"{url}/search", params={"q": "sadi"}, headers={"Accept": "application/json"}, timeout=30
    )
    assert as_json.headers["Content-Type"].startswith("application/json")
    assert as_json.json()["results"][0]["label"] == "Saïd Sadi"
    as_html = requests.get(
        f"{url}/search", params={"q": "sadi"}, headers={"Accept": "text/html"}, timeout=30
    )
    assert as_html.headers["Content-Type"].startswith("text/html")
    assert 'href="/page/person/algeria/said-sadi"' in as_html.text
    for answer in (as_json, as_html):
        assert "Accept" in answer.headers["Vary"]
        assert "/search.json?q=sadi" in answer.headers["Link"]


def test_the_query_is_escaped_in_the_page(url):
    hostile = '"><script>alert(1)</script>'
    html = requests.get(
        f"{url}/search", params={"q": hostile}, headers={"Accept": "text/html"}, timeout=30
    ).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
