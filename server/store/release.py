"""The data release being served: the manifest, its checked files and a read-only query store.

Flask-tutorial style, this module owns the resource: loading it, and `init_app`. A release is
loaded once per worker and never changes; a new build is a new release (new data version).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from flask import Flask, current_app

from election_kg.server.settings import Settings
from election_kg.server.store import remote as remote_store
from election_kg.server.store.embedded import DUMP, ONTOLOGY, StoreSpec, ontology_graph, open_store

T = TypeVar("T")


class ReleaseError(RuntimeError):
    """The published files are missing or damaged; the server must not start on them."""


@dataclass
class Release:
    folder: Path
    manifest: dict[str, Any]
    store: (
        ox.Store | remote_store.RemoteStore
    )  # for the pages' own queries; the endpoint's run in the query pool
    spec: StoreSpec

    @property
    def version(self) -> str:
        return self.manifest["dataVersion"]

    @property
    def base(self) -> str:
        return self.manifest["base"]

    @property
    def ontology_graph(self) -> str:
        return self.base + "graph/ontology"

    def file(self, name: str) -> Path:
        return self.folder / name

    @functools.cached_property
    def redirects(self) -> dict[str, str]:
        """Moved IRIs, old path -> new path under `id/` (REDIRECTS, published by the build): each
        IRI a release once published keeps resolving, with a 301 to where it lives now."""
        path = self.folder / REDIRECTS
        if not path.exists():
            return {}
        moved = {}
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:  # after the header: old, new
            old, _, new = (part.strip().removeprefix("id/") for part in line.partition("\t"))
            if old and new:  # keyed like the routes' paths: "party/x" -> "party/algeria/x"
                moved[old] = new
        return moved


REDIRECTS = "redirects.tsv"

VERIFIED = (
    "ELECTION_KG_VERIFIED_RELEASE"  # set by `serve` once it has checked every file of a release
)


def load_release(folder: Path, settings: Settings | None = None) -> Release:
    """Load and check a build folder; raise ReleaseError with what is wrong and what to run."""
    folder = folder.resolve()
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise ReleaseError(
            f"no build at {folder} (missing manifest.json); run `election-kg build` first"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = {entry["file"]: entry for entry in manifest["files"]}
        files |= {
            entry["gzip"]["file"]: entry["gzip"] for entry in manifest["files"] if entry.get("gzip")
        }  # their .gz twins too
        manifest["dataVersion"], manifest["base"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ReleaseError(
            f"{manifest_path} is not a valid build manifest ({exc}); rebuild with `election-kg build`"
        ) from exc
    verified = (
        os.environ.get(VERIFIED) == f"{folder}:{manifest['dataVersion']}"
    )  # `serve` checked it before starting workers
    for name, entry in files.items():
        path = folder / name
        if not path.exists():
            raise ReleaseError(
                f"{path} is listed in the manifest but missing; rebuild with `election-kg build`"
            )
        if not verified and hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            raise ReleaseError(
                f"{path} does not match its SHA-256 in the manifest (damaged or edited); rebuild with `election-kg build`"
            )
    if settings is not None and settings.store_endpoint:
        return _remote_release(folder, manifest, settings, check=not verified)
    spec = StoreSpec(
        folder, manifest["base"], _disk_location(manifest, settings) if settings else None
    )
    try:
        store = open_store(spec)
    except (SyntaxError, OSError, ValueError) as exc:
        raise ReleaseError(f"cannot load {folder / DUMP}: {exc}") from exc
    return Release(folder, manifest, store, spec)


def _remote_release(
    folder: Path, manifest: dict[str, Any], settings: Settings, check: bool = True
) -> Release:
    """The release read from the store at `store_endpoint`, once it is seen to hold the build's graphs
    (counted per graph: `serve` does it once, before the workers start, which then trust it)."""
    endpoint = settings.store_endpoint
    expected = dict(manifest["graphs"])
    if (folder / ONTOLOGY).exists():
        expected[ontology_graph(manifest["base"])] = len(
            set(ox.parse(path=str(folder / ONTOLOGY), format=ox.RdfFormat.TURTLE))
        )
    # the pool's deadline fires first for the endpoint's queries (503); this one bounds the pages'
    spec = StoreSpec(
        folder,
        manifest["base"],
        remote=remote_store.RemoteSpec(
            endpoint, tuple(sorted(expected)), settings.query_timeout + 5
        ),
    )
    store = open_store(spec)
    assert isinstance(store, remote_store.RemoteStore)
    if not check:
        return Release(folder, manifest, store, spec)
    try:
        found = remote_store.graph_sizes(store)
    except (SyntaxError, OSError) as exc:
        raise ReleaseError(
            f"cannot read the store at {endpoint}: {exc}; is it a SPARQL 1.1 query URL (Oxigraph server: "
            "http://HOST:PORT/query)?"
        ) from exc
    if problems := remote_store.differences(found, expected):
        shown = "; ".join(problems[:5]) + (
            f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        gsp = endpoint.removesuffix("/query") + "/store" if endpoint.endswith("/query") else "URL"
        raise ReleaseError(
            f"the store at {endpoint} does not hold build {manifest['dataVersion']} of {folder}: {shown}; "
            f"load it with `election-kg load --gsp {gsp}` (the store's Graph Store Protocol URL)"
        )
    return Release(folder, manifest, store, spec)


def _disk_location(manifest: dict[str, Any], settings: Settings) -> Path | None:
    mode = settings.store
    if mode not in ("memory", "disk", "auto"):
        raise ReleaseError(f"the store setting must be 'memory', 'disk' or 'auto', not {mode!r}")
    if mode == "memory" or (
        mode == "auto" and manifest.get("quads", manifest["triples"]) < settings.disk_threshold
    ):
        return None
    return settings.stores / manifest["dataVersion"]


def cached(namespace: str, key: str, make: Callable[[], T]) -> T:
    """A value made once per worker and release (pages of immutable data), dropped when the release changes."""
    release = get_release()
    cache = current_app.extensions.setdefault(f"election_kg.cache.{namespace}", {})
    if cache.get("version") != release.version:
        cache.clear()
        cache["version"] = release.version
    if key not in cache:
        cache[key] = make()
    return cache[key]


def init_app(app: Flask, settings: Settings) -> None:
    app.extensions["election_kg.release"] = load_release(settings.dist, settings)


def get_release() -> Release:
    return current_app.extensions["election_kg.release"]
