"""`election-kg validate` and the build's gate: exit codes, reports, determinism, nothing published on a Violation."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from election_kg.common.vocab import EK
from election_kg.validation.command import read_graph
from election_kg.validation.report import SH
from election_kg.validation.shacl import check, load_shapes
from tests.support.project import ROOT, copy_project, run_cli

SEED = ROOT / "data" / "sources" / "2007_Algerian_parliamentary_election.txt"
ELECTION = "http://127.0.0.1:5000/id/election/2007-algerian-parliamentary-election"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "shapes" / "election.ttl")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "election.ttl", format="turtle")


def seats_off_by_one(root: Path) -> None:
    """The article variant whose seats no longer sum to the 389 contested (136 -> 137 for the FLN)."""
    article = root / "data" / "sources" / SEED.name
    text = article.read_text(encoding="utf-8")
    assert "- Seats1: 136\n" in text
    article.write_text(text.replace("- Seats1: 136\n", "- Seats1: 137\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def sources_report(tmp_path_factory):
    """`election-kg validate` on the seed article's sources (its curated facts and links included)."""
    root = copy_project(tmp_path_factory.mktemp("seed"), [SEED])
    out = tmp_path_factory.mktemp("validation")
    result = run_cli("validate", "--root", str(root), "--out", str(out))
    return result, out


def test_validating_the_whole_corpus_exits_0_without_a_violation(tmp_path):
    """The project's own sources, every article: incomplete sources warn, nothing is false."""
    result = run_cli("validate", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("validation of the graph built from") and ": 0 violations," in first


def test_validating_the_sources_exits_0_with_the_warning_and_the_info(sources_report):
    result, _ = sources_report
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("validation of the graph built from") and first.endswith(
        ": 0 violations, 1 warning, 1 info"
    )


def test_the_readable_report_gives_label_path_value_message_and_excerpt(sources_report):
    text = sources_report[0].stdout
    warning = text[text.index("Warning (1)") : text.index("Info (1)")]
    assert (
        "- Democratic and Social Movement <http://127.0.0.1:5000/id/party/algeria/democratic-and-social-movement>"
        in warning
    )
    assert "value:   Boycott call of the Democratic and Social Movement <" in warning
    assert "message: Democratic and Social Movement won 1 seat(s)" in warning
    assert 'source:  line 106: "- Party23: Democratic and Social Movement (Algeria)"' in warning
    assert "shape:   shape:boycott-and-seats (SPARQLConstraintComponent)" in warning
    info = text[text.index("Info (1)") :]
    assert "- 2007 Algerian parliamentary election <" in info
    assert 'value:   "0.68" (xsd:decimal)' in info


def test_the_reports_are_written_in_turtle_and_json_ld(sources_report):
    _, out = sources_report
    turtle = Graph().parse(out / "validation.ttl", format="turtle")
    document = json.loads((out / "validation.jsonld").read_text(encoding="utf-8"))
    assert document["@type"] == "sh:ValidationReport" and document["sh:conforms"] is True
    assert isomorphic(turtle, Graph().parse(out / "validation.jsonld", format="json-ld"))
    [report] = turtle.subjects(SH.conforms, Literal(True))
    assert len(set(turtle.objects(report, SH.result))) == 2
    assert (out / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_a_violation_exits_1_and_names_focus_path_and_message(tmp_path):
    root = copy_project(tmp_path / "project", [SEED])
    seats_off_by_one(root)
    result = run_cli("validate", "--root", str(root), "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert ": 1 violation, 1 warning, 1 info" in result.stdout.splitlines()[0]
    violation = result.stdout[
        result.stdout.index("Violation (1)") : result.stdout.index("Warning (1)")
    ]
    assert f"- 2007 Algerian parliamentary election <{ELECTION}>" in violation
    assert "path:    ek:seatsContested" in violation
    assert (
        "message: The seats won by the results of this election sum to 390, but 389 seats were contested."
        in violation
    )
    report = Graph().parse(tmp_path / "out" / "validation.ttl", format="turtle")
    assert (None, SH.conforms, Literal(False)) in report


@pytest.mark.parametrize("extension", ["ttl", "nt", "nq", "jsonld", "trig"])
def test_every_published_format_reads_back_and_conforms(extension, seed_built, shapes, ontology):
    graph, base = read_graph(seed_built.dist / f"election-kg.{extension}")
    assert base == "http://127.0.0.1:5000/"
    outcome = check(graph, shapes, ontology)
    assert outcome.conforms and len(outcome.findings) == 2


def test_validating_a_file_exits_0(built, tmp_path):
    result = run_cli("validate", str(built.dist / "election-kg.nq"), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"validation of {built.dist / 'election-kg.nq'}")


def test_a_broken_file_exits_1_when_it_breaks_a_shape(built, tmp_path):
    graph = built.graph()
    graph.remove((URIRef(ELECTION + "/result-ahd-54"), EK.listPosition, None))
    path = tmp_path / "broken.ttl"
    graph.serialize(path, format="turtle")
    result = run_cli("validate", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (
        "shape:   shape:ElectionResult-listPosition (MinCountConstraintComponent)" in result.stdout
    )


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("missing.ttl", None, "no such file"),
        ("graph.csv", "a,b\n", "unknown RDF format '.csv'"),
        ("broken.ttl", "<a> <b> .\n", "is not valid Turtle"),
        ("broken.jsonld", "{not json", "is not valid JSON-LD"),
    ],
)
def test_a_file_that_cannot_be_read_exits_2(tmp_path, name, content, says):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_cli("validate", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert says in result.stderr and "validation could not run" in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_shapes_exit_2(tmp_path):
    root = copy_project(tmp_path / "project", [SEED])
    shutil.rmtree(root / "shapes")
    result = run_cli("validate", "--root", str(root), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "no shapes file at" in result.stderr


def test_shapes_pyshacl_cannot_use_exit_2(tmp_path):
    root = copy_project(tmp_path / "project", [SEED])
    (root / "shapes" / "election.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ; sh:ignoredProperties ( <urn:p> ) .\n",
        encoding="utf-8",
    )
    result = run_cli("validate", "--root", str(root), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "the shapes cannot be used" in result.stderr


def test_a_broken_source_exits_2(tmp_path):
    root = copy_project(tmp_path / "project", [SEED])
    article = root / "data" / "sources" / SEED.name
    article.write_text(
        article.read_text(encoding="utf-8").replace("- Seats1: 136", "- Seats1: many"),
        encoding="utf-8",
    )
    result = run_cli("validate", "--root", str(root), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Seats1" in result.stderr


def test_the_report_is_the_same_from_run_to_run(tmp_path):
    """pySHACL names results with blank nodes in no fixed order; the published report must not change."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        result = run_cli("validate", "--out", str(out), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outs.append(out)
    for name in ("validation.ttl", "validation.jsonld"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()


def test_checking_leaves_the_graph_alone(graph, shapes, ontology):
    before = len(graph)
    check(graph, shapes, ontology)
    assert len(graph) == before


def test_the_build_publishes_the_shapes_and_the_report(built):
    manifest = json.loads((built.dist / "manifest.json").read_text(encoding="utf-8"))
    names = {entry["file"] for entry in manifest["files"]}
    assert {"shapes.ttl", "validation.ttl", "validation.jsonld"} <= names
    assert (built.dist / "shapes.ttl").read_text(encoding="utf-8") == (
        ROOT / "shapes" / "election.ttl"
    ).read_text(encoding="utf-8")
    report = Graph().parse(built.dist / "validation.ttl", format="turtle")
    assert (None, SH.conforms, Literal(True)) in report
    assert {report.value(r, SH.resultSeverity) for r in report.objects(None, SH.result)} == {
        SH.Warning,
        SH.Info,
    }


def test_the_build_gate_publishes_nothing_on_a_violation(tmp_path):
    root = copy_project(tmp_path / "project", [SEED])
    assert run_cli("build", "--root", str(root)).returncode == 0
    dist = root / "data" / "dist"
    before = {p.name: p.read_bytes() for p in dist.iterdir()}
    target = os.readlink(dist)
    seats_off_by_one(root)
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 1
    assert "every article of data/sources was quarantined" in result.stderr
    assert "the graph does not pass validation" in result.stderr
    assert (
        "The seats won by the results of this election sum to 390, but 389 seats were contested."
        in result.stderr
    )
    assert "nothing was published; data/dist/ is unchanged" in result.stderr
    assert os.readlink(dist) == target
    assert {p.name: p.read_bytes() for p in dist.iterdir()} == before


def test_a_rebased_build_publishes_a_rebased_report_that_validates(tmp_path):
    root = copy_project(tmp_path / "project", [SEED])
    base = "https://elections.example.org/kg/"
    assert run_cli("build", "--root", str(root), "--base", base).returncode == 0
    dist = root / "data" / "dist"
    for name in ("shapes.ttl", "validation.ttl", "validation.jsonld"):
        text = (dist / name).read_text(encoding="utf-8")
        assert "127.0.0.1:5000" not in text and base in text, name
    result = run_cli(
        "validate",
        str(dist / "election-kg.ttl"),
        "--root",
        str(root),
        "--out",
        str(tmp_path / "out"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": 0 violations, 1 warning, 1 info" in result.stdout.splitlines()[0]
    assert f"<{base}id/party/algeria/democratic-and-social-movement>" in result.stdout
    assert (tmp_path / "out" / "validation.ttl").read_text(encoding="utf-8") == (
        dist / "validation.ttl"
    ).read_text(encoding="utf-8")


def test_a_rebased_build_names_the_published_iris_when_it_fails(tmp_path):
    root = copy_project(tmp_path / "project", [SEED])
    seats_off_by_one(root)
    result = run_cli("build", "--root", str(root), "--base", "https://elections.example.org/kg/")
    assert result.returncode == 1
    assert (
        "- 2007 Algerian parliamentary election <https://elections.example.org/kg/id/election/"
        in result.stderr
    )
    assert "127.0.0.1:5000" not in result.stderr
