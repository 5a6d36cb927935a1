"""The pages of a corpus against the real server: elections by country on the home page, a country's
page, a party's results election by election, a presidential election's votes, a candidate's record."""

from __future__ import annotations

import pytest
import requests

from tests.support.html import Element, Tree
from tests.support.live import serving


def page(url: str, path: str) -> Element:
    answer = requests.get(url + path, headers={"Accept": "text/html"}, timeout=30)
    assert answer.status_code == 200, path
    return Tree(answer.text).root


def record_rows(root: Element) -> list[list[str]]:
    """The "Results, election by election" table: election, date, role, votes, share, seats, previous."""
    table = root.find("table", id="record")
    return [
        [cell.all_text().replace("↗", "").strip() for cell in row.children]
        for row in table.find("tbody").iter("tr")
    ]


def test_the_home_page_lists_the_elections_grouped_by_country(url):
    root = page(url, "/")
    section = root.find("h2", id="elections-heading").parent
    countries = [h.all_text().strip() for h in section.iter("h3", class_="country")]
    assert countries == [
        "Albania",
        "Algeria",
        "Botswana",
        "Colombia",
        "Georgia",
        "Indonesia",
        "Libya",
        "Malaysia",
        "Malta",
        "Morocco",
        "Seychelles",
        "Sri Lanka",
        "Yemen",
    ]
    links = {a.attrs["href"] for a in section.iter("a")}
    assert "/page/country/algeria" in links
    assert {
        "/page/election/2007-algerian-parliamentary-election",
        "/page/election/2018-colombian-presidential-election",
    } <= links


@pytest.fixture(scope="module")
def countries_only(built):
    """A server whose home page lists at most five elections one by one: the corpus has more."""
    with serving("embedded", built.dist, env={"ELECTION_KG_HOME_ELECTIONS": "5"}) as server:
        yield server.url


def test_past_the_limit_the_home_page_lists_countries_with_their_counts(countries_only, url):
    full = page(url, "/").find("h2", id="elections-heading").parent
    expected, years = {}, {}
    children = full.children
    for i, heading in enumerate(children):
        if heading.tag == "h3":
            table = next(c for c in children[i + 1 :] if c.tag == "table")
            rows = list(table.find("tbody").iter("tr"))
            country = heading.all_text().strip()
            expected[country] = len(rows)
            years[country] = sorted(y for r in rows if (y := r.find("td").all_text()[:4]))
    root = page(countries_only, "/")
    table = root.find("table", id="countries")
    rows = [
        [cell.all_text().strip() for cell in row.children] for row in table.find("tbody").iter("tr")
    ]
    assert {row[0]: int(row[1]) for row in rows} == expected
    for country, _, span in rows:  # the oldest and newest year of the full list
        first, last = years[country][0], years[country][-1]
        assert span == (first if first == last else f"{first}–{last}")
    assert years["Algeria"][0] == "2002" and "2002–" in dict((r[0], r[2]) for r in rows)["Algeria"]
    links = {a.attrs["href"] for a in table.iter("a")}
    assert "/page/country/algeria" in links
    assert not any(
        link.startswith("/page/election/") for link in links
    )  # the country pages list them
    total = sum(expected.values())
    said = [p.all_text() for p in root.find("h2", id="elections-heading").parent.iter("p")]
    assert any(f"{total} elections in {len(expected)} countries" in text for text in said)


def test_a_country_page_lists_its_elections(url):
    root = page(url, "/page/country/algeria")
    links = {a.attrs.get("href") for a in root.iter("a")}
    assert {
        "/page/election/2007-algerian-parliamentary-election",
        "/page/election/2009-algerian-presidential-election",
        "/page/election/2019-algerian-presidential-election",
    } <= links
    assert "/page/election/2018-colombian-presidential-election" not in links


def test_a_party_page_has_its_results_election_by_election(url):
    root = page(url, "/page/party/algeria/national-liberation-front")
    assert root.find("h2", id="record-heading").all_text().strip() == (
        "Results, election by election"
    )
    rows = record_rows(root)
    assert rows[0] == [
        "2007 Algerian parliamentary election",
        "2007-05-17",
        "contestant",
        "",
        "22.95",
        "136",
        "199",
    ]
    # In 2009 its candidate (Abdelaziz Bouteflika) ran: the party's row says so.
    assert [r[0] for r in rows] == [
        "2007 Algerian parliamentary election",
        "2009 Algerian presidential election",
    ]
    assert rows[1][2] == "party of the candidate"


def test_a_presidential_election_page_shows_votes_and_candidates(url):
    root = page(url, "/page/election/2019-algerian-presidential-election")
    chart = root.find("svg", class_="chart")
    assert chart.find("title").all_text().strip()
    assert not list(root.iter("svg", class_="hemicycle"))  # no seats: no parliament chart
    table = root.find("table", id="results")
    headers = [th.all_text().strip() for th in table.find("thead").iter("th")]
    assert headers[0] == "Contestant" and "Votes" in headers and "Seats" not in headers
    rows = list(table.find("tbody").iter("tr"))
    assert len(rows) == 5
    first = rows[0]
    assert "Abdelmadjid Tebboune" in first.children[0].all_text()
    assert first.children[0].find("a").attrs["href"] == "/page/person/algeria/abdelmadjid-tebboune"
    votes = [int(r.children[headers.index("Votes")].attrs["data-value"]) for r in rows]
    assert votes[0] == 4947523 and votes == sorted(votes, reverse=True)


@pytest.mark.parametrize(
    ("person", "election", "votes", "share"),
    [
        ("abdelmadjid-tebboune", "2019 Algerian presidential election", "4947523", "58.13"),
        ("louisa-hanoune", "2009 Algerian presidential election", "649632", "4.5"),
    ],
)
def test_a_candidate_page_lists_the_result_once_as_candidate(url, person, election, votes, share):
    """A presidential result's contestant is its candidate: one row, in the role "candidate"."""
    rows = record_rows(page(url, f"/page/person/algeria/{person}"))
    assert [r for r in rows if r[0] == election] == [
        [election, rows[[r[0] for r in rows].index(election)][1], "candidate", votes, share, "", ""]
    ]
