"""Work done once: results kept on disk by the key of their inputs, the missing ones computed
in parallel processes, with a progress counter on the terminal.

A rebuild after one article changed redoes that article only; an interrupted build keeps what it
finished. The cache is a folder of pickles (data/.cache/<kind>/<key>.pickle), each written
atomically, so two builds at once at worst compute the same thing twice.
"""

from __future__ import annotations

import concurrent.futures
import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO


class Progress:
    """`articles done/total` on one terminal line, redrawn; silent unless given a stream."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.last = 0.0

    def step(self, label: str = "articles") -> None:
        self.done += 1
        now = time.monotonic()
        if self.stream is not None and (now - self.last > 0.1 or self.done == self.total):
            self.last = now
            self.stream.write(f"\r  {label} {self.done}/{self.total}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


class WorkCache:
    """Pickled results under <folder>/<kind>/<key>.pickle; an unreadable entry is a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / f"{key}.pickle"

    def get(self, kind: str, key: str) -> Any:
        path = self._path(kind, key)
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (self.folder / ".gitignore").exists():
            (self.folder / ".gitignore").write_text("# election-kg build cache\n*\n")
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)

    def run(
        self,
        function: Callable[[Any], Any],
        jobs: dict[str, Any],
        kind: str,
        workers: int,
        progress: Progress,
    ) -> dict[str, Any]:
        """function(job) for each key's job: from the cache where it is there, else computed in
        `workers` processes and kept, each as soon as it is done."""
        results: dict[str, Any] = {}
        missing = []
        for key in jobs:
            found = self.get(kind, key)
            if found is None:
                missing.append(key)
            else:
                results[key] = found
                progress.step()
        if workers > 1 and len(missing) > 1:
            with concurrent.futures.ProcessPoolExecutor(
                max_workers=min(workers, len(missing))
            ) as pool:
                futures = {pool.submit(function, jobs[key]): key for key in missing}
                for future in concurrent.futures.as_completed(futures):
                    key = futures[future]
                    results[key] = future.result()
                    self.put(kind, key, results[key])  # kept even if the build is then interrupted
                    progress.step()
        else:
            for key in missing:
                results[key] = function(jobs[key])
                self.put(kind, key, results[key])
                progress.step()
        return results
