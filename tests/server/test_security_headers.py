"""Safe pages: the security headers on every kind of response, error pages without inline style or
details, and static, YASGUI, example and download routes that cannot leave their folders."""

from __future__ import annotations

import http.client
import urllib.parse

import pytest
import requests

from election_kg.server.http.security_headers import CSP, content_security_policy
from election_kg.server.settings import Settings
from election_kg.server.views.query import injected_style_hashes
from tests.support.html import Tree

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RESPONSES = [
    # (method, path, data, headers, status): pages, data, files, errors, preflight
    ("GET", "/", None, {"Accept": BROWSER}, 200),
    ("GET", "/page/election/2007-algerian-parliamentary-election", None, {"Accept": BROWSER}, 200),
    ("GET", "/sparql", None, {"Accept": BROWSER}, 200),
    ("GET", "/sparql?query=ASK%7B%7D", None, {"Accept": "application/sparql-results+json"}, 200),
    ("GET", "/id/party/algeria/workers-party", None, {"Accept": "text/turtle"}, 303),
    ("GET", "/download/election-kg.ttl", None, {}, 200),
    ("GET", "/static/site.css", None, {}, 200),
    ("GET", "/health", None, {}, 200),
    ("GET", "/no/such/page", None, {"Accept": BROWSER}, 404),
    ("GET", "/sparql?query=SELECT", None, {"Accept": "application/json"}, 400),
    ("PUT", "/sparql", b"ASK {}", {}, 405),
    (
        "POST",
        "/sparql",
        b"update=CLEAR+ALL",
        {"Content-Type": "application/x-www-form-urlencoded"},
        403,
    ),
    (
        "OPTIONS",
        "/sparql",
        None,
        {"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"},
        200,
    ),
]


@pytest.mark.parametrize(("method", "path", "data", "headers", "status"), RESPONSES)
def test_every_response_carries_the_security_headers(url, method, path, data, headers, status):
    answer = requests.request(
        method, url + path, data=data, headers=headers, timeout=30, allow_redirects=False
    )
    assert answer.status_code == status
    if (
        path == "/sparql" and method == "GET"
    ):  # the query page: the same policy, plus YASGUI's one hashed <style>
        assert answer.headers["Content-Security-Policy"] == content_security_policy(
            style_hashes=injected_style_hashes(Settings().yasgui)
        )
    else:
        assert answer.headers["Content-Security-Policy"] == CSP
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "no-referrer"


def test_the_policy_allows_no_inline_script_no_eval_and_no_framing():
    directives = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in CSP and "*" not in CSP.replace("'self'", "")
    assert (
        directives["frame-ancestors"] == "'none'"
        and directives["object-src"] == "'none'"
        and directives["base-uri"] == "'none'"
    )
    assert directives["default-src"] == "'none'"


def test_the_query_page_allows_only_yasguis_own_style_by_hash(url):
    policy = requests.get(url + "/sparql", headers={"Accept": BROWSER}, timeout=30).headers[
        "Content-Security-Policy"
    ]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    hashes = injected_style_hashes(Settings().yasgui)
    assert len(hashes) == 1 and hashes[0].startswith("'sha256-")
    assert directives["style-src"] == "'self' " + hashes[0]
    assert directives["script-src"] == "'self'" and "unsafe" not in policy


def test_only_the_reconciliation_preview_may_be_framed(url):
    answer = requests.get(
        url + "/reconcile/preview", params={"id": "party/algeria/workers-party"}, timeout=30
    )
    assert answer.status_code == 200
    assert "frame-ancestors *" in answer.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in answer.headers
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert "<style" not in answer.text


@pytest.mark.parametrize("path", ["/no/such/page", "/sparql?query=SELECT", "/download/nothing"])
def test_error_pages_have_no_inline_style_or_script(url, path):
    answer = requests.get(url + path, headers={"Accept": BROWSER}, timeout=30)
    assert answer.status_code in (400, 404)
    root = Tree(answer.text).root
    assert not list(root.iter("style")) and " style=" not in answer.text
    assert not [s for s in root.iter("script") if s.all_text().strip()]
    css = [link.attrs["href"] for link in root.iter("link")]
    assert css and all(href.startswith("/static/") for href in css)
    assert requests.get(url + css[0], timeout=30).status_code == 200


def _raw_get(url: str, path: str) -> tuple[int, bytes, str]:
    """GET `path` exactly as written (no client normalises the dots or the escapes away): status, body, Location."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.putheader("Accept", "*/*")
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.read(), answer.getheader("Location", "")
    finally:
        connection.close()


TRAVERSALS = [
    "/static/../server/app.py",
    "/static/../../setup.cfg",
    "/static/%2e%2e/app.py",
    "/static/%2e%2e%2fapp.py",
    "/static/..%2f..%2fsetup.cfg",
    "/static/%2E%2E%2F%2E%2E%2Fsetup.cfg",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/..\\..\\setup.cfg",
    "/static/%5c..%5c..%5csetup.cfg",
    "/static/site.css%00.py",
    "/static/%c0%ae%c0%ae/app.py",
    "/-/yasgui/../../../package.json",
    "/-/yasgui/..%2f..%2f..%2fpackage.json",
    "/-/yasgui/%2fetc%2fpasswd",
    "/queries/..%2f..%2fsetup.cfg.rq",
    "/queries/%2e%2e%2f01-results-by-seats.rq",
    "/queries//etc/passwd.rq",
    "/download/..%2fmanifest.json",
    "/download/%2e%2e%2f%2e%2e%2fsetup.cfg",
    "/download//etc/passwd",
    "/download/%2Fetc%2Fpasswd",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
]
SECRETS = (b"root:", b"[metadata]", b"create_app", b'"name"', b"def ", b"import ")


@pytest.mark.parametrize("path", TRAVERSALS)
def test_routes_to_files_cannot_leave_their_folders(url, path):
    status, body, location = _raw_get(url, path)
    if status == 308:  # Werkzeug merges double slashes by redirecting, within the same route
        moved = urllib.parse.urlsplit(location).path
        assert moved.split("/")[1] == path.split("/")[1], location
        status, body, _ = _raw_get(url, moved)
    assert status in (400, 404), (status, body[:200])
    assert not any(secret in body for secret in SECRETS), body[:200]


def test_the_files_the_routes_do_serve(url):
    for path in (
        "/static/site.css",
        "/download/election-kg.ttl",
        "/queries/01-results-by-seats.rq",
    ):
        assert _raw_get(url, path)[0] == 200
