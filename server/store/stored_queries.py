"""The server's own SPARQL queries, kept as data in server/store/queries/*.rq and run against the release.

Each file is written against the canonical base, so that it runs unchanged in the query page. A release
built for another base mints its IRIs (and its vocabulary) under that base, so a query is rebased to the
release's base when it is loaded, the same way the pipeline rebases the data.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from election_kg.common import query_files
from election_kg.common.iris import CANONICAL_BASE
from election_kg.server.store.release import Release

FOLDER = Path(__file__).resolve().parent / "queries"

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]


def text(name: str, base: str = CANONICAL_BASE) -> str:
    """The query `name` (a file stem in server/store/queries/) with its IRIs moved to `base`."""
    return query_files.load(FOLDER, name, base)


def _substitutions(
    bindings: dict[str, ox.NamedNode | ox.Literal],
) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    return {ox.Variable(name): term for name, term in bindings.items()}


def select(release: Release, name: str, **bindings: ox.NamedNode | ox.Literal) -> list[Row]:
    """Rows of a SELECT query, each a dict of the variables it binds (unbound ones are left out)."""
    solutions = release.store.query(
        text(name, release.base),
        use_default_graph_as_union=True,
        substitutions=_substitutions(bindings),
    )
    assert isinstance(solutions, ox.QuerySolutions), f"{name}.rq is not a SELECT query"
    names = [variable.value for variable in solutions.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in solutions]


def construct(
    release: Release, name: str, **bindings: ox.NamedNode | ox.Literal
) -> list[ox.Triple]:
    """Triples of a CONSTRUCT query, without duplicates, in a stable order (so that dumps are stable)."""
    triples = release.store.query(
        text(name, release.base),
        use_default_graph_as_union=True,
        substitutions=_substitutions(bindings),
    )
    assert isinstance(triples, ox.QueryTriples), f"{name}.rq is not a CONSTRUCT query"
    return sorted(set(triples), key=str)


def ask(release: Release, name: str, **bindings: ox.NamedNode | ox.Literal) -> bool:
    answer = release.store.query(
        text(name, release.base),
        use_default_graph_as_union=True,
        substitutions=_substitutions(bindings),
    )
    assert isinstance(answer, ox.QueryBoolean), f"{name}.rq is not an ASK query"
    return bool(answer)
