"""One malformed article is quarantined and every other article is published; `--strict` fails
the build instead; the project's own sources build with `--strict`; the build's output is the same
byte for byte in one process or several, from the cache or not."""

from __future__ import annotations

import os
import shutil

import pytest
from rdflib import Graph, Namespace, URIRef

from tests.support.project import FIXTURES, ROOT, copy_project, run_cli

SH = Namespace("http://www.w3.org/ns/shacl#")
SEED = ROOT / "data" / "sources" / "2007_Algerian_parliamentary_election.txt"
ARTICLES = sorted((FIXTURES / "articles").glob("*.txt"))
BAD = "2011_Freedonian_parliamentary_election.txt"


def _corpus(tmp_path):
    root = copy_project(tmp_path / "project", [SEED, *ARTICLES])
    bad = root / "data" / "sources" / BAD
    text = bad.read_text(encoding="utf-8")
    assert "- Seats2: 30\n" in text
    bad.write_text(text.replace("- Seats2: 30\n", "- Seats2: -30\n"), encoding="utf-8")
    line = text[: text.index("- Seats2: 30")].count("\n") + 1
    return root, line


def _graphs(root) -> set[str]:
    names = set()
    for line in (
        (root / "data" / "dist" / "election-kg.nq").read_text(encoding="utf-8").splitlines()
    ):
        names.add(line.rsplit(" ", 2)[-2])
    return names


@pytest.fixture(scope="module")
def quarantined(tmp_path_factory):
    root, line = _corpus(tmp_path_factory.mktemp("quarantine"))
    result = run_cli("build", "--root", str(root))
    return root, line, result


def test_a_malformed_article_is_quarantined_and_the_others_published(quarantined):
    root, line, result = quarantined
    assert result.returncode == 0, result.stderr
    expected = (
        f"data/sources/{BAD}:{line}: key 'Seats2': seats (count): must not be negative, got '-30'"
    )
    assert f"quarantined (not published): {expected}" in result.stdout
    assert "(1 quarantined)" in result.stdout
    graphs = _graphs(root)
    assert "<http://127.0.0.1:5000/graph/2007-algerian-parliamentary-election>" in graphs
    assert "<http://127.0.0.1:5000/graph/2002-testland-general-election>" in graphs
    assert not any("freedonian" in g for g in graphs)


def test_the_published_report_names_the_quarantined_article(quarantined):
    root, line, _ = quarantined
    report = Graph().parse(root / "data" / "dist" / "validation.ttl", format="turtle")
    source = URIRef("http://127.0.0.1:5000/id/source/2011-freedonian-parliamentary-election")
    [result] = report.subjects(SH.focusNode, source)
    assert report.value(result, SH.resultSeverity) == SH.Violation
    assert report.value(result, SH.sourceShape) == URIRef(
        "http://127.0.0.1:5000/validation#quarantine"
    )
    message = str(report.value(result, SH.resultMessage))
    assert message == (
        f"Not published: data/sources/{BAD}:{line}: key 'Seats2': seats (count): must not be negative, got '-30'"
    )
    assert str(report.value(result, SH.value)) == "Seats2"
    report_node = URIRef("http://127.0.0.1:5000/validation#report")
    assert report.value(report_node, SH.conforms).toPython() is False
    jsonld = (root / "data" / "dist" / "validation.jsonld").read_text(encoding="utf-8")
    assert "must not be negative" in jsonld


def test_the_validation_page_shows_the_quarantine(quarantined):
    from election_kg.server.app import create_app
    from election_kg.server.settings import Settings

    root, line, _ = quarantined
    app = create_app(Settings.from_env(dist=root / "data" / "dist"))
    page = app.test_client().get("/validation", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert (
        f"{BAD}:{line}: key &#39;Seats2&#39;: seats (count): must not be negative"
        in page.get_data(as_text=True)
    )


def test_strict_publishes_nothing_and_exits_1(tmp_path):
    root, line = _corpus(tmp_path)
    good = root / "data" / "sources" / BAD
    broken = good.read_text(encoding="utf-8")
    good.write_text(broken.replace("- Seats2: -30\n", "- Seats2: 30\n"), encoding="utf-8")
    assert run_cli("build", "--strict", "--root", str(root)).returncode == 0
    dist = root / "data" / "dist"
    before = (os.readlink(dist), (dist / "manifest.json").read_bytes())
    good.write_text(broken, encoding="utf-8")
    result = run_cli("build", "--strict", "--root", str(root))
    assert result.returncode == 1
    assert "1 article(s) quarantined and --strict is set" in result.stderr
    assert f"{BAD}:{line}: key 'Seats2'" in result.stderr
    assert "nothing was published; data/dist/ is unchanged" in result.stderr
    assert (os.readlink(dist), (dist / "manifest.json").read_bytes()) == before


def test_a_curated_quote_not_in_its_source_quarantines_that_article(tmp_path):
    root = copy_project(tmp_path / "project", [SEED, *ARTICLES])
    curated = root / "data" / "curated" / SEED.with_suffix(".ttl").name
    text = curated.read_text(encoding="utf-8")
    quote = text[text.index('ek:quote "') + len('ek:quote "') :].split('"', 1)[0]
    curated.write_text(text.replace(quote, quote + " (a sentence nobody wrote)", 1))
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert f"quarantined (not published): data/sources/{SEED.name}" not in result.stdout
    assert "quarantined (not published): " in result.stdout
    assert "2007_Algerian_parliamentary_election.ttl" in result.stdout
    graphs = _graphs(root)
    assert not any("algerian" in g for g in graphs)
    assert "<http://127.0.0.1:5000/graph/2002-testland-general-election>" in graphs


def test_the_projects_own_sources_build_with_strict(tmp_path):
    """What CI asks of the project's data: every article builds, none is quarantined."""
    root = copy_project(tmp_path / "project")
    result = run_cli("build", "--strict", "--quiet", "--root", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "quarantined" not in result.stdout


def _files(root) -> dict[str, bytes]:
    dist = root / "data" / "dist"
    return {p.name: p.read_bytes() for p in sorted(dist.iterdir())}


def test_one_process_or_two_cached_or_not_the_output_is_the_same(tmp_path):
    serial, _ = _corpus(tmp_path / "serial")
    parallel, _ = _corpus(tmp_path / "parallel")
    assert run_cli("build", "--workers", "1", "--root", str(serial)).returncode == 0
    assert run_cli("build", "--workers", "2", "--root", str(parallel)).returncode == 0
    assert (parallel / "data" / ".cache" / "articles").is_dir()
    first = _files(serial)
    assert first == _files(parallel)
    (serial / "data" / "dist").unlink()
    shutil.rmtree(serial / "data" / ".builds")
    again = run_cli("build", "--workers", "2", "--root", str(serial))
    assert again.returncode == 0
    assert _files(serial) == first
