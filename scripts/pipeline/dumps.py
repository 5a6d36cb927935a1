"""Write the published files into a fresh folder; `publish` swaps it in whole.

Output is byte-identical for the same input: N-Triples and N-Quads lines are sorted, Turtle and
TriG are written from them in that order, JSON-LD has sorted nodes and keys, and nothing records
the time of the build. The data version is a SHA-256 over the checksums of every file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from election_kg.common import formats, prefixes, release_files
from election_kg.pipeline import jsonld, statistics, tables

STEM = "election-kg"


XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBER = re.compile(r'(?<!\\)"([^"\\]*)"\^\^<' + re.escape(XSD) + r"(decimal|integer)>")


_LEXICAL = {
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "integer": re.compile(r"[+-]?\d+"),
}


def canonical_number(lexical: str, datatype: str) -> str:
    """The XSD 1.1 canonical form of an xsd:decimal or xsd:integer ("2.00" -> "2", "10.50" -> "10.5",
    "+007" -> "7"): the form Oxigraph and Virtuoso answer with whatever was loaded, and Fuseki answers
    with what was loaded, so every store gives the same values. An ill-formed one is left as it is."""
    if not _LEXICAL[datatype].fullmatch(lexical):
        return lexical
    try:
        value = Decimal(lexical)
    except InvalidOperation:
        return lexical
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def canonical_numbers(text: str) -> str:
    """N-Triples or N-Quads text with every decimal and integer literal in its canonical form."""
    return _NUMBER.sub(
        lambda m: f'"{canonical_number(m.group(1), m.group(2))}"^^<{XSD}{m.group(2)}>', text
    )


def _sorted_lines(text: str) -> str:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def ntriples_of(nquads_lines: list[str]) -> list[str]:
    """The union graph's N-Triples lines from N-Quads lines whose graph is always an IRI."""
    return [line[: line.rindex(" <")] + " ." for line in nquads_lines]


def write_dumps(
    nquads: str, folder: Path, base: str, vocab: str, extra: dict[str, str]
) -> dict[str, Any]:
    """Write every dump, the tidy tables (`tables`), the dataset's figures (`statistics`) and
    `extra` text files, each with its .gz; return the manifest.

    `nquads` is rdflib's N-Quads of every named graph (each article's, written by its worker,
    and the links'); the N-Triples of the union are the same lines without their graph, sorted.
    pyoxigraph writes Turtle and TriG from them (in that order, so the output is stable) far
    faster than rdflib's pretty-printers.
    """
    folder.mkdir(parents=True)
    table = {**prefixes.DATA, "ek": vocab}
    nq = _sorted_lines(canonical_numbers(nquads))
    nt = _sorted_lines("\n".join(ntriples_of(nq.splitlines())))
    triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    quads = sorted(
        ox.parse(nq, format=ox.RdfFormat.N_QUADS), key=lambda q: (str(q.graph_name), str(q.triple))
    )
    document = jsonld.document(triples, base, vocab)
    writers: dict[formats.RdfFormat, Callable[[], str]] = {
        formats.NTRIPLES: lambda: nt,
        formats.NQUADS: lambda: nq,
        formats.TURTLE: lambda: ox.serialize(
            triples, format=ox.RdfFormat.TURTLE, prefixes=table
        ).decode("utf-8"),
        formats.TRIG: lambda: ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=table).decode(
            "utf-8"
        ),
        formats.JSONLD: lambda: jsonld.dumps(document),
    }
    texts = {f"{STEM}.{fmt.extension}": writers[fmt]() for fmt in formats.DUMP_FORMATS}
    texts["context.jsonld"] = jsonld.dumps({"@context": document["@context"]})
    union = ox.Store()  # what the tables and the statistics are the answers of queries over
    union.bulk_load(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    texts.update(
        tables.write(union, base)
    )  # results.csv, elections.csv, their queries, datapackage.json
    texts.update(statistics.write(union, base))  # statistics.json, resources.txt
    texts.update(extra)

    files = []
    for name in sorted(texts):
        raw = texts[name].encode("utf-8")
        (folder / name).write_bytes(raw)
        gz = gzip.compress(raw, mtime=0)
        (folder / f"{name}.gz").write_bytes(gz)
        fmt = formats.BY_EXTENSION.get(name.rsplit(".", 1)[-1]) if name.startswith(STEM) else None
        entry: dict[str, Any] = {
            "file": name,
            "bytes": len(raw),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "gzip": {
                "file": f"{name}.gz",
                "bytes": len(gz),
                "sha256": hashlib.sha256(gz).hexdigest(),
            },
        }
        if fmt:
            entry.update(
                {
                    "format": fmt.name,
                    "mediaType": fmt.media_type,
                    "triples": len(quads) if fmt.quads else len(triples),
                }
            )
        files.append(entry)
    graphs: dict[str, int] = {}
    for quad in quads:
        graphs[quad.graph_name.value] = graphs.get(quad.graph_name.value, 0) + 1
    manifest = {
        # Every published byte counts: a new ontology or shapes file is a new release too.
        "dataVersion": hashlib.sha256(
            "".join(f"{f['file']} {f['sha256']}\n" for f in files).encode("utf-8")
        ).hexdigest()[:16],
        "base": base,
        "triples": len(triples),
        "quads": len(quads),
        "graphs": dict(sorted(graphs.items())),
        "files": files,
    }
    (folder / release_files.MANIFEST).write_text(
        json.dumps(manifest, indent=2) + "\n", encoding="utf-8"
    )
    return manifest


def publish(staging: Path, dist: Path, keep: int = 2) -> Path:
    """Point `dist` (a symlink) at the finished build in one rename, then prune old builds.

    Readers that resolved the old link keep reading a complete folder; new readers see the new
    one. A real folder left at `dist` by hand is replaced.
    """
    builds = staging.parent
    version = json.loads((staging / release_files.MANIFEST).read_text(encoding="utf-8"))[
        "dataVersion"
    ]
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
    others = sorted(
        (
            p
            for p in builds.iterdir()
            if p.is_dir() and p.name not in current and not p.name.startswith("tmp")
        ),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for stale in others[keep - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)
    return final
