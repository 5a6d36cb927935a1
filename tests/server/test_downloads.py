"""/download: the listing (HTML and JSON) and the files, checked against the manifest byte for byte."""

from __future__ import annotations

import gzip
import hashlib
from html.parser import HTMLParser

import pytest
import requests
from rdflib import Dataset, Graph

PARSERS = {
    "Turtle": "turtle",
    "JSON-LD": "json-ld",
    "N-Triples": "nt",
    "N-Quads": "nquads",
    "TriG": "trig",
}


def raw(url: str, **headers: str) -> requests.Response:
    """A GET whose body is the bytes as sent (requests would otherwise undo Content-Encoding)."""
    answer = requests.get(url, headers=headers, stream=True, timeout=10)
    answer._content = answer.raw.read(decode_content=False)
    return answer


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_json_listing_is_the_manifest(url, manifest):
    answer = requests.get(url + "/download", headers={"Accept": "application/json"}, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Content-Location"] == "/download.json"
    listing = answer.json()
    assert listing["dataVersion"] == manifest["dataVersion"]
    assert [f["file"] for f in listing["files"]] == [f["file"] for f in manifest["files"]]
    for item, entry in zip(listing["files"], manifest["files"], strict=True):
        assert (item["bytes"], item["sha256"]) == (entry["bytes"], entry["sha256"])
        assert item["gzip"]["sha256"] == entry["gzip"]["sha256"]
        assert item["url"] == f"{url}/download/{entry['file']}"
        if "triples" in entry:
            assert (item["triples"], item["format"], item["mediaType"]) == (
                entry["triples"],
                entry["format"],
                entry["mediaType"],
            )


def test_html_listing_links_every_file_and_shows_its_checksum(url, manifest):
    answer = requests.get(url + "/download", headers={"Accept": "text/html,*/*;q=0.8"}, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    page = Links()
    page.feed(answer.text)
    text = " ".join(page.text)
    for entry in manifest["files"]:
        assert f"{url}/download/{entry['file']}" in page.hrefs
        assert f"{url}/download/{entry['gzip']['file']}" in page.hrefs
        assert entry["sha256"] in text
    assert 'rel="alternate"' in answer.headers["Link"]
    assert not any(
        h.startswith(("http://", "https://")) and not h.startswith(url)
        for h in page.hrefs
        if "/download/" in h
    )


def test_listing_urls_per_format(url):
    assert requests.get(url + "/download.json", timeout=10).json()["files"]
    assert (
        requests.get(url + "/download.html", timeout=10)
        .headers["Content-Type"]
        .startswith("text/html")
    )
    assert (
        requests.get(url + "/download", headers={"Accept": "text/csv"}, timeout=10).status_code
        == 406
    )


def test_every_file_matches_its_checksum_plain_and_gzipped(url, manifest):
    for entry in manifest["files"]:
        file_url = f"{url}/download/{entry['file']}"
        plain = raw(file_url, **{"Accept-Encoding": "identity"})
        assert plain.status_code == 200
        assert "Content-Encoding" not in plain.headers
        assert hashlib.sha256(plain.content).hexdigest() == entry["sha256"]
        assert int(plain.headers["Content-Length"]) == entry["bytes"]
        assert plain.headers["ETag"] == f'"{entry["sha256"]}"'
        assert plain.headers["Last-Modified"]
        assert "Accept-Encoding" in plain.headers["Vary"]

        zipped = raw(file_url, **{"Accept-Encoding": "gzip, deflate"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert zipped.headers["Content-Type"] == plain.headers["Content-Type"]
        assert hashlib.sha256(zipped.content).hexdigest() == entry["gzip"]["sha256"]
        assert zipped.headers["ETag"] == f'"{entry["gzip"]["sha256"]}"'
        assert gzip.decompress(zipped.content) == plain.content

        twin = raw(f"{url}/download/{entry['gzip']['file']}")
        assert twin.headers["Content-Type"] == "application/gzip"
        assert "Content-Encoding" not in twin.headers
        assert hashlib.sha256(twin.content).hexdigest() == entry["gzip"]["sha256"]


def test_gzip_refused_with_q_zero(url, manifest):
    answer = raw(
        f"{url}/download/{manifest['files'][0]['file']}",
        **{"Accept-Encoding": "gzip;q=0, identity"},
    )
    assert "Content-Encoding" not in answer.headers


@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_dumps_parse_to_the_announced_triple_count(url, manifest, fmt):
    entry = next(e for e in manifest["files"] if e.get("format") == fmt)
    answer = requests.get(
        f"{url}/download/{entry['file']}", timeout=10
    )  # requests decodes gzip itself
    assert answer.headers["Content-Type"].split(";")[0] == entry["mediaType"]
    if PARSERS[fmt] in ("nquads", "trig"):
        data = Dataset()
        data.parse(data=answer.content, format=PARSERS[fmt])
        # One quad per (triple, graph): a triple two articles state is in both their graphs.
        assert len(list(data.quads((None, None, None, None)))) == entry["triples"]
    else:
        assert len(Graph().parse(data=answer.content, format=PARSERS[fmt])) == entry["triples"]


def test_conditional_downloads(url, manifest):
    file_url = f"{url}/download/{manifest['files'][0]['file']}"
    first = raw(file_url, **{"Accept-Encoding": "gzip"})
    again = raw(file_url, **{"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = raw(
        file_url, **{"Accept-Encoding": "gzip", "If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304
    # the plain file has another ETag: a gzip validator must not validate it
    plain = raw(file_url, **{"Accept-Encoding": "identity", "If-None-Match": first.headers["ETag"]})
    assert plain.status_code == 200


def test_ranges(url, manifest):
    entry = manifest["files"][0]
    answer = raw(
        f"{url}/download/{entry['file']}", **{"Accept-Encoding": "identity", "Range": "bytes=0-9"}
    )
    assert answer.status_code == 206
    assert len(answer.content) == 10


@pytest.mark.parametrize(
    "path",
    [
        "/download/manifest.json",  # in the folder, not listed in the manifest
        "/download/..%2Fmanifest.json",
        "/download/%2e%2e/%2e%2e/setup.cfg",
        "/download/../../etc/passwd",
        "/download/%2e%2e",
        "/download/%2Fetc%2Fpasswd",
        "/download/election-kg.ttl%00.gz",
        "/download/nothing.ttl",
    ],
)
def test_only_listed_files_are_served(url, path):
    answer = requests.get(
        url + path, headers={"Accept": "application/json"}, timeout=10, allow_redirects=False
    )
    assert answer.status_code == 404
    assert "root:" not in answer.text and "[metadata]" not in answer.text
