"""`statistics.json` and `resources.txt`: the whole-dataset figures of the dataset description
(VoID) and the list of every resource (the sitemap's), computed by the build once per release.

Counting distinct subjects, class partitions or links is a scan of every triple: milliseconds on
one article, minutes on a corpus of a thousand. The server reads these figures from the release
instead of asking its store on the first request to `/dataset` or `/sitemap.xml`. Each figure is the answer of a
query kept as data (`queries/void-*.rq`), run with pyoxigraph over the release's union graph.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from election_kg.common import query_files, release_files
from election_kg.pipeline.tables import QUERIES


def _rows(store: ox.Store, name: str, base: str) -> list[dict[str, Any]]:
    answer = store.query(query_files.load(QUERIES, name, base))
    assert isinstance(answer, ox.QuerySolutions)
    names = [variable.value for variable in answer.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in answer]


def resources(store: ox.Store, base: str) -> list[str]:
    """Every resource IRI of the release (each has a page), sorted."""
    return [row["resource"] for row in _rows(store, "void-entities", base)]


def compute(store: ox.Store, base: str, entities: int) -> dict[str, Any]:
    """Every figure of the description, as plain JSON values (IRIs as strings)."""
    counts = _rows(store, "void-counts", base)[0]
    evidence: dict[tuple[str, str], list[str]] = {}
    for row in _rows(store, "void-link-evidence", base):
        evidence.setdefault((row["property"], row["namespace"]), []).append(row["evidence"])
    return {
        "distinctSubjects": int(counts["subjects"]),
        "distinctObjects": int(counts["objects"]),
        "entities": entities,
        "classes": {
            row["class"]: int(row["instances"]) for row in _rows(store, "void-classes", base)
        },
        "properties": [row["property"] for row in _rows(store, "void-properties", base)],
        "sources": [
            {"source": row["source"], "title": row["title"], "url": row["url"]}
            for row in _rows(store, "void-sources", base)
        ],
        "examples": [
            {"resource": row["resource"], "label": row["label"]}
            for row in _rows(store, "void-examples", base)
        ],
        "links": [
            {
                "property": row["property"],
                "namespace": row["namespace"],
                "triples": int(row["triples"]),
                "evidence": evidence.get((row["property"], row["namespace"]), []),
            }
            for row in _rows(store, "void-links", base)
        ],
    }


def write(store: ox.Store, base: str) -> dict[str, str]:
    """The release's `statistics.json` and `resources.txt`."""
    listed = resources(store, base)
    figures = compute(store, base, len(listed))
    return {
        release_files.STATISTICS: json.dumps(figures, indent=1, ensure_ascii=False) + "\n",
        release_files.RESOURCES: "".join(f"{iri}\n" for iri in listed),
    }
