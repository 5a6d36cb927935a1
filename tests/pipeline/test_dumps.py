"""The published files: every format says the same thing, byte-identically on every build."""

import gzip
import hashlib
import json
import os

from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from tests.support.project import SEED_SOURCE, copy_project, run_cli

FORMATS = {"election-kg.ttl": "turtle", "election-kg.nt": "nt", "election-kg.jsonld": "json-ld"}


def test_turtle_ntriples_and_jsonld_are_isomorphic(built):
    graphs = {name: Graph().parse(built.dist / name, format=fmt) for name, fmt in FORMATS.items()}
    reference = graphs.pop("election-kg.ttl")
    assert len(reference) > 5000
    for name, other in graphs.items():
        assert isomorphic(reference, other), name


def test_quads_have_one_named_graph_per_source_and_the_union_is_the_dump(built):
    ds = Dataset()
    ds.parse(built.dist / "election-kg.nq", format="nquads")
    trig = Dataset()
    trig.parse(built.dist / "election-kg.trig", format="trig")
    names = sorted(str(g.identifier) for g in ds.graphs() if len(g))
    articles = sorted((built.root / "data" / "sources").glob("*.txt"))
    assert len(articles) == 16
    assert names == sorted(
        [
            *("http://127.0.0.1:5000/graph/" + a.stem.lower().replace("_", "-") for a in articles),
            "http://127.0.0.1:5000/graph/links",
        ]
    )
    union = Graph()
    for g in ds.graphs():
        union += g
    assert isomorphic(union, built.graph())
    assert len(trig) == len(ds)


def test_manifest_lists_sizes_checksums_and_counts(built):
    manifest = json.loads((built.dist / "manifest.json").read_text())
    listed = {entry["file"]: entry for entry in manifest["files"]}
    assert set(listed) >= {
        "election-kg.ttl",
        "election-kg.jsonld",
        "election-kg.nt",
        "election-kg.nq",
        "election-kg.trig",
        "context.jsonld",
    }
    for name, entry in listed.items():
        raw = (built.dist / name).read_bytes()
        assert entry["bytes"] == len(raw) and entry["sha256"] == hashlib.sha256(raw).hexdigest()
        packed = (built.dist / entry["gzip"]["file"]).read_bytes()
        assert (
            gzip.decompress(packed) == raw
            and entry["gzip"]["sha256"] == hashlib.sha256(packed).hexdigest()
        )
    assert listed["election-kg.nt"]["triples"] == len(built.graph()) == manifest["triples"]


def test_jsonld_reads_as_plain_json_and_embeds_the_published_context(built):
    doc = json.loads((built.dist / "election-kg.jsonld").read_text())
    context = json.loads((built.dist / "context.jsonld").read_text())
    assert doc["@context"] == context["@context"]
    nodes = {node["@id"]: node for node in doc["@graph"]}
    party = nodes["id/party/algeria/workers-party"]
    assert party["label"] == "Workers' Party" and party["@type"] == ["PoliticalParty"]
    result = nodes["id/election/2007-algerian-parliamentary-election/result-workers-party"]
    assert (
        result["seatsWon"] == 26
        and result["voteShare"] == "5.09"
        and result["contestant"] == "id/party/algeria/workers-party"
    )
    assert "http" not in " ".join(
        k for node in doc["@graph"] for k in node
    )  # every key is a short name or a CURIE


def test_same_input_gives_byte_identical_output(built, tmp_path):
    root = copy_project(tmp_path)
    result = run_cli("build", "--root", str(root), env={"PYTHONHASHSEED": "12345"})
    assert result.returncode == 0, result.stderr
    first = {p.name: p.read_bytes() for p in built.dist.iterdir()}
    second = {p.name: p.read_bytes() for p in (root / "data" / "dist").iterdir()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_base_iri_is_configurable(tmp_path):
    root = copy_project(tmp_path, [SEED_SOURCE])
    result = run_cli("build", "--root", str(root), "--base", "https://elections.example.org/")
    assert result.returncode == 0, result.stderr
    text = (root / "data" / "dist" / "election-kg.nt").read_text()
    assert "http://127.0.0.1:5000/" not in text
    assert "<https://elections.example.org/id/party/algeria/national-liberation-front>" in text
    assert (
        json.loads((root / "data" / "dist" / "manifest.json").read_text())["base"]
        == "https://elections.example.org/"
    )


def test_dist_is_swapped_in_whole(built):
    assert os.path.islink(built.dist)
    assert not any(p.name.startswith("tmp") for p in (built.root / "data" / ".builds").iterdir())


def test_the_moved_iris_are_published_for_the_server(built):
    """data/redirects.tsv (old IRI path -> new) is published as it is, so old IRIs answer 301."""
    manifest = json.loads((built.dist / "manifest.json").read_text())
    assert "redirects.tsv" in {entry["file"] for entry in manifest["files"]}
    published = (built.dist / "redirects.tsv").read_text(encoding="utf-8")
    assert published == (built.root / "data" / "redirects.tsv").read_text(encoding="utf-8")
    assert (
        "id/party/national-liberation-front\tid/party/algeria/national-liberation-front\n"
        in published
    )
