"""The data release being served: the manifest, its checked files and a read-only query store.

Flask-tutorial style, this module owns the resource: loading it, and `init_app`. A release is
loaded once per worker and never changes; a new build is a new release (new data version).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from flask import Flask, current_app

from election_kg.common import release_files
from election_kg.common.credentials import CredentialsError
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
    memo: dict[str, Any] = field(
        default_factory=dict, repr=False
    )  # what is made once per release: prepared queries, the class hierarchy, the last store check

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
        """Moved IRIs, old path -> new path under `id/` (release_files.REDIRECTS, published by the build): each
        IRI a release once published keeps resolving, with a 301 to where it lives now."""
        path = self.folder / release_files.REDIRECTS
        if not path.exists():
            return {}
        moved = {}
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:  # after the header: old, new
            old, _, new = (part.strip().removeprefix("id/") for part in line.partition("\t"))
            if old and new:  # keyed like the routes' paths: "party/x" -> "party/algeria/x"
                moved[old] = new
        return moved


VERIFIED = (
    "ELECTION_KG_VERIFIED_RELEASE"  # set by `serve` once it has checked every file of a release
)


def load_release(folder: Path, settings: Settings | None = None) -> Release:
    """Load and check a build folder; raise ReleaseError with what is wrong and what to run."""
    folder = folder.resolve()
    manifest_path = folder / release_files.MANIFEST
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
    missing = [name for name in release_files.REQUIRED if name not in files]
    if missing:
        raise ReleaseError(
            f"{manifest_path} lists no {', '.join(missing)}: the build is from an older "
            "election-kg; rebuild with `election-kg build`"
        )
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
    # the store is told the deadline (it stops there); the pool's own deadline ends the wait (503)
    spec = StoreSpec(
        folder,
        manifest["base"],
        remote=remote_store.RemoteSpec(
            endpoint, tuple(sorted(expected)), settings.query_timeout, settings.store_user
        ),
    )
    try:
        store = open_store(spec)
    except CredentialsError as exc:
        raise ReleaseError(f"cannot read the store at {endpoint}: {exc}") from exc
    assert isinstance(store, remote_store.RemoteStore)
    if not check:
        return Release(folder, manifest, store, spec)
    try:
        found = remote_store.graph_sizes(store)
    except (SyntaxError, OSError) as exc:
        raise ReleaseError(
            f"cannot read the store at {endpoint}: {exc}; is it a SPARQL 1.1 query URL (Oxigraph server: "
            "http://HOST:PORT/query; Fuseki: http://HOST:3030/DATASET/query; Virtuoso: "
            "http://HOST:8890/sparql)?"
        ) from exc
    if problems := remote_store.differences(found, expected):
        shown = "; ".join(problems[:5]) + (
            f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        raise ReleaseError(
            f"the store at {endpoint} does not hold build {manifest['dataVersion']} of {folder}: {shown}; "
            + remote_store.load_hint(endpoint, store.kind)
        )
    return Release(folder, manifest, store, spec)


STORE_CHECK_SECONDS = 2.0
"""How long a store check holds: /health and the pages' 404s ask the store at most this often."""


def check_store(release: Release) -> None:
    """Raise RemoteStoreError (502: down) or StoreUnavailable (503: lost this release's graphs) when a
    remote store cannot serve the release; nothing for an embedded store, which cannot lose it."""
    store = release.store
    if not isinstance(store, remote_store.RemoteStore):
        return
    checked = release.memo.get("store_checked")
    if checked is not None and time.monotonic() - checked < STORE_CHECK_SECONDS:
        return
    missing = remote_store.missing_graphs(store)
    if missing:
        raise remote_store.StoreUnavailable(
            f"the store no longer holds this release (data version {release.version}): "
            f"{len(missing)} of its {len(store.spec.graphs)} graphs are missing or empty; "
            + remote_store.load_hint(store.spec.endpoint, store.kind).replace(
                "load it", "load the build again"
            )
        )
    release.memo["store_checked"] = time.monotonic()


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
