"""The query benchmark's fresh mode changes the text of every request, never its answer; and on a
build without the seed, stand-ins give every query of the mix data to find."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from election_kg.bench import QUERIES
from election_kg.bench.serve import FRESH_MARK, stand_ins, wrk_script
from tests.support.project import ROOT, copy_project, run_cli

MIX = {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES.glob("*.rq"))}


@pytest.fixture(scope="module")
def seed_store(seed_built) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(seed_built.dist / "election-kg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def built_without_seed(tmp_path_factory) -> Path:
    """One real corpus article of the seed's layout (a parliamentary election), built alone."""
    source = ROOT / "data" / "sources" / "2009_Botswana_general_election.txt"
    root = copy_project(tmp_path_factory.mktemp("no-seed"), [source])
    for curated in (root / "data" / "curated").glob("*.ttl"):  # the facts of absent articles
        if curated.stem != source.stem:
            curated.unlink()
    (root / "data" / "links" / "accepted.ttl").write_text("")  # its links name the seed's entities
    done = run_cli("build", "--quiet", "--root", str(root), cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "data" / "dist"


def _fresh_text(name: str, tmp_path, number: int) -> str:
    """The query a fresh request sends, with `number` as its unique constant (read from the script)."""
    script = wrk_script(MIX[name], tmp_path, name, fresh=True).read_text()
    before, after = re.search(r'"([^"]*)" \.\. n \.\. "([^"]*)"', script).groups()
    return urllib.parse.parse_qs(before + str(number) + after)["query"][0]


def _answer(store: ox.Store, text: str) -> object:
    results = store.query(text, use_default_graph_as_union=True)
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    if isinstance(results, ox.QuerySolutions):
        names = [v.value for v in results.variables]
        return sorted(tuple(str(row[n]) for n in names) for row in results)
    return sorted(str(t) for t in results)


@pytest.mark.parametrize("name", MIX)
def test_a_fresh_request_is_new_text_with_the_same_answer(seed_store, tmp_path, name):
    first, second = _fresh_text(name, tmp_path, 1), _fresh_text(name, tmp_path, 65)
    assert first != second and FRESH_MARK not in first
    expected = _answer(seed_store, MIX[name])
    assert _answer(seed_store, first) == expected == _answer(seed_store, second)
    assert expected not in ([], False)  # the mix finds data in the seed


def test_requests_count_apart_per_wrk_thread(tmp_path):
    script = wrk_script(MIX["8-ask"], tmp_path, "8-ask", fresh=True).read_text()
    assert "thread:set('first', threads)" in script and "first + (step - 1) * 64" in script


def test_stand_ins_replace_the_seeds_resources_on_a_build_without_them(built_without_seed):
    changed = stand_ins(built_without_seed, MIX)
    assert "2007-algerian-parliamentary-election" not in "".join(changed.values())
    store = ox.Store()
    store.bulk_load(path=str(built_without_seed / "election-kg.nq"), format=ox.RdfFormat.N_QUADS)
    for name, text in changed.items():
        if name != "8-ask":  # a yes-or-no question: no boycott call in this article, so "no"
            assert _answer(store, text) != [], name
