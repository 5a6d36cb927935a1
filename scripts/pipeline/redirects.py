"""Write data/redirects.tsv: where each published IRI that moved now lives.

Run once when IRIs change (`python -m election_kg.pipeline.redirects OLD.nt NEW.nt`), then commit
the file: the server answers 301 from it, so a published IRI keeps resolving. An old IRI is mapped
only to a new IRI that exists in the new build and has the same slug under the same kind (party,
person, ...), one level down under a country: nothing is guessed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from election_kg.common import iris

MOVED = re.compile(r"^id/(party|person|organisation|legislature)/[^/]+$")


def resource_paths(dump: Path) -> set[str]:
    """The id/... paths of every IRI in an N-Triples or N-Quads dump."""
    prefix = re.escape(iris.CANONICAL_BASE)
    found = re.findall(rf"<{prefix}(id/[^>]+)>", dump.read_text(encoding="utf-8"))
    return set(found)


def redirects(old: set[str], new: set[str]) -> list[tuple[str, str]]:
    """(old path, new path) for every old entity path gone from the new build."""
    by_kind_slug: dict[tuple[str, str], list[str]] = {}
    for path in new:
        parts = path.split("/")
        if len(parts) == 4:
            by_kind_slug.setdefault((parts[1], parts[3]), []).append(path)
    pairs = []
    for path in sorted(old - new):
        if not MOVED.match(path):
            continue
        _, kind, slug = path.split("/")
        targets = by_kind_slug.get((kind, slug), [])
        if len(targets) != 1:
            raise SystemExit(f"{path}: {len(targets)} candidates in the new build {targets}")
        pairs.append((path, targets[0]))
    return pairs


def main(argv: list[str]) -> None:
    old, new, out = (
        Path(argv[0]),
        Path(argv[1]),
        Path(argv[2] if len(argv) > 2 else "data/redirects.tsv"),
    )
    pairs = redirects(resource_paths(old), resource_paths(new))
    out.write_text("old\tnew\n" + "".join(f"{a}\t{b}\n" for a, b in pairs), encoding="utf-8")
    print(f"{len(pairs)} redirects -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
