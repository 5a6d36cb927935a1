"""SPARQL queries kept as data (`.rq` files beside the code that runs them), read one way everywhere.

Each file is written against the canonical base, so that it runs unchanged in the query page; a build
for another base mints its IRIs under that base, so a query is rebased when it is loaded.

Queries sent to another service cannot take bound variables, so a query that needs a list of values
carries a placeholder block `VALUES ?name { UNDEF }` (valid SPARQL, so the file can be run and checked
as it is) that `with_values` fills in. The values go inside the WHERE clause on purpose: the Wikidata
Query Service only answers label look-ups quickly when it can start from the given values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from election_kg.common.iris import CANONICAL_BASE


@cache
def load(folder: Path, name: str, base: str = CANONICAL_BASE) -> str:
    """The query `name` (a file stem in `folder`), with our IRIs moved to the build's `base`."""
    text = (folder / f"{name}.rq").read_text(encoding="utf-8")
    return text if base == CANONICAL_BASE else text.replace(CANONICAL_BASE, base)


def with_values(query: str, variable: str, terms: Iterable[ox.NamedNode | ox.Literal]) -> str:
    """Fill every placeholder `VALUES ?variable { UNDEF }` with `terms`, written as SPARQL terms.

    A query may repeat the placeholder in each branch of a UNION: engines (Oxigraph among them)
    join a VALUES block with a whole UNION group by evaluating the group unbound first, which on
    a large store is a scan of everything; inside each branch, the values bind the patterns."""
    pattern = re.compile(r"VALUES\s+\?" + re.escape(variable) + r"\s*\{\s*UNDEF\s*\}")
    if not pattern.search(query):
        raise ValueError(f"the query has no placeholder `VALUES ?{variable} {{ UNDEF }}`")
    body = " ".join(str(term) for term in terms)  # none: no solutions, never a scan of everything
    return pattern.sub(lambda _: f"VALUES ?{variable} {{ {body} }}", query)
