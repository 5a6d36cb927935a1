"""A non-editable install works outside the checkout: the wheel carries its templates, static files
and queries, ships no benchmarks and no generic top-level package, and builds and serves a project
from another folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests

from election_kg.bench.processes import free_port
from tests.support.live import wait_for_health
from tests.support.project import ROOT, copy_project


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("election_kg-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def test_the_wheel_holds_one_package_with_its_data_and_no_developer_tools(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert top == {"election_kg"}
    assert "election_kg/server/templates/election.html" in names
    assert "election_kg/server/static/site.css" in names
    assert "election_kg/server/store/queries/election.rq" in names
    assert "election_kg/linking/queries/wikidata-by-label.rq" in names
    assert not [n for n in names if n.startswith("election_kg/bench/")]


def test_installed_package_builds_and_serves_a_project_from_another_folder(
    installed: Path, tmp_path: Path
):
    project = copy_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed)}
    where = subprocess.run(
        [sys.executable, "-c", "import election_kg; print(election_kg.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(installed))
    assert (
        subprocess.run(
            [sys.executable, "-c", "import scripts"], cwd=elsewhere, env=env, capture_output=True
        ).returncode
        != 0
    )
    built = subprocess.run(
        [sys.executable, "-m", "election_kg", "build", "--root", str(project)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "election_kg",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--root",
            str(project),
        ],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url, server)
        page = requests.get(url + "/page/election/2007-algerian-parliamentary-election", timeout=30)
        assert page.status_code == 200 and "National Liberation Front" in page.text
        answer = requests.get(
            url + "/sparql",
            params={"query": "ASK { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert answer.json()["boolean"] is True
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
