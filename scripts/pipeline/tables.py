"""Tidy tables of every release: `results.csv` and `elections.csv`, described by `datapackage.json`.

For people who open election results in a spreadsheet, R or pandas rather than a SPARQL client.
Each table is the answer of one query kept as data (`queries/results.rq`, `queries/elections.rq`),
run with pyoxigraph over the release's own N-Triples and written by pyoxigraph's SPARQL CSV writer
(UTF-8, RFC 4180: CRLF line ends, quotes where needed). The queries are published beside the
tables, so anyone can check a CSV against the SPARQL endpoint of the same release: the rows are equal.

The columns, keys and descriptions are data (`tables.toml`). Figures keep their precision in
separate columns (exact, about, more than), as the graph does with `schema:value`,
`ek:approximately` and `ek:moreThan`; nothing is flattened into one number. The data package
(Frictionless Data, tabular) gives each column its type and meaning, the primary and foreign keys,
the licence, the source articles, and each CSV's size and SHA-256.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from election_kg.common import query_files

QUERIES = Path(__file__).with_name("queries")
SCHEMA = Path(__file__).with_name("tables.toml")


@functools.lru_cache(maxsize=1)
def description() -> dict[str, Any]:
    """The data package's description and each table's schema, as `tables.toml` gives them."""
    with SCHEMA.open("rb") as handle:
        return tomllib.load(handle)


def names() -> tuple[str, ...]:
    """The tables of a release, in the order `tables.toml` lists them."""
    return tuple(description()["tables"])


def query(name: str, base: str) -> str:
    """The query of table `name` (or `sources`) for a release made for `base`."""
    return query_files.load(QUERIES, name, base)


def csv(store: ox.Store, name: str, base: str) -> str:
    """Table `name` as CSV: exactly the SPARQL CSV answer of its query over `store`."""
    answer = store.query(query(name, base))
    assert isinstance(answer, ox.QuerySolutions)
    return answer.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def package(store: ox.Store, base: str, csvs: dict[str, str]) -> dict[str, Any]:
    """The Frictionless Data Package describing the tables (`csvs`: file text by table name)."""
    sources = store.query(query("sources", base))
    assert isinstance(sources, ox.QuerySolutions)
    described = description()
    resources = []
    for name in names():
        table = described["tables"][name]
        text = csvs[name]
        resources.append(
            {
                "name": name,
                "title": table["title"],
                "description": table["description"]
                + f" The answer of the SPARQL query {name}.rq over this release.",
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(text.encode("utf-8")),
                "hash": f"sha256:{_sha256(text)}",
                "dialect": {"delimiter": ",", "quoteChar": '"', "lineTerminator": "\r\n"},
                "schema": {
                    key: table[key]
                    for key in ("fields", "primaryKey", "foreignKeys", "missingValues")
                    if key in table
                },
                "sources": [{"title": f"SPARQL query {name}.rq", "path": f"{name}.rq"}],
            }
        )
    package = described["package"]
    return {
        "profile": "tabular-data-package",
        "name": package["name"],
        "title": package["title"],
        "description": package["description"],
        "homepage": base,
        "licenses": [package["license"]],
        "sources": [
            {"title": row["title"].value, "path": row["url"].value}
            for row in sources
            if isinstance(row["url"], ox.NamedNode) and isinstance(row["title"], ox.Literal)
        ],
        "resources": resources,
    }


def write(store: ox.Store, base: str) -> dict[str, str]:
    """Every file of the tables for the release (`store`: its union graph) made for `base`:
    the CSVs, their data package, and the queries that make them (rebased to `base`)."""
    csvs = {name: csv(store, name, base) for name in names()}
    files = {f"{name}.csv": text for name, text in csvs.items()}
    files.update({f"{name}.rq": query(name, base) for name in names()})
    files["datapackage.json"] = json.dumps(package(store, base, csvs), indent=2) + "\n"
    return files
