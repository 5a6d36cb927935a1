"""Errors in the client's format, never a stack trace, and client mistakes as 4xx."""

from __future__ import annotations

import json

import pytest
import requests
from flask import Flask

from election_kg.server.app import create_app
from election_kg.server.settings import Settings

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/json", "application/json"),
        ("application/sparql-results+json", "application/json"),
        (BROWSER, "text/html"),
        ("*/*", "text/plain"),
        (None, "text/plain"),
        ("image/png", "text/plain"),
    ],
)
@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/no/such/page", {}, 404),
        ("/sparql", {"query": "SELECT * WHERE {"}, 400),
        ("/download/nothing", {}, 404),
    ],
)
def test_errors_follow_accept(url, accept, content_type, path, params, status):
    answer = requests.get(
        url + path, params=params, headers={"Accept": accept} if accept else {}, timeout=10
    )
    assert answer.status_code == status
    assert answer.headers["Content-Type"].split(";")[0] == content_type
    if content_type == "application/json":
        body = answer.json()
        assert body["status"] == status and body["message"]
    elif content_type == "text/html":
        assert f"<h1>{status}" in answer.text
    else:
        assert answer.text.startswith(str(status))


def test_a_body_over_the_limit_is_413(url):
    answer = requests.post(
        url + "/sparql",
        data=b"x" * 200_000,
        headers={"Content-Type": "application/sparql-query"},
        timeout=10,
    )
    assert answer.status_code == 413


@pytest.fixture(scope="module")
def failing_app(built) -> Flask:
    """The real app, with one extra route that fails the way a bug would."""
    app = create_app(Settings.from_env(dist=built.dist))

    @app.get("/-/boom")
    def boom() -> str:
        raise RuntimeError(f"secret detail from {__file__}")

    return app


@pytest.mark.parametrize("accept", ["application/json", BROWSER, "*/*"])
def test_unexpected_errors_are_500_without_details(failing_app, accept, caplog):
    answer = failing_app.test_client().get("/-/boom", headers={"Accept": accept})
    assert answer.status_code == 500
    text = answer.get_data(as_text=True)
    assert (
        "secret" not in text
        and "Traceback" not in text
        and ".py" not in text
        and "RuntimeError" not in text
    )
    if accept == "application/json":
        assert json.loads(text)["status"] == 500
    assert "secret detail" in caplog.text  # ... but the server log has it
