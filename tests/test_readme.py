"""The README's example queries give the output the README shows."""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```sparql\n([^`]*?)```\n\n((?:\|[^\n]*\|\n)+)", README)


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value.replace("http://127.0.0.1:5000/ontology#", "ek:")
    return term.value


@pytest.fixture(scope="module")
def store(built):
    store = ox.Store()
    store.load(path=str(built.dist / "election-kg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def test_readme_has_three_examples():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_example_output_is_real(store, index):
    query, table = EXAMPLES[index]
    lines = table.strip().splitlines()
    expected = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]]
    solutions = store.query(query, use_default_graph_as_union=True)
    variables = [v.value for v in solutions.variables]
    actual = [[_cell(row[v]) for v in variables] for row in solutions]
    assert actual == expected
