"""The record of the last build, so that a rebuild from the same inputs publishes nothing new
and says again what the build said (quarantines and findings) in about a second."""

from __future__ import annotations

import json
import os
from typing import Any

from election_kg.common import release_files
from election_kg.pipeline.assemble import BuildSettings

RECORD = "last-build.json"


def unchanged(settings: BuildSettings, key: str) -> tuple[dict[str, Any], list[str]] | None:
    """The published manifest and what its build said, if it was built from exactly these
    inputs (articles, curated files, links, ontology, shapes, code, options) and is still there."""
    try:
        last = json.loads((settings.cache / RECORD).read_text(encoding="utf-8"))
        manifest = json.loads((settings.dist / release_files.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if last.get("key") != key or last.get("dataVersion") != manifest.get("dataVersion"):
        return None
    manifest["quarantined"] = last.get("quarantined", [])
    return manifest, list(last.get("said", []))


def record(settings: BuildSettings, key: str, manifest: dict[str, Any], said: list[str]) -> None:
    """Keep the key of the inputs beside the data version they built, written atomically."""
    settings.cache.mkdir(parents=True, exist_ok=True)
    entry = {
        "key": key,
        "dataVersion": manifest["dataVersion"],
        "quarantined": manifest["quarantined"],
        "said": said,
    }
    tmp = settings.cache / f"{RECORD}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(entry, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, settings.cache / RECORD)
