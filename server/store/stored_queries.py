"""The server's own SPARQL queries, kept as data in server/store/queries/*.rq and run against the release.

Each file is written against the canonical base, so that it runs unchanged in the query page. A release
built for another base mints its IRIs (and its vocabulary) under that base, so a query is rebased to the
release's base when it is loaded, the same way the pipeline rebases the data.

Every store must read the text the same way, so before it is sent a query loses its comments and its
subclass closures: `?x a/rdfs:subClassOf* C` and `?c rdfs:subClassOf+ ?d` (readable, and right in the
query page) become `VALUES` lists of the classes they mean, computed here from the build's own
ontology.ttl (Virtuoso returns no rows for the first beside an OPTIONAL, and stores differ on paths).
An answer that finds nothing on a remote store is checked against the store: one that lost the
release is a 503 (`release.check_store`), never a page that silently says "not found".
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from election_kg.common import query_files
from election_kg.common.iris import CANONICAL_BASE
from election_kg.server.store.embedded import ONTOLOGY
from election_kg.server.store.release import Release, check_store
from election_kg.server.store.remote import strip_comments, substitute

RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SCOPE = "_scope"  # `{name}_scope.rq`: the first step of a query in two (see `_query`)

FOLDER = Path(__file__).resolve().parent / "queries"

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]


def text(name: str, base: str = CANONICAL_BASE) -> str:
    """The query `name` (a file stem in server/store/queries/) with its IRIs moved to `base`."""
    return query_files.load(FOLDER, name, base)


def superclasses(release: Release) -> dict[str, set[str]]:
    """Each class of the build's ontology with all its superclasses (itself excluded), made once per release."""
    memo = release.memo
    if "superclasses" not in memo:
        direct: dict[str, set[str]] = defaultdict(set)
        path = release.folder / ONTOLOGY
        if path.exists():
            for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
                if triple.predicate.value == RDFS_SUBCLASS and isinstance(
                    triple.object, ox.NamedNode
                ):
                    direct[triple.subject.value].add(triple.object.value)
        closure = {}
        for start in list(direct):
            seen: set[str] = set()
            todo = list(direct[start])
            while todo:
                found = todo.pop()
                if found not in seen:
                    seen.add(found)
                    todo += direct.get(found, ())
            closure[start] = seen - {start}
        memo["superclasses"] = closure
    return memo["superclasses"]


_PREFIX = re.compile(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_TERM = r"(\?\w+|<[^>\s]*>|[\w.-]*:[\w.-]*)"
_TYPED = re.compile(r"(\?\w+)\s+a/rdfs:subClassOf\*\s+" + _TERM + r"\s*\.")
_SUPER = re.compile(r"(\?\w+)\s+rdfs:subClassOf([+*])\s+(\?\w+)\s*\.?")


def closed(query: str, supers: dict[str, set[str]]) -> str:
    """`query` with its subclass paths replaced by VALUES lists of the classes they reach (see above)."""
    prefixes = {name: iri for name, iri in _PREFIX.findall(query)}

    def iri(term: str) -> str:
        if term.startswith("<"):
            return term[1:-1]
        name, _, local = term.partition(":")
        return prefixes[name] + local

    def typed(match: re.Match[str]) -> str:
        subject, target = match.group(1), iri(match.group(2))
        classes = sorted({target} | {c for c, ups in supers.items() if target in ups})
        variable = f"?{subject[1:]}_class"
        listed = " ".join(f"<{c}>" for c in classes)
        return f"{subject} a {variable} . VALUES {variable} {{ {listed} }}"

    def upward(match: re.Match[str]) -> str:
        sub, reflexive, sup = match.group(1), match.group(2) == "*", match.group(3)
        pairs = sorted(
            {(c, up) for c, ups in supers.items() for up in ups}
            | ({(c, c) for c in supers} if reflexive else set())
        )
        listed = " ".join(f"(<{a}> <{b}>)" for a, b in pairs)
        return f"VALUES ({sub} {sup}) {{ {listed} }}"

    return _SUPER.sub(upward, _TYPED.sub(typed, query))


def _prepared(release: Release, name: str) -> str:
    """The text sent to the store: rebased, without comments, subclass paths closed in the site."""
    memo = release.memo.setdefault("queries", {})
    if name not in memo:
        memo[name] = closed(strip_comments(text(name, release.base)), superclasses(release))
    return memo[name]


def _nothing_found(release: Release) -> None:
    """An empty answer from a remote store: make sure the store still holds the release (503 otherwise)."""
    check_store(release)


def _query(release: Release, name: str, bindings: dict[str, ox.NamedNode | ox.Literal]):
    """Run `name` with its variables bound by writing their values into the text, on every store alike
    (pyoxigraph's own substitutions do not reach inside a BIND the way a written value does).

    A query with a scope (`{name}_scope.rq` beside it) runs in two steps: the scope's SELECT first, whose
    answer fills the placeholder `VALUES ?variable { UNDEF }` of the query, so no store has to plan the
    whole page in one query (Virtuoso gets a large one wrong, or slow)."""
    values = {ox.Variable(n): term for n, term in bindings.items()}
    query = substitute(_prepared(release, name), values)
    if (FOLDER / f"{name}{SCOPE}.rq").exists():
        scope = release.store.query(
            substitute(_prepared(release, name + SCOPE), values), use_default_graph_as_union=True
        )
        assert isinstance(scope, ox.QuerySolutions), f"{name}{SCOPE}.rq is not a SELECT query"
        variables = [v.value for v in scope.variables]
        rows = [[row[v] for v in variables] for row in scope]
        for i, variable in enumerate(variables):
            query = query_files.with_values(
                query, variable, sorted({r[i] for r in rows if r[i] is not None}, key=str)
            )
    return release.store.query(query, use_default_graph_as_union=True)


def select(release: Release, name: str, **bindings: ox.NamedNode | ox.Literal) -> list[Row]:
    """Rows of a SELECT query, each a dict of the variables it binds (unbound ones are left out)."""
    solutions = _query(release, name, bindings)
    assert isinstance(solutions, ox.QuerySolutions), f"{name}.rq is not a SELECT query"
    names = [variable.value for variable in solutions.variables]
    rows = [{n: s[n] for n in names if s[n] is not None} for s in solutions]
    if not rows:
        _nothing_found(release)
    return rows


def construct(
    release: Release, name: str, **bindings: ox.NamedNode | ox.Literal
) -> list[ox.Triple]:
    """Triples of a CONSTRUCT query, without duplicates, in a stable order (so that dumps are stable)."""
    triples = _query(release, name, bindings)
    assert isinstance(triples, ox.QueryTriples), f"{name}.rq is not a CONSTRUCT query"
    found = sorted(set(triples), key=str)
    if not found:
        _nothing_found(release)
    return found


def ask(release: Release, name: str, **bindings: ox.NamedNode | ox.Literal) -> bool:
    answer = _query(release, name, bindings)
    assert isinstance(answer, ox.QueryBoolean), f"{name}.rq is not an ASK query"
    if not answer:
        _nothing_found(release)
    return bool(answer)
