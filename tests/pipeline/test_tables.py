"""The tidy tables of a release: results.csv and elections.csv, their data package, and that they
are what the published queries answer over the release's own graph."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pyoxigraph as ox
import pytest
from frictionless import Package, validate

from election_kg.pipeline import tables


@pytest.fixture(scope="module")
def package(built) -> dict:
    return json.loads((built.dist / "datapackage.json").read_text(encoding="utf-8"))


def _rows(built, name: str) -> list[dict[str, str]]:
    text = (built.dist / f"{name}.csv").read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_published_package_is_valid_frictionless_data(built):
    report = validate(built.dist / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.name for task in report.tasks] == ["results", "elections"]
    store = ox.Store()
    store.load(path=str(built.dist / "election-kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    ek = "http://127.0.0.1:5000/ontology#"
    results = len(list(store.query(f"SELECT DISTINCT ?r WHERE {{ ?r a <{ek}ElectionResult> }}")))
    elections = len(list(store.query(f"SELECT DISTINCT ?e WHERE {{ ?r <{ek}election> ?e }}")))
    counted = [task.stats["rows"] for task in report.tasks]
    assert counted[0] == results > 24  # every result of the corpus, one row each
    assert counted[1] >= elections  # every election with results, and those only mentioned


def test_a_broken_table_fails_validation(built, tmp_path):
    """The check has teeth: a changed CSV no longer matches its size and hash, a duplicate key fails."""
    for name in ("datapackage.json", "results.csv", "elections.csv"):
        (tmp_path / name).write_bytes((built.dist / name).read_bytes())
    results = (tmp_path / "results.csv").read_bytes().split(b"\r\n")
    (tmp_path / "results.csv").write_bytes(b"\r\n".join([*results[:2], results[1], *results[2:]]))
    report = validate(tmp_path / "datapackage.json")
    assert not report.valid
    types = {error.type for task in report.tasks for error in task.errors}
    assert "primary-key" in types and "hash-count" in types


def test_the_package_describes_every_column_with_keys_licence_and_sources(built, package):
    assert package["licenses"][0]["name"] == "CC-BY-SA-4.0"
    titles = sorted(
        p.stem.replace("_", " ") for p in (built.root / "data" / "sources").glob("*.txt")
    )
    assert sorted(s["title"] for s in package["sources"]) == titles
    assert {
        "title": "2007 Algerian parliamentary election",
        "path": "https://en.wikipedia.org/wiki/2007_Algerian_parliamentary_election",
    } in package["sources"]
    for resource in package["resources"]:
        raw = (built.dist / resource["path"]).read_bytes()
        header = raw.split(b"\r\n", 1)[0].decode("utf-8").split(",")
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert all(f.get("type") and f.get("description") for f in resource["schema"]["fields"])
        assert resource["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
        assert resource["bytes"] == len(raw)
    results, elections = package["resources"]
    assert results["schema"]["primaryKey"] == ["result"]
    assert results["schema"]["foreignKeys"][0]["reference"] == {
        "resource": "elections",
        "fields": ["election"],
    }
    assert elections["schema"]["primaryKey"] == ["election"]
    assert Package(built.dist / "datapackage.json").get_resource("results").read_rows()


def test_csv_is_rfc_4180_utf8(built):
    raw = (built.dist / "results.csv").read_bytes()
    raw.decode("utf-8")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert '"Workers\' Party"' not in raw.decode("utf-8")  # quoted only where RFC 4180 needs it


def test_results_keep_the_article_figures_ids_and_lines(seed_built):
    """The seed's rows, read from the seed built alone (its figures, identifiers and lines)."""
    rows = {r["contestant_label"]: r for r in _rows(seed_built, "results")}
    assert len(rows) == 24
    fln = rows["National Liberation Front"]
    assert fln["contestant_kind"] == "party" and fln["party_label"] == "National Liberation Front"
    assert fln["leader_or_candidate_label"] == "Abdelaziz Belkhadem"
    assert (fln["vote_share"], fln["seats"], fln["seats_before"], fln["seat_change"]) == (
        "22.95",
        "136",
        "199",
        "-63",
    )
    assert (fln["wikidata"], fln["party_facts"], fln["infobox_line"]) == ("Q204543", "4111", "11")
    assert fln["date"] == "2007-05-17" and fln["country_label"] == "Algeria"
    independents = rows["Independents (2007 Algerian parliamentary election)"]
    assert independents["contestant_kind"] == "independents"
    assert independents["party"] == "" and independents["leader_or_candidate"] == ""
    assert sum(int(r["seats"]) for r in rows.values()) == 389


def test_elections_keep_qualifiers_in_their_own_columns(built):
    rows = {r["election_label"]: r for r in _rows(built, "elections")}
    e2007 = rows["2007 Algerian parliamentary election"]
    assert (e2007["seats"], e2007["majority"], e2007["results"]) == ("389", "195", "24")
    assert (e2007["turnout"], e2007["turnout_about"], e2007["turnout_more_than"]) == (
        "35.67",
        "36",
        "",
    )
    # "18.8 million voters": about, never an exact 18800000
    assert (e2007["registered_voters"], e2007["registered_voters_about"]) == ("", "18800000")
    assert rows["2002 Algerian parliamentary election"]["results"] == "0"


def test_each_csv_is_the_answer_of_its_published_query(built):
    store = ox.Store()
    store.load(path=str(built.dist / "election-kg.nt"), format=ox.RdfFormat.N_TRIPLES)
    for name in tables.names():
        query = (built.dist / f"{name}.rq").read_text(encoding="utf-8")
        answer = store.query(query).serialize(format=ox.QueryResultsFormat.CSV)
        assert answer == (built.dist / f"{name}.csv").read_bytes()


def test_tables_are_listed_and_checksummed_in_the_manifest(built):
    manifest = json.loads((built.dist / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["file"]: e for e in manifest["files"]}
    for name in ("results.csv", "elections.csv", "results.rq", "elections.rq", "datapackage.json"):
        raw = (built.dist / name).read_bytes()
        assert entries[name]["sha256"] == hashlib.sha256(raw).hexdigest()
