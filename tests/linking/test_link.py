"""`election-kg link` against a real Oxigraph server holding a Wikidata-shaped fixture with decoys."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from election_kg.linking import match_score
from election_kg.linking.match_score import Ours, Theirs
from tests.support.live import free_port
from tests.support.project import copy_project, run_cli

ID = "http://127.0.0.1:5000/id/"


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory, wikidata) -> dict:
    """A project built, linked with the default review file, then built again."""
    root = copy_project(tmp_path_factory.mktemp("linked"))
    assert run_cli("build", "--root", str(root)).returncode == 0
    before = {"dist": _hashes(root / "data" / "dist"), "links": _hashes(root / "data" / "links")}
    result = run_cli("link", "--endpoint", wikidata.query, "--root", str(root))
    assert result.returncode == 0, result.stderr
    review = root / "data" / "links" / "candidates.tsv"
    with review.open(encoding="utf-8", newline="") as lines:
        rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    after_link = {
        "dist": _hashes(root / "data" / "dist"),
        "links": _hashes(root / "data" / "links"),
    }
    rebuilt = run_cli("build", "--root", str(root))
    assert rebuilt.returncode == 0, rebuilt.stderr
    return {
        "root": root,
        "stdout": result.stdout,
        "rows": rows,
        "before": before,
        "after_link": after_link,
        "after_rebuild": _hashes(root / "data" / "dist"),
    }


def candidates(linked: dict, entity: str) -> list[dict[str, str]]:
    return [r for r in linked["rows"] if r["entity"] == ID + entity and r["candidate"]]


@pytest.mark.parametrize(
    ("entity", "expected"),
    [
        ("party/algeria/workers-party", "Q627196"),
        ("party/algeria/national-liberation-front", "Q204543"),
        ("party/algeria/islamic-renaissance-movement", "Q1790632"),
        ("party/algeria/national-republican-alliance", "Q2838210"),
        ("person/algeria/louisa-hanoune", "Q269903"),
        ("country/algeria", "Q262"),
        ("legislature/algeria/peoples-national-assembly", "Q633590"),
        ("election/2007-algerian-parliamentary-election", "Q1500016"),
    ],
)
def test_the_evidenced_item_is_the_best_candidate(linked, entity, expected):
    rows = candidates(linked, entity)
    assert rows[0]["candidate"] == expected
    assert rows[0]["status"] == "accepted"
    assert all(int(r["score"]) < int(rows[0]["score"]) for r in rows[1:])


@pytest.mark.parametrize(
    ("entity", "decoy", "most"),
    [
        ("party/algeria/workers-party", "Q99000002", 60),  # same label, Brazil
        (
            "party/algeria/workers-party",
            "Q99000003",
            55,
        ),  # normalised label, a communist party (P279 political party), Brazil
        (
            "party/algeria/national-liberation-front",
            "Q99000001",
            60,
        ),  # same label and alias, Tunisia
        ("person/algeria/louisa-hanoune", "Q99000011", 60),  # namesake of another country
        ("place/algiers", "Q99000021", 50),  # a province with the alias "Algiers"
    ],
)
def test_decoys_score_lower(linked, entity, decoy, most):
    rows = {r["candidate"]: r for r in candidates(linked, entity)}
    assert decoy in rows, f"{decoy} should be proposed, lower"
    assert int(rows[decoy]["score"]) <= most < max(int(r["score"]) for r in rows.values())
    assert rows[decoy]["status"] == "review"


def test_decoys_without_a_name_match_or_of_another_kind_are_not_proposed(linked):
    assert "Q99000023" not in {
        r["candidate"] for r in candidates(linked, "place/constantine")
    }  # Constantine the Great
    assert not {
        r["candidate"] for r in candidates(linked, "election/2002-algerian-parliamentary-election")
    } - {"Q3586958"}


def test_evidence_says_why(linked):
    best, brazil = candidates(linked, "party/algeria/workers-party")[:2]
    assert "label “Workers' Party” is our label" in best["evidence"]
    assert (
        "political party (Q7278)" in best["evidence"]
        and "Algeria (Q262) is ours" in best["evidence"]
    )
    assert "Brazil (Q99000901), not Algeria (Q262)" in brazil["evidence"]
    communist = next(
        r
        for r in candidates(linked, "party/algeria/workers-party")
        if r["candidate"] == "Q99000003"
    )
    assert (
        "instance of communist party (Q99000951), a subclass of political party (Q7278)"
        in communist["evidence"]
    )
    fln = candidates(linked, "party/algeria/islamic-renaissance-movement")[0]
    assert "alias “Islamic Renaissance Movement”" in fln["evidence"]


def test_unlinked_entities_get_candidates_to_review_and_the_rest_say_none(linked):
    ouyahia = candidates(linked, "person/algeria/ahmed-ouyahia")
    assert (
        ouyahia[0]["candidate"] == "Q99000010"
        and ouyahia[0]["status"] == "review"
        and ouyahia[0]["accepted"] == ""
    )
    none = [r for r in linked["rows"] if r["entity"] == ID + "person/algeria/said-sadi"]
    assert [r["status"] for r in none] == ["none"]
    assert "for review" in linked["stdout"] and "Ahmed Ouyahia -> Q99000010" in linked["stdout"]


def test_accepted_links_are_shown_as_such(linked):
    workers = candidates(linked, "party/algeria/workers-party")
    assert {r["accepted"] for r in workers} == {"Q627196"}
    assert "accepted links that are the best candidate: 25 of 25" in linked["stdout"]


def test_nothing_is_added_to_the_graph(linked):
    assert linked["after_link"]["dist"] == linked["before"]["dist"]
    assert linked["after_link"]["links"] == {
        **linked["before"]["links"],
        "candidates.tsv": linked["after_link"]["links"]["candidates.tsv"],
    }
    assert linked["after_rebuild"]["manifest.json"] == linked["before"]["dist"]["manifest.json"]
    assert "nothing was added to the graph" in linked["stdout"]


def test_unreachable_endpoint_is_a_clear_error(built, tmp_path):
    result = run_cli(
        "link",
        "--endpoint",
        f"http://127.0.0.1:{free_port()}/query",
        "--root",
        str(built.root),
        "--output",
        str(tmp_path / "c.tsv"),
    )
    assert result.returncode == 3
    assert "cannot reach http://127.0.0.1:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "c.tsv").exists()


def test_an_endpoint_that_is_not_sparql_is_a_clear_error(built, tmp_path, wikidata):
    result = run_cli(
        "link",
        "--endpoint",
        wikidata.url + "/no-such-path",
        "--root",
        str(built.root),
        "--output",
        str(tmp_path / "c.tsv"),
    )
    assert result.returncode == 4, result.stderr
    assert "error:" in result.stderr and "Traceback" not in result.stderr


def test_no_build_is_a_clear_error(tmp_path):
    result = run_cli("link", "--endpoint", "http://127.0.0.1:9/query", "--root", str(tmp_path))
    assert result.returncode == 1 and "run `election-kg build` first" in result.stderr


# The score itself, signal by signal (see scripts/match_score.py for the table).

ALGERIA = {"Q262": "Algeria"}


def test_score_adds_name_type_and_country():
    ours = Ours(("Workers' Party",), (), "party", ALGERIA)
    exact = Theirs(
        "Q1",
        {"Workers' Party"},
        expected_types={"Q7278": "political party"},
        types={"Q7278": "political party"},
        countries=ALGERIA,
    )
    assert match_score.score(ours, exact).value == 100
    abroad = Theirs(
        "Q2",
        {"Workers' Party"},
        expected_types={"Q7278": "political party"},
        types={"Q7278": ""},
        countries={"Q155": "Brazil"},
    )
    assert match_score.score(ours, abroad).value == 60
    other_kind = Theirs("Q3", {"Workers' Party"}, types={"Q5": "human"}, countries=ALGERIA)
    assert match_score.score(ours, other_kind).value == 60
    unknown = Theirs("Q4", {"workers party"})
    assert match_score.score(ours, unknown).value == 55


def test_score_needs_a_name_match_and_treats_numbers_as_identity():
    ours = Ours(("2007 Algerian parliamentary election",), (), "election", ALGERIA)
    assert (
        match_score.score(
            ours, Theirs("Q1", {"2002 Algerian parliamentary election"}, countries=ALGERIA)
        )
        is None
    )
    assert match_score.score(Ours(("Rachad",)), Theirs("Q2", {"RCD"})) is None
    assert (
        match_score.similarity(
            "National Republican Alliance", "National Republican Alliance (Algeria)"
        )
        >= match_score.SIMILAR_FLOOR
    )


def test_alias_matches_count_less_than_label_matches():
    ours = Ours(("National Liberation Front",), ("FLN",), "party")
    by_alias = match_score.score(ours, Theirs("Q1", {"Front of Liberation"}, aliases={"FLN"}))
    by_label = match_score.score(ours, Theirs("Q2", {"National Liberation Front"}))
    assert by_alias is not None and by_label is not None
    assert by_alias.value == match_score.ALIAS_EXACT < by_label.value == match_score.LABEL_EXACT


def test_values_placeholders_are_filled_and_an_empty_list_matches_nothing():
    import pyoxigraph as ox

    from election_kg.common import query_files

    query = "SELECT ?x WHERE { VALUES ?x { UNDEF } }"
    filled = query_files.with_values(
        query,
        "x",
        [ox.Literal("Workers' Party", language="en"), ox.NamedNode("http://example.org/a")],
    )
    assert filled == 'SELECT ?x WHERE { VALUES ?x { "Workers\' Party"@en <http://example.org/a> } }'
    assert len(list(ox.Store().query(query_files.with_values(query, "x", [])))) == 0  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no placeholder"):
        query_files.with_values(query, "y", [])
