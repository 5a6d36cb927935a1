"""Write the published files into a fresh folder; `publish` swaps it in whole.

Output is byte-identical for the same input: N-Triples and N-Quads lines are sorted, Turtle and
TriG come from a graph filled in sorted order, JSON-LD is written with sorted nodes, and nothing
records the time of the build. The data version is the SHA-256 of the N-Quads dump.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from scripts import formats, jsonld

STEM = "election-kg"


def sorted_graph(graph: Graph) -> Graph:
    out = Graph()
    for prefix, ns in jsonld.PREFIXES.items():
        out.bind(prefix, ns, override=True)
    for triple in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
        out.add(triple)
    return out


def _lines(text: str) -> str:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def _trig(dataset: Dataset, namespaces: dict[str, Any]) -> str:
    """TriG with the graphs in IRI order, each written like the Turtle dump (rdflib's TriG order varies)."""
    prefixes: set[str] = set()
    blocks = []
    for graph in sorted((g for g in dataset.graphs() if len(g)), key=lambda g: str(g.identifier)):
        ordered = sorted_graph(graph)
        for prefix, ns in namespaces.items():
            ordered.bind(prefix, ns, override=True)
        body = []
        for line in ordered.serialize(format="turtle").splitlines():
            (prefixes.add(line) if line.startswith("@prefix") else body.append(line))
        blocks.append(f"<{graph.identifier}> {{\n" + "\n".join(f"    {line}" if line else "" for line in body).rstrip() + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def write_dumps(dataset: Dataset, union: Graph, folder: Path, base: str, vocab: str, extra: dict[str, str]) -> dict[str, Any]:
    """Write every dump (and its .gz) plus `extra` text files; return the manifest."""
    folder.mkdir(parents=True)
    data = sorted_graph(union)
    for prefix in ("id", "ek"):
        data.bind(prefix, vocab if prefix == "ek" else base + "id/", override=True)
    texts: dict[str, str] = {}
    texts[f"{STEM}.nt"] = _lines(data.serialize(format="nt"))
    texts[f"{STEM}.ttl"] = data.serialize(format="turtle")
    document = jsonld.document(data, base, vocab)
    texts[f"{STEM}.jsonld"] = jsonld.dumps(document)
    texts["context.jsonld"] = jsonld.dumps({"@context": document["@context"]})
    texts[f"{STEM}.nq"] = _lines(dataset.serialize(format="nquads"))
    texts[f"{STEM}.trig"] = _trig(dataset, dict(data.namespaces()))
    texts.update(extra)

    files = []
    for name in sorted(texts):
        raw = texts[name].encode("utf-8")
        (folder / name).write_bytes(raw)
        gz = gzip.compress(raw, mtime=0)
        (folder / f"{name}.gz").write_bytes(gz)
        fmt = formats.BY_EXTENSION.get(name.rsplit(".", 1)[-1]) if name.startswith(STEM) else None
        entry: dict[str, Any] = {"file": name, "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest(),
                                 "gzip": {"file": f"{name}.gz", "bytes": len(gz), "sha256": hashlib.sha256(gz).hexdigest()}}
        if fmt:
            entry.update({"format": fmt.name, "mediaType": fmt.media_type,
                          "triples": len(dataset) if fmt.quads else len(data)})
        files.append(entry)
    graphs = {str(g.identifier): len(g) for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef)}
    manifest = {
        "dataVersion": hashlib.sha256(texts[f"{STEM}.nq"].encode("utf-8")).hexdigest()[:16],
        "base": base,
        "triples": len(data),
        "quads": len(dataset),
        "graphs": dict(sorted(graphs.items())),
        "files": files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def publish(staging: Path, dist: Path, keep: int = 2) -> Path:
    """Point `dist` (a symlink) at the finished build in one rename, then prune old builds.

    Readers that resolved the old link keep reading a complete folder; new readers see the new
    one. A real folder left at `dist` by hand is replaced.
    """
    builds = staging.parent
    version = json.loads((staging / "manifest.json").read_text(encoding="utf-8"))["dataVersion"]
    final = builds / version
    if final.exists():
        shutil.rmtree(staging)
    else:
        os.rename(staging, final)
    link = dist.with_name(f".{dist.name}.link")
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(final, dist.parent))
    if dist.is_dir() and not dist.is_symlink():
        shutil.rmtree(dist)
    os.replace(link, dist)
    current = {final.name}
    others = sorted((p for p in builds.iterdir() if p.is_dir() and p.name not in current and not p.name.startswith("tmp")),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in others[keep - 1:]:
        shutil.rmtree(stale, ignore_errors=True)
    return final
