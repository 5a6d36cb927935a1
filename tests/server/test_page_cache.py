"""Pages made once per release: the second request for a page is answered from the worker's cache,
byte for byte the same, with the same ETag and a 304 for a matching If-None-Match; answers that
depend on more than the URL and Accept, and errors, are never kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.support.live import LiveServer, start_server, stop_server

ELECTION = "/page/election/2007-algerian-parliamentary-election"


@pytest.fixture(scope="module")
def one_worker(built) -> Iterator[LiveServer]:
    """One HTTP worker, so that consecutive requests meet the same cache."""
    server = start_server(built.dist, workers=1)
    yield server
    stop_server(server)


@pytest.mark.parametrize(
    "path", [ELECTION, "/", "/data/election/2007-algerian-parliamentary-election.ttl", "/ontology"]
)
def test_second_request_is_a_hit_with_the_same_answer(one_worker, path):
    first = requests.get(one_worker.url + path + "?probe=" + path.replace("/", "-"), timeout=30)
    second = requests.get(one_worker.url + path + "?probe=" + path.replace("/", "-"), timeout=30)
    assert first.status_code == second.status_code == 200
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["Content-Type"] == second.headers["Content-Type"]
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_a_hit_still_answers_304_to_a_matching_etag(one_worker):
    tag = requests.get(one_worker.url + ELECTION, timeout=30).headers["ETag"]
    again = requests.get(one_worker.url + ELECTION, headers={"If-None-Match": tag}, timeout=30)
    assert again.status_code == 304 and again.content == b""


def test_the_accept_header_is_part_of_the_key(one_worker):
    turtle = requests.get(
        one_worker.url + "/dataset", headers={"Accept": "text/turtle"}, timeout=30
    )
    html = requests.get(one_worker.url + "/dataset", headers={"Accept": "text/html"}, timeout=30)
    turtle_again = requests.get(
        one_worker.url + "/dataset", headers={"Accept": "text/turtle"}, timeout=30
    )
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    assert html.headers["Content-Type"].startswith("text/html")
    assert turtle_again.headers["X-Cache"] == "hit" and turtle_again.content == turtle.content


def test_errors_search_and_queries_are_never_kept(one_worker):
    for _ in range(2):
        missing = requests.get(one_worker.url + "/page/party/no-such-party", timeout=30)
        assert missing.status_code == 404 and missing.headers.get("X-Cache") != "hit"
        found = requests.get(one_worker.url + "/search", params={"q": "Workers"}, timeout=30)
        assert "X-Cache" not in found.headers
