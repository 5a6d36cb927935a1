"""Fixtures for the server tests: the live server's URLs, the built manifest and dataset."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rdflib import Dataset


@pytest.fixture(scope="session")
def url(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def sparql_url(url: str) -> str:
    return url + "/sparql"


@pytest.fixture(scope="session")
def manifest(built) -> dict[str, Any]:
    return json.loads((built.dist / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def dataset(built) -> Dataset:
    """The published quads, read back with rdflib: an independent engine to check answers against."""
    return built.dataset()
