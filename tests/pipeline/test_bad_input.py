"""Malformed input stops the build with a message naming file, line, key and problem; nothing is published."""

import json
import os
import re
import shutil

import pytest

from election_kg.pipeline.article import read_article
from election_kg.pipeline.errors import SourceError
from election_kg.pipeline.infobox import read_election
from tests.support.project import ROOT, copy_project, run_cli

SEED_NAME = "2007_Algerian_parliamentary_election.txt"
SEED = ROOT / "data" / "sources" / SEED_NAME
TEXT = SEED.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def truncated(text: str) -> str:
    return text[: text.index("- Seats9: 3")]


def drop_line(text: str, line: str) -> str:
    return text.replace(line + "\n", "", 1)


# (case, transform, line-locating needle in the changed text or None, key, problem pattern)
CASES = [
    ("truncated infobox", truncated, None, None, r"ends inside the infobox"),
    (
        "duplicated key",
        lambda t: t.replace("- Seats3: 51\n", "- Seats3: 51\n- Seats3: 52\n", 1),
        "- Seats3: 52",
        "Seats3",
        r"duplicated key with a different value: '52' here, '51' on line \d+",
    ),
    (
        "non-numeric seats",
        lambda t: t.replace("- Seats3: 51", "- Seats3: fifty-one"),
        "- Seats3: fifty-one",
        "Seats3",
        r"whole number",
    ),
    (
        "negative seats",
        lambda t: t.replace("- Seats3: 51", "- Seats3: -4"),
        "- Seats3: -4",
        "Seats3",
        r"must not be negative",
    ),
    (
        "percentage over 100",
        lambda t: t.replace("- Percentage2: 10.44", "- Percentage2: 104.4"),
        "- Percentage2: 104.4",
        "Percentage2",
        r"between 0 and 100",
    ),
    (
        "malformed line",
        lambda t: t.replace("- Majority Seats: 195", "Majority Seats 195"),
        "Majority Seats 195",
        None,
        r"malformed infobox line",
    ),
    (
        "bad date",
        lambda t: t.replace("17 May 2007", "17 Mai 2007", 1),
        "- Election Date: 17 Mai 2007",
        "Election Date",
        r"must be a date",
    ),
    (
        "no title",
        lambda t: t.replace(
            "= 2007 Algerian parliamentary election =", "2007 Algerian parliamentary election"
        ),
        None,
        None,
        r"expected a '= Title =' line",
    ),
]
# The value errors, each also checked through the whole build.
BUILD_CASES = CASES[:5]


@pytest.mark.parametrize(
    ("case", "transform", "needle", "key", "problem"), CASES, ids=[c[0] for c in CASES]
)
def test_parser_names_file_line_key_and_problem(tmp_path, case, transform, needle, key, problem):
    path = tmp_path / SEED_NAME
    changed = transform(TEXT)
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_election(read_article(path))
    err = caught.value
    assert err.path == path and re.search(problem, err.problem), err.describe()
    if needle:
        assert err.line == _line_of(changed, needle)
    assert err.key == key
    assert str(err).startswith(f"{path}:") or str(err).startswith(f"{os.path.relpath(path)}:")


def test_a_row_missing_its_seats_is_read_and_its_seats_are_absent_never_zero(tmp_path):
    """Real infoboxes leave figures out: the row is kept, its seats absent (not 0), its other figures read."""
    path = tmp_path / SEED_NAME
    path.write_text(drop_line(TEXT, "- Seats5: 13"), encoding="utf-8")
    record = read_election(read_article(path))
    [row] = [r for r in record.rows if r.number == 5]
    assert row.get("party").label == "Algerian National Front"
    assert "seats" not in row.fields and row.get("seats") is None
    assert row.get("percentage") is not None
    assert all(r.get("seats") is not None for r in record.rows if r.number != 5)


def test_an_unknown_key_is_kept_raw_with_its_line_and_counted(tmp_path):
    """A key the table does not know never fails: it is kept as written, with its line."""
    path = tmp_path / SEED_NAME
    changed = TEXT.replace("- Majority Seats: 195", "- Majority Seat: 195")
    path.write_text(changed, encoding="utf-8")
    record = read_election(read_article(path))
    [kept] = record.unknown_keys
    assert (kept.key, kept.raw, kept.role) == ("Majority Seat", "195", "unknown")
    assert kept.line == _line_of(changed, "- Majority Seat: 195")
    assert record.get("majority_seats") is None


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("bad-input"), [SEED])
    assert run_cli("build", "--root", str(root)).returncode == 0
    return root


@pytest.mark.parametrize(
    ("case", "transform", "needle", "key", "problem"), BUILD_CASES, ids=[c[0] for c in BUILD_CASES]
)
def test_build_stops_with_exit_1_and_leaves_dist_as_it_was(
    project, case, transform, needle, key, problem
):
    source = project / "data" / "sources" / SEED_NAME
    dist = project / "data" / "dist"
    before = (os.readlink(dist), (dist / "manifest.json").read_text())
    source.write_text(transform(TEXT), encoding="utf-8")
    try:
        result = run_cli("build", "--root", str(project))
    finally:
        shutil.copy(SEED, source)
    assert result.returncode == 1
    assert SEED_NAME in result.stderr and re.search(problem, result.stderr), result.stderr
    if key:
        assert f"key {key!r}" in result.stderr
    if needle:
        assert f":{_line_of(transform(TEXT), needle)}:" in result.stderr
    assert "nothing was published" in result.stderr
    assert (os.readlink(dist), (dist / "manifest.json").read_text()) == before
    assert not [p for p in (project / "data" / ".builds").iterdir() if p.name.startswith("tmp")]


def test_a_row_missing_its_seats_is_published_without_seats(project):
    source = project / "data" / "sources" / SEED_NAME
    source.write_text(drop_line(TEXT, "- Seats5: 13"), encoding="utf-8")
    try:
        result = run_cli("build", "--root", str(project))
    finally:
        shutil.copy(SEED, source)
    assert result.returncode == 0, result.stderr
    dump = (project / "data" / "dist" / "election-kg.nt").read_text(encoding="utf-8")
    result_iri = "<http://127.0.0.1:5000/id/election/2007-algerian-parliamentary-election/result-algerian-national-front>"
    facts = [line for line in dump.splitlines() if line.startswith(result_iri + " ")]
    assert any("#voteShare>" in line for line in facts)
    assert not any("#seatsWon>" in line for line in facts)


def test_curated_quote_that_is_not_in_the_source_stops_the_build(project):
    curated = project / "data" / "curated" / SEED_NAME.replace(".txt", ".ttl")
    original = curated.read_text(encoding="utf-8")
    curated.write_text(
        original.replace(
            "About 15% of ballots were spoiled.", "About 16% of ballots were spoiled."
        ),
        encoding="utf-8",
    )
    try:
        result = run_cli("build", "--root", str(project))
    finally:
        curated.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "is not in the source" in result.stderr and "About 16%" in result.stderr


def test_link_to_an_entity_no_source_describes_stops_the_build(project):
    links = project / "data" / "links" / "accepted.ttl"
    original = links.read_text(encoding="utf-8")
    links.write_text(
        original.replace("party:algerian-rally ;", "party:algerian-ralley ;"), encoding="utf-8"
    )
    try:
        result = run_cli("build", "--root", str(project))
    finally:
        links.write_text(original, encoding="utf-8")
    assert (
        result.returncode == 1
        and "algerian-ralley" in result.stderr
        and "not described by any source" in result.stderr
    )


def test_non_utf8_article_is_reported(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"= T =\n\nInfobox\n- Country: Alg\xe9rie\n")
    with pytest.raises(SourceError, match="not UTF-8"):
        read_article(path)


def test_manifest_untouched_is_valid_json(project):
    assert json.loads((project / "data" / "dist" / "manifest.json").read_text())["triples"] > 5000
