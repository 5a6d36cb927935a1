"""Push the built dumps to a remote SPARQL 1.1 store through the Graph Store HTTP Protocol.

One PUT per named graph (`{url}?graph={IRI}`): each source's graph, the links graph and the ontology
graph (the one the server loads beside the dump), each as N-Triples. PUT replaces the graph, so a
second run leaves the store as the first did, and a rebuilt graph replaces its old version whole.
The dump is checked against its SHA-256 in the manifest first, so a damaged file is never pushed.
Graphs the store holds that the build does not (a source since removed) are left alone.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from election_kg.common import formats, release_files
from election_kg.common.credentials import Credentials
from election_kg.linking import remote

DUMP = "election-kg.nq"
ONTOLOGY = "ontology.ttl"


class DumpError(RuntimeError):
    """The build folder cannot be pushed: missing or damaged files."""


@dataclass(frozen=True)
class Pushed:
    graph: str
    triples: int
    status: int


def graphs(dist: Path) -> dict[str, list[ox.Triple]]:
    """The triples of each named graph of the build, the ontology's included, checked against the manifest."""
    try:
        manifest = json.loads((dist / release_files.MANIFEST).read_text(encoding="utf-8"))
        entry = next(f for f in manifest["files"] if f["file"] == DUMP)
    except (OSError, ValueError, KeyError, StopIteration) as exc:
        raise DumpError(
            f"{dist / 'manifest.json'} is missing or lists no {DUMP}; run `election-kg build`"
        ) from exc
    if hashlib.sha256((dist / DUMP).read_bytes()).hexdigest() != entry["sha256"]:
        raise DumpError(
            f"{dist / DUMP} does not match its SHA-256 in the manifest; run `election-kg build`"
        )
    out: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(dist / DUMP), format=ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise DumpError(f"{dist / DUMP} has a triple outside any named graph: {quad}")
        out[quad.graph_name.value].append(quad.triple)
    if (dist / ONTOLOGY).exists():
        ontology = manifest["base"] + "graph/ontology"
        out[ontology] = [
            q.triple for q in ox.parse(path=str(dist / ONTOLOGY), format=ox.RdfFormat.TURTLE)
        ]
    return dict(out)


def graph_url(store: str, graph: str) -> str:
    """The Graph Store Protocol URL of one named graph ('indirect identification')."""
    separator = "&" if "?" in store else "?"
    return f"{store}{separator}graph={urllib.parse.quote(graph, safe='')}"


def push(
    dist: Path, store: str, timeout: float = 300.0, credentials: Credentials | None = None
) -> Iterator[Pushed]:
    """PUT every graph of the build to `store`, one at a time, yielding each as it is stored."""
    for graph, triples in sorted(graphs(dist).items()):
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        status = remote.put(
            graph_url(store, graph), body, formats.NTRIPLES.media_type, timeout, credentials
        )
        yield Pushed(graph, len(triples), status)
