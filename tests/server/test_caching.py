"""ETags for the data version and format on every data answer, and 304 for a matching If-None-Match."""

from __future__ import annotations

import pytest
import requests

ASK = "ASK { ?s ?p ?o }"
CASES = [
    # (path, params, Accept)
    ("/sparql", {"query": ASK}, "application/sparql-results+json"),
    ("/sparql", {"query": "CONSTRUCT WHERE { ?s a ?o } LIMIT 3"}, "text/turtle"),
    ("/sparql", {}, "text/turtle"),
    ("/dataset", {}, "text/turtle"),
    ("/dataset", {}, "text/html"),
    ("/.well-known/void", {}, "application/ld+json"),
    ("/dataset.nt", {}, None),
    ("/download", {}, "application/json"),
    ("/download.html", {}, None),
    ("/health", {}, None),
    ("/", {}, "text/html"),
]


@pytest.mark.parametrize(("path", "params", "accept"), CASES)
def test_etag_and_304(url, manifest, path, params, accept):
    headers = {"Accept": accept} if accept else {}
    first = requests.get(url + path, params=params, headers=headers, timeout=10)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and manifest["dataVersion"] in etag
    again = requests.get(
        url + path, params=params, headers={**headers, "If-None-Match": etag}, timeout=10
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    other = requests.get(
        url + path,
        params=params,
        headers={**headers, "If-None-Match": 'W/"something-else"'},
        timeout=10,
    )
    assert other.status_code == 200
    listed = requests.get(
        url + path, params=params, headers={**headers, "If-None-Match": f'"x", {etag}'}, timeout=10
    )
    assert listed.status_code == 304


def test_every_worker_gives_the_same_etag(url):
    tags = {
        requests.get(url + "/sparql", params={"query": ASK}, timeout=10).headers["ETag"]
        for _ in range(8)
    }
    assert len(tags) == 1


def test_each_format_has_its_own_etag(url):
    tags = {
        accept: requests.get(url + "/dataset", headers={"Accept": accept}, timeout=10).headers[
            "ETag"
        ]
        for accept in ("text/turtle", "application/ld+json", "text/html")
    }
    assert len(set(tags.values())) == 3
    turtle = requests.get(
        url + "/dataset",
        headers={"Accept": "text/turtle", "If-None-Match": tags["text/html"]},
        timeout=10,
    )
    assert turtle.status_code == 200


def test_post_is_never_answered_304(url):
    first = requests.post(url + "/sparql", data={"query": ASK}, timeout=10)
    again = requests.post(
        url + "/sparql",
        data={"query": ASK},
        headers={"If-None-Match": first.headers["ETag"]},
        timeout=10,
    )
    assert again.status_code == 200
    assert again.json()["boolean"] is True


def test_errors_carry_no_etag(url):
    answer = requests.get(url + "/sparql", params={"query": "nonsense"}, timeout=10)
    assert answer.status_code == 400
    assert "ETag" not in answer.headers
