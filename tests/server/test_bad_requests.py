"""Bad requests never give a 5xx: malformed Accept headers, unknown formats, bytes that are not
UTF-8, huge headers and odd methods all get a 4xx that says what is wrong, and a fuzz test of the
endpoint's parameters (hypothesis, against the live server) finds no 5xx and no leaked details."""

from __future__ import annotations

import http.client
import socket
import urllib.parse

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.project import ROOT

ROUTES = [
    "/sparql?query=ASK%7B%7D",
    "/",
    "/id/party/algeria/workers-party",
    "/page/party/algeria/workers-party",
    "/download",
    "/dataset",
    "/ontology",
    "/health",
    "/search?q=front",
    "/no/such/page",
]
MALFORMED_ACCEPT = [
    "",
    ";",
    ";;;,,,",
    "text/html;q=abc",
    "*/*;q=1e999",
    "text/html;q=-1",
    "text/html;q=NaN",
    "a/b/c",
    "text/",
    "/html",
    "*/html",
    'text/html; charset="unterminated',
    "application/json;;;q=0.5",
    "x" * 4000,
    ", ".join(["text/html;q=0.1"] * 500),
    "\u00e9/\u00e8",
    "text/html\t;\tq=0.5",
]
LEAKS = ("Traceback", "site-packages", '.py"', ".py:", "/work/", 'File "')


def _ok(status: int, text: str) -> None:
    assert status < 500, text[:300]
    assert not any(leak in text for leak in LEAKS), text[:300]


@pytest.mark.parametrize("accept", MALFORMED_ACCEPT)
def test_malformed_accept_headers_are_never_a_server_error(url, accept):
    with requests.Session() as session:
        for route in ROUTES:
            answer = session.get(
                url + route,
                headers={"Accept": accept.encode("latin-1", "replace").decode("latin-1")},
                timeout=30,
                allow_redirects=False,
            )
            _ok(answer.status_code, answer.text)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/sparql?query=ASK%7B%7D&format=excel", "unknown format"),
        ("/download?format=exe", "unknown format"),
        ("/dataset?format=%ff", "unknown format"),
        ("/data/party/algeria/workers-party.exe", "no data format is published as .exe"),
        ("/download.xml", "not found on the server"),
    ],
)
def test_unknown_formats_are_4xx_with_a_message(url, path, words):
    assert words.strip(), "an empty expectation is in every answer: it checks nothing"
    answer = requests.get(url + path, timeout=30)
    assert 400 <= answer.status_code < 500 and words in answer.text


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=%ff%fe",
        "/page/party/%ff",
        "/id/party/%ff%fe",
        "/reconcile?queries=%ff",
        "/sparql?query=ASK%7B%7D&default-graph-uri=%ff",
        "/sparql?query=ASK%7B%ff%7D",
        "/queries/%ff.rq",
        "/sparql?query=ASK%7B%00%7D",
        "/search?q=%00",
        "/reconcile/preview?id=%ff%00",
    ],
)
def test_bytes_that_are_not_utf8_are_never_a_server_error(url, path):
    answer = requests.get(url + path, headers={"Accept": "application/json"}, timeout=30)
    _ok(answer.status_code, answer.text)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/sparql-query", b'ASK { "\xff\xfe" }'),
        ("application/x-www-form-urlencoded", b"query=ASK%7B%7D&format=\xff"),
        ("application/x-www-form-urlencoded; charset=latin-1", b"query=ASK%7B%7D"),
        ("application/sparql-query; charset=\xff", b"ASK {}"),
        (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="query"\r\n\r\nASK{}\r\n--x--',
        ),
        ("", b"\x00\x01\x02"),
    ],
)
def test_odd_bodies_are_4xx(url, content_type, body):
    answer = requests.post(
        url + "/sparql",
        data=body,
        headers={"Content-Type": content_type} if content_type else {},
        timeout=30,
    )
    assert 400 <= answer.status_code < 500, answer.text
    _ok(answer.status_code, answer.text)


def _raw(url: str, request: bytes) -> bytes:
    parsed = urllib.parse.urlsplit(url)
    with socket.create_connection((parsed.hostname, parsed.port), timeout=30) as connection:
        try:
            connection.sendall(request)
        except (
            OSError
        ):  # the server may stop reading a request it refuses; its answer is still there
            pass
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("size", [20_000, 200_000, 2_000_000])
def test_huge_headers_are_431(url, size):
    answer = _raw(
        url,
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Big: "
        + b"a" * size
        + b"\r\nConnection: close\r\n\r\n",
    )
    assert _status(answer) == 431, answer[:300]


def test_many_headers_are_431(url):
    headers = b"".join(b"X-H%d: %s\r\n" % (n, b"v" * 40) for n in range(1000))
    answer = _raw(url, b"GET / HTTP/1.1\r\nHost: x\r\n" + headers + b"Connection: close\r\n\r\n")
    assert _status(answer) == 431


def test_the_431_says_why(url):
    answer = requests.get(
        url + "/sparql",
        params={"query": "ASK {}"},
        headers={"X-Big": "a" * 20_000, "Accept": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 431
    assert "limit is 16384" in answer.json()["message"]


@pytest.mark.parametrize(
    "method",
    ["PROPFIND", "TRACE", "PATCH", "DELETE", "PUT", "MKCOL", "CONNECT", "LOCK", "FOO", "BREW"],
)
@pytest.mark.parametrize("path", ["/sparql", "/", "/static/site.css", "/download/election-kg.ttl"])
def test_odd_methods_are_405_with_the_allowed_ones(url, method, path):
    answer = _raw(
        url,
        f"{method} {path} HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nConnection: close\r\n\r\n".encode(),
    )
    assert _status(answer) == 405, answer[:300]
    assert b"allow: " in answer.lower() and b"GET" in answer


def test_malformed_request_lines_are_400(url):
    for request in (
        b"GET /\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"\x16\x03\x01\x00\xa5\x01\x00\x00garbage\r\n\r\n",
        b"GET /page/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n",
    ):
        assert _status(_raw(url, request)) == 400


# --- the fuzz test ------------------------------------------------------------------------------

EXAMPLES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "queries").glob("*.rq"))]
SPARQL_BITS = [
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "{",
    "}",
    "?s",
    "?p",
    "?o",
    "*",
    "<http://127.0.0.1:5000/id/party/x>",
    "FILTER",
    'REGEX(?o, "(a+)+$")',
    "GRAPH",
    "SERVICE",
    "FROM",
    "NAMED",
    "LOAD",
    "INSERT",
    "DATA",
    "LIMIT",
    "1",
    ".",
    "(",
    ")",
    '"',
    "'",
    "\\u0053",
    "#",
    "\n",
    " ",
    "PREFIX",
    "x:",
    "<",
    ">",
    "OPTIONAL",
    "VALUES",
    "UNION",
    "COUNT",
    "BIND",
    "AS",
]
QUERIES = st.one_of(
    st.sampled_from(EXAMPLES),
    st.lists(st.sampled_from(SPARQL_BITS), max_size=30).map(" ".join),
    st.text(max_size=200),
    st.sampled_from(EXAMPLES).flatmap(
        lambda q: st.integers(0, len(q)).map(lambda n: q[:n])
    ),  # cut short anywhere
)
HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=80
)
MEDIA_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "text/html",
    "*/*",
    "application/json",
    "image/png",
]
ACCEPTS = st.one_of(
    st.sampled_from(MEDIA_TYPES),
    HEADER_TEXT,
    st.lists(st.sampled_from(MEDIA_TYPES), max_size=4).map(", ".join),
)
FORMATS = st.one_of(
    st.none(),
    st.sampled_from(
        ["json", "xml", "csv", "tsv", "ttl", "turtle", "jsonld", "nt", "rdf", "html", ""]
    ),
    st.text(max_size=20),
)
GRAPHS = st.lists(
    st.one_of(
        st.sampled_from(
            ["http://127.0.0.1:5000/graph/links", "file:///etc/passwd", "/etc/passwd", ""]
        ),
        st.text(max_size=40),
    ),
    max_size=2,
)
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/sparql-query",
            "application/sparql-update",
            "text/plain",
            "application/sparql-query; charset=latin-1",
        ]
    ),
    HEADER_TEXT,
)


@st.composite
def sparql_requests(draw) -> tuple[str, dict[str, list[str]], dict[str, str], bytes | None]:
    params: dict[str, list[str]] = {}
    if draw(st.booleans()):
        params["query"] = [draw(QUERIES)]
    if (fmt := draw(FORMATS)) is not None:
        params["format"] = [fmt]
    if graphs := draw(GRAPHS):
        params[draw(st.sampled_from(["default-graph-uri", "named-graph-uri"]))] = graphs
    if draw(st.integers(0, 9)) == 0:
        params["update"] = [draw(QUERIES)]
    headers = {"Accept": draw(ACCEPTS)}
    method = draw(st.sampled_from(["GET", "POST", "POST"]))
    body = None
    if method == "POST":
        headers["Content-Type"] = draw(CONTENT_TYPES)
        body = draw(
            st.one_of(
                st.binary(max_size=300),
                QUERIES.map(lambda q: q.encode("utf-8")),
                st.just(urllib.parse.urlencode(params, doseq=True).encode()),
            )
        )
    return method, params, headers, body


@pytest.fixture(scope="module")
def session():
    with requests.Session() as client:
        yield client


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=sparql_requests())
def test_fuzzing_the_endpoint_finds_no_server_error(sparql_url, session, request):
    method, params, headers, body = request
    try:
        answer = session.request(
            method, sparql_url, params=params, headers=headers, data=body, timeout=60
        )
    except (
        requests.exceptions.InvalidHeader,
        UnicodeEncodeError,
        http.client.InvalidURL,
        ValueError,
    ):
        return  # the client library refused to send it: nothing reached the server
    if answer.status_code == 503:  # the documented timeout, the only 5xx a query may earn
        assert "was stopped" in answer.text
        return
    _ok(answer.status_code, answer.text)
    assert answer.headers.get("Content-Security-Policy")
