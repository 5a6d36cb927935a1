"""Headless Chromium for the browser tests: Debian's `chromium` driven by Playwright for Python.

`make test` installs the browser when it is missing, so a missing browser is a setup error and
fails the run (in CI and everywhere else): a skipped browser test must never pass for a green one.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def _missing(reason: str) -> None:
    pytest.fail(f"{reason}; `make test` installs it", pytrace=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -e '.[test]')")
    executable = (
        CHROMIUM
        if CHROMIUM.exists()
        else (Path(shutil.which("chromium") or "") if shutil.which("chromium") else None)
    )
    if executable is None:
        _missing("Debian's chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A fresh page that records console errors and any request leaving the loopback address."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.outside_requests = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on(
        "request",
        lambda request: (
            not request.url.startswith((live_server.url, "data:", "about:"))
            and page.outside_requests.append(request.url)
        ),
    )
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
