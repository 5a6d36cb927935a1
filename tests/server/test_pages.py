"""The HTML pages against the real server: the election page's content, generic pages, provenance
links, schema.org JSON-LD, escaping, and no inline scripts or external assets."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
import requests

from tests.support.html import Element, Tree

ELECTION = "/page/election/2007-algerian-parliamentary-election"


@pytest.fixture(scope="module")
def election(url):
    answer = requests.get(url + ELECTION, timeout=30)
    assert answer.status_code == 200
    return answer


@pytest.fixture(scope="module")
def tree(election) -> Element:
    return Tree(election.text).root


def test_results_table_has_every_result_and_the_seats_add_up(tree):
    table = tree.find("table", id="results")
    rows = list(table.find("tbody").iter("tr"))
    assert len(rows) == 24
    seats = [int(row.children[3].attrs["data-value"]) for row in rows]
    assert sum(seats) == 389
    assert seats == sorted(seats, reverse=True)
    headers = [th.all_text().strip() for th in table.find("thead").iter("th")]
    assert headers == ["Party", "Leader", "Votes %", "Seats", "Previous seats", "Change"]
    assert all(th.attrs.get("scope") == "col" for th in table.find("thead").iter("th"))
    first = rows[0]
    assert "National Liberation Front" in first.children[0].all_text()
    assert "Abdelaziz Belkhadem" in first.children[1].all_text()
    assert [c.attrs["data-value"] for c in first.children[2:]] == ["22.95", "136", "199", "-63"]
    assert table.find("td", id="seats-total").all_text().strip() == "389"


def test_hemicycle_has_a_seat_for_every_seat_won(tree):
    svg = tree.find("svg", class_="hemicycle")
    assert svg.attrs["role"] == "img" and svg.attrs["aria-labelledby"]
    assert svg.find("title").all_text().startswith("Seats won")
    assert len(list(svg.iter("circle", class_="seat"))) == 389
    parties = list(svg.iter("g", class_="party"))
    assert sum(int(g.attrs["data-seats"]) for g in parties) == 389
    assert [len(list(g.iter("circle"))) for g in parties] == [
        int(g.attrs["data-seats"]) for g in parties
    ]
    assert (
        parties[0].attrs["data-party"] == "National Liberation Front"
        and parties[0].attrs["data-seats"] == "136"
    )


def test_summary_keeps_the_sources_qualifiers(tree):
    summary = {
        item.find("dt").all_text().strip(): item.find("dd").all_text()
        for item in tree.find("dl", class_="summary").iter("div")
    }
    assert "17 May 2007" in summary["Date"]
    assert "Algeria" in summary["Country"]
    assert "People's National Assembly" in summary["Legislature"]
    assert summary["Seats contested"].startswith("389") and summary["Majority needed"].startswith(
        "195"
    )
    assert "35.67%" in summary["Turnout"] and "−10.5 pp" in summary["Turnout"]
    assert "about 18.8 million" in summary["Registered voters"]
    assert "more than 12,000" in summary["Candidates"]


def test_boycott_calls_and_events_form_a_timeline(election, tree):
    boycotts = tree.find("h2", id="boycott-heading").parent.all_text()
    for caller in (
        "Socialist Forces Front",
        "Rachad",
        "Abbassi Madani",
        "Al-Qaeda Organization in the Islamic Maghreb",
    ):
        assert caller in boycotts
    assert "consistently rigged" in boycotts
    dates = [t.attrs["datetime"] for t in tree.find("ol", class_="timeline").iter("time")]
    assert dates == sorted(dates) and dates[0] == "2007-05-16" and dates[-1] == "2007-05-30"
    timeline = tree.find("h2", id="timeline-heading").parent.all_text()
    for event in (
        "Bombings in Constantine",
        "Main voting day",
        "Confirmation of the results",
        "Rejection of appeals",
        "report of irregularities",
        "retraction and apology",
    ):
        assert event in timeline


def test_every_citation_points_at_a_quoted_source(election, tree):
    anchors = set(re.findall(r'href="#(src-\d+)"', election.text))
    assert len(anchors) > 50
    sources = {li.attrs["id"]: li for li in tree.find("ol", class_="sources").iter("li")}
    assert anchors <= set(sources)
    assert any("lowest in Algerian history" in li.all_text() for li in sources.values())
    # A cell's value links to its own infobox line: the Workers' Party's 26 seats to "- Seats4: 26".
    row = next(
        r
        for r in tree.find("table", id="results").find("tbody").iter("tr")
        if "Workers' Party" in r.children[0].all_text()
    )
    link = row.children[3].find("a", class_="sourced")
    assert sources[link.attrs["href"][1:]].find("blockquote").all_text().strip() == "- Seats4: 26"


def test_pages_embed_schema_org_and_list_alternates(url, election):
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', election.text, re.S).group(
            1
        )
    )
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert (
        data["startDate"] == "2007-05-17" and data["name"] == "2007 Algerian parliamentary election"
    )
    assert "http://www.wikidata.org/entity/Q1500016" in data["sameAs"]
    links = requests.utils.parse_header_links(election.headers["Link"])
    assert {link["type"] for link in links} == {
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
    }
    person = requests.get(url + "/page/person/algeria/louisa-hanoune", timeout=30).text
    assert (
        json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', person, re.S).group(1)
        )["@type"]
        == "Person"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("party/algeria/workers-party", ["Workers' Party", "contestant", "wd:Q627196"]),
        ("person/algeria/louisa-hanoune", ["Louisa Hanoune", "wd:Q269903"]),
        ("organisation/algeria/rachad", ["Rachad", "newly formed organisation"]),
        (
            "election/2007-algerian-parliamentary-election/constantine-bombings",
            ["Bombings in Constantine", "16 May 2007", "Constantine"],
        ),
        (
            "election/2007-algerian-parliamentary-election/result-workers-party",
            ["vote share", "5.09", "26"],
        ),
        (
            "election/2007-algerian-parliamentary-election/registered-voters",
            ["about 18.8 million", "18.8 million voters"],
        ),
        (
            "source/2007-algerian-parliamentary-election/238-266",
            ["- Turnout: 35.67% ( 10.50pp)", "Line 10"],
        ),
        ("election/2002-algerian-parliamentary-election", ["2002 Algerian parliamentary election"]),
    ],
)
def test_generic_pages(url, path, expected):
    answer = requests.get(f"{url}/page/{path}", timeout=30)
    assert answer.status_code == 200
    text = Tree(answer.text).root.find("main").all_text()
    for fragment in expected:
        assert fragment in text


def test_values_are_escaped(url, election):
    assert "Workers&#39; Party" in election.text or "Workers&#x27; Party" in election.text
    assert "Workers' Party<" not in election.text
    hostile = "<script>alert(1)</script>"
    answer = requests.get(f"{url}/page/party/{quote(hostile)}", timeout=30)
    assert answer.status_code == 404
    assert hostile not in answer.text and "&lt;script&gt;" in answer.text


@pytest.mark.parametrize(
    "path",
    [ELECTION, "/page/party/algeria/workers-party", "/ontology", "/search?q=front", "/", "/sparql"],
)
def test_no_inline_scripts_and_no_external_assets(url, path):
    html = requests.get(url + path, headers={"Accept": "text/html"}, timeout=30).text
    root = Tree(html).root
    for script in root.iter("script"):
        if script.attrs.get("type") in ("application/ld+json", "application/json"):
            continue
        assert script.attrs.get("src", "").startswith("/"), f"inline or external script on {path}"
        assert not script.all_text().strip()
    for link in root.iter("link"):
        assert link.attrs["href"].startswith("/"), f"external asset {link.attrs['href']} on {path}"
    assert " style=" not in html.split("<body", 1)[1], f"inline style on {path}"
    assert root.find("main") and root.find("nav") and root.find("header") and root.find("footer")


def test_ontology_page_documents_every_term(url):
    html = requests.get(url + "/ontology", headers={"Accept": "text/html"}, timeout=30).text
    root = Tree(html).root
    vote_share = root.find("section", id="voteShare")
    text = vote_share.all_text()
    assert "vote share" in text and "election result" in text  # its label and its domain
    assert "decimal" in text
    legislative = root.find("section", id="LegislativeElection").all_text()
    assert "wd:Q2618461" in legislative  # its alignment to Wikidata


def test_home_lists_the_elections(url):
    root = Tree(requests.get(url + "/", timeout=30).text).root
    links = [a.attrs["href"] for a in root.find("main").iter("a")]
    assert ELECTION in links
