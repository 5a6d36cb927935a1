"""Open the release's dataset as a pyoxigraph store: in memory for small data, on disk for large.

A deployment that outgrows one machine keeps the data in a SPARQL 1.1 store of its own instead
(`serve --store-endpoint`): every process then reads it through `remote_store.RemoteStore`.

In memory, each process loads the N-Quads dump (the seed takes milliseconds). Past a size the
dump is bulk-loaded once into an on-disk store under `data/.stores/<data version>/`, which every
process then opens read-only: they share the operating system's page cache instead of each
holding a copy, and a restart opens the store without reloading the dump.
"""

from __future__ import annotations

import fcntl
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from election_kg.server.store.remote import RemoteSpec, RemoteStore

DUMP = "election-kg.nq"
ONTOLOGY = "ontology.ttl"


@dataclass(frozen=True)
class StoreSpec:
    """Everything a process needs to open the same store (picklable, for query workers)."""

    folder: Path  # the build folder (data/dist resolved to data/.builds/<version>)
    base: str
    disk: Path | None = None  # the on-disk store, or None for in memory
    remote: RemoteSpec | None = (
        None  # a remote SPARQL store holding the build's graphs (then `disk` is unused)
    )


def ontology_graph(base: str) -> str:
    return base + "graph/ontology"


def _load(store: ox.Store, spec: StoreSpec, bulk: bool) -> None:
    load = store.bulk_load if bulk else store.load
    load(path=str(spec.folder / DUMP), format=ox.RdfFormat.N_QUADS)
    if (spec.folder / ONTOLOGY).exists():
        load(
            path=str(spec.folder / ONTOLOGY),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(ontology_graph(spec.base)),
        )


def prepare_disk_store(spec: StoreSpec) -> None:
    """Bulk-load the on-disk store once per data version (a lock keeps concurrent starters apart)."""
    assert spec.disk is not None
    spec.disk.parent.mkdir(parents=True, exist_ok=True)
    with open(spec.disk.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if spec.disk.exists():  # renamed into place only once complete
            return
        staging = spec.disk.with_name(spec.disk.name + ".loading")
        shutil.rmtree(staging, ignore_errors=True)
        store = ox.Store(str(staging))
        _load(store, spec, bulk=True)
        store.flush()
        store.optimize()
        del store
        staging.rename(spec.disk)


def open_store(spec: StoreSpec) -> ox.Store | RemoteStore:
    if spec.remote is not None:
        return RemoteStore(spec.remote)
    if spec.disk is not None:
        prepare_disk_store(spec)
        return ox.Store.read_only(str(spec.disk))
    store = ox.Store()
    _load(store, spec, bulk=False)
    return store
