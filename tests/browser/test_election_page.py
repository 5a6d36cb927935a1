"""A person's view: headless Chromium opens the election page, sorts the results table, looks at
the hemicycle, runs an example in the query page and sees its results. Screenshots are saved in
tests/artifacts/ for people to look at."""

from __future__ import annotations

ELECTION = "/page/election/2007-algerian-parliamentary-election"


def _column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "#results tbody tr", f"rows => rows.map(r => r.cells[{index}].dataset.value)"
    )


def test_election_page_table_sorts_and_hemicycle_shows_every_seat(page, live_server, artifacts):
    page.goto(live_server.url + ELECTION)
    assert page.locator("h1").inner_text().startswith("2007 Algerian parliamentary election")
    assert page.locator("#results tbody tr").count() == 24
    seats = [int(v) for v in _column(page, 3)]
    assert seats == sorted(seats, reverse=True) and sum(seats) == 389
    assert page.locator("svg.hemicycle circle.seat").count() == 389
    assert page.locator("svg.hemicycle").is_visible()
    page.screenshot(path=str(artifacts / "election-page.png"), full_page=False)
    page.locator("section.parliament").screenshot(path=str(artifacts / "hemicycle.png"))

    page.click("#results thead th:nth-child(1) button")  # Party, A to Z
    names = _column(page, 0)
    assert names == sorted(names, key=str.lower)
    assert page.get_attribute("#results thead th:nth-child(1)", "aria-sort") == "ascending"
    page.click("#results thead th:nth-child(1) button")  # again: Z to A
    assert _column(page, 0) == sorted(names, key=str.lower, reverse=True)

    page.click("#results thead th:nth-child(6) button")  # Change, largest first
    changes = [int(v) for v in _column(page, 5)]
    assert changes == sorted(changes, reverse=True) and changes[-1] == -63
    assert page.get_attribute("#results thead th:nth-child(6)", "aria-sort") == "descending"
    page.locator("#results").screenshot(path=str(artifacts / "results-sorted-by-change.png"))

    assert page.console_errors == []
    assert page.outside_requests == []


def test_a_value_leads_to_its_quote(page, live_server):
    page.goto(live_server.url + ELECTION)
    voters = page.locator("dl.summary .item", has_text="Registered voters")
    assert "about 18.8 million" in voters.inner_text()  # the source's qualifier is kept
    source = voters.locator("sup.cite a").first.get_attribute("href")
    assert source and source.startswith("#src-")
    assert "18.8 million voters" in page.locator(f"li{source} blockquote").inner_text()


def test_query_page_runs_an_example_and_shows_results(page, live_server, artifacts):
    page.goto(live_server.url + "/sparql")
    page.wait_for_selector(".yasgui .CodeMirror")
    page.click("button.example[data-example='06-party-leaders']")
    page.wait_for_selector(".yasr table tbody tr", timeout=15_000)
    rows = page.locator(".yasr table tbody tr")
    assert rows.count() == 7
    assert "Louisa Hanoune" in page.locator(".yasr table").inner_text()
    page.screenshot(path=str(artifacts / "query-page.png"), full_page=True)
    assert page.console_errors == []
    assert page.outside_requests == []
