"""propose and accept: the seed's prose facts rebuilt from its sentences, never a value that its
sentence does not hold, never a fact written twice."""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph

from election_kg.bench.prose import SEED, check, copy_without_curated, curated_facts
from election_kg.common import iris
from election_kg.prose.propose import propose
from election_kg.prose.review import read_review
from election_kg.prose.values import find_dates, parse_number
from tests.support.project import ROOT, run_cli

SEED_TXT = ROOT / "data" / "sources" / f"{SEED}.txt"
SEED_TTL = ROOT / "data" / "curated" / f"{SEED}.ttl"
CORPUS = sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.txt"))
ELECTION = iris.election("2007 Algerian parliamentary election")


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project without the curated file, with the corpus articles beside the seed."""
    copy = copy_without_curated(tmp_path_factory.mktemp("prose") / "project")
    return copy


@pytest.fixture(scope="module")
def rebuilt(bare: Path) -> Path:
    """`propose` then `accept --all` on the bare copy, then `build` (with the SHACL gate)."""
    review = bare / "review.tsv"
    done = run_cli("propose", f"data/sources/{SEED}.txt", "--out", str(review), cwd=bare)
    assert done.returncode == 0, done.stderr
    done = run_cli("accept", str(review), "--all", "--root", str(bare), cwd=bare)
    assert done.returncode == 0, done.stderr
    done = run_cli("build", "--root", str(bare), cwd=bare)
    assert done.returncode == 0, done.stderr
    return bare


def test_accept_all_rebuilds_most_curated_facts(rebuilt: Path) -> None:
    graph = Graph().parse(rebuilt / "data" / "dist" / "election-kg.ttl", format="turtle")
    curated, facts = curated_facts(SEED_TTL)
    found = [f for f in facts if check(graph, curated, f, ELECTION)]
    assert len(found) >= 0.8 * len(facts), f"{len(found)}/{len(facts)}"


def test_accept_twice_adds_nothing(rebuilt: Path) -> None:
    target = rebuilt / "data" / "curated" / f"{SEED}.ttl"
    before = target.read_text("utf-8")
    done = run_cli(
        "accept", str(rebuilt / "review.tsv"), "--all", "--root", str(rebuilt), cwd=rebuilt
    )
    assert done.returncode == 0, done.stderr
    assert "nothing new" in done.stdout
    assert target.read_text("utf-8") == before
    again = run_cli("propose", f"data/sources/{SEED}.txt", "--out", "again.tsv", cwd=rebuilt)
    assert again.returncode == 0, again.stderr
    _, rows = read_review(rebuilt / "again.tsv")
    assert rows and all(r.status == "in-graph" for r in rows)


def test_rejected_rows_are_not_written(tmp_path: Path) -> None:
    copy = copy_without_curated(tmp_path / "project")
    review = copy / "review.tsv"
    run_cli("propose", f"data/sources/{SEED}.txt", "--out", str(review), cwd=copy)
    text = review.read_text("utf-8")
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("id\t"))
    cols = lines[header].split("\t")
    decision = cols.index("decision")
    for i in range(header + 1, len(lines)):
        cells = lines[i].split("\t")
        if "ek:partiesContesting" in cells:
            cells[decision] = "accept"
        elif "ek:candidatesContesting" in cells:
            cells[decision] = "12001"  # an edited value
        else:
            cells[decision] = "reject"
        lines[i] = "\t".join(cells)
    review.write_text("\n".join(lines) + "\n", "utf-8")
    done = run_cli("accept", str(review), "--root", str(copy), cwd=copy)
    assert done.returncode == 0, done.stderr
    written = (copy / "data" / "curated" / f"{SEED}.ttl").read_text("utf-8")
    assert "24 political parties" in written and "ek:moreThan 12001" in written
    assert "BoycottCall" not in written


def test_in_graph_marking() -> None:
    """With the curated file, its facts and the infobox's are in the graph; without, they are new."""
    _, rows = propose(SEED_TXT, ROOT)
    status = {(r.property, r.value): r.status for r in rows}
    assert status[("ek:electionDate", "2007-05-17")] == "in-graph"  # the infobox has it
    assert status[("ek:candidatesContesting", "12000")] == "in-graph"  # the curated file has it
    assert status[("ek:callMadeBy", "organisation:rachad")] == "in-graph"
    in_graph = [r for r in rows if r.status == "in-graph"]
    assert len(in_graph) >= 0.7 * len(rows)
    call = next(
        r for r in rows if r.property == "ek:callMadeBy" and r.value == "organisation:rachad"
    )
    assert call.subject == "e:boycott-call-rachad"  # the curated node's IRI, not a new one


def _value_is_in_its_words(row) -> bool:
    if row.stated not in row.sentence:
        return False
    if (
        row.property == "rdf:type"
        or row.value.startswith(("<", "ek:"))
        or (":" in row.value and not row.value[0].isdigit())
    ):
        return True  # a class or an entity named by the stated words
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.value):
        d = date.fromisoformat(row.value)
        return (str(d.day) in row.stated) or "day" in row.stated or "week" in row.stated
    if re.fullmatch(r"-?\d+(?:\.\d+)?", row.value):
        numbers = [
            parse_number(m)
            for m in re.findall(
                r"[\d,.]+(?: million| billion| thousand)?|[A-Za-z]+(?:-[a-z]+)?", row.stated
            )
        ]
        return Decimal(row.value).copy_abs() in {n for n in numbers if n is not None}
    if row.value == "true":
        return True
    return row.value.lower() in row.sentence.lower()  # "Women won" -> group "women"


@pytest.mark.parametrize("article", [SEED_TXT, *CORPUS], ids=lambda p: p.stem)
def test_no_proposal_value_is_missing_from_its_sentence(bare: Path, article: Path) -> None:
    target = bare / "data" / "sources" / article.name
    if not target.exists():
        shutil.copy(article, target)
    _parsed, rows = propose(target, bare)
    text = target.read_text("utf-8")
    for row in rows:
        assert text[row.start : row.end] == row.sentence, row
        assert _value_is_in_its_words(row), (row.property, row.value, row.stated, row.sentence)


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,000", 12000), ("18.8 million", 18800000), ("Forty-four", 44), ("five", 5), ("a", 1)],
)
def test_numbers_as_written(text: str, value: int) -> None:
    assert parse_number(text) == value


def test_a_date_without_a_year_takes_it_from_the_context() -> None:
    (found,) = find_dates("It rejected appeals regarding the election on May 30.", 2007, None)
    assert found.value == date(2007, 5, 30) and "2007" in found.note
    (before,) = find_dates(
        "two bombs exploded the day before the election", 2007, date(2007, 5, 17)
    )
    assert before.value == date(2007, 5, 16)
